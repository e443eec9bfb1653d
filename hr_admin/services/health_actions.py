"""The health-check action plan: leaders turn recommended strategies into actions.

HR admins and leaders create, change, complete and delete actions; each has a title, notes, an
owner (any active member), a due date and a done flag, and may point at the survey, dimension
and strategy it came from. An owner sees the actions they own on their home page and may mark
them done; they are told in-app when an action is given to them. Every change is audit-logged.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.services.feedback import require_active_member
from conversations.services.notifications import notification_create
from organizations.models import Membership, Organization
from organizations.services import audit

from .. import health_content as content
from ..models import HealthAction, Survey
from .health_quick import assesses_health

TITLE_MAX_LENGTH = HealthAction._meta.get_field("title").max_length
NOTES_MAX_LENGTH = HealthAction._meta.get_field("notes").max_length


# --- Access -------------------------------------------------------------------------------------


def access_action_by_id(*, membership: Membership, health_action_id,
                        owner_may: bool = False) -> HealthAction:
    """An action of the caller's organisation, for HR admins and leaders (and, with
    ``owner_may``, for its owner). Absent, another organisation's, or not the caller's to see:
    ``Http404`` alike."""
    try:
        pk = int(health_action_id)
    except (TypeError, ValueError):
        raise Http404 from None
    action = (HealthAction.objects.for_org(membership.organization_id).filter(pk=pk)
              .select_related("owner__user", "survey").first())
    if action is None:
        raise Http404
    if assesses_health(membership) or (owner_may and action.owner_id == membership.pk):
        return action
    raise Http404


# --- Reads --------------------------------------------------------------------------------------


def action_list(*, organization: Organization) -> QuerySet[HealthAction]:
    return (HealthAction.objects.for_org(organization)
            .select_related("owner__user", "survey").order_by("is_done", "due_on", "pk"))


def actions_owned(*, organization: Organization, member: Membership,
                  limit: int = 5) -> list[HealthAction]:
    return list(HealthAction.objects.for_org(organization).filter(owner=member, is_done=False)
                .order_by("due_on", "pk")[:limit])


def is_overdue(action: HealthAction, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(action.due_on and not action.is_done and action.due_on < today)


def grouped(actions: list[HealthAction]) -> list[dict]:
    """Actions by dimension in the shipped order, then those without a dimension."""
    today = timezone.localdate()
    for action in actions:
        action.overdue = is_overdue(action, today)
        action.strategy_title = next(
            (str(s.title) for s in content.STRATEGIES if s.key == action.strategy), "")
    groups = []
    for dimension in [*content.DIMENSIONS, None]:
        key = dimension.key if dimension else ""
        rows = [a for a in actions if (a.dimension or "") == key
                or (dimension is None and a.dimension not in content.DIMENSION_KEYS
                    and a.dimension)]
        if rows:
            groups.append({"dimension": dimension, "actions": rows,
                           "open": sum(1 for a in rows if not a.is_done),
                           "overdue": sum(1 for a in rows if a.overdue)})
    return groups


# --- Writes -------------------------------------------------------------------------------------


def _require_lead(organization: Organization, actor: Membership) -> None:
    require_active_member(organization, actor)
    if not assesses_health(actor):
        raise PermissionDenied(_("Only HR admins and leaders run the action plan."))


def _check(organization: Organization, *, title: str, notes: str, owner: Membership | None,
           previous_owner_id: int | None, survey: Survey | None, dimension: str,
           strategy: str) -> tuple[str, str, dict]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    notes = (notes or "").replace("\r\n", "\n").strip()
    if not title:
        errors["title"] = _("Say what will be done.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep this under %(limit)s characters (it has %(count)s).") % {
            "limit": TITLE_MAX_LENGTH, "count": len(title)}
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = _("Keep this under %(limit)s characters (it has %(count)s).") % {
            "limit": f"{NOTES_MAX_LENGTH:,}", "count": f"{len(notes):,}"}
    if owner is not None:
        if owner.organization_id != organization.pk:
            errors["owner"] = _("Choose a member of your organisation.")
        elif not owner.is_active and owner.pk != previous_owner_id:
            errors["owner"] = _("%(name)s is no longer an active member.") % {
                "name": owner.display_name}
    if survey is not None and survey.organization_id != organization.pk:
        errors["survey"] = _("Choose one of your organisation's health checks.")
    if dimension and dimension not in content.DIMENSION_KEYS:
        errors["dimension"] = _("Choose one of the health-check dimensions.")
    if strategy:
        known = {s.key: s.dimension for s in content.STRATEGIES}
        if strategy not in known or (dimension and known[strategy] != dimension):
            errors["strategy"] = _("Choose a strategy of that dimension.")
    return title, notes, errors


def _notify_owner(organization: Organization, action: HealthAction, actor: Membership) -> None:
    if action.owner is None or action.owner_id == actor.pk or not action.owner.is_active:
        return
    title = action.title
    notification_create(
        organization=organization, recipient=action.owner, kind="people",
        title=lambda: _("A health-check action is yours: %(title)s") % {"title": title},
        body=lambda: (_("%(name)s gave you this action, due %(due)s.") % {
            "name": actor.display_name, "due": action.due_on.isoformat()}
            if action.due_on else _("%(name)s gave you this action.") % {
                "name": actor.display_name}),
        url=reverse("organizations:home", kwargs={"org_slug": organization.slug}))


@transaction.atomic
def health_action_create(*, organization: Organization, actor: Membership, title: str,
                         notes: str = "", owner: Membership | None = None,
                         due_on: date | None = None, survey: Survey | None = None,
                         dimension: str = "", strategy: str = "") -> HealthAction:
    """A new action of the plan (HR admins and leaders); its owner is told."""
    _require_lead(organization, actor)
    title, notes, errors = _check(organization, title=title, notes=notes, owner=owner,
                                  previous_owner_id=None, survey=survey,
                                  dimension=dimension or "", strategy=strategy or "")
    if errors:
        raise ValidationError(errors)
    action = HealthAction(organization=organization, title=title, notes=notes, owner=owner,
                          due_on=due_on, survey=survey, dimension=dimension or "",
                          strategy=strategy or "", created_by=actor)
    action.full_clean()
    action.save()
    audit(organization=organization, actor=actor, action="hr.health_action_created",
          subject=owner, health_action_id=action.pk)
    _notify_owner(organization, action, actor)
    return action


@transaction.atomic
def health_action_update(*, organization: Organization, actor: Membership,
                         action: HealthAction, title: str, notes: str = "",
                         owner: Membership | None = None, due_on: date | None = None,
                         dimension: str | None = None, strategy: str | None = None,
                         is_done: bool | None = None) -> HealthAction:
    """Change an action; a new owner is told."""
    _require_lead(organization, actor)
    if action.organization_id != organization.pk:
        raise Http404
    dimension = action.dimension if dimension is None else dimension
    strategy = action.strategy if strategy is None else strategy
    title, notes, errors = _check(organization, title=title, notes=notes, owner=owner,
                                  previous_owner_id=action.owner_id, survey=action.survey,
                                  dimension=dimension, strategy=strategy)
    if errors:
        raise ValidationError(errors)
    new_owner = owner is not None and owner.pk != action.owner_id
    action.title, action.notes, action.owner, action.due_on = title, notes, owner, due_on
    action.dimension, action.strategy = dimension, strategy
    if is_done is not None:
        action.is_done = is_done
    action.full_clean()
    action.save()
    audit(organization=organization, actor=actor, action="hr.health_action_updated",
          subject=owner, health_action_id=action.pk)
    if new_owner:
        _notify_owner(organization, action, actor)
    return action


@transaction.atomic
def health_action_set_done(*, organization: Organization, actor: Membership,
                           action: HealthAction, is_done: bool) -> HealthAction:
    """Mark an action done or open again (HR admins, leaders, and its owner)."""
    require_active_member(organization, actor)
    if action.organization_id != organization.pk:
        raise Http404
    if not (assesses_health(actor) or action.owner_id == actor.pk):
        raise PermissionDenied(_("Only HR admins, leaders and its owner complete an action."))
    action.is_done = bool(is_done)
    action.save(update_fields=["is_done"])
    audit(organization=organization, actor=actor, action="hr.health_action_done"
          if is_done else "hr.health_action_reopened", health_action_id=action.pk)
    return action


@transaction.atomic
def health_action_delete(*, organization: Organization, actor: Membership,
                         action: HealthAction) -> None:
    _require_lead(organization, actor)
    if action.organization_id != organization.pk:
        raise Http404
    audit(organization=organization, actor=actor, action="hr.health_action_deleted",
          health_action_id=action.pk, title=action.title)
    action.delete()

