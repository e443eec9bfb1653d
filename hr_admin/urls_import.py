"""Pages of the people import, under /o/<org_slug>/hr/import/ (namespace ``hr_admin``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import people_import as views

urlpatterns = [
    # Upload and check a file; the runs so far.
    path("", views.people_import, name="people_import"),
    path("template.csv", views.people_import_template, name="people_import_template"),
    path("<int:import_id>/", views.people_import_detail, name="people_import_detail"),
    path("<int:import_id>/status/", views.people_import_status, name="people_import_status"),
    path("<int:import_id>/apply/", views.people_import_apply, name="people_import_apply"),
    path("<int:import_id>/recheck/", views.people_import_recheck, name="people_import_recheck"),
    path("<int:import_id>/discard/", views.people_import_discard, name="people_import_discard"),
    path("<int:import_id>/problems.csv", views.people_import_problems,
         name="people_import_problems"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("organizations:invitations",
     [NavItem(_("People import"), "hr_admin:people_import", "upload", frozenset({"hr"}))]),
]
