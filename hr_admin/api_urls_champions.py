"""Office Career Champions in the API, under /api/v1/o/<org_slug>/hr/champions/ (names in the
``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_champions as api

urlpatterns = [
    path("", api.ChampionListView.as_view(), name="champion-list"),
    path("<int:champion_id>/", api.ChampionDetailView.as_view(), name="champion-detail"),
    path("<int:champion_id>/end/", api.ChampionEndView.as_view(), name="champion-end"),
    path("nominations/", api.NominationListView.as_view(), name="champion-nomination-list"),
    path("nominations/<int:champion_nomination_id>/", api.NominationDetailView.as_view(),
         name="champion-nomination-detail"),
    path("nominations/<int:champion_nomination_id>/set-aside/",
         api.NominationSetAsideView.as_view(), name="champion-nomination-set-aside"),
    path("nominees/", api.NomineeListView.as_view(), name="champion-nominee-list"),
    path("nominees/<int:member_id>/decide/", api.NomineeDecideView.as_view(),
         name="champion-nominee-decide"),
]
