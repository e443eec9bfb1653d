"""Check-in assessments: a member rates themself against a role, their manager validates.

The flow: ``check_in_start`` (the member; copies the role's requirements into items, so later
edits of the role do not move the goalposts) → ``check_in_rate_self`` (the member, while in
draft) → ``check_in_submit`` (the member; their self levels become ``SkillRating.self_level``) →
``check_in_rate_manager`` (a manager in the member's reporting line) → ``check_in_validate``
(the same; the manager's level, else the self level, becomes ``SkillRating.validated_level``).

Every change of a self or manager level is kept in ``RatingChange`` (who, when, from, to).
Functions are keyword-only, take the organisation and the acting membership, check who may act
and raise ``PermissionDenied`` or ``ValidationError`` with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit
from organizations.signals import member_placement_changed

from .. import selectors
from ..access import can_manage_check_ins_of
from ..models import (
    CheckIn,
    CheckInItem,
    CheckInStatus,
    Level,
    MemberRole,
    RatingChange,
    RoleProfile,
    RoleRequirement,
    SkillRating,
)

COMMENT_MAX_LENGTH = 2000


# --- Guards -------------------------------------------------------------------------------------


def _require_active_member(organization: Organization, actor: Membership | None) -> None:
    """Security invariant: only an active member of ``organization`` acts on its check-ins."""
    if actor is None or actor.organization_id != organization.pk or not actor.is_active:
        raise PermissionDenied(_("You are not a member of this organisation."))


def _require_own(organization: Organization, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.organization_id != organization.pk:
            raise ValidationError(_("Everything must belong to the same organisation."))


def _require_owner(actor: Membership, check_in: CheckIn) -> None:
    if check_in.member_id != actor.pk:
        raise PermissionDenied(_("Only the person being assessed can rate or submit their "
                                 "own self-assessment."))


def _require_line_manager(actor: Membership, check_in: CheckIn) -> None:
    """Security invariant: a manager in the member's reporting line, never the member."""
    if check_in.member_id == actor.pk:
        raise PermissionDenied(_("You cannot rate or validate your own check-in: your manager "
                                 "does that."))
    if not can_manage_check_ins_of(viewer=actor, member=check_in.member):
        raise PermissionDenied(_("Only a manager in this person's reporting line can rate or "
                                 "validate their check-in."))


def _lock(organization: Organization, check_in: CheckIn) -> CheckIn:
    """Lock the check-in's row, so two requests cannot both submit or validate it."""
    _require_own(organization, check_in)
    locked = (CheckIn.objects.for_org(organization).select_for_update()
              .filter(pk=check_in.pk).first())
    if locked is None:
        raise ValidationError(_("This check-in no longer exists."))
    for name in ("status", "submitted_at", "validated_at", "validated_by_id", "manager_comment"):
        setattr(check_in, name, getattr(locked, name))
    return check_in


def _require_status(check_in: CheckIn, expected: str) -> None:
    if check_in.status == expected:
        return
    messages = {
        CheckInStatus.DRAFT: _("This check-in is still a draft: it has not been submitted yet."),
        CheckInStatus.SUBMITTED: _("This check-in has been submitted: the self-assessment can "
                                   "no longer change."),
        CheckInStatus.VALIDATED: _("This check-in is already validated."),
    }
    raise ValidationError(messages.get(check_in.status, _("This check-in cannot change now.")),
                          code="status")


def _items(organization: Organization, check_in: CheckIn) -> dict[int, CheckInItem]:
    return {item.pk: item for item in
            CheckInItem.objects.for_org(organization).filter(check_in=check_in)
            .select_related("skill").order_by("skill_name", "pk")}


def _scale_ranks(organization: Organization, check_in: CheckIn,
                 items: Mapping[int, CheckInItem]) -> set[int]:
    """Ranks of the scale the check-in is rated on: its role's framework's levels."""
    framework_id = None
    if check_in.role_id is not None:
        framework_id = (RoleProfile.objects.for_org(organization).filter(pk=check_in.role_id)
                        .values_list("framework_id", flat=True).first())
    if framework_id is None:
        framework_id = next((i.skill.framework_id for i in items.values() if i.skill), None)
    if framework_id is None:
        return set(range(1, 13))
    return set(Level.objects.for_org(organization).filter(framework_id=framework_id)
               .values_list("rank", flat=True))


def _parse_levels(ratings: Mapping, items: Mapping[int, CheckInItem], ranks: set[int],
                  field_name: str) -> dict[int, int | None]:
    """``{item id: level or None}`` from caller input; every problem reported at once."""
    parsed: dict[int, int | None] = {}
    errors = []
    for raw_id, raw_level in ratings.items():
        try:
            item_id = int(raw_id)
        except (TypeError, ValueError):
            item_id = None
        item = items.get(item_id)
        if item is None:
            errors.append(_("%(item)s is not a skill of this check-in.") % {"item": raw_id})
            continue
        if raw_level in (None, ""):
            parsed[item_id] = None
            continue
        try:
            level = int(raw_level)
        except (TypeError, ValueError):
            level = None
        if level not in ranks:
            errors.append(_("%(skill)s: choose a level of the framework's scale.")
                          % {"skill": item.skill_name})
            continue
        parsed[item_id] = level
    if errors:
        raise ValidationError({field_name: errors})
    return parsed


def _apply_levels(organization: Organization, actor: Membership, items: Mapping[int, CheckInItem],
                  levels: Mapping[int, int | None], field: str) -> list[RatingChange]:
    """Write changed levels and one history row per change."""
    attr = "self_level" if field == RatingChange.Field.SELF else "manager_level"
    now = timezone.now()
    changed_items, history = [], []
    for item_id, level in levels.items():
        item = items[item_id]
        previous = getattr(item, attr)
        if previous == level:
            continue
        setattr(item, attr, level)
        changed_items.append(item)
        history.append(RatingChange(organization=organization, item=item, field=field,
                                    changed_by=actor, from_level=previous, to_level=level,
                                    changed_at=now))
    if changed_items:
        CheckInItem.objects.for_org(organization).bulk_update(changed_items, [attr])
        RatingChange.objects.for_org(organization).bulk_create(history)
    return history


def _store_ratings(organization: Organization, member: Membership,
                   levels: Mapping[int, int | None], attr: str) -> None:
    """Set ``attr`` of the member's ``SkillRating`` per skill id (creating rows as needed).

    A ``None`` level clears an existing value and creates no row.
    """
    if not levels:
        return
    existing = {r.skill_id: r for r in SkillRating.objects.for_org(organization)
                .select_for_update().filter(member=member, skill_id__in=list(levels))}
    to_update, to_create = [], []
    for skill_id, level in levels.items():
        rating = existing.get(skill_id)
        if rating is None:
            if level is not None:
                to_create.append(SkillRating(organization=organization, member=member,
                                             skill_id=skill_id, **{attr: level}))
        elif getattr(rating, attr) != level:
            setattr(rating, attr, level)
            to_update.append(rating)
    if to_update:
        now = timezone.now()
        for rating in to_update:
            rating.updated_at = now
        SkillRating.objects.for_org(organization).bulk_update(to_update, [attr, "updated_at"])
    if to_create:
        SkillRating.objects.for_org(organization).bulk_create(to_create)


# --- A member's role ----------------------------------------------------------------------------


@transaction.atomic
def member_role_set(*, organization: Organization, actor: Membership, member: Membership,
                    role: RoleProfile | None, source: str = "profile") -> MemberRole | None:
    """Set (or, with ``role=None``, clear) the member's current role profile.

    HR admins set anyone's role; a manager sets the role of someone in their reporting line.
    Only an active role profile can be given. A change is announced with
    ``member_placement_changed`` (``source`` says what caused it), so that it is recorded as a
    career move.
    """
    _require_active_member(organization, actor)
    _require_own(organization, member, role)
    if not (actor.is_hr_admin or can_manage_check_ins_of(viewer=actor, member=member)):
        raise PermissionDenied(_("Only HR or this person's manager can set their role."))
    link = (MemberRole.objects.for_org(organization).select_for_update()
            .filter(member=member).first())
    previous_role_id = link.role_id if link else None
    if role is None:
        if link is not None:
            link.delete()
            audit(organization=organization, actor=actor, action="skills.member_role_cleared",
                  subject=member, previous_role_id=previous_role_id)
            _placement_changed(organization, actor, member, previous_role_id, None, source)
        return None
    if not role.is_active:
        raise ValidationError({"role": _("This role profile is no longer in use.")})
    if link is not None and link.role_id == role.pk:
        return link
    if link is None:
        link = MemberRole(organization=organization, member=member, role=role)
    else:
        link.role = role
        link.since = timezone.localdate()
    with tenancy.organization_scope(organization):
        link.full_clean()
    link.save()
    audit(organization=organization, actor=actor, action="skills.member_role_set",
          subject=member, role_id=role.pk, previous_role_id=previous_role_id)
    _placement_changed(organization, actor, member, previous_role_id, role.pk, source)
    return link


def _placement_changed(organization: Organization, actor: Membership, member: Membership,
                       before_role_id: int | None, after_role_id: int | None,
                       source: str) -> None:
    member_placement_changed.send(
        sender=MemberRole, organization=organization, member=member, actor=actor,
        before={"role_id": before_role_id}, after={"role_id": after_role_id}, source=source,
        effective_on=None)


# --- Check-ins ----------------------------------------------------------------------------------


@transaction.atomic
def check_in_start(*, organization: Organization, actor: Membership, member: Membership,
                   role: RoleProfile) -> CheckIn:
    """The member starts a check-in against ``role`` (their own or any other active one).

    The role's requirements are copied into the check-in's items (skill name, required level,
    importance), so later edits of the role or framework do not change this check-in. Self
    levels start from the member's current ratings (their last self level, else their validated
    level); that starting point is not a change and leaves no history row.
    """
    _require_active_member(organization, actor)
    _require_own(organization, member, role)
    if actor.pk != member.pk:
        raise PermissionDenied(_("Only the person being assessed can start their check-in."))
    if not role.is_active:
        raise ValidationError({"role": _("This role profile is no longer in use.")})
    # One open check-in per member and role: lock the member's row so two clicks make one.
    Membership.objects.for_org(organization).select_for_update().filter(pk=member.pk).first()
    if selectors.check_in_open_for(organization=organization, member=member, role=role):
        raise ValidationError(
            {"role": _("You already have a check-in against this role in progress. Finish "
                       "it before you start another.")},
            code="in_progress",
        )
    requirements = list(
        RoleRequirement.objects.for_org(organization)
        .filter(role=role, skill__is_retired=False)
        .select_related("skill")
        .order_by("skill__name", "pk")
    )
    if not requirements:
        raise ValidationError(
            {"role": _("This role profile does not list any skills yet, so there is nothing "
                       "to rate. Ask HR to complete it.")},
            code="empty_role",
        )
    ranks = set(Level.objects.for_org(organization).filter(framework_id=role.framework_id)
                .values_list("rank", flat=True))
    ratings = selectors.ratings_by_skill(organization=organization, member=member,
                                         skill_ids=[r.skill_id for r in requirements])
    check_in = CheckIn(organization=organization, member=member, role=role,
                       role_title=role.title)
    with tenancy.organization_scope(organization):
        check_in.full_clean()
    check_in.save()
    items = []
    for requirement in requirements:
        rating = ratings.get(requirement.skill_id)
        start = None
        if rating is not None:
            start = rating.self_level if rating.self_level is not None else rating.validated_level
        items.append(CheckInItem(
            organization=organization, check_in=check_in, skill=requirement.skill,
            skill_name=requirement.skill.name, required_level=requirement.min_level,
            importance=requirement.importance, self_level=start if start in ranks else None,
        ))
    CheckInItem.objects.for_org(organization).bulk_create(items)
    audit(organization=organization, actor=actor, action="skills.check_in_started",
          subject=member, check_in_id=check_in.pk, role_id=role.pk)
    return check_in


@transaction.atomic
def check_in_rate_self(*, organization: Organization, actor: Membership, check_in: CheckIn,
                       ratings: Mapping[int, int | None]) -> list[RatingChange]:
    """The member sets self levels (``{item id: rank or None}``) while the check-in is a draft.

    Returns the history rows written (one per level that actually changed).
    """
    _require_active_member(organization, actor)
    _lock(organization, check_in)
    _require_owner(actor, check_in)
    _require_status(check_in, CheckInStatus.DRAFT)
    items = _items(organization, check_in)
    levels = _parse_levels(ratings, items, _scale_ranks(organization, check_in, items),
                           "ratings")
    return _apply_levels(organization, actor, items, levels, RatingChange.Field.SELF)


@transaction.atomic
def check_in_submit(*, organization: Organization, actor: Membership,
                    check_in: CheckIn) -> CheckIn:
    """The member hands the check-in to their manager; self levels become their ratings."""
    _require_active_member(organization, actor)
    _lock(organization, check_in)
    _require_owner(actor, check_in)
    _require_status(check_in, CheckInStatus.DRAFT)
    items = _items(organization, check_in)
    if not any(item.self_level is not None for item in items.values()):
        raise ValidationError(_("Rate at least one skill before you submit."), code="unrated")
    _store_ratings(organization, check_in.member,
                   {i.skill_id: i.self_level for i in items.values() if i.skill_id},
                   "self_level")
    check_in.status = CheckInStatus.SUBMITTED
    check_in.submitted_at = timezone.now()
    check_in.save(update_fields=["status", "submitted_at"])
    audit(organization=organization, actor=actor, action="skills.check_in_submitted",
          subject=check_in.member, check_in_id=check_in.pk)
    return check_in


@transaction.atomic
def check_in_rate_manager(*, organization: Organization, actor: Membership, check_in: CheckIn,
                          ratings: Mapping[int, int | None],
                          comments: Mapping[int, str] | None = None) -> list[RatingChange]:
    """A manager in the member's line rates the submitted check-in's skills and comments on them.

    ``ratings`` is ``{item id: rank or None}``, ``comments`` is ``{item id: text}``. Returns the
    history rows written.
    """
    _require_active_member(organization, actor)
    _lock(organization, check_in)
    _require_line_manager(actor, check_in)
    _require_status(check_in, CheckInStatus.SUBMITTED)
    items = _items(organization, check_in)
    levels = _parse_levels(ratings, items, _scale_ranks(organization, check_in, items),
                           "ratings")
    comment_updates = []
    errors = []
    for raw_id, text in (comments or {}).items():
        try:
            item = items.get(int(raw_id))
        except (TypeError, ValueError):
            item = None
        if item is None:
            errors.append(_("%(item)s is not a skill of this check-in.") % {"item": raw_id})
            continue
        text = (text or "").strip()
        if len(text) > COMMENT_MAX_LENGTH:
            errors.append(_("%(skill)s: keep the comment under %(max)d characters.")
                          % {"skill": item.skill_name, "max": COMMENT_MAX_LENGTH})
            continue
        if item.comment != text:
            item.comment = text
            comment_updates.append(item)
    if errors:
        raise ValidationError({"comments": errors})
    history = _apply_levels(organization, actor, items, levels, RatingChange.Field.MANAGER)
    if comment_updates:
        CheckInItem.objects.for_org(organization).bulk_update(comment_updates, ["comment"])
    if history or comment_updates:
        audit(organization=organization, actor=actor, action="skills.check_in_rated",
              subject=check_in.member, check_in_id=check_in.pk, changes=len(history))
    return history


@transaction.atomic
def check_in_validate(*, organization: Organization, actor: Membership, check_in: CheckIn,
                      comment: str = "") -> CheckIn:
    """A manager in the member's line validates the check-in.

    For each skill, the manager's level, else the member's self level, becomes the member's
    validated level (``SkillRating.validated_level``); a skill rated by neither is left as it
    was.
    """
    _require_active_member(organization, actor)
    _lock(organization, check_in)
    _require_line_manager(actor, check_in)
    _require_status(check_in, CheckInStatus.SUBMITTED)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH * 2:
        raise ValidationError({"comment": _("Keep the comment under %(max)d characters.")
                               % {"max": COMMENT_MAX_LENGTH * 2}})
    items = _items(organization, check_in)
    validated = {}
    for item in items.values():
        level = item.manager_level if item.manager_level is not None else item.self_level
        if item.skill_id and level is not None:
            validated[item.skill_id] = level
    _store_ratings(organization, check_in.member, validated, "validated_level")
    check_in.status = CheckInStatus.VALIDATED
    check_in.validated_at = timezone.now()
    check_in.validated_by = actor
    check_in.manager_comment = comment
    check_in.save(update_fields=["status", "validated_at", "validated_by", "manager_comment"])
    audit(organization=organization, actor=actor, action="skills.check_in_validated",
          subject=check_in.member, check_in_id=check_in.pk, skills=len(validated))
    return check_in
