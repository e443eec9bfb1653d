"""Career moves: every change of a member's role profile, grade or team, their hire and exit.

Moves are written here only. Changes made elsewhere (a profile edit, a role set from the skills
pages, an invitation accepted, a deactivation) arrive through ``member_placement_changed`` and
are classified by ``move_kind``; the import, opportunities and recommendations call
``move_record`` directly, and the import writes many at once with ``moves_bulk_create``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.models import Membership, Organization, Team
from organizations.services import audit
from skills.models import CareerPath, MemberRole, PathKind, RoleProfile

from ..models import Move, MoveKind, MoveSource

SOURCES = {
    "profile": MoveSource.PROFILE,
    "invitation": MoveSource.PROFILE,
    "deactivation": MoveSource.PROFILE,
    "import": MoveSource.IMPORT,
    "opportunity": MoveSource.OPPORTUNITY,
    "recommendation": MoveSource.RECOMMENDATION,
    "manual": MoveSource.MANUAL,
    "demo": MoveSource.DEMO,
}


@dataclass(frozen=True)
class Placement:
    """Where a member sits: their team and role profile (the grade comes with the role)."""

    team_id: int | None = None
    role_id: int | None = None


def grade_rank(grade: str) -> int | None:
    """The number in a grade ("E3" → 3, "Band 12" → 12), or None when it has none."""
    found = re.findall(r"\d+", grade or "")
    return int(found[-1]) if found else None


def root_team_id(team: Team | None, teams: dict[int, Team] | None = None) -> int | None:
    """The top of ``team``'s branch: the function a team belongs to."""
    seen: set[int] = set()
    node = team
    while node is not None and node.parent_id and node.pk not in seen:
        seen.add(node.pk)
        node = teams.get(node.parent_id) if teams is not None else node.parent
    return node.pk if node is not None else None


def move_kind(*, from_role: RoleProfile | None, to_role: RoleProfile | None,
              from_root_team_id: int | None, to_root_team_id: int | None,
              path_kind: str | None = None) -> str:
    """Classify a change of role and/or team.

    A career path between the two roles says what the move is. Otherwise a higher grade number
    is a promotion; another job family, or (with the role unchanged) another branch of the team
    tree, is a cross-functional move; anything else is a lateral move.
    """
    if path_kind in PathKind.values:
        return path_kind
    if from_role is not None and to_role is not None and from_role.pk != to_role.pk:
        before, after = grade_rank(from_role.grade), grade_rank(to_role.grade)
        if before is not None and after is not None and after > before:
            return MoveKind.PROMOTION
        if from_role.family and to_role.family and \
                from_role.family.casefold() != to_role.family.casefold():
            return MoveKind.CROSS_FUNCTIONAL
        return MoveKind.LATERAL
    if (from_root_team_id and to_root_team_id and from_root_team_id != to_root_team_id):
        return MoveKind.CROSS_FUNCTIONAL
    return MoveKind.LATERAL


def _path_kind(organization: Organization, from_role: RoleProfile | None,
               to_role: RoleProfile | None) -> str | None:
    if from_role is None or to_role is None or from_role.pk == to_role.pk:
        return None
    return (CareerPath.objects.for_org(organization)
            .filter(from_role=from_role, to_role=to_role)
            .values_list("kind", flat=True).first())


def current_placement(*, organization: Organization, member: Membership) -> Placement:
    role_id = (MemberRole.objects.for_org(organization).filter(member=member)
               .values_list("role_id", flat=True).first())
    return Placement(team_id=member.team_id, role_id=role_id)


def _role(organization: Organization, role_id: int | None) -> RoleProfile | None:
    if role_id is None:
        return None
    return RoleProfile.objects.for_org(organization).filter(pk=role_id).first()


def _team(organization: Organization, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    return Team.objects.for_org(organization).filter(pk=team_id).first()


@transaction.atomic
def move_record(*, organization: Organization, actor: Membership | None, member: Membership,
                before: Placement, after: Placement, kind: str | None = None,
                effective_on: date | None = None, source: str = MoveSource.MANUAL,
                opportunity=None, recommendation=None,
                is_internal_fill: bool = False) -> Move | None:
    """Record that ``member`` moved from ``before`` to ``after`` (kind classified when not
    given). Nothing is recorded when nothing changed, unless ``kind`` is given (a hire, an exit
    or a gig changes no placement)."""
    if member.organization_id != organization.pk:
        raise PermissionDenied(_("This person is not a member of this organisation."))
    if kind is None and before == after:
        return None
    from_role, to_role = _role(organization, before.role_id), _role(organization, after.role_id)
    from_team, to_team = _team(organization, before.team_id), _team(organization, after.team_id)
    if kind is None:
        kind = move_kind(from_role=from_role, to_role=to_role,
                         from_root_team_id=root_team_id(from_team),
                         to_root_team_id=root_team_id(to_team),
                         path_kind=_path_kind(organization, from_role, to_role))
    move = Move(
        organization=organization, member=member, kind=kind,
        effective_on=effective_on or timezone.localdate(),
        from_role=from_role, to_role=to_role,
        from_grade=from_role.grade if from_role else "",
        to_grade=to_role.grade if to_role else "",
        from_team=from_team, to_team=to_team, source=SOURCES.get(source, source),
        opportunity=opportunity, recommendation=recommendation,
        is_internal_fill=is_internal_fill, recorded_by=actor,
    )
    with tenancy.organization_scope(organization):
        move.full_clean()
    move.save()
    audit(organization=organization, actor=actor, action="hr.move_recorded", subject=member,
          move_id=move.pk, kind=kind)
    return move


def moves_bulk_create(*, organization: Organization, moves: Iterable[Move]) -> int:
    """Write many already-classified moves at once (the people import). Returns how many."""
    rows = []
    for move in moves:
        move.organization = organization
        rows.append(move)
    Move.objects.for_org(organization).bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def move_delete(*, organization: Organization, actor: Membership, move: Move) -> None:
    """HR removes a move recorded in error."""
    if not actor.is_hr_admin:
        raise PermissionDenied(_("Only HR can remove a recorded move."))
    if move.organization_id != organization.pk:
        raise PermissionDenied(_("This move is not part of this organisation."))
    audit(organization=organization, actor=actor, action="hr.move_deleted",
          subject=move.member, move_id=move.pk, kind=move.kind)
    move.delete()


_suppressed: ContextVar[bool] = ContextVar("hr_admin_moves_suppressed", default=False)


@contextmanager
def placement_moves_suppressed() -> Iterator[None]:
    """Within this block, changes announced by ``member_placement_changed`` record no move: the
    caller (an opportunity filled, a recommendation accepted) records a fuller one itself."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def placement_changed(sender, *, organization, member, actor, before, after, source,
                      effective_on=None, **kwargs) -> None:
    """``member_placement_changed`` receiver: a join is a hire, a deactivation an exit, a
    change of team or role a move of the kind ``move_kind`` finds."""
    if _suppressed.get():
        return
    if before.get("is_active") is False and after.get("is_active") is True:
        here = current_placement(organization=organization, member=member)
        move_record(organization=organization, actor=actor, member=member,
                    before=Placement(), after=here, kind=MoveKind.HIRE,
                    effective_on=effective_on or member.started_on, source=source)
        return
    if before.get("is_active") is True and after.get("is_active") is False:
        here = current_placement(organization=organization, member=member)
        move_record(organization=organization, actor=actor, member=member, before=here,
                    after=Placement(), kind=MoveKind.EXIT, effective_on=effective_on,
                    source=source)
        return
    here = current_placement(organization=organization, member=member)
    old = Placement(team_id=before.get("team_id", here.team_id),
                    role_id=before.get("role_id", here.role_id))
    new = Placement(team_id=after.get("team_id", here.team_id),
                    role_id=after.get("role_id", here.role_id))
    if old.role_id is None and new.role_id is not None and old.team_id == new.team_id:
        # A first role profile given to someone who had none describes them; it moves nothing.
        return
    if new.role_id is None and old.role_id is not None and old.team_id == new.team_id:
        return
    move_record(organization=organization, actor=actor, member=member, before=old, after=new,
                effective_on=effective_on, source=source)


def validate_effective_on(value: date | None) -> date:
    if value is None:
        return timezone.localdate()
    if value > timezone.localdate():
        raise ValidationError({"effective_on": _("A move is recorded once it has happened; "
                                                 "choose today or an earlier date.")})
    return value
