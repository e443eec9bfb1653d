"""HR's writes to frameworks, role profiles and career paths (skills.services.frameworks)."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organizations.models import AuditEvent
from skills.factories import (
    CareerPathFactory,
    CheckInItemFactory,
    FrameworkFactory,
    LevelFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillCategoryFactory,
    SkillFactory,
    SkillRatingFactory,
)
from skills.models import (
    CareerPath,
    Framework,
    Importance,
    LearningResource,
    Level,
    PathKind,
    RoleRequirement,
    Skill,
    SkillLevelDescriptor,
    SkillRating,
)
from skills.services import frameworks as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Engineering", with_levels=5)


@pytest.fixture
def role(framework):
    return RoleProfileFactory(framework=framework, title="Software Engineer")


def hr_call(people, fn, **kwargs):
    return fn(organization=people.org, actor=people.hr, **kwargs)


# --- Who may call these -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["employee", "manager", "leader"])
def test_only_hr_admins_change_frameworks(people, framework, role, who):
    actor = people.by_role()[who]
    skill = SkillFactory(framework=framework)
    calls = [
        lambda: services.framework_create(organization=people.org, actor=actor, name="Sales"),
        lambda: services.skill_create(organization=people.org, actor=actor, framework=framework,
                                      name="Negotiation"),
        lambda: services.requirement_set(organization=people.org, actor=actor, role=role,
                                         skill=skill, min_level=2),
        lambda: services.skill_flag_emerging(organization=people.org, actor=actor, skill=skill,
                                             note="AI"),
        lambda: services.role_deactivate(organization=people.org, actor=actor, role=role),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not Framework.objects_unscoped.filter(name="Sales").exists()
    assert not RoleRequirement.objects_unscoped.filter(role=role).exists()


def test_hr_admin_of_another_organisation_cannot_change_ours(people, other_people, framework):
    with pytest.raises(PermissionDenied):
        services.skill_create(organization=people.org, actor=other_people.hr,
                              framework=framework, name="Leak")
    assert not Skill.objects_unscoped.filter(name="Leak").exists()


def test_another_organisations_framework_is_refused(people, other_people):
    theirs = FrameworkFactory(organization=other_people.org)
    with pytest.raises(ValidationError):
        hr_call(people, services.skill_create, framework=theirs, name="Leak")
    assert not Skill.objects_unscoped.filter(name="Leak").exists()


# --- Frameworks and levels ----------------------------------------------------------------------


def test_framework_created_with_a_starter_scale_has_ranks_one_to_five(people):
    framework = hr_call(people, services.framework_create, name="Company skills",
                        levels=services.STARTER_SCALE)
    ranks = list(Level.objects_unscoped.filter(framework=framework).order_by("rank")
                 .values_list("rank", "name"))
    assert [r for r, _ in ranks] == [1, 2, 3, 4, 5]
    assert ranks[0][1] == "Learning"
    assert AuditEvent.objects_unscoped.filter(action="skills.framework_created").exists()


def test_framework_names_are_unique_whatever_the_case(people, framework):
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.framework_create, name="ENGINEERING")
    assert "name" in error.value.message_dict


def test_framework_in_use_by_a_role_cannot_be_deleted(people, framework, role):
    with pytest.raises(ValidationError):
        hr_call(people, services.framework_delete, framework=framework)
    assert Framework.objects_unscoped.filter(pk=framework.pk).exists()
    role.delete()
    hr_call(people, services.framework_delete, framework=framework)
    assert not Framework.objects_unscoped.filter(pk=framework.pk).exists()


def test_new_level_goes_on_top_of_the_scale(people, framework):
    level = hr_call(people, services.level_create, framework=framework, name="Authority")
    assert level.rank == 6


def test_a_scale_stops_at_twelve_levels(people):
    framework = FrameworkFactory(organization=people.org, with_levels=12)
    with pytest.raises(ValidationError):
        hr_call(people, services.level_create, framework=framework, name="Thirteen")


def test_level_asked_for_by_a_requirement_cannot_be_deleted(people, framework, role):
    RoleRequirementFactory(role=role, min_level=3)
    level3 = Level.objects_unscoped.get(framework=framework, rank=3)
    with pytest.raises(ValidationError):
        hr_call(people, services.level_delete, level=level3)
    assert Level.objects_unscoped.filter(pk=level3.pk).exists()


def test_deleting_a_level_closes_the_gap_and_keeps_what_stored_ranks_mean(people, framework,
                                                                           role):
    requirement = RoleRequirementFactory(role=role, min_level=5)
    rating = SkillRatingFactory(member=people.employee, skill=requirement.skill, self_level=4,
                                validated_level=1)
    top_name = Level.objects_unscoped.get(framework=framework, rank=5).name
    level2 = Level.objects_unscoped.get(framework=framework, rank=2)

    hr_call(people, services.level_delete, level=level2)

    levels = list(Level.objects_unscoped.filter(framework=framework).order_by("rank"))
    assert [lv.rank for lv in levels] == [1, 2, 3, 4]
    assert levels[-1].name == top_name
    requirement.refresh_from_db()
    rating.refresh_from_db()
    assert requirement.min_level == 4
    assert (rating.self_level, rating.validated_level) == (3, 1)


def test_level_someone_was_rated_at_cannot_be_deleted(people, framework, role):
    item = CheckInItemFactory(check_in__role=role, check_in__member=people.employee,
                              required_level=None, self_level=2)
    level2 = Level.objects_unscoped.get(framework=framework, rank=2)
    with pytest.raises(ValidationError):
        hr_call(people, services.level_delete, level=level2)
    item.refresh_from_db()
    assert item.self_level == 2


# --- Categories and skills ----------------------------------------------------------------------


def test_category_cannot_move_inside_its_own_sub_category(people, framework):
    parent = SkillCategoryFactory(framework=framework, name="Technical")
    child = SkillCategoryFactory(framework=framework, name="Data", parent=parent)
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.category_update, category=parent, parent=child)
    assert "parent" in error.value.message_dict
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_deleting_a_category_moves_its_skills_and_children_up(people, framework):
    top = SkillCategoryFactory(framework=framework, name="Technical")
    middle = SkillCategoryFactory(framework=framework, name="Data", parent=top)
    bottom = SkillCategoryFactory(framework=framework, name="Databases", parent=middle)
    skill = SkillFactory(framework=framework, category=middle)
    hr_call(people, services.category_delete, category=middle)
    skill.refresh_from_db()
    bottom.refresh_from_db()
    assert skill.category_id == top.pk
    assert bottom.parent_id == top.pk


def test_skill_category_must_be_of_the_same_framework(people, framework):
    elsewhere = SkillCategoryFactory(framework=FrameworkFactory(organization=people.org))
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.skill_create, framework=framework, name="SQL",
                category=elsewhere)
    assert "category" in error.value.message_dict


def test_skill_names_are_unique_in_a_framework(people, framework):
    SkillFactory(framework=framework, name="Python")
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.skill_create, framework=framework, name="python")
    assert "name" in error.value.message_dict


def test_retiring_a_skill_keeps_its_ratings_but_removes_it_from_roles(people, framework, role):
    requirement = RoleRequirementFactory(role=role)
    skill = requirement.skill
    SkillRatingFactory(member=people.employee, skill=skill)
    removed = hr_call(people, services.skill_retire, skill=skill)
    assert removed == 1
    skill.refresh_from_db()
    assert skill.is_retired
    assert SkillRating.objects_unscoped.filter(skill=skill).exists()
    assert not RoleRequirement.objects_unscoped.filter(skill=skill).exists()


def test_empty_descriptor_removes_it(people, framework):
    skill = SkillFactory(framework=framework)
    level = Level.objects_unscoped.get(framework=framework, rank=2)
    hr_call(people, services.descriptor_set, skill=skill, level=level,
            description="Writes simple queries.")
    assert SkillLevelDescriptor.objects_unscoped.get(skill=skill).description == \
        "Writes simple queries."
    hr_call(people, services.descriptor_set, skill=skill, level=level, description="  ")
    assert not SkillLevelDescriptor.objects_unscoped.filter(skill=skill).exists()


def test_descriptor_level_must_be_of_the_skills_framework(people, framework):
    skill = SkillFactory(framework=framework)
    foreign_level = LevelFactory(framework=FrameworkFactory(organization=people.org,
                                                            with_levels=False))
    with pytest.raises(ValidationError):
        hr_call(people, services.descriptor_set, skill=skill, level=foreign_level,
                description="x")


# --- Emerging skills ----------------------------------------------------------------------------


def test_flagging_a_skill_as_emerging_tells_people_after_commit(
    people, framework, django_capture_on_commit_callbacks
):
    skill = SkillFactory(framework=framework, name="Prompt engineering")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hr_call(people, services.skill_flag_emerging, skill=skill, note="Every team uses AI.")
    skill.refresh_from_db()
    assert skill.is_emerging and skill.emerging_since is not None
    assert skill.emerging_note == "Every team uses AI."
    assert len(callbacks) == 1
    with mock.patch("skills.tasks.notify_emerging_skill.delay") as delay:
        callbacks[0]()
    delay.assert_called_once_with(people.org.pk, skill.pk)


def test_updating_the_note_of_an_emerging_skill_does_not_tell_people_again(
    people, framework, django_capture_on_commit_callbacks
):
    skill = SkillFactory(framework=framework, is_emerging=True, emerging_note="Old")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hr_call(people, services.skill_flag_emerging, skill=skill, note="New")
    assert callbacks == []
    skill.refresh_from_db()
    assert skill.emerging_note == "New"


def test_retired_skill_cannot_be_emerging(people, framework):
    skill = SkillFactory(framework=framework, is_retired=True)
    with pytest.raises(ValidationError):
        hr_call(people, services.skill_flag_emerging, skill=skill, note="x")


def test_unflagging_clears_the_note(people, framework):
    skill = SkillFactory(framework=framework, is_emerging=True, emerging_note="Old")
    hr_call(people, services.skill_unflag_emerging, skill=skill)
    skill.refresh_from_db()
    assert not skill.is_emerging and skill.emerging_note == ""


# --- Role requirements --------------------------------------------------------------------------


def test_requirement_set_adds_then_changes_one_requirement(people, framework, role):
    skill = SkillFactory(framework=framework)
    hr_call(people, services.requirement_set, role=role, skill=skill, min_level=2,
            importance=Importance.DESIRABLE)
    hr_call(people, services.requirement_set, role=role, skill=skill, min_level=4,
            importance=Importance.CORE)
    requirement = RoleRequirement.objects_unscoped.get(role=role)
    assert (requirement.min_level, requirement.importance) == (4, Importance.CORE)


def test_requirement_with_a_skill_of_another_framework_is_refused(people, framework, role):
    other_framework = FrameworkFactory(organization=people.org)
    skill = SkillFactory(framework=other_framework)
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.requirement_set, role=role, skill=skill, min_level=2)
    assert "skill" in error.value.message_dict
    assert not RoleRequirement.objects_unscoped.filter(role=role).exists()


def test_requirement_with_a_skill_of_another_organisation_is_refused(people, other_people, role):
    skill = SkillFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError):
        hr_call(people, services.requirement_set, role=role, skill=skill, min_level=2)
    assert not RoleRequirement.objects_unscoped.filter(role=role).exists()


@pytest.mark.parametrize("min_level", [0, 6, 99, "three"])
def test_requirement_level_outside_the_scale_is_refused(people, framework, role, min_level):
    skill = SkillFactory(framework=framework)
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.requirement_set, role=role, skill=skill, min_level=min_level)
    assert "min_level" in error.value.message_dict
    assert not RoleRequirement.objects_unscoped.filter(role=role).exists()


def test_retired_skill_cannot_be_required(people, framework, role):
    skill = SkillFactory(framework=framework, is_retired=True)
    with pytest.raises(ValidationError):
        hr_call(people, services.requirement_set, role=role, skill=skill, min_level=2)


def test_role_with_requirements_keeps_its_framework(people, framework, role):
    RoleRequirementFactory(role=role)
    other = FrameworkFactory(organization=people.org)
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.role_update, role=role, framework=other)
    assert "framework" in error.value.message_dict
    role.refresh_from_db()
    assert role.framework_id == framework.pk


def test_deactivated_role_is_kept(people, role):
    hr_call(people, services.role_deactivate, role=role)
    role.refresh_from_db()
    assert role.is_active is False


# --- Career paths -------------------------------------------------------------------------------


def test_path_to_the_same_role_is_refused(people, role):
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.path_create, from_role=role, to_role=role)
    assert "to_role" in error.value.message_dict
    assert not CareerPath.objects_unscoped.exists()


def test_duplicate_path_is_refused(people, framework, role):
    senior = RoleProfileFactory(framework=framework, title="Senior Engineer")
    hr_call(people, services.path_create, from_role=role, to_role=senior, typical_months=24)
    with pytest.raises(ValidationError) as error:
        hr_call(people, services.path_create, from_role=role, to_role=senior,
                kind=PathKind.LATERAL)
    assert "to_role" in error.value.message_dict
    assert CareerPath.objects_unscoped.filter(from_role=role).count() == 1


def test_path_to_another_organisations_role_is_refused(people, other_people, role):
    theirs = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError):
        hr_call(people, services.path_create, from_role=role, to_role=theirs)
    assert not CareerPath.objects_unscoped.exists()


def test_path_update_cannot_create_a_duplicate(people, framework, role):
    a = RoleProfileFactory(framework=framework)
    CareerPathFactory(from_role=role, to_role=a)
    other = CareerPathFactory(from_role=role)
    with pytest.raises(ValidationError):
        hr_call(people, services.path_update, path=other, to_role=a)


# --- Learning resources -------------------------------------------------------------------------


def test_resources_are_created_updated_and_deleted(people, framework):
    skill = SkillFactory(framework=framework)
    resource = hr_call(people, services.resource_create, skill=skill, title="SQL basics",
                       url="https://example.test/sql")
    hr_call(people, services.resource_update, resource=resource, title="SQL, the basics")
    resource.refresh_from_db()
    assert resource.title == "SQL, the basics"
    hr_call(people, services.resource_delete, resource=resource)
    assert not LearningResource.objects_unscoped.filter(skill=skill).exists()
