"""HR decides a manager's recommendation from its queue and, accepting a promotion or a role,
can record the move in the same step.

The decision itself is ``conversations.services.recommendations.recommendation_decide`` (HR
admins only, never about themselves nor one they wrote, with a note the author reads). Recording
the move sets the member's role profile (``member_role_set``, with the automatic move suppressed)
and records one fuller move that names the recommendation, all in one transaction: a problem
with either the decision or the move leaves nothing written.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from conversations.models import Recommendation, RecommendationKind, RecommendationStatus
from conversations.services.recommendations import recommendation_decide
from organizations.models import Membership, Organization
from skills.models import RoleProfile
from skills.services.assessments import member_role_set

from ..models import Move, MoveKind, MoveSource
from . import moves

#: Recommendations whose acceptance can record a move (an opportunity is a text, not a role).
RECORDABLE_KINDS = (RecommendationKind.PROMOTION, RecommendationKind.ROLE)


DECISION_FIELDS = ("status", "decision_note", "decided_by", "decided_at")


def can_record_move(recommendation: Recommendation) -> bool:
    return recommendation.kind in RECORDABLE_KINDS


def _move_errors(organization: Organization, recommendation: Recommendation,
                 role: RoleProfile | None, effective_on: date | None,
                 current_role_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    member = recommendation.member
    if not can_record_move(recommendation):
        errors["record_move"] = _("Only a promotion or a role changes a role profile: record an "
                                  "opportunity's move from the moves page once it happens.")
        return errors
    if not member.is_active:
        errors["record_move"] = _("%(name)s is no longer an active member.") % {
            "name": member.display_name}
    if role is None:
        errors["role"] = _("Choose the role profile %(name)s moves to.") % {
            "name": member.display_name}
    elif role.organization_id != organization.pk:
        errors["role"] = _("Choose one of your organisation's role profiles.")
    elif not role.is_active:
        errors["role"] = _("“%(role)s” is no longer in use: choose a current role profile.") % {
            "role": role.title}
    elif role.pk == current_role_id:
        errors["role"] = _("%(name)s already holds “%(role)s”.") % {
            "name": member.display_name, "role": role.title}
    try:
        moves.validate_effective_on(effective_on)
    except ValidationError as e:
        errors["effective_on"] = e.message_dict["effective_on"][0]
    if "effective_on" not in errors and effective_on and member.started_on and \
            effective_on < member.started_on:
        errors["effective_on"] = _("%(name)s started on %(date)s: choose that day or later.") % {
            "name": member.display_name, "date": member.started_on.isoformat()}
    return errors


def record_move_problems(*, organization: Organization, recommendation: Recommendation,
                         role: RoleProfile | None, effective_on: date | None) -> dict[str, str]:
    """What stands in the way of recording the move (by field), without deciding anything: for
    a form that has other errors, so that every problem is shown at once."""
    here = moves.current_placement(organization=organization, member=recommendation.member)
    return _move_errors(organization, recommendation,
                        role if role is not None else recommendation.role, effective_on,
                        here.role_id)


@transaction.atomic
def recommendation_decide_with_move(*, organization: Organization, actor: Membership,
                                    recommendation: Recommendation, decision: str,
                                    decision_note: str, record_move: bool = False,
                                    effective_on: date | None = None,
                                    role: RoleProfile | None = None,
                                    ) -> tuple[Recommendation, Move | None]:
    """Decide ``recommendation``; when accepting with ``record_move``, also move the member to
    ``role`` (by default the recommended role profile) on ``effective_on`` (today by default).

    A promotion is recorded as a promotion; a role recommendation's move is classified like any
    other (promotion, lateral or cross-functional). Returns the decided recommendation and the
    move, or None.
    """
    record = bool(record_move) and decision == RecommendationStatus.ACCEPTED
    role = role if role is not None else recommendation.role
    effective_on = effective_on or None
    errors: dict[str, str] = {}
    here = None
    if record:
        here = moves.current_placement(organization=organization,
                                       member=recommendation.member)
        errors = _move_errors(organization, recommendation, role, effective_on, here.role_id)
    snapshot = {field: getattr(recommendation, field) for field in DECISION_FIELDS}
    try:
        recommendation_decide(organization=organization, actor=actor,
                              recommendation=recommendation, decision=decision,
                              decision_note=decision_note)
    except ValidationError as e:
        if not errors or not hasattr(e, "error_dict"):
            raise
        raise ValidationError({**{k: v[0] for k, v in e.message_dict.items()}, **errors}) \
            from None
    if errors:
        # The decision above rolls back with this transaction; so does the object in hand.
        for field, value in snapshot.items():
            setattr(recommendation, field, value)
        raise ValidationError(errors)
    if not record:
        return recommendation, None
    member = recommendation.member
    effective_on = moves.validate_effective_on(effective_on)
    with moves.placement_moves_suppressed():
        member_role_set(organization=organization, actor=actor, member=member, role=role,
                        source="recommendation")
    moves.role_since_align(organization=organization, member=member, effective_on=effective_on)
    move = moves.move_record(
        organization=organization, actor=actor, member=member, before=here,
        after=moves.Placement(team_id=here.team_id, role_id=role.pk),
        kind=MoveKind.PROMOTION if recommendation.kind == RecommendationKind.PROMOTION else None,
        effective_on=effective_on, recommendation=recommendation,
        source=MoveSource.RECOMMENDATION)
    return recommendation, move
