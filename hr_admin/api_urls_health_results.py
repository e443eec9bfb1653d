"""API of hr_admin: the health check's results (aggregated and suppressed only)."""

from django.urls import path

from . import api_health_results as api

urlpatterns = [
    path("surveys/<int:survey_id>/results/", api.SurveyResultsView.as_view(),
         name="health_results"),
]
