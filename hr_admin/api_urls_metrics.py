"""The metrics API, under /api/v1/o/<org_slug>/hr/metrics/ (names in ``hr_admin-api``): the
dashboard at the root, a metric's trend and team comparison under its key, and leaders' goals
under goals/."""

from django.urls import path

from . import api_metrics as api

urlpatterns = [
    path("", api.DashboardView.as_view(), name="metrics"),
    path("refresh/", api.RefreshView.as_view(), name="metrics_refresh"),
    path("goals/", api.GoalListView.as_view(), name="metric_goals"),
    path("goals/<int:metric_goal_id>/", api.GoalDetailView.as_view(), name="metric_goal"),
    path("<slug:metric>/trend/", api.TrendView.as_view(), name="metric_trend"),
    path("<slug:metric>/teams/", api.TeamsView.as_view(), name="metric_teams"),
]
