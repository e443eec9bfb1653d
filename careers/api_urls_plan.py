"""The caller's goals, options, criteria and development plan in the API, under
/api/v1/o/<org_slug>/career/ (names in the ``careers-api`` namespace)."""

from django.urls import path

from .api import plan as api

urlpatterns = [
    path("goals/", api.GoalListView.as_view(), name="goal-list"),
    path("goals/<int:goal_id>/", api.GoalDetailView.as_view(), name="goal-detail"),
    path("options/", api.OptionListView.as_view(), name="option-list"),
    path("options/<int:option_id>/", api.OptionDetailView.as_view(), name="option-detail"),
    path("options/<int:option_id>/ratings/", api.OptionRatingsView.as_view(),
         name="option-ratings"),
    path("criteria/", api.CriterionListView.as_view(), name="criterion-list"),
    path("criteria/<int:criterion_id>/", api.CriterionDetailView.as_view(),
         name="criterion-detail"),
    path("actions/", api.ActionListView.as_view(), name="action-list"),
    path("actions/from-resource/", api.ActionFromResourceView.as_view(),
         name="action-from-resource"),
    path("actions/<int:action_id>/", api.ActionDetailView.as_view(), name="action-detail"),
    path("plan/suggestions/", api.SuggestionListView.as_view(), name="plan-suggestions"),
    path("plan/summary/", api.PlanSummaryView.as_view(), name="plan-summary"),
]
