"""The member's career goals, options (weighed against their own criteria) and development plan.

Only the member writes their own goals, options, criteria and actions: every function takes the
acting membership and refuses (``PermissionDenied``) a row that belongs to someone else. Rows an
input names (a role profile, a skill, a learning resource, a criterion) must belong to the
organisation, else ``ValidationError`` on that field, so pages and the API show the message next
to what the member typed. Functions are keyword-only and atomic; nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import tenancy
from organizations.models import Membership, Organization
from skills.models import LearningResource, ResourceKind, RoleProfile, Skill

from ..models import (
    ActionKind,
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalHorizon,
    GoalStatus,
    OptionCriterion,
    OptionDecision,
    OptionRating,
)

#: What a member weighs options against until they write their own. Written in their language.
DEFAULT_CRITERIA: tuple = (
    (gettext_lazy("Fits my values"), 5),
    (gettext_lazy("Uses skills I enjoy"), 4),
    (gettext_lazy("Interest"), 4),
    (gettext_lazy("Growth"), 3),
    (gettext_lazy("Work–life balance"), 3),  # noqa: RUF001 - typographic dash
)

#: The plan action a learning resource becomes, by the resource's kind.
RESOURCE_KIND_TO_ACTION_KIND: dict[str, str] = {
    ResourceKind.COURSE: ActionKind.TRAINING,
    ResourceKind.BOOK: ActionKind.READING,
    ResourceKind.ARTICLE: ActionKind.READING,
    ResourceKind.VIDEO: ActionKind.READING,
    ResourceKind.MENTORING: ActionKind.MENTORING,
    ResourceKind.PRACTICE: ActionKind.ON_THE_JOB,
    ResourceKind.CONFERENCE: ActionKind.CONFERENCE,
}

#: Statuses of an action still to be done.
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

SCORE_MIN, SCORE_MAX = 1, 5

GOAL_FIELDS = ("target_role", "title", "horizon", "motivation", "status", "shared_with_manager")
OPTION_FIELDS = ("title", "description", "pros", "cons", "decision", "decision_note",
                 "shared_with_manager")
CRITERION_FIELDS = ("name", "weight", "position")
ACTION_FIELDS = ("title", "kind", "skill", "resource", "due_date", "hours", "status", "evidence",
                 "shared_with_manager")


# --- Guards -------------------------------------------------------------------------------------


def _require_member(organization: Organization, actor: Membership | None) -> None:
    """Security invariant: only an active member of ``organization`` writes a plan in it."""
    if actor is None or actor.organization_id != organization.pk or not actor.is_active:
        raise PermissionDenied(_("You are not a member of this organisation."))


def _require_owner(organization: Organization, actor: Membership, obj: Model) -> None:
    """Security invariant: a goal, option, criterion or action is written by its member only.

    Not a manager, not HR: they see what is shared, and change nothing.
    """
    if obj.organization_id != organization.pk or obj.member_id != actor.pk:
        raise PermissionDenied(_("Only the person whose plan this is can change it."))


def _require_in_org(organization: Organization, field: str, obj: Model | None) -> None:
    """A row named by an input must be one of the organisation's: else an error on that field."""
    if obj is not None and getattr(obj, "organization_id", None) != organization.pk:
        raise ValidationError({field: _("Choose one of your organisation's entries.")})


def _clean(organization: Organization, obj: Model) -> None:
    """Model validation, plus the length of text fields (which Django's model validation skips),
    all reported by field at once."""
    errors: dict[str, list] = {}
    for field in obj._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        value = getattr(obj, field.attname, None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.setdefault(field.name, []).append(ValidationError(
                _("Keep this under %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(value)}, code="max_length"))
    # Unique-constraint validation queries the default (scoped) manager.
    with tenancy.organization_scope(organization):
        try:
            obj.full_clean(exclude=list(errors))
        except ValidationError as e:
            for name, messages in e.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _apply(obj: Model, fields: Mapping, allowed: Iterable[str]) -> list[str]:
    """Set ``fields`` on ``obj``; returns the names that changed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)} of {type(obj).__name__}")
    changed = []
    for name, value in fields.items():
        value = _strip(value)
        if value is None and name in ("title", "description", "pros", "cons", "decision_note",
                                      "motivation", "evidence", "name"):
            value = ""
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _lock_member(organization: Organization, actor: Membership) -> None:
    """Serialise a member's writes that check-then-insert (first criteria, one-click adds), so
    two clicks or two tabs make one row."""
    Membership.objects.for_org(organization).select_for_update().filter(pk=actor.pk).first()


def _member_language(organization: Organization, member: Membership) -> str:
    return getattr(member.user, "language", "") or organization.default_language or "en"


# --- Goals --------------------------------------------------------------------------------------


def _check_goal(organization: Organization, goal: CareerGoal, *, role_changed: bool) -> None:
    role = goal.target_role
    _require_in_org(organization, "target_role", role)
    if role is not None and role_changed and not role.is_active:
        raise ValidationError({"target_role": _("This role profile is no longer in use: choose "
                                                "another or describe the goal in your own "
                                                "words.")})
    if not goal.title and role is None:
        raise ValidationError({"title": _("Describe your goal, or choose the role profile you "
                                          "are aiming for.")}, code="required")


@transaction.atomic
def goal_create(*, organization: Organization, actor: Membership,
                target_role: RoleProfile | None = None, title: str = "",
                horizon: str = GoalHorizon.ONE_YEAR, motivation: str = "",
                status: str = GoalStatus.EXPLORING,
                shared_with_manager: bool = False) -> CareerGoal:
    """A career goal of the member: an active role profile of the organisation, or their own
    words (at least one of the two)."""
    _require_member(organization, actor)
    goal = CareerGoal(organization=organization, member=actor, target_role=target_role,
                      title=_strip(title) or "", horizon=horizon,
                      motivation=_strip(motivation) or "", status=status,
                      shared_with_manager=bool(shared_with_manager))
    _check_goal(organization, goal, role_changed=True)
    _clean(organization, goal)
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, organization: Organization, actor: Membership, goal: CareerGoal,
                **fields) -> CareerGoal:
    """Change the fields given (of ``GOAL_FIELDS``). A goal may keep a role profile HR has since
    withdrawn, but cannot be moved to one."""
    _require_member(organization, actor)
    _require_owner(organization, actor, goal)
    changed = _apply(goal, fields, GOAL_FIELDS)
    _check_goal(organization, goal, role_changed="target_role" in changed)
    if changed:
        _clean(organization, goal)
        goal.save()
    return goal


@transaction.atomic
def goal_delete(*, organization: Organization, actor: Membership, goal: CareerGoal) -> None:
    _require_member(organization, actor)
    _require_owner(organization, actor, goal)
    goal.delete()


# --- Criteria -----------------------------------------------------------------------------------


def _criteria(organization: Organization, member: Membership):
    return OptionCriterion.objects.for_org(organization).filter(member=member)


def _name_taken(organization: Organization, member: Membership, name: str,
                exclude_pk: int | None = None) -> bool:
    qs = _criteria(organization, member).filter(name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def criterion_create(*, organization: Organization, actor: Membership, name: str,
                     weight: int = 3) -> OptionCriterion:
    """A criterion the member weighs options against (values, skills, interest …), weight 1
    to 5.
    New criteria go last."""
    _require_member(organization, actor)
    _lock_member(organization, actor)
    name = _strip(name) or ""
    if name and _name_taken(organization, actor, name):
        raise ValidationError({"name": _("You already have a criterion called “%(name)s”.")
                               % {"name": name}}, code="unique")
    last = _criteria(organization, actor).aggregate(last=Max("position"))["last"]
    criterion = OptionCriterion(organization=organization, member=actor, name=name,
                                weight=weight, position=0 if last is None else last + 1)
    _clean(organization, criterion)
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, organization: Organization, actor: Membership,
                     criterion: OptionCriterion, **fields) -> OptionCriterion:
    """Rename, reweigh or move a criterion (fields of ``CRITERION_FIELDS``). Ratings given
    against it stay, and count with the new weight."""
    _require_member(organization, actor)
    _require_owner(organization, actor, criterion)
    changed = _apply(criterion, fields, CRITERION_FIELDS)
    if "name" in changed and criterion.name and _name_taken(
            organization, actor, criterion.name, exclude_pk=criterion.pk):
        raise ValidationError({"name": _("You already have a criterion called “%(name)s”.")
                               % {"name": criterion.name}}, code="unique")
    if changed:
        _clean(organization, criterion)
        criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, organization: Organization, actor: Membership,
                     criterion: OptionCriterion) -> None:
    """Remove a criterion and the ratings given against it; scores are worked out again."""
    _require_member(organization, actor)
    _require_owner(organization, actor, criterion)
    criterion.delete()


@transaction.atomic
def criteria_add_defaults(*, organization: Organization,
                          actor: Membership) -> list[OptionCriterion]:
    """Add the suggested criteria the member does not have yet (by name), in their language.

    Returns the criteria added.
    """
    _require_member(organization, actor)
    _lock_member(organization, actor)
    existing = {n.casefold() for n in _criteria(organization, actor).values_list("name",
                                                                                 flat=True)}
    last = _criteria(organization, actor).aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    added = []
    with translation.override(_member_language(organization, actor)):
        for label, weight in DEFAULT_CRITERIA:
            name = str(label)
            if name.casefold() in existing:
                continue
            added.append(OptionCriterion(organization=organization, member=actor, name=name,
                                         weight=weight, position=position))
            position += 1
    if added:
        OptionCriterion.objects.for_org(organization).bulk_create(added)
    return added


# --- Options ------------------------------------------------------------------------------------


@transaction.atomic
def option_create(*, organization: Organization, actor: Membership, title: str,
                  description: str = "", pros: str = "", cons: str = "",
                  decision: str = OptionDecision.UNDECIDED, decision_note: str = "",
                  shared_with_manager: bool = False) -> CareerOption:
    """An option the member is weighing up.

    The member's first option also gives them the suggested criteria when they have none, so
    there is something to rate it against straight away.
    """
    _require_member(organization, actor)
    _lock_member(organization, actor)
    option = CareerOption(organization=organization, member=actor, title=_strip(title) or "",
                          description=_strip(description) or "", pros=_strip(pros) or "",
                          cons=_strip(cons) or "", decision=decision,
                          decision_note=_strip(decision_note) or "",
                          shared_with_manager=bool(shared_with_manager))
    _clean(organization, option)
    first = not CareerOption.objects.for_org(organization).filter(member=actor).exists()
    option.save()
    if first and not _criteria(organization, actor).exists():
        criteria_add_defaults(organization=organization, actor=actor)
    return option


@transaction.atomic
def option_update(*, organization: Organization, actor: Membership, option: CareerOption,
                  **fields) -> CareerOption:
    """Change the fields given (of ``OPTION_FIELDS``): pros, cons, the decision and why …"""
    _require_member(organization, actor)
    _require_owner(organization, actor, option)
    if _apply(option, fields, OPTION_FIELDS):
        _clean(organization, option)
        option.save()
    return option


@transaction.atomic
def option_delete(*, organization: Organization, actor: Membership,
                  option: CareerOption) -> None:
    _require_member(organization, actor)
    _require_owner(organization, actor, option)
    option.delete()


def _parse_scores(scores: Mapping,
                  criteria: Mapping[int, OptionCriterion]) -> dict[int, int | None]:
    """``{criterion id: score or None}`` from caller input; every problem reported at once."""
    parsed: dict[int, int | None] = {}
    errors = []
    for raw_id, raw_score in scores.items():
        try:
            criterion_id = int(raw_id)
        except (TypeError, ValueError):
            criterion_id = None
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.append(_("%(id)s is not one of your criteria.") % {"id": raw_id})
            continue
        if raw_score in (None, ""):
            parsed[criterion.pk] = None
            continue
        try:
            score = int(raw_score)
        except (TypeError, ValueError):
            score = None
        if score is None or not SCORE_MIN <= score <= SCORE_MAX or str(score) != str(
                raw_score).strip():
            errors.append(_("%(criterion)s: give a score from %(min)d to %(max)d.")
                          % {"criterion": criterion.name, "min": SCORE_MIN, "max": SCORE_MAX})
            continue
        parsed[criterion.pk] = score
    if errors:
        raise ValidationError({"scores": errors})
    return parsed


@transaction.atomic
def option_rate(*, organization: Organization, actor: Membership, option: CareerOption,
                scores: Mapping) -> list[OptionRating]:
    """Rate the option against the member's criteria: ``{criterion id: 1..5 or None}``.

    ``None`` (or an empty string) clears a rating; criteria not listed keep theirs. Returns the
    option's ratings after the change.
    """
    _require_member(organization, actor)
    _require_owner(organization, actor, option)
    criteria = {c.pk: c for c in _criteria(organization, actor)}
    parsed = _parse_scores(scores, criteria)
    ratings = OptionRating.objects.for_org(organization).filter(option=option)
    existing = {r.criterion_id: r for r in ratings.select_for_update()}
    to_create, to_update, to_delete = [], [], []
    for criterion_id, score in parsed.items():
        rating = existing.get(criterion_id)
        if score is None:
            if rating is not None:
                to_delete.append(rating.pk)
        elif rating is None:
            to_create.append(OptionRating(organization=organization, option=option,
                                          criterion_id=criterion_id, score=score))
        elif rating.score != score:
            rating.score = score
            to_update.append(rating)
    if to_delete:
        ratings.filter(pk__in=to_delete).delete()
    if to_update:
        OptionRating.objects.for_org(organization).bulk_update(to_update, ["score"])
    if to_create:
        OptionRating.objects.for_org(organization).bulk_create(to_create)
    return list(ratings.select_related("criterion").order_by("criterion__position",
                                                               "criterion__name"))


# --- Development actions ------------------------------------------------------------------------


def _open_action_for(organization: Organization, member: Membership,
                     resource: LearningResource, exclude_pk: int | None = None):
    qs = (DevelopmentAction.objects.for_org(organization)
          .filter(member=member, resource=resource, status__in=OPEN_ACTION_STATUSES))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _duplicate_error(existing: DevelopmentAction) -> ValidationError:
    return ValidationError(
        {"resource": _("“%(title)s” is already in your plan and not done yet. Update that "
                       "action instead of adding it twice.") % {"title": existing.title}},
        code="duplicate",
    )


def _check_action(organization: Organization, action: DevelopmentAction) -> None:
    _require_in_org(organization, "skill", action.skill)
    _require_in_org(organization, "resource", action.resource)


def _stamp_completion(action: DevelopmentAction) -> None:
    """Done sets when; reopening (or cancelling) clears it, so done hours count once, when done."""
    if action.status == ActionStatus.DONE:
        if action.completed_at is None:
            action.completed_at = timezone.now()
    else:
        action.completed_at = None


@transaction.atomic
def action_create(*, organization: Organization, actor: Membership, title: str,
                  kind: str = ActionKind.TRAINING, skill: Skill | None = None,
                  resource: LearningResource | None = None, due_date: date | None = None,
                  hours: Decimal | None = None, status: str = ActionStatus.PLANNED,
                  evidence: str = "", shared_with_manager: bool = True) -> DevelopmentAction:
    """An action of the member's development plan.

    With a learning resource and no skill, the action develops the resource's skill. A resource
    already in an open action of the plan is refused (``resource``).
    """
    _require_member(organization, actor)
    _require_in_org(organization, "skill", skill)
    _require_in_org(organization, "resource", resource)
    if resource is not None:
        _lock_member(organization, actor)
        existing = _open_action_for(organization, actor, resource)
        if existing is not None and status in OPEN_ACTION_STATUSES:
            raise _duplicate_error(existing)
        if skill is None:
            skill = resource.skill
    action = DevelopmentAction(organization=organization, member=actor,
                               title=_strip(title) or "", kind=kind, skill=skill,
                               resource=resource, due_date=due_date, hours=hours, status=status,
                               evidence=_strip(evidence) or "",
                               shared_with_manager=bool(shared_with_manager))
    _check_action(organization, action)
    _stamp_completion(action)
    _clean(organization, action)
    action.save()
    return action


@transaction.atomic
def action_update(*, organization: Organization, actor: Membership, action: DevelopmentAction,
                  **fields) -> DevelopmentAction:
    """Change the fields given (of ``ACTION_FIELDS``). Setting the status to done records when
    (``completed_at``); reopening clears it."""
    _require_member(organization, actor)
    _require_owner(organization, actor, action)
    changed = _apply(action, fields, ACTION_FIELDS)
    _check_action(organization, action)
    if action.resource is not None and action.status in OPEN_ACTION_STATUSES and (
            {"resource", "status"} & set(changed)):
        _lock_member(organization, actor)
        existing = _open_action_for(organization, actor, action.resource, exclude_pk=action.pk)
        if existing is not None:
            raise _duplicate_error(existing)
    _stamp_completion(action)
    if changed:
        _clean(organization, action)
        action.save()
    return action


@transaction.atomic
def action_delete(*, organization: Organization, actor: Membership,
                  action: DevelopmentAction) -> None:
    _require_member(organization, actor)
    _require_owner(organization, actor, action)
    action.delete()


@transaction.atomic
def action_from_resource(*, organization: Organization, actor: Membership,
                         resource: LearningResource,
                         due_date: date | None = None) -> DevelopmentAction:
    """One click: a learning resource (say, one suggested for a skill gap) becomes a planned
    action: its title, the matching kind (a course is training, a book reading …), its hours,
    its skill and a link back to it.

    Refused (``resource``) while the same resource is in an open action of the plan.
    """
    _require_member(organization, actor)
    _require_in_org(organization, "resource", resource)
    kind = RESOURCE_KIND_TO_ACTION_KIND.get(resource.kind, ActionKind.TRAINING)
    title = resource.title[:DevelopmentAction._meta.get_field("title").max_length]
    return action_create(organization=organization, actor=actor, title=title, kind=kind,
                         skill=resource.skill, resource=resource, due_date=due_date,
                         hours=resource.hours, status=ActionStatus.PLANNED)
