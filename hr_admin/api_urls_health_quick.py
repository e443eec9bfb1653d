"""API of the health check: the quick self-assessment and the action plan (names in the
``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_health_quick as api

urlpatterns = [
    path("quick/questions/", api.QuickQuestionsView.as_view(), name="health-quick-questions"),
    path("quick/", api.QuickListView.as_view(), name="health-quick-list"),
    path("quick/<int:survey_id>/", api.QuickResultView.as_view(), name="health-quick-result"),
    path("actions/", api.ActionListView.as_view(), name="health-action-list"),
    path("actions/<int:health_action_id>/", api.ActionDetailView.as_view(),
         name="health-action-detail"),
]
