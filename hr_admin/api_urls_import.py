"""The people import in the API, under /api/v1/o/<org_slug>/hr/import/ (names in the
``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_import as api

urlpatterns = [
    path("", api.PeopleImportListView.as_view(), name="people-import-list"),
    path("<int:import_id>/", api.PeopleImportDetailView.as_view(), name="people-import-detail"),
    path("<int:import_id>/problems/", api.PeopleImportProblemsView.as_view(),
         name="people-import-problems"),
    path("<int:import_id>/apply/", api.PeopleImportApplyView.as_view(),
         name="people-import-apply"),
    path("<int:import_id>/recheck/", api.PeopleImportRecheckView.as_view(),
         name="people-import-recheck"),
    path("<int:import_id>/discard/", api.PeopleImportDiscardView.as_view(),
         name="people-import-discard"),
]
