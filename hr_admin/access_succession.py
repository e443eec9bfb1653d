"""Who may see succession plans, and turning ids from a request into positions and nominations.

Privacy, following DESIGN.md ("succession nominations: owner no, their manager the ones they
wrote, HR yes, leader yes"):

* HR admins and leaders are the *planners*: they see every key position, its incumbent, its
  criticality and its bench, and every nomination except one about themselves;
* a manager (a member with active reports) may nominate people in their reporting line and sees
  only the nominations they wrote: never another manager's, never a position's bench;
* anyone else, employees included, sees nothing: every succession page and endpoint is 404.

The nominee never sees a nomination about them, whatever their role, so an HR admin or a leader
who is nominated does not see that nomination (and their bench counts leave it out).
"""

from __future__ import annotations

from django.http import Http404

from organizations.models import Membership

from .models import KeyPosition, SuccessorNomination


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def plans_succession(membership: Membership) -> bool:
    """HR admins and leaders read and shape every succession plan."""
    return bool(membership.is_hr_admin or membership.is_leader)


def may_nominate(membership: Membership) -> bool:
    """Planners, and managers for the people in their reporting line."""
    return plans_succession(membership) or bool(getattr(membership, "is_manager", False))


def has_nominated(membership: Membership) -> bool:
    """A former manager still follows (and may withdraw) what they wrote."""
    return (SuccessorNomination.objects.for_org(membership.organization_id)
            .filter(nominated_by=membership).exists())


def require_planner(membership: Membership) -> None:
    """HR admins and leaders only; for anyone else the page does not exist (``Http404``)."""
    if not plans_succession(membership):
        raise Http404


def require_succession_access(membership: Membership) -> None:
    """Planners, managers and anyone who once nominated; ``Http404`` for everyone else."""
    if may_nominate(membership) or has_nominated(membership):
        return
    raise Http404


def access_position_by_id(*, membership: Membership, position_id) -> KeyPosition:
    """A key position with its role, team and incumbent, for a planner.

    Security invariant: looked up within the caller's organisation; only HR admins and leaders
    read a position (its incumbent, criticality and bench). For a manager, an employee, a
    foreign, absent or malformed id: the same ``Http404``.
    """
    position_id = _as_id(position_id)
    if not plans_succession(membership):
        raise Http404
    position = (KeyPosition.objects.for_org(membership.organization_id)
                .select_related("role", "team", "incumbent__user", "incumbent__team",
                                "created_by__user")
                .filter(pk=position_id).first())
    if position is None:
        raise Http404
    return position


def can_read_nomination(*, viewer: Membership, nomination: SuccessorNomination) -> bool:
    if viewer.organization_id != nomination.organization_id:
        return False
    if nomination.candidate_id == viewer.pk:
        return False
    return plans_succession(viewer) or nomination.nominated_by_id == viewer.pk


def access_nomination_by_id(*, membership: Membership, nomination_id) -> SuccessorNomination:
    """A successor nomination the caller may read (and so change or withdraw).

    Security invariant: looked up within the caller's organisation; readable by HR admins and
    leaders and by the member who wrote it, never by the nominee. For anyone else (another
    manager included) and for an absent, foreign or malformed id: the same ``Http404``, so that
    no one learns that a nomination exists.
    """
    nomination_id = _as_id(nomination_id)
    nomination = (SuccessorNomination.objects.for_org(membership.organization_id)
                  .select_related("position__role", "position__team", "candidate__user",
                                  "candidate__team", "nominated_by__user")
                  .filter(pk=nomination_id).first())
    if nomination is None or not can_read_nomination(viewer=membership, nomination=nomination):
        raise Http404
    return nomination
