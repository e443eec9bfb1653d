"""Succession planning: key positions and the successors nominated for them.

HR "also owns succession planning". HR admins and leaders create, edit and retire key positions
(a role profile, an optional title, a team, the incumbent, how critical it is) and nominate
anyone active as a successor. A manager nominates people in their reporting line (at any depth:
a skip-level manager knows their people too) and changes or withdraws only the nominations they
wrote. Nobody nominates themselves, nor the incumbent of the position. Nominations are never
shown to the nominee (see ``access_succession``).

Every problem is reported at once, by field; every change is audit-logged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from conversations.services.feedback import require_active_member
from organizations import tenancy
from organizations.access import is_in_reporting_line
from organizations.models import Membership, Organization, Team
from organizations.services import audit
from skills.models import RoleProfile

from ..access_succession import plans_succession
from ..models import Criticality, KeyPosition, Readiness, SuccessorNomination

TITLE_MAX_LENGTH = KeyPosition._meta.get_field("title").max_length
NOTES_MAX_LENGTH = KeyPosition._meta.get_field("notes").max_length
NOMINATION_NOTES_MAX_LENGTH = SuccessorNomination._meta.get_field("notes").max_length


def _require_planner(organization: Organization, actor: Membership) -> None:
    require_active_member(organization, actor)
    if not plans_succession(actor):
        raise PermissionDenied(_("Only HR admins and leaders shape succession plans."))


def _text(value: str | None, *, field: str, max_length: int, errors: dict) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > max_length:
        errors[field] = _("Keep this under %(limit)s characters (it has %(count)s).") % {
            "limit": f"{max_length:,}", "count": f"{len(text):,}"}
    return text


# --- Key positions ------------------------------------------------------------------------------


def _check_position(organization: Organization, *, role: RoleProfile | None,
                    previous_role_id: int | None, team: Team | None,
                    incumbent: Membership | None, previous_incumbent_id: int | None,
                    criticality: str, errors: dict) -> None:
    if role is None or role.organization_id != organization.pk:
        errors["role"] = _("Choose the role profile of this position.")
    elif not role.is_active and role.pk != previous_role_id:
        errors["role"] = _("“%(role)s” is no longer in use: choose a current role profile.") % {
            "role": role.title}
    if team is not None and team.organization_id != organization.pk:
        errors["team"] = _("Choose one of your organisation's teams.")
    if incumbent is not None:
        if incumbent.organization_id != organization.pk:
            errors["incumbent"] = _("Choose a member of your organisation.")
        elif not incumbent.is_active and incumbent.pk != previous_incumbent_id:
            errors["incumbent"] = _("%(name)s is no longer an active member.") % {
                "name": incumbent.display_name}
    if criticality not in Criticality.values:
        errors["criticality"] = _("Choose how critical the position is.")


@transaction.atomic
def key_position_create(*, organization: Organization, actor: Membership,
                        role: RoleProfile | None, title: str = "", team: Team | None = None,
                        incumbent: Membership | None = None,
                        criticality: str = Criticality.HIGH, notes: str = "") -> KeyPosition:
    """A new key position (HR admins and leaders)."""
    _require_planner(organization, actor)
    errors: dict[str, str] = {}
    title = _text(title, field="title", max_length=TITLE_MAX_LENGTH, errors=errors)
    notes = _text(notes, field="notes", max_length=NOTES_MAX_LENGTH, errors=errors)
    _check_position(organization, role=role, previous_role_id=None, team=team,
                    incumbent=incumbent, previous_incumbent_id=None, criticality=criticality,
                    errors=errors)
    if errors:
        raise ValidationError(errors)
    position = KeyPosition(organization=organization, role=role, title=title, team=team,
                           incumbent=incumbent, criticality=criticality, notes=notes,
                           created_by=actor)
    with tenancy.organization_scope(organization):
        position.full_clean()
    position.save()
    audit(organization=organization, actor=actor, action="hr.key_position_created",
          subject=incumbent, position_id=position.pk, criticality=criticality)
    return position


@transaction.atomic
def key_position_update(*, organization: Organization, actor: Membership,
                        position: KeyPosition, role: RoleProfile | None, title: str = "",
                        team: Team | None = None, incumbent: Membership | None = None,
                        criticality: str = Criticality.HIGH, notes: str = "") -> KeyPosition:
    """Change a position's role, name, team, incumbent, criticality or notes. A role profile or
    an incumbent it already had stays acceptable after being retired or leaving."""
    _require_planner(organization, actor)
    if position.organization_id != organization.pk:
        raise PermissionDenied(_("This position is not part of this organisation."))
    errors: dict[str, str] = {}
    title = _text(title, field="title", max_length=TITLE_MAX_LENGTH, errors=errors)
    notes = _text(notes, field="notes", max_length=NOTES_MAX_LENGTH, errors=errors)
    _check_position(organization, role=role, previous_role_id=position.role_id, team=team,
                    incumbent=incumbent, previous_incumbent_id=position.incumbent_id,
                    criticality=criticality, errors=errors)
    if incumbent is not None and "incumbent" not in errors and SuccessorNomination.objects.for_org(
            organization).filter(position=position, candidate=incumbent).exists():
        errors["incumbent"] = _("%(name)s is nominated as a successor of this position: remove "
                                "that nomination first.") % {"name": incumbent.display_name}
    if errors:
        raise ValidationError(errors)
    before = {"role": position.role_id, "title": position.title, "team": position.team_id,
              "incumbent": position.incumbent_id, "criticality": position.criticality,
              "notes": position.notes}
    after = {"role": role.pk, "title": title, "team": team.pk if team else None,
             "incumbent": incumbent.pk if incumbent else None, "criticality": criticality,
             "notes": notes}
    changed = sorted(name for name in after if after[name] != before[name])
    position.role, position.title, position.team = role, title, team
    position.incumbent, position.criticality, position.notes = incumbent, criticality, notes
    with tenancy.organization_scope(organization):
        # Who created it may since have left (SET_NULL): that is no error in the edit.
        position.full_clean(exclude=["created_by"])
    position.save()
    if changed:
        audit(organization=organization, actor=actor, action="hr.key_position_updated",
              subject=incumbent, position_id=position.pk, fields=changed)
    return position


@transaction.atomic
def key_position_set_active(*, organization: Organization, actor: Membership,
                            position: KeyPosition, is_active: bool) -> KeyPosition:
    """Retire a position that is no longer key (its nominations are kept, out of the
    overview), or bring it back."""
    _require_planner(organization, actor)
    if position.organization_id != organization.pk:
        raise PermissionDenied(_("This position is not part of this organisation."))
    if position.is_active == is_active:
        return position
    position.is_active = is_active
    position.save(update_fields=["is_active"])
    audit(organization=organization, actor=actor,
          action="hr.key_position_restored" if is_active else "hr.key_position_retired",
          position_id=position.pk)
    return position


# --- Nominations --------------------------------------------------------------------------------


def _check_candidate(organization: Organization, actor: Membership, position: KeyPosition | None,
                     candidate: Membership | None) -> str | None:
    if candidate is None or candidate.organization_id != organization.pk:
        return _("Choose the person you nominate.")
    if candidate.pk == actor.pk:
        return _("You cannot nominate yourself: ask your own manager or HR.")
    if not candidate.is_active:
        return _("%(name)s is no longer an active member.") % {"name": candidate.display_name}
    if position is not None and candidate.pk == position.incumbent_id:
        return _("%(name)s holds this position: choose someone who could succeed them.") % {
            "name": candidate.display_name}
    if not plans_succession(actor) and not is_in_reporting_line(manager=actor, member=candidate):
        return _("You can nominate people in your reporting line; %(name)s is not in yours.") % {
            "name": candidate.display_name}
    return None


def _manages_someone(organization: Organization, actor: Membership) -> bool:
    if getattr(actor, "is_manager", None) is not None:
        return bool(actor.is_manager)
    return Membership.objects.for_org(organization).filter(manager=actor, is_active=True).exists()


def _check_readiness(readiness: str, errors: dict) -> None:
    if readiness not in Readiness.values:
        errors["readiness"] = _("Choose when they could step in: ready now, in 1–2 years or "  # noqa: RUF001
                                "in 3 years or more.")


@transaction.atomic
def successor_nominate(*, organization: Organization, actor: Membership,
                       position: KeyPosition | None, candidate: Membership | None,
                       readiness: str, notes: str = "") -> SuccessorNomination:
    """Nominate ``candidate`` as a successor of ``position``.

    HR admins and leaders nominate any active member; a manager, the active members of their
    reporting line. A person already on the position's plan is refused: the message says only
    that, never who nominated them or how ready they were judged.
    """
    require_active_member(organization, actor)
    if not (plans_succession(actor) or _manages_someone(organization, actor)):
        raise PermissionDenied(_("Successors are nominated by managers, HR and leaders."))
    errors: dict[str, str] = {}
    if position is None or position.organization_id != organization.pk:
        errors["position"] = _("Choose the key position.")
        position = None
    elif not position.is_active:
        errors["position"] = _("This position has been retired from succession planning.")
    candidate_error = _check_candidate(organization, actor, position, candidate)
    if candidate_error:
        errors["candidate"] = candidate_error
    _check_readiness(readiness, errors)
    notes = _text(notes, field="notes", max_length=NOMINATION_NOTES_MAX_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    if SuccessorNomination.objects.for_org(organization).filter(
            position=position, candidate=candidate).exists():
        raise ValidationError({"candidate": _(
            "%(name)s is already on this position's succession plan.") % {
            "name": candidate.display_name}})
    nomination = SuccessorNomination(organization=organization, position=position,
                                     candidate=candidate, readiness=readiness, notes=notes,
                                     nominated_by=actor)
    with tenancy.organization_scope(organization):
        nomination.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError({"candidate": _(
            "%(name)s is already on this position's succession plan.") % {
            "name": candidate.display_name}}) from None
    audit(organization=organization, actor=actor, action="hr.successor_nominated",
          subject=candidate, position_id=position.pk, nomination_id=nomination.pk,
          readiness=readiness)
    return nomination


def can_change_nomination(*, actor: Membership, nomination: SuccessorNomination) -> bool:
    """Planners change any nomination (but one about themselves); others, what they wrote."""
    if nomination.organization_id != actor.organization_id:
        return False
    if nomination.candidate_id == actor.pk:
        return False
    return plans_succession(actor) or nomination.nominated_by_id == actor.pk


@transaction.atomic
def successor_nomination_update(*, organization: Organization, actor: Membership,
                                nomination: SuccessorNomination, readiness: str,
                                notes: str = "") -> SuccessorNomination:
    """Change how ready a successor is judged, and the notes."""
    require_active_member(organization, actor)
    if not can_change_nomination(actor=actor, nomination=nomination):
        raise PermissionDenied(_("Only the person who nominated them, HR or a leader can change "
                                 "this nomination."))
    errors: dict[str, str] = {}
    _check_readiness(readiness, errors)
    notes = _text(notes, field="notes", max_length=NOMINATION_NOTES_MAX_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    before = nomination.readiness
    nomination.readiness, nomination.notes = readiness, notes
    nomination.save(update_fields=["readiness", "notes", "updated_at"])
    audit(organization=organization, actor=actor, action="hr.successor_updated",
          subject=nomination.candidate, nomination_id=nomination.pk,
          position_id=nomination.position_id, readiness=readiness, previous_readiness=before)
    return nomination


@transaction.atomic
def successor_nomination_delete(*, organization: Organization, actor: Membership,
                                nomination: SuccessorNomination) -> None:
    """Take a successor off a position's plan."""
    require_active_member(organization, actor)
    if not can_change_nomination(actor=actor, nomination=nomination):
        raise PermissionDenied(_("Only the person who nominated them, HR or a leader can remove "
                                 "this nomination."))
    audit(organization=organization, actor=actor, action="hr.successor_removed",
          subject=nomination.candidate, nomination_id=nomination.pk,
          position_id=nomination.position_id)
    nomination.delete()
