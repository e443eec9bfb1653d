"""What the leadership metrics add to shared pages.

The organisation's home, for leaders and HR only: "Goals", the goals in progress (then those
about to start), up to ``HOME_GOALS``, each with its latest stored figure, its target and its
status, and links to the dashboard and to every goal. A leader with no goal yet is asked to set
one; HR, who read goals but do not set them, see nothing until a leader has. Three queries
whatever the number of goals, teams and days of history; none for anyone else.

The figure against a goal is the one the dashboards show: the scope's latest nightly figure
when it falls within the goal's period, and none for a figure about what people do privately
in a team smaller than the anonymity threshold.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save

from organizations.models import Membership, Organization
from organizations.panels import Panel, register_home_panel

#: How many goals the home panel shows.
HOME_GOALS = 4


def home_goals(*, organization, today: date, limit: int = HOME_GOALS) -> tuple[list, date | None]:
    """(The goals that have not ended, as ``GoalView``s, and the day of their figures).

    Goals that started first come first (those in progress before those still to come), the
    organisation's before a team's, then in the order they were set. Three queries: the goals,
    the day of the latest snapshot, and that day's rows of the goals' metrics and scopes (with
    each team's headcount, which decides whether a personal figure may be shown)."""
    from . import metric_definitions as defs
    from .models import MetricGoal, MetricSnapshot
    from .selectors.metrics import GoalView, goal_status, latest

    goals = list(MetricGoal.objects.for_org(organization)
                 .filter(ends_on__gte=today, metric__in=defs.KEYS).select_related("team")
                 .order_by("starts_on", F("team").asc(nulls_first=True), "pk")[:limit])
    if not goals:
        return [], None
    stamp = latest(organization)
    day = stamp[0] if stamp else None
    figures: dict[tuple[int | None, str], tuple[float | None, float | None]] = {}
    if day is not None:
        scopes = Q(team__isnull=True)
        team_ids = sorted({g.team_id for g in goals if g.team_id is not None})
        if team_ids:
            scopes |= Q(team_id__in=team_ids)
        metrics = {g.metric for g in goals} | {defs.HEADCOUNT_METRIC}
        for team_id, metric, value, denominator in (
                MetricSnapshot.objects.for_org(organization)
                .filter(scopes, day=day, metric__in=metrics)
                .values_list("team_id", "metric", "value", "denominator")):
            figures[(team_id, metric)] = (value, denominator)
    threshold = organization.survey_anonymity_threshold
    views = []
    for goal in goals:
        metric = defs.BY_KEY[goal.metric]
        actual = None
        if day is not None and goal.starts_on <= day <= goal.ends_on:
            actual = figures.get((goal.team_id, goal.metric), (None, None))[0]
        if goal.team_id is not None and metric.personal:
            headcount = figures.get((goal.team_id, defs.HEADCOUNT_METRIC), (None, None))[1]
            if (headcount or 0) < threshold:
                actual = None
        views.append(GoalView(goal=goal, metric=metric, actual=actual,
                              status=goal_status(goal, actual, today=today)))
    return views, day


def metrics_home_panel(request) -> dict | None:
    """Leaders and HR only; ``None`` (no panel) for anyone else, and for HR while no goal
    is set."""
    from .models import MetricGoal
    from .services.metric_goals import can_set_goals, can_view_dashboards
    from .services.metrics import organization_today

    membership, org = request.membership, request.organization
    if membership is None or not can_view_dashboards(membership):
        return None
    can_set = can_set_goals(membership)
    goals, day = home_goals(organization=org, today=organization_today(org))
    if goals:
        return {"goals": goals, "day": day, "can_set": can_set}
    if not can_set:
        return None
    return {"goals": [], "day": None, "can_set": True,
            "first": not MetricGoal.objects.for_org(org).exists()}


def _overdue_changed(sender, instance, **kwargs) -> None:
    """A saved or deleted row the overdue list depends on: drop that organisation's cached list."""
    from .selectors.metrics import overdue_changed

    if sender is get_user_model():
        # Signing in saves last_login only: nothing the list depends on.
        fields = kwargs.get("update_fields")
        if fields is not None and "is_active" not in fields:
            return
        for organization_id in (Membership.objects_unscoped.filter(user=instance)
                                .values_list("organization_id", flat=True)):
            overdue_changed(organization_id)
            transaction.on_commit(partial(overdue_changed, organization_id))
        return
    organization_id = instance.pk if sender is Organization else instance.organization_id
    # Now, and again once committed: a page computed between the two from the rows as they were
    # before the commit must not be kept.
    overdue_changed(organization_id)
    transaction.on_commit(partial(overdue_changed, organization_id))


def register() -> None:
    from conversations.models import Conversation, MemberCadence

    for model in (Conversation, MemberCadence, Membership, Organization, get_user_model()):
        for signal in (post_save, post_delete):
            uid = f"hr-overdue-{model._meta.label_lower}-{signal is post_save}"
            signal.connect(_overdue_changed, sender=model, dispatch_uid=uid)
    register_home_panel(Panel(key="hr-metrics-goals",
                              template="hr_admin/metrics/_home_panel.html",
                              context=metrics_home_panel, column="main", order=12,
                              stylesheets=("css/hr-metrics-home.css",)))
