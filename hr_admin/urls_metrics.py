"""Leadership metrics pages, under /o/<org_slug>/hr/metrics/ (names in the ``hr_admin``
namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import metrics as views

urlpatterns = [
    # Leaders and HR: the organisation, one team, one metric.
    path("", views.dashboard, name="metrics"),
    path("teams/<int:team_id>/", views.team_dashboard, name="metrics_team"),
    path("m/<slug:metric>/", views.metric_detail, name="metrics_metric"),
    path("m/<slug:metric>/trend.csv", views.trend_csv, name="metrics_trend_export"),
    path("export.csv", views.export_csv, name="metrics_export"),
    path("refresh/", views.refresh, name="metrics_refresh"),
    # Goals: leaders set them; HR reads them.
    path("goals/", views.goals, name="metrics_goals"),
    path("goals/new/", views.goal_create, name="metrics_goal_create"),
    path("goals/<int:metric_goal_id>/edit/", views.goal_edit, name="metrics_goal_edit"),
    path("goals/<int:metric_goal_id>/delete/", views.goal_delete, name="metrics_goal_delete"),
    # HR's day-to-day, and a manager's reports.
    path("operations/", views.operations, name="metrics_operations"),
    path("my-team/", views.my_team, name="metrics_my_team"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("organizations:home", [
        NavItem(_("Dashboard"), "hr_admin:metrics", "dashboard", frozenset({"hr", "leader"})),
        NavItem(_("Operations"), "hr_admin:metrics_operations", "list-check",
                frozenset({"hr"})),
    ]),
    ("organizations:my_team", [
        NavItem(_("Team figures"), "hr_admin:metrics_my_team", "chart",
                frozenset({"manager"})),
    ]),
]
