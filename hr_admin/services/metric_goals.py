"""Leaders' goals: a target for one metric over a period, for the organisation or a team.

Leaders set goals; HR reads them with the dashboards. Every change is audited. Validation is
here, shared by the form and the API: a known metric, a period that ends after it starts and at
most five years long, a target the metric can reach (a share between 0 and 100 %, a rating
between 1 and 5 …), and a team of the organisation.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import Membership, Organization, Team
from organizations.services import audit

from .. import metric_definitions as defs
from ..models import GoalComparison, MetricGoal

MAX_PERIOD_DAYS = 5 * 366

# (lowest, highest) target a metric's unit allows; None for no bound.
TARGET_RANGES = {
    defs.Unit.PERCENT: (0, 100),
    defs.Unit.SCORE: (0, 100),
    defs.Unit.ENPS: (-100, 100),
    defs.Unit.RATING: (1, 5),
    defs.Unit.HOURS: (0, 10_000),
    defs.Unit.COUNT: (0, 1_000_000),
}


def can_set_goals(membership: Membership) -> bool:
    return membership.is_leader


def can_view_dashboards(membership: Membership) -> bool:
    return membership.is_leader or membership.is_hr_admin


def require_viewer(membership: Membership) -> None:
    if not can_view_dashboards(membership):
        raise PermissionDenied(_("The dashboards are for leaders and HR."))


def require_goal_setter(membership: Membership) -> None:
    if not can_set_goals(membership):
        raise PermissionDenied(_("Goals are set by leaders."))


def validate(*, organization: Organization, metric: str, comparison: str, target,
             starts_on: date, ends_on: date, team: Team | None) -> None:
    errors: dict[str, list[str]] = {}
    definition = defs.BY_KEY.get(metric)
    if definition is None:
        errors["metric"] = [_("Choose one of the metrics.")]
    if comparison not in GoalComparison.values:
        errors["comparison"] = [_("Choose “at least” or “at most”.")]
    if target is None:
        errors["target"] = [_("Give the target figure.")]
    elif definition is not None:
        low, high = TARGET_RANGES[definition.unit]
        if not low <= float(target) <= high:
            errors["target"] = [_("For this metric the target lies between %(low)s and "
                                  "%(high)s.") % {"low": low, "high": high}]
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = [_("The period ends before it starts.")]
        elif ends_on - starts_on > timedelta(days=MAX_PERIOD_DAYS):
            errors["ends_on"] = [_("A goal covers at most five years.")]
    if team is not None and team.organization_id != organization.pk:
        errors["team"] = [_("Choose a team of this organisation.")]
    if errors:
        raise ValidationError(errors)


FIELDS = ("metric", "comparison", "target", "starts_on", "ends_on", "team", "note")


@transaction.atomic
def goal_create(*, organization: Organization, actor: Membership, metric: str,
                comparison: str, target: float, starts_on: date, ends_on: date,
                team: Team | None = None, note: str = "") -> MetricGoal:
    require_goal_setter(actor)
    validate(organization=organization, metric=metric, comparison=comparison, target=target,
             starts_on=starts_on, ends_on=ends_on, team=team)
    goal = MetricGoal.objects.for_org(organization).create(
        organization=organization, metric=metric, comparison=comparison, target=float(target),
        starts_on=starts_on, ends_on=ends_on, team=team, note=note.strip(), created_by=actor)
    audit(organization=organization, actor=actor, action="metrics.goal_set", goal=goal.pk,
          metric=metric, target=goal.target)
    return goal


@transaction.atomic
def goal_update(*, organization: Organization, actor: Membership, goal: MetricGoal,
                **changes) -> MetricGoal:
    require_goal_setter(actor)
    values = {name: changes.get(name, getattr(goal, name)) for name in FIELDS}
    validate(organization=organization, metric=values["metric"],
             comparison=values["comparison"], target=values["target"],
             starts_on=values["starts_on"], ends_on=values["ends_on"], team=values["team"])
    for name, value in values.items():
        setattr(goal, name, value)
    goal.target = float(goal.target)
    goal.note = (goal.note or "").strip()
    goal.save()
    audit(organization=organization, actor=actor, action="metrics.goal_changed", goal=goal.pk,
          metric=goal.metric, target=goal.target)
    return goal


@transaction.atomic
def goal_delete(*, organization: Organization, actor: Membership, goal: MetricGoal) -> None:
    require_goal_setter(actor)
    audit(organization=organization, actor=actor, action="metrics.goal_deleted", goal=goal.pk,
          metric=goal.metric)
    goal.delete()
