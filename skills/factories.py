"""factory_boy factories for the skills app.

A factory graph never spans two organisations by accident: each row takes its organisation from
the row it belongs to (a level from its framework, a requirement from its role, a rating from its
member …), and rows that hang off two parents build the second one inside the first one's
organisation.
"""

import factory
from django.utils import timezone

from organizations.factories import MembershipFactory, OrganizationFactory, TenantFactory

from .models import (
    CareerPath,
    CheckIn,
    CheckInItem,
    CheckInStatus,
    EmergingSkillNotice,
    Framework,
    Importance,
    LearningResource,
    Level,
    MemberRole,
    PathKind,
    RatingChange,
    ResourceKind,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevelDescriptor,
    SkillRating,
)

# A seven-step scale written for Trellis's tests and demo data (not taken from any licensed
# framework): name and generic descriptor of ranks 1..7.
SEVEN_LEVELS: tuple[tuple[str, str], ...] = (
    ("Aware", "Knows what the skill is for and learns it with close guidance."),
    ("Learning", "Does simple, well-defined tasks and checks the result with someone."),
    ("Practising", "Does the usual work on their own and knows when to ask."),
    ("Proficient", "Handles unusual cases, improves how the work is done and guides peers."),
    ("Advanced", "Owns the skill for a team, reviews others' work and solves hard problems."),
    ("Leading", "Shapes how several teams use the skill and is consulted across the organisation."),
    ("Shaping", "Sets the organisation's direction for the skill and is known outside it."),
)


class FrameworkFactory(TenantFactory):
    """A framework with levels 1..7 (``with_levels=False`` for none, ``with_levels=5`` for 1..5)."""

    class Meta:
        model = Framework
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Framework {n}")
    description = ""

    @factory.post_generation
    def with_levels(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        count = len(SEVEN_LEVELS) if extracted in (None, True) else int(extracted)
        for rank in range(1, count + 1):
            name, descriptor = SEVEN_LEVELS[(rank - 1) % len(SEVEN_LEVELS)]
            LevelFactory(framework=obj, rank=rank, name=name, descriptor=descriptor)


class LevelFactory(TenantFactory):
    class Meta:
        model = Level

    framework = factory.SubFactory(FrameworkFactory, with_levels=False)
    organization = factory.SelfAttribute("framework.organization")
    rank = factory.LazyAttribute(
        lambda o: Level.objects_unscoped.filter(framework=o.framework).count() + 1
    )
    name = factory.LazyAttribute(lambda o: SEVEN_LEVELS[(o.rank - 1) % len(SEVEN_LEVELS)][0])
    descriptor = factory.LazyAttribute(
        lambda o: SEVEN_LEVELS[(o.rank - 1) % len(SEVEN_LEVELS)][1]
    )


class SkillCategoryFactory(TenantFactory):
    class Meta:
        model = SkillCategory

    framework = factory.SubFactory(FrameworkFactory)
    organization = factory.SelfAttribute("framework.organization")
    name = factory.Sequence(lambda n: f"Category {n}")
    parent = None


class SkillFactory(TenantFactory):
    class Meta:
        model = Skill

    framework = factory.SubFactory(FrameworkFactory)
    organization = factory.SelfAttribute("framework.organization")
    category = None
    name = factory.Sequence(lambda n: f"Skill {n}")
    description = factory.LazyAttribute(lambda o: f"What {o.name} covers.")


class SkillLevelDescriptorFactory(TenantFactory):
    class Meta:
        model = SkillLevelDescriptor

    skill = factory.SubFactory(SkillFactory)
    organization = factory.SelfAttribute("skill.organization")
    level = factory.LazyAttribute(
        lambda o: Level.objects_unscoped.filter(framework=o.skill.framework).order_by("rank")
        .first() or LevelFactory(framework=o.skill.framework)
    )
    description = factory.LazyAttribute(lambda o: f"{o.skill.name} at level {o.level.rank}.")


class RoleProfileFactory(TenantFactory):
    class Meta:
        model = RoleProfile

    framework = factory.SubFactory(FrameworkFactory)
    organization = factory.SelfAttribute("framework.organization")
    title = factory.Sequence(lambda n: f"Role {n}")
    family = "Engineering"
    grade = ""
    is_active = True


class RoleRequirementFactory(TenantFactory):
    class Meta:
        model = RoleRequirement

    role = factory.SubFactory(RoleProfileFactory)
    organization = factory.SelfAttribute("role.organization")
    skill = factory.SubFactory(SkillFactory, framework=factory.SelfAttribute("..role.framework"))
    min_level = 3
    importance = Importance.CORE


class MemberRoleFactory(TenantFactory):
    class Meta:
        model = MemberRole

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    role = factory.SubFactory(
        RoleProfileFactory, framework__organization=factory.SelfAttribute("...organization")
    )
    since = factory.LazyFunction(timezone.localdate)


class CareerPathFactory(TenantFactory):
    class Meta:
        model = CareerPath

    from_role = factory.SubFactory(RoleProfileFactory)
    organization = factory.SelfAttribute("from_role.organization")
    to_role = factory.SubFactory(
        RoleProfileFactory, framework=factory.SelfAttribute("..from_role.framework")
    )
    kind = PathKind.PROMOTION
    typical_months = 18
    notes = ""


class LearningResourceFactory(TenantFactory):
    class Meta:
        model = LearningResource

    skill = factory.SubFactory(SkillFactory)
    organization = factory.SelfAttribute("skill.organization")
    title = factory.Sequence(lambda n: f"Learning resource {n}")
    url = factory.Sequence(lambda n: f"https://learning.example.test/{n}")
    kind = ResourceKind.COURSE
    hours = None


class CheckInFactory(TenantFactory):
    """A check-in row only; ``check_in_start`` is what copies a role's requirements."""

    class Meta:
        model = CheckIn

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    role = factory.SubFactory(
        RoleProfileFactory, framework__organization=factory.SelfAttribute("...organization")
    )
    role_title = factory.LazyAttribute(lambda o: o.role.title if o.role else "Former role")
    status = CheckInStatus.DRAFT


class CheckInItemFactory(TenantFactory):
    class Meta:
        model = CheckInItem

    check_in = factory.SubFactory(CheckInFactory)
    organization = factory.SelfAttribute("check_in.organization")
    skill = factory.SubFactory(
        SkillFactory, framework=factory.SelfAttribute("..check_in.role.framework")
    )
    skill_name = factory.LazyAttribute(lambda o: o.skill.name if o.skill else "Former skill")
    required_level = 3
    importance = Importance.CORE
    self_level = None
    manager_level = None


class RatingChangeFactory(TenantFactory):
    class Meta:
        model = RatingChange

    item = factory.SubFactory(CheckInItemFactory)
    organization = factory.SelfAttribute("item.organization")
    field = RatingChange.Field.SELF
    changed_by = factory.SelfAttribute("item.check_in.member")
    from_level = None
    to_level = 3


class SkillRatingFactory(TenantFactory):
    class Meta:
        model = SkillRating

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    skill = factory.SubFactory(
        SkillFactory, framework__organization=factory.SelfAttribute("...organization")
    )
    self_level = 3
    validated_level = None


class EmergingSkillNoticeFactory(TenantFactory):
    class Meta:
        model = EmergingSkillNotice

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    skill = factory.SubFactory(
        SkillFactory, framework__organization=factory.SelfAttribute("...organization"),
        is_emerging=True,
    )
