"""API of hr_admin: career moves, under /api/v1/o/<org_slug>/hr/moves/ (names in the
``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_moves as api

urlpatterns = [
    path("", api.MoveListView.as_view(), name="move-list"),
    path("counts/", api.MoveCountsView.as_view(), name="move-counts"),
    path("<int:move_id>/", api.MoveDetailView.as_view(), name="move-detail"),
    path("members/<int:member_id>/", api.MemberMovesView.as_view(), name="member-moves"),
]
