"""Pages of hr_admin: succession planning, under /o/<org_slug>/hr/succession/.

HR admins and leaders see every key position and its bench; a manager nominates people in their
reporting line and sees only their own nominations (``succession`` sends them there); anyone
else gets 404.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import succession as views

urlpatterns = [
    path("", views.overview, name="succession"),
    path("positions/new/", views.position_create, name="succession_position_create"),
    path("positions/<int:position_id>/", views.position_detail, name="succession_position"),
    path("positions/<int:position_id>/edit/", views.position_edit,
         name="succession_position_edit"),
    path("positions/<int:position_id>/retire/", views.position_retire,
         name="succession_position_retire"),
    path("positions/<int:position_id>/restore/", views.position_restore,
         name="succession_position_restore"),
    path("nominations/", views.nominations, name="succession_nominations"),
    path("nominations/new/", views.nomination_create, name="succession_nomination_create"),
    path("nominations/<int:nomination_id>/edit/", views.nomination_edit,
         name="succession_nomination_edit"),
    path("nominations/<int:nomination_id>/delete/", views.nomination_delete,
         name="succession_nomination_delete"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("organizations:people", [
        NavItem(_("Succession"), "hr_admin:succession", "ladder",
                frozenset({"hr", "leader", "manager"})),
    ]),
]
