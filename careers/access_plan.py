"""Turning an id from a request into one of the caller's own goals, options, criteria or actions.

Security invariant shared by every function here: the lookup is filtered on the caller's
organisation AND on the caller being the row's member, so another organisation's id, a
colleague's id (their manager's, HR's and a leader's included), an absent id and a malformed id
are all the same ``Http404``. These rows are only ever opened by their owner: a manager sees
what the member shared through ``selectors.plan.plan_shared_with_manager``, never through an id.
"""

from __future__ import annotations

from django.http import Http404

from organizations.models import Membership
from skills.access import access_resource_by_id
from skills.models import LearningResource

from .models import CareerGoal, CareerOption, DevelopmentAction, OptionCriterion
from .selectors import plan as selectors


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _found(obj):
    if obj is None:
        raise Http404
    return obj


def access_goal_by_id(*, membership: Membership, goal_id) -> CareerGoal:
    return _found(selectors.goal_get(organization=membership.organization_id, member=membership,
                                     goal_id=_as_id(goal_id)))


def access_option_by_id(*, membership: Membership, option_id) -> CareerOption:
    """The caller's option with its ratings and score (see ``selectors.plan.option_list``)."""
    return _found(selectors.option_get(organization=membership.organization_id,
                                       member=membership, option_id=_as_id(option_id)))


def access_criterion_by_id(*, membership: Membership, criterion_id) -> OptionCriterion:
    return _found(selectors.criterion_get(organization=membership.organization_id,
                                          member=membership, criterion_id=_as_id(criterion_id)))


def access_action_by_id(*, membership: Membership, action_id) -> DevelopmentAction:
    return _found(selectors.action_get(organization=membership.organization_id,
                                       member=membership, action_id=_as_id(action_id)))


def access_plan_resource_by_id(*, membership: Membership, resource_id) -> LearningResource:
    """A learning resource of the caller's organisation (any member may plan to use one)."""
    return access_resource_by_id(membership=membership, resource_id=resource_id)
