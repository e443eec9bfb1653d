"""Turning ids from a request into a team or a goal of the caller's organisation.

Every lookup is filtered on the caller's organisation first; another organisation's id, an
absent id and a malformed id are the same ``Http404``. Lookups run before the role check, so a
foreign id is 404 for every role.
"""

from __future__ import annotations

from django.http import Http404

from organizations.models import Membership, Team

from . import metric_definitions as defs
from .models import MetricGoal


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_team(*, membership: Membership, team_id) -> Team:
    team = (Team.objects.for_org(membership.organization_id).select_related("parent")
            .filter(pk=_as_id(team_id)).first())
    if team is None:
        raise Http404
    return team


def access_goal(*, membership: Membership, goal_id) -> MetricGoal:
    goal = (MetricGoal.objects.for_org(membership.organization_id).select_related("team")
            .filter(pk=_as_id(goal_id)).first())
    if goal is None:
        raise Http404
    return goal


def access_metric(key) -> defs.Metric:
    metric = defs.BY_KEY.get(str(key))
    if metric is None:
        raise Http404
    return metric
