"""Pages of hr_admin: the audit log and leavers' erasure, under /o/<org_slug>/hr/ (HR admins
only; 404 for everyone else)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import records as views

urlpatterns = [
    # Who viewed or changed whose personal data; filters by person, kind and dates.
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_export, name="audit_export"),
    # Former members: review what is held, erase it, see what an erasure did.
    path("leavers/", views.leavers, name="leavers"),
    path("leavers/<int:member_id>/erase/", views.leaver_erase, name="leaver_erase"),
    path("leavers/<int:member_id>/erased/", views.leaver_erased, name="leaver_erased"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation: HR's
# records sit with the people pages, before the organisation's settings.
NAV: list = [
    ("organizations:invitations", [
        NavItem(_("Leavers"), "hr_admin:leavers", "logout", frozenset({"hr"})),
        NavItem(_("Audit log"), "hr_admin:audit_log", "shield", frozenset({"hr"})),
    ]),
]
