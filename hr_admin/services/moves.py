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
                is_internal_fill: bool = False, regretted: bool | None = None) -> Move | None:
    """Record that ``member`` moved from ``before`` to ``after`` (kind classified when not
    given). Nothing is recorded when nothing changed, unless ``kind`` is given (a hire, an exit
    or a gig changes no placement). ``regretted`` is for an exit only (``regretted_check``)."""
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
        is_internal_fill=is_internal_fill, regretted=regretted, recorded_by=actor,
    )
    with tenancy.organization_scope(organization):
        move.full_clean()
    move.save()
    audit(organization=organization, actor=actor, action="hr.move_recorded", subject=member,
          move_id=move.pk, kind=kind, **({} if regretted is None else {"regretted": regretted}))
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


def regretted_check(*, kind: str | None, regretted: bool | None) -> None:
    """Whether the organisation regrets a leaver is said of an exit only; for any other kind
    the mark stays "not known" (None)."""
    if regretted is not None and kind != MoveKind.EXIT:
        raise ValidationError({"regretted": _("Only an exit can be marked as a regretted "
                                              "leaver or not: leave it as “Not known”.")})


@transaction.atomic
def move_regretted_set(*, organization: Organization, actor: Membership, move: Move,
                       regretted: bool | None) -> Move:
    """HR says whether an exit was a regretted leaver (True), was not (False), or that it is
    not known (None). The mark is HR's judgement of the exit, not part of what happened, so it
    may change after the move is recorded; each change is audited."""
    if not actor.is_hr_admin or actor.organization_id != organization.pk:
        raise PermissionDenied(_("Only HR can mark a regretted leaver."))
    if move.organization_id != organization.pk:
        raise PermissionDenied(_("This move is not part of this organisation."))
    regretted_check(kind=move.kind, regretted=regretted)
    if move.regretted is not regretted:
        previous = move.regretted
        move.regretted = regretted
        move.save(update_fields=["regretted"])
        audit(organization=organization, actor=actor, action="hr.move_regretted_set",
              subject=move.member, move_id=move.pk, regretted=regretted, previous=previous)
    return move


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


# --- Recorded by hand ---------------------------------------------------------------------------

#: Kinds that change where a member sits, and so may update their profile.
PLACEMENT_KINDS = (MoveKind.PROMOTION, MoveKind.LATERAL, MoveKind.CROSS_FUNCTIONAL)


def role_since_align(*, organization: Organization, member: Membership,
                     effective_on: date) -> None:
    """A role profile given by a recorded move is held since the move's date, not since the
    day it was typed in."""
    MemberRole.objects.for_org(organization).filter(member=member).update(since=effective_on)


def _own_or_error(organization: Organization, value, field: str, message: str,
                  errors: dict) -> None:
    if value is not None and value.organization_id != organization.pk:
        errors[field] = message


@transaction.atomic
def move_record_by_hand(*, organization: Organization, actor: Membership, member: Membership,
                        kind: str | None, to_role: RoleProfile | None = None,
                        to_team: Team | None = None, from_role: RoleProfile | None = None,
                        from_team: Team | None = None, effective_on: date | None = None,
                        update_profile: bool = True, regretted: bool | None = None) -> Move:
    """HR records a move that Trellis did not see happen, or records again one deleted in error.

    ``kind`` None works the kind out from the roles and teams (``move_kind``). Where they moved
    from defaults to the member's current role profile and team when neither is given. What
    each kind means:

    * a promotion, lateral or cross-functional move changes the role profile or the team
      (``to_*`` left empty keep the ``from_*``); with ``update_profile`` the member's current
      role profile and team become the new ones, without recording a second move;
    * a hire places them from nowhere, once: a member whose hire is recorded is refused;
    * an exit takes them out, and only for a member already deactivated (deactivating records
      the exit itself); ``regretted`` says whether the organisation regrets the leaver (None:
      not known), and is refused for every other kind;
    * a project or gig changes no placement.

    The date is today or earlier, and not before the member started (but for a hire).
    """
    from skills.services.assessments import member_role_set

    if not actor.is_hr_admin or actor.organization_id != organization.pk:
        raise PermissionDenied(_("Only HR can record a move by hand."))
    errors: dict[str, str] = {}
    if member is None or member.organization_id != organization.pk:
        raise ValidationError({"member": _("Choose the person who moved.")})
    if kind not in (None, "", *MoveKind.values):
        errors["kind"] = _("Choose the kind of move, or let Trellis work it out.")
    kind = kind or None
    _own_or_error(organization, to_role, "to_role", _("Choose one of your role profiles."),
                  errors)
    _own_or_error(organization, from_role, "from_role", _("Choose one of your role profiles."),
                  errors)
    _own_or_error(organization, to_team, "to_team", _("Choose one of your teams."), errors)
    _own_or_error(organization, from_team, "from_team", _("Choose one of your teams."), errors)
    try:
        effective_on = validate_effective_on(effective_on)
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    here = current_placement(organization=organization, member=member)
    if from_role is None and from_team is None:
        before = here
    else:
        before = Placement(team_id=from_team.pk if from_team else None,
                           role_id=from_role.pk if from_role else None)
    after = Placement(team_id=to_team.pk if to_team else before.team_id,
                      role_id=to_role.pk if to_role else before.role_id)
    name = member.display_name
    if kind == MoveKind.HIRE:
        before = Placement()
        if Move.objects.for_org(organization).filter(member=member,
                                                     kind=MoveKind.HIRE).exists():
            errors["kind"] = _("%(name)s's hire is already recorded: delete it first to record "
                               "it again.") % {"name": name}
    elif kind == MoveKind.EXIT:
        after = Placement()
        if member.is_active:
            errors["kind"] = _("%(name)s is still active. Deactivate them from their profile: "
                               "that records their exit.") % {"name": name}
    elif kind == MoveKind.ASSIGNMENT:
        after = before
    elif before == after and "to_role" not in errors and "to_team" not in errors:
        errors["to_role"] = _("Choose the new role profile or team: as it stands, nothing "
                              "changes.")
    try:
        regretted_check(kind=kind, regretted=regretted)
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    if (kind != MoveKind.HIRE and "effective_on" not in errors and member.started_on
            and effective_on < member.started_on):
        errors["effective_on"] = _("%(name)s started on %(date)s: choose that day or later.") % {
            "name": name, "date": member.started_on.isoformat()}
    if to_role is not None and not to_role.is_active and update_profile and \
            kind not in (MoveKind.EXIT, MoveKind.ASSIGNMENT) and to_role.pk != here.role_id:
        errors["to_role"] = _("“%(role)s” is no longer in use: it cannot become their current "
                              "role profile.") % {"role": to_role.title}
    if errors:
        raise ValidationError(errors)
    if update_profile and member.is_active and kind not in (MoveKind.EXIT, MoveKind.ASSIGNMENT):
        with placement_moves_suppressed():
            if to_role is not None and to_role.pk != here.role_id:
                member_role_set(organization=organization, actor=actor, member=member,
                                role=to_role, source="manual")
                role_since_align(organization=organization, member=member,
                                 effective_on=effective_on)
            if to_team is not None and to_team.pk != here.team_id:
                from organizations.services import membership_update

                membership_update(membership=member, actor=actor, team=to_team)
    return move_record(organization=organization, actor=actor, member=member, before=before,
                       after=after, kind=kind, effective_on=effective_on,
                       source=MoveSource.MANUAL, regretted=regretted)
