"""API of hr_admin: succession planning, under /api/v1/o/<org_slug>/hr/succession/ (names in
the ``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_succession as api

urlpatterns = [
    path("positions/", api.PositionListView.as_view(), name="succession-position-list"),
    path("positions/<int:position_id>/", api.PositionDetailView.as_view(),
         name="succession-position-detail"),
    path("nominations/", api.NominationListView.as_view(), name="succession-nomination-list"),
    path("nominations/<int:nomination_id>/", api.NominationDetailView.as_view(),
         name="succession-nomination-detail"),
]
