"""HR's writes to skills frameworks, role profiles, career paths and learning resources.

Every function is keyword-only, takes the organisation and the acting membership, and refuses
anyone who is not an HR admin of that organisation, so pages, the API and scripts share one rule.
Rows passed in must belong to ``organization``; callers look them up scoped, and these functions
check again rather than trust them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit

from ..models import (
    CareerPath,
    CheckInItem,
    Framework,
    Importance,
    LearningResource,
    Level,
    PathKind,
    ResourceKind,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevelDescriptor,
    SkillRating,
    Track,
)
from ..translations import cleaned_translations

# A neutral starting scale HR can rename; written for Trellis, not taken from any licensed scale.
STARTER_SCALE: tuple = (
    (gettext_lazy("Learning"), gettext_lazy("Knows the basics and works under close guidance.")),
    (gettext_lazy("Developing"), gettext_lazy("Does routine work with some guidance.")),
    (gettext_lazy("Proficient"), gettext_lazy("Works independently and handles the usual cases.")),
    (gettext_lazy("Advanced"), gettext_lazy("Handles complex cases and helps others grow.")),
    (gettext_lazy("Expert"), gettext_lazy("Sets direction and is a reference inside and outside "
                                          "the organisation.")),
)

MAX_LEVELS = 12


# --- Guards -------------------------------------------------------------------------------------


def _require_hr(organization: Organization, actor: Membership) -> None:
    """Security invariant: only an active HR admin of ``organization`` changes its frameworks."""
    if (
        actor is None
        or actor.organization_id != organization.pk
        or not actor.is_active
        or not actor.is_hr_admin
    ):
        raise PermissionDenied


def _require_own(organization: Organization, *objs) -> None:
    """Rows from another organisation are refused as if they did not exist."""
    for obj in objs:
        if obj is not None and obj.organization_id != organization.pk:
            raise ValidationError(_("Everything must belong to the same organisation."))


def _clean(organization: Organization, obj) -> None:
    # Unique-constraint validation queries the default (scoped) manager.
    with tenancy.organization_scope(organization):
        obj.full_clean()


def _apply(obj, fields: dict, allowed: Iterable[str]) -> list[str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)} of {type(obj).__name__}")
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "translations":
            value = _translations(type(obj), value)
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _translations(model, value) -> dict:
    """``value`` as the model's ``translations``: known languages and fields, texts that fit."""
    try:
        return cleaned_translations(value, model.translated_field_limits())
    except ValueError:
        raise ValidationError(
            {"translations": _("These translations cannot be saved: check their languages "
                               "and lengths.")}) from None


def _name_taken(qs, name: str, exclude_pk=None) -> bool:
    qs = qs.filter(**{f"{_name_field(qs)}__iexact": name.strip()})
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _name_field(qs) -> str:
    return "title" if qs.model is RoleProfile else "name"


# --- Frameworks ---------------------------------------------------------------------------------


@transaction.atomic
def framework_create(*, organization: Organization, actor: Membership, name: str,
                     description: str = "", levels: Sequence = ()) -> Framework:
    """Create a framework; ``levels`` is an optional scale, lowest first: names or
    ``(name, descriptor)`` pairs, which become ranks 1, 2, …"""
    _require_hr(organization, actor)
    frameworks = Framework.objects.for_org(organization)
    if _name_taken(frameworks, name):
        raise ValidationError({"name": _("A framework of this name exists.")})
    if len(levels) > MAX_LEVELS:
        raise ValidationError(_("A scale has at most %(n)d levels.") % {"n": MAX_LEVELS})
    framework = Framework(organization=organization, name=name.strip(),
                          description=description.strip())
    _clean(organization, framework)
    framework.save()
    for rank, level in enumerate(levels, start=1):
        level_name, descriptor = (level, "") if isinstance(level, str) else level
        row = Level(organization=organization, framework=framework, rank=rank,
                    name=str(level_name).strip(), descriptor=str(descriptor).strip())
        _clean(organization, row)
        row.save()
    audit(organization=organization, actor=actor, action="skills.framework_created",
          framework_id=framework.pk, name=framework.name)
    return framework


@transaction.atomic
def framework_update(*, organization: Organization, actor: Membership, framework: Framework,
                     **fields) -> Framework:
    _require_hr(organization, actor)
    _require_own(organization, framework)
    changed = _apply(framework, fields, {"name", "description", "translations"})
    if "name" in changed and _name_taken(Framework.objects.for_org(organization),
                                         framework.name, framework.pk):
        raise ValidationError({"name": _("A framework of this name exists.")})
    _clean(organization, framework)
    if changed:
        framework.save()
        audit(organization=organization, actor=actor, action="skills.framework_updated",
              framework_id=framework.pk, fields=sorted(changed))
    return framework


@transaction.atomic
def framework_delete(*, organization: Organization, actor: Membership,
                     framework: Framework) -> None:
    """Delete a framework with its levels, categories and skills; refused while a role uses it."""
    _require_hr(organization, actor)
    _require_own(organization, framework)
    if RoleProfile.objects.for_org(organization).filter(framework=framework).exists():
        raise ValidationError(
            _("Role profiles use this framework. Move them to another framework or delete "
              "them first.")
        )
    audit(organization=organization, actor=actor, action="skills.framework_deleted",
          framework_id=framework.pk, name=framework.name)
    framework.delete()


# --- Levels -------------------------------------------------------------------------------------


@transaction.atomic
def level_create(*, organization: Organization, actor: Membership, framework: Framework,
                 name: str, descriptor: str = "") -> Level:
    """Add a level at the top of the scale (ranks stay 1…n with no holes)."""
    _require_hr(organization, actor)
    _require_own(organization, framework)
    # Lock the framework so two HR admins adding a level at once cannot pick the same rank.
    Framework.objects.for_org(organization).select_for_update().filter(pk=framework.pk).first()
    top = (Level.objects.for_org(organization).filter(framework=framework)
           .aggregate(top=Max("rank"))["top"] or 0)
    if top >= MAX_LEVELS:
        raise ValidationError(_("A scale has at most %(n)d levels.") % {"n": MAX_LEVELS})
    level = Level(organization=organization, framework=framework, rank=top + 1,
                  name=name.strip(), descriptor=descriptor.strip())
    _clean(organization, level)
    level.save()
    audit(organization=organization, actor=actor, action="skills.level_created",
          framework_id=framework.pk, rank=level.rank)
    return level


@transaction.atomic
def level_update(*, organization: Organization, actor: Membership, level: Level,
                 **fields) -> Level:
    """Rename a level or change its generic descriptor; its rank never changes here."""
    _require_hr(organization, actor)
    _require_own(organization, level)
    changed = _apply(level, fields, {"name", "descriptor", "translations"})
    _clean(organization, level)
    if changed:
        level.save()
        audit(organization=organization, actor=actor, action="skills.level_updated",
              framework_id=level.framework_id, rank=level.rank, fields=sorted(changed))
    return level


def level_usage(*, organization: Organization, level: Level) -> dict[str, int]:
    """How many requirements, ratings and check-in ratings use ``level``'s rank."""
    rank, framework_id = level.rank, level.framework_id
    return {
        "requirements": RoleRequirement.objects.for_org(organization)
        .filter(skill__framework_id=framework_id, min_level=rank).count(),
        "ratings": SkillRating.objects.for_org(organization)
        .filter(skill__framework_id=framework_id)
        .filter(Q(self_level=rank) | Q(validated_level=rank)).count(),
        "check_in_items": CheckInItem.objects.for_org(organization)
        .filter(skill__framework_id=framework_id)
        .filter(Q(self_level=rank) | Q(manager_level=rank) | Q(required_level=rank)).count(),
    }


@transaction.atomic
def level_delete(*, organization: Organization, actor: Membership, level: Level) -> None:
    """Delete a level no one uses and close the gap in the ranks.

    Refused while a requirement asks for this rank, or a member's rating or a check-in holds it.
    Levels above move down one rank, and so do the requirements, ratings and check-in ratings
    that refer to them, so every stored rank keeps naming the same level.
    """
    _require_hr(organization, actor)
    _require_own(organization, level)
    Framework.objects.for_org(organization).select_for_update().filter(
        pk=level.framework_id).first()
    usage = level_usage(organization=organization, level=level)
    if usage["requirements"]:
        raise ValidationError(
            _("%(n)d role requirement(s) ask for this level. Change them before deleting it.")
            % {"n": usage["requirements"]}
        )
    if usage["ratings"] or usage["check_in_items"]:
        raise ValidationError(
            _("Members have been rated at this level. Rename it instead of deleting it.")
        )
    framework_id, rank = level.framework_id, level.rank
    audit(organization=organization, actor=actor, action="skills.level_deleted",
          framework_id=framework_id, rank=rank, name=level.name)
    level.delete()
    above = list(Level.objects.for_org(organization)
                 .filter(framework_id=framework_id, rank__gt=rank).order_by("rank"))
    # One row at a time, lowest first: a single UPDATE could collide with the unique rank.
    for row in above:
        row.rank -= 1
        row.save(update_fields=["rank"])
    in_framework = {"skill__framework_id": framework_id}
    requirements = RoleRequirement.objects.for_org(organization).filter(**in_framework)
    requirements.filter(min_level__gt=rank).update(min_level=F("min_level") - 1)
    ratings = SkillRating.objects.for_org(organization).filter(**in_framework)
    items = CheckInItem.objects.for_org(organization).filter(**in_framework)
    for qs, field_names in ((ratings, ("self_level", "validated_level")),
                            (items, ("self_level", "manager_level", "required_level"))):
        for field_name in field_names:
            qs.filter(**{f"{field_name}__gt": rank}).update(**{field_name: F(field_name) - 1})


# --- Categories ---------------------------------------------------------------------------------


def _check_category_parent(organization, category: SkillCategory, parent) -> None:
    if parent is None:
        return
    _require_own(organization, parent)
    if parent.framework_id != category.framework_id:
        raise ValidationError({"parent": _("Choose a category of the same framework.")})
    if category.pk is None:
        return
    parents = dict(SkillCategory.objects.for_org(organization)
                   .filter(framework_id=category.framework_id).values_list("pk", "parent_id"))
    node, hops = parent.pk, 0
    while node is not None and hops <= len(parents):
        if node == category.pk:
            raise ValidationError(
                {"parent": _("A category cannot be placed inside itself or its sub-categories.")}
            )
        node, hops = parents.get(node), hops + 1


def _category_name_taken(organization, category: SkillCategory) -> bool:
    qs = SkillCategory.objects.for_org(organization).filter(
        framework_id=category.framework_id, parent_id=category.parent_id,
        name__iexact=category.name,
    )
    if category.pk is not None:
        qs = qs.exclude(pk=category.pk)
    return qs.exists()


@transaction.atomic
def category_create(*, organization: Organization, actor: Membership, framework: Framework,
                    name: str, parent: SkillCategory | None = None) -> SkillCategory:
    _require_hr(organization, actor)
    _require_own(organization, framework)
    category = SkillCategory(organization=organization, framework=framework, name=name.strip(),
                             parent=parent)
    _check_category_parent(organization, category, parent)
    if _category_name_taken(organization, category):
        raise ValidationError({"name": _("A category of this name exists at this place.")})
    _clean(organization, category)
    category.save()
    audit(organization=organization, actor=actor, action="skills.category_created",
          framework_id=framework.pk, category_id=category.pk)
    return category


@transaction.atomic
def category_update(*, organization: Organization, actor: Membership, category: SkillCategory,
                    **fields) -> SkillCategory:
    """Rename a category or move it in the tree (never under itself)."""
    _require_hr(organization, actor)
    _require_own(organization, category)
    if "parent" in fields:
        _check_category_parent(organization, category, fields["parent"])
    changed = _apply(category, fields, {"name", "parent", "translations"})
    if changed and _category_name_taken(organization, category):
        raise ValidationError({"name": _("A category of this name exists at this place.")})
    _clean(organization, category)
    if changed:
        category.save()
        audit(organization=organization, actor=actor, action="skills.category_updated",
              category_id=category.pk, fields=sorted(changed))
    return category


@transaction.atomic
def category_delete(*, organization: Organization, actor: Membership,
                    category: SkillCategory) -> None:
    """Delete a category; its skills and sub-categories move up to its parent."""
    _require_hr(organization, actor)
    _require_own(organization, category)
    parent_id = category.parent_id
    children = list(SkillCategory.objects.for_org(organization).filter(parent=category))
    taken = set(SkillCategory.objects.for_org(organization)
                .filter(framework_id=category.framework_id, parent_id=parent_id)
                .exclude(pk=category.pk).values_list("name", flat=True))
    taken_lower = {n.lower() for n in taken}
    clashes = [c.name for c in children if c.name.lower() in taken_lower]
    if clashes:
        raise ValidationError(
            _("Its sub-categories %(names)s would clash with categories of the same name one "
              "level up. Rename them first.") % {"names": ", ".join(sorted(clashes))}
        )
    Skill.objects.for_org(organization).filter(category=category).update(category_id=parent_id)
    SkillCategory.objects.for_org(organization).filter(parent=category).update(
        parent_id=parent_id)
    audit(organization=organization, actor=actor, action="skills.category_deleted",
          category_id=category.pk, name=category.name)
    category.delete()


# --- Skills -------------------------------------------------------------------------------------


def _check_skill_category(organization, skill: Skill) -> None:
    if skill.category_id is None:
        return
    _require_own(organization, skill.category)
    if skill.category.framework_id != skill.framework_id:
        raise ValidationError({"category": _("Choose a category of the same framework.")})


@transaction.atomic
def skill_create(*, organization: Organization, actor: Membership, framework: Framework,
                 name: str, description: str = "", category: SkillCategory | None = None,
                 external_uri: str = "") -> Skill:
    _require_hr(organization, actor)
    _require_own(organization, framework)
    skill = Skill(organization=organization, framework=framework, name=name.strip(),
                  description=description.strip(), category=category,
                  external_uri=external_uri.strip())
    _check_skill_category(organization, skill)
    if _name_taken(Skill.objects.for_org(organization).filter(framework=framework), name):
        raise ValidationError({"name": _("A skill of this name exists in this framework.")})
    _clean(organization, skill)
    skill.save()
    audit(organization=organization, actor=actor, action="skills.skill_created",
          skill_id=skill.pk, name=skill.name)
    return skill


@transaction.atomic
def skill_update(*, organization: Organization, actor: Membership, skill: Skill,
                 **fields) -> Skill:
    _require_hr(organization, actor)
    _require_own(organization, skill)
    changed = _apply(skill, fields, {"name", "description", "category", "external_uri",
                                     "translations"})
    if "category" in changed:
        _check_skill_category(organization, skill)
    if "name" in changed and _name_taken(
        Skill.objects.for_org(organization).filter(framework_id=skill.framework_id),
        skill.name, skill.pk,
    ):
        raise ValidationError({"name": _("A skill of this name exists in this framework.")})
    _clean(organization, skill)
    if changed:
        skill.save()
        audit(organization=organization, actor=actor, action="skills.skill_updated",
              skill_id=skill.pk, fields=sorted(changed))
    return skill


@transaction.atomic
def skill_retire(*, organization: Organization, actor: Membership, skill: Skill) -> int:
    """Retire a skill: kept with its ratings and check-in history, no longer required by any
    role nor offered for new requirements. Returns how many role requirements were removed."""
    _require_hr(organization, actor)
    _require_own(organization, skill)
    if skill.is_retired:
        return 0
    removed, _detail = RoleRequirement.objects.for_org(organization).filter(skill=skill).delete()
    skill.is_retired = True
    skill.is_emerging = False
    skill.save(update_fields=["is_retired", "is_emerging"])
    audit(organization=organization, actor=actor, action="skills.skill_retired",
          skill_id=skill.pk, requirements_removed=removed)
    return removed


@transaction.atomic
def skill_reinstate(*, organization: Organization, actor: Membership, skill: Skill) -> Skill:
    """Offer a retired skill again (role requirements removed on retirement are not restored)."""
    _require_hr(organization, actor)
    _require_own(organization, skill)
    if skill.is_retired:
        skill.is_retired = False
        skill.save(update_fields=["is_retired"])
        audit(organization=organization, actor=actor, action="skills.skill_reinstated",
              skill_id=skill.pk)
    return skill


def _enqueue_emerging_notice(organization_id: int, skill_id: int) -> None:
    # Imported here: the tasks module imports services, and workers load it on their own.
    from skills.tasks import notify_emerging_skill

    notify_emerging_skill.delay(organization_id, skill_id)


@transaction.atomic
def skill_flag_emerging(*, organization: Organization, actor: Membership, skill: Skill,
                        note: str) -> Skill:
    """Mark a skill as emerging and, once committed, tell the people whose roles need it.

    Flagging an already emerging skill only updates the note: members are not told twice.
    """
    _require_hr(organization, actor)
    _require_own(organization, skill)
    if skill.is_retired:
        raise ValidationError(_("A retired skill cannot be emerging. Reinstate it first."))
    newly = not skill.is_emerging
    skill.is_emerging = True
    skill.emerging_note = note.strip()
    if newly or skill.emerging_since is None:
        skill.emerging_since = timezone.localdate()
    _clean(organization, skill)
    skill.save(update_fields=["is_emerging", "emerging_note", "emerging_since"])
    audit(organization=organization, actor=actor,
          action="skills.skill_flagged_emerging" if newly else "skills.emerging_note_updated",
          skill_id=skill.pk)
    if newly:
        org_id, skill_id = organization.pk, skill.pk
        transaction.on_commit(lambda: _enqueue_emerging_notice(org_id, skill_id))
    return skill


@transaction.atomic
def skill_unflag_emerging(*, organization: Organization, actor: Membership,
                          skill: Skill) -> Skill:
    _require_hr(organization, actor)
    _require_own(organization, skill)
    if skill.is_emerging:
        skill.is_emerging = False
        skill.emerging_note = ""
        skill.emerging_since = None
        skill.save(update_fields=["is_emerging", "emerging_note", "emerging_since"])
        audit(organization=organization, actor=actor, action="skills.skill_unflagged_emerging",
              skill_id=skill.pk)
    return skill


@transaction.atomic
def descriptor_set(*, organization: Organization, actor: Membership, skill: Skill, level: Level,
                   description: str) -> SkillLevelDescriptor | None:
    """Say what ``level`` means for ``skill``; an empty description removes it."""
    _require_hr(organization, actor)
    _require_own(organization, skill, level)
    if level.framework_id != skill.framework_id:
        raise ValidationError({"level": _("Choose a level of the skill's framework.")})
    description = description.strip()
    existing = (SkillLevelDescriptor.objects.for_org(organization)
                .filter(skill=skill, level=level).first())
    if not description:
        if existing is not None:
            existing.delete()
        return None
    if existing is None:
        existing = SkillLevelDescriptor(organization=organization, skill=skill, level=level)
    elif existing.description == description:
        return existing
    existing.description = description
    _clean(organization, existing)
    existing.save()
    return existing


# --- Role profiles ------------------------------------------------------------------------------


ROLE_FIELDS = {"title", "family", "track", "grade", "description", "framework", "is_active",
               "external_uri"}


@transaction.atomic
def role_create(*, organization: Organization, actor: Membership, framework: Framework,
                title: str, family: str = "", track: str = Track.INDIVIDUAL, grade: str = "",
                description: str = "", external_uri: str = "") -> RoleProfile:
    _require_hr(organization, actor)
    _require_own(organization, framework)
    if _name_taken(RoleProfile.objects.for_org(organization), title):
        raise ValidationError({"title": _("A role of this title exists.")})
    role = RoleProfile(organization=organization, framework=framework, title=title.strip(),
                       family=family.strip(), track=track, grade=grade.strip(),
                       description=description.strip(), external_uri=external_uri.strip())
    _clean(organization, role)
    role.save()
    audit(organization=organization, actor=actor, action="skills.role_created",
          role_id=role.pk, title=role.title)
    return role


@transaction.atomic
def role_update(*, organization: Organization, actor: Membership, role: RoleProfile,
                **fields) -> RoleProfile:
    """Edit a role profile. Its framework changes only while it requires no skills."""
    _require_hr(organization, actor)
    _require_own(organization, role, fields.get("framework"))
    previous_framework_id = role.framework_id
    changed = _apply(role, fields, ROLE_FIELDS | {"translations"})
    if "framework" in changed and RoleRequirement.objects.for_org(organization).filter(
        role=role
    ).exists():
        role.framework_id = previous_framework_id
        raise ValidationError(
            {"framework": _("Remove the required skills before moving the role to another "
                            "framework.")}
        )
    if "title" in changed and _name_taken(RoleProfile.objects.for_org(organization),
                                          role.title, role.pk):
        raise ValidationError({"title": _("A role of this title exists.")})
    _clean(organization, role)
    if changed:
        role.save()
        audit(organization=organization, actor=actor, action="skills.role_updated",
              role_id=role.pk, fields=sorted(changed))
    return role


@transaction.atomic
def role_deactivate(*, organization: Organization, actor: Membership,
                    role: RoleProfile) -> RoleProfile:
    """Withdraw a role profile: kept for its holders and history, not offered as a target."""
    _require_hr(organization, actor)
    _require_own(organization, role)
    if role.is_active:
        role.is_active = False
        role.save(update_fields=["is_active"])
        audit(organization=organization, actor=actor, action="skills.role_deactivated",
              role_id=role.pk)
    return role


@transaction.atomic
def role_reactivate(*, organization: Organization, actor: Membership,
                    role: RoleProfile) -> RoleProfile:
    _require_hr(organization, actor)
    _require_own(organization, role)
    if not role.is_active:
        role.is_active = True
        role.save(update_fields=["is_active"])
        audit(organization=organization, actor=actor, action="skills.role_reactivated",
              role_id=role.pk)
    return role


@transaction.atomic
def requirement_set(*, organization: Organization, actor: Membership, role: RoleProfile,
                    skill: Skill, min_level: int, importance: str = Importance.CORE,
                    ) -> RoleRequirement:
    """Require ``skill`` at ``min_level`` or above for ``role`` (adds or changes the requirement).

    The skill must belong to the role's framework and not be retired; ``min_level`` must be a
    rank of that framework's scale.
    """
    _require_hr(organization, actor)
    _require_own(organization, role)
    if skill.organization_id != organization.pk or skill.framework_id != role.framework_id:
        raise ValidationError({"skill": _("Choose a skill of the role's framework.")})
    if skill.is_retired:
        raise ValidationError({"skill": _("This skill is retired.")})
    try:
        min_level = int(min_level)
    except (TypeError, ValueError):
        raise ValidationError({"min_level": _("Choose a level of the framework's scale.")}) \
            from None
    ranks = set(Level.objects.for_org(organization).filter(framework_id=role.framework_id)
                .values_list("rank", flat=True))
    if min_level not in ranks:
        raise ValidationError({"min_level": _("Choose a level of the framework's scale.")})
    requirement = (RoleRequirement.objects.for_org(organization).select_for_update()
                   .filter(role=role, skill=skill).first())
    created = requirement is None
    if created:
        requirement = RoleRequirement(organization=organization, role=role, skill=skill)
    elif requirement.min_level == min_level and requirement.importance == importance:
        return requirement
    requirement.min_level = min_level
    requirement.importance = importance
    _clean(organization, requirement)
    requirement.save()
    audit(organization=organization, actor=actor,
          action="skills.requirement_added" if created else "skills.requirement_changed",
          role_id=role.pk, skill_id=skill.pk, min_level=min_level, importance=importance)
    return requirement


@transaction.atomic
def requirement_remove(*, organization: Organization, actor: Membership,
                       requirement: RoleRequirement) -> None:
    _require_hr(organization, actor)
    _require_own(organization, requirement)
    audit(organization=organization, actor=actor, action="skills.requirement_removed",
          role_id=requirement.role_id, skill_id=requirement.skill_id)
    requirement.delete()


# --- Career paths -------------------------------------------------------------------------------


def _check_path(organization, path: CareerPath) -> None:
    for field_name in ("from_role", "to_role"):
        role = getattr(path, field_name)
        if role.organization_id != organization.pk:
            raise ValidationError({field_name: _("Choose a role of this organisation.")})
    if path.from_role_id == path.to_role_id:
        raise ValidationError({"to_role": _("A path must lead to another role.")})
    duplicate = CareerPath.objects.for_org(organization).filter(
        from_role_id=path.from_role_id, to_role_id=path.to_role_id)
    if path.pk is not None:
        duplicate = duplicate.exclude(pk=path.pk)
    if duplicate.exists():
        raise ValidationError({"to_role": _("This path already exists.")})


@transaction.atomic
def path_create(*, organization: Organization, actor: Membership, from_role: RoleProfile,
                to_role: RoleProfile, kind: str = PathKind.PROMOTION,
                typical_months: int | None = None, notes: str = "") -> CareerPath:
    _require_hr(organization, actor)
    path = CareerPath(organization=organization, from_role=from_role, to_role=to_role, kind=kind,
                      typical_months=typical_months, notes=notes.strip())
    _check_path(organization, path)
    _clean(organization, path)
    path.save()
    audit(organization=organization, actor=actor, action="skills.path_created",
          path_id=path.pk, from_role_id=from_role.pk, to_role_id=to_role.pk)
    return path


@transaction.atomic
def path_update(*, organization: Organization, actor: Membership, path: CareerPath,
                **fields) -> CareerPath:
    _require_hr(organization, actor)
    _require_own(organization, path)
    changed = _apply(path, fields, {"from_role", "to_role", "kind", "typical_months", "notes"})
    _check_path(organization, path)
    _clean(organization, path)
    if changed:
        path.save()
        audit(organization=organization, actor=actor, action="skills.path_updated",
              path_id=path.pk, fields=sorted(changed))
    return path


@transaction.atomic
def path_delete(*, organization: Organization, actor: Membership, path: CareerPath) -> None:
    _require_hr(organization, actor)
    _require_own(organization, path)
    audit(organization=organization, actor=actor, action="skills.path_deleted",
          path_id=path.pk, from_role_id=path.from_role_id, to_role_id=path.to_role_id)
    path.delete()


# --- Learning resources -------------------------------------------------------------------------


@transaction.atomic
def resource_create(*, organization: Organization, actor: Membership, skill: Skill, title: str,
                    url: str = "", kind: str = ResourceKind.COURSE,
                    hours: Decimal | None = None) -> LearningResource:
    _require_hr(organization, actor)
    _require_own(organization, skill)
    resource = LearningResource(organization=organization, skill=skill, title=title.strip(),
                                url=url.strip(), kind=kind, hours=hours)
    _clean(organization, resource)
    resource.save()
    audit(organization=organization, actor=actor, action="skills.resource_created",
          skill_id=skill.pk, resource_id=resource.pk)
    return resource


@transaction.atomic
def resource_update(*, organization: Organization, actor: Membership,
                    resource: LearningResource, **fields) -> LearningResource:
    _require_hr(organization, actor)
    _require_own(organization, resource)
    changed = _apply(resource, fields, {"title", "url", "kind", "hours"})
    _clean(organization, resource)
    if changed:
        resource.save()
        audit(organization=organization, actor=actor, action="skills.resource_updated",
              resource_id=resource.pk, fields=sorted(changed))
    return resource


@transaction.atomic
def resource_delete(*, organization: Organization, actor: Membership,
                    resource: LearningResource) -> None:
    _require_hr(organization, actor)
    _require_own(organization, resource)
    audit(organization=organization, actor=actor, action="skills.resource_deleted",
          skill_id=resource.skill_id, resource_id=resource.pk)
    resource.delete()
