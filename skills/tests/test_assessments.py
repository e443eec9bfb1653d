"""Check-in services: who may do what, the snapshot of requirements, history and ratings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organizations.factories import MembershipFactory
from organizations.models import AuditEvent
from skills.factories import (
    FrameworkFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
    SkillRatingFactory,
)
from skills.models import (
    CheckIn,
    CheckInItem,
    CheckInStatus,
    Importance,
    MemberRole,
    RatingChange,
    RoleRequirement,
    SkillRating,
)
from skills.services import assessments

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(people):
    """Data Engineer: SQL core ≥ 4, Python core ≥ 3, Storytelling desirable ≥ 2 (scale 1..7)."""
    framework = FrameworkFactory(organization=people.org, name="Engineering")
    role = RoleProfileFactory(framework=framework, title="Data Engineer")
    for name, level, importance in (("SQL", 4, Importance.CORE),
                                    ("Python", 3, Importance.CORE),
                                    ("Storytelling", 2, Importance.DESIRABLE)):
        RoleRequirementFactory(role=role, skill=SkillFactory(framework=framework, name=name),
                               min_level=level, importance=importance)
    return role


def skill(role, name):
    return RoleRequirement.objects_unscoped.get(role=role, skill__name=name).skill


def items_by_name(check_in):
    return {i.skill_name: i for i in CheckInItem.objects_unscoped.filter(check_in=check_in)}


def start(people, role, member=None):
    member = member or people.employee
    return assessments.check_in_start(organization=people.org, actor=member, member=member,
                                      role=role)


def rate_self(people, check_in, levels, actor=None):
    items = items_by_name(check_in)
    return assessments.check_in_rate_self(
        organization=people.org, actor=actor or people.employee, check_in=check_in,
        ratings={items[name].pk: level for name, level in levels.items()},
    )


def submitted(people, role, levels=None):
    check_in = start(people, role)
    rate_self(people, check_in, levels or {"SQL": 3, "Python": 3, "Storytelling": 1})
    assessments.check_in_submit(organization=people.org, actor=people.employee,
                                check_in=check_in)
    return check_in


# --- Starting ------------------------------------------------------------------------------------


def test_starting_a_check_in_copies_the_roles_requirements_and_current_ratings(people, role):
    # Given a self rating in SQL and a validated-only rating in Python
    SkillRatingFactory(member=people.employee, skill=skill(role, "SQL"), self_level=2)
    SkillRatingFactory(member=people.employee, skill=skill(role, "Python"), self_level=None,
                       validated_level=4)
    # When the employee starts a check-in against their role
    check_in = start(people, role)
    # Then each requirement became an item, pre-filled from the ratings
    items = items_by_name(check_in)
    assert check_in.status == CheckInStatus.DRAFT
    assert check_in.role_title == "Data Engineer"
    assert {n: (i.required_level, i.importance, i.self_level) for n, i in items.items()} == {
        "SQL": (4, "core", 2),
        "Python": (3, "core", 4),
        "Storytelling": (2, "desirable", None),
    }
    # and the starting point is not a change: no history yet
    assert not RatingChange.objects_unscoped.filter(item__check_in=check_in).exists()


def test_only_the_member_can_start_their_own_check_in(people, role):
    with pytest.raises(PermissionDenied):
        assessments.check_in_start(organization=people.org, actor=people.manager,
                                   member=people.employee, role=role)
    assert not CheckIn.objects_unscoped.exists()


def test_a_second_open_check_in_against_the_same_role_is_refused(people, role):
    start(people, role)
    with pytest.raises(ValidationError) as error:
        start(people, role)
    assert "in progress" in str(error.value)
    assert CheckIn.objects_unscoped.filter(member=people.employee).count() == 1


def test_a_role_without_skills_cannot_be_checked_in(people):
    empty = RoleProfileFactory(framework=FrameworkFactory(organization=people.org))
    with pytest.raises(ValidationError) as error:
        start(people, empty)
    assert "does not list any skills" in str(error.value)


def test_retired_skills_are_left_out_of_a_new_check_in(people, role):
    retired = skill(role, "Storytelling")
    retired.is_retired = True
    retired.save()
    assert set(items_by_name(start(people, role))) == {"SQL", "Python"}


def test_a_role_of_another_organisation_is_refused(people, other_people):
    foreign = RoleRequirementFactory(
        role=RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    ).role
    with pytest.raises(ValidationError):
        start(people, foreign)


# --- The snapshot --------------------------------------------------------------------------------


def test_editing_the_role_after_a_check_in_started_does_not_change_its_items(people, role):
    # Given a started check-in
    check_in = start(people, role)
    # When HR raises a level, drops a skill, adds one and renames another
    RoleRequirement.objects_unscoped.filter(role=role, skill__name="SQL").update(min_level=6)
    RoleRequirement.objects_unscoped.filter(role=role, skill__name="Storytelling").delete()
    RoleRequirementFactory(role=role, skill=SkillFactory(framework=role.framework, name="Kafka"),
                           min_level=5)
    python = skill(role, "Python")
    python.name = "Python 3"
    python.save()
    # Then the check-in still holds what the role asked for when it started
    items = items_by_name(check_in)
    assert {n: (i.required_level, i.importance) for n, i in items.items()} == {
        "SQL": (4, "core"),
        "Python": (3, "core"),
        "Storytelling": (2, "desirable"),
    }


# --- Self-assessment -----------------------------------------------------------------------------


def test_every_self_rating_change_is_kept_as_history(people, role):
    check_in = start(people, role)
    rate_self(people, check_in, {"SQL": 2, "Python": 3})
    rate_self(people, check_in, {"SQL": 3, "Python": 3})  # Python unchanged: no row
    rate_self(people, check_in, {"SQL": None})
    history = list(RatingChange.objects_unscoped.filter(item__check_in=check_in)
                   .order_by("changed_at", "pk"))
    assert [(h.item.skill_name, h.field, h.from_level, h.to_level) for h in history] == [
        ("SQL", "self", None, 2),
        ("Python", "self", None, 3),
        ("SQL", "self", 2, 3),
        ("SQL", "self", 3, None),
    ]
    assert all(h.changed_by == people.employee and h.changed_at for h in history)


def test_a_level_outside_the_frameworks_scale_is_refused(people, role):
    check_in = start(people, role)
    with pytest.raises(ValidationError) as error:
        rate_self(people, check_in, {"SQL": 9})
    assert "SQL: choose a level" in str(error.value)
    assert items_by_name(check_in)["SQL"].self_level is None


def test_an_item_of_another_check_in_is_refused(people, role):
    mine = start(people, role)
    other = start(people, role, member=people.manager)
    other_item = CheckInItem.objects_unscoped.filter(check_in=other).first()
    with pytest.raises(ValidationError):
        assessments.check_in_rate_self(organization=people.org, actor=people.employee,
                                       check_in=mine, ratings={other_item.pk: 3})


def test_only_the_member_rates_their_self_assessment(people, role):
    check_in = start(people, role)
    with pytest.raises(PermissionDenied):
        rate_self(people, check_in, {"SQL": 5}, actor=people.manager)


def test_submitting_needs_at_least_one_rating(people, role):
    check_in = start(people, role)
    with pytest.raises(ValidationError):
        assessments.check_in_submit(organization=people.org, actor=people.employee,
                                    check_in=check_in)


def test_submitting_records_self_levels_and_freezes_the_self_assessment(people, role):
    SkillRatingFactory(member=people.employee, skill=skill(role, "SQL"), self_level=1,
                       validated_level=2)
    check_in = submitted(people, role, {"SQL": 3, "Python": 4, "Storytelling": None})
    ratings = {r.skill.name: (r.self_level, r.validated_level)
               for r in SkillRating.objects_unscoped.filter(member=people.employee)}
    assert ratings == {"SQL": (3, 2), "Python": (4, None)}
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SUBMITTED and check_in.submitted_at
    with pytest.raises(ValidationError):
        rate_self(people, check_in, {"SQL": 5})


# --- Validation ----------------------------------------------------------------------------------


def test_a_member_cannot_validate_their_own_check_in(people, role):
    # Even a member who manages others (and an HR admin) cannot validate themself
    MembershipFactory(organization=people.org, manager=people.employee)
    check_in = submitted(people, role)
    with pytest.raises(PermissionDenied) as error:
        assessments.check_in_validate(organization=people.org, actor=people.employee,
                                      check_in=check_in)
    assert "your own" in str(error.value)
    with pytest.raises(PermissionDenied):
        assessments.check_in_rate_manager(organization=people.org, actor=people.employee,
                                          check_in=check_in, ratings={})
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SUBMITTED


def test_a_manager_outside_the_reporting_line_cannot_rate_or_validate(people, role):
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    check_in = submitted(people, role)
    item = items_by_name(check_in)["SQL"]
    for actor in (other_manager, people.hr):
        with pytest.raises(PermissionDenied):
            assessments.check_in_rate_manager(organization=people.org, actor=actor,
                                              check_in=check_in, ratings={item.pk: 5})
        with pytest.raises(PermissionDenied):
            assessments.check_in_validate(organization=people.org, actor=actor,
                                          check_in=check_in)
    assert items_by_name(check_in)["SQL"].manager_level is None
    assert not SkillRating.objects_unscoped.filter(validated_level__isnull=False).exists()


def test_a_check_in_must_be_submitted_before_it_is_validated(people, role):
    check_in = start(people, role)
    rate_self(people, check_in, {"SQL": 3})
    with pytest.raises(ValidationError) as error:
        assessments.check_in_validate(organization=people.org, actor=people.manager,
                                      check_in=check_in)
    assert "not been submitted" in str(error.value)


def test_validation_makes_the_managers_level_else_the_self_level_the_validated_level(
    people, role
):
    # Given a submitted check-in: SQL 3, Python 3, Storytelling 1
    check_in = submitted(people, role)
    items = items_by_name(check_in)
    # When the manager adjusts SQL to 2 with a comment, rates Python the same, then validates
    history = assessments.check_in_rate_manager(
        organization=people.org, actor=people.manager, check_in=check_in,
        ratings={items["SQL"].pk: 2, items["Python"].pk: 3},
        comments={items["SQL"].pk: "Joins yes, query plans not yet."},
    )
    assessments.check_in_validate(organization=people.org, actor=people.manager,
                                  check_in=check_in, comment="A good first check-in.")
    # Then validated levels are the manager's where given, else the member's
    ratings = {r.skill.name: (r.self_level, r.validated_level)
               for r in SkillRating.objects_unscoped.filter(member=people.employee)}
    assert ratings == {"SQL": (3, 2), "Python": (3, 3), "Storytelling": (1, 1)}
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.VALIDATED
    assert check_in.validated_by == people.manager
    assert check_in.manager_comment == "A good first check-in."
    assert items_by_name(check_in)["SQL"].comment == "Joins yes, query plans not yet."
    # and each manager change has a history row
    assert [(h.item.skill_name, h.field, h.from_level, h.to_level, h.changed_by_id)
            for h in history] == [
        ("SQL", "manager", None, 2, people.manager.pk),
        ("Python", "manager", None, 3, people.manager.pk),
    ]
    assert RatingChange.objects_unscoped.filter(item__check_in=check_in,
                                                field="manager").count() == 2
    actions = set(AuditEvent.objects_unscoped.filter(subject=people.employee)
                  .values_list("action", flat=True))
    assert {"skills.check_in_started", "skills.check_in_submitted", "skills.check_in_rated",
            "skills.check_in_validated"} <= actions


def test_a_manager_higher_in_the_line_can_validate(people, role):
    check_in = submitted(people, role)
    assessments.check_in_validate(organization=people.org, actor=people.leader,
                                  check_in=check_in)
    check_in.refresh_from_db()
    assert check_in.validated_by == people.leader


def test_a_validated_check_in_cannot_be_validated_again(people, role):
    check_in = submitted(people, role)
    assessments.check_in_validate(organization=people.org, actor=people.manager,
                                  check_in=check_in)
    with pytest.raises(ValidationError) as error:
        assessments.check_in_validate(organization=people.org, actor=people.manager,
                                      check_in=check_in)
    assert "already validated" in str(error.value)


def test_a_new_check_in_can_start_once_the_previous_one_is_validated(people, role):
    check_in = submitted(people, role)
    assessments.check_in_validate(organization=people.org, actor=people.manager,
                                  check_in=check_in)
    again = start(people, role)
    # pre-filled from the latest self levels
    assert items_by_name(again)["SQL"].self_level == 3


# --- A member's role -----------------------------------------------------------------------------


def test_hr_sets_and_clears_a_members_role(people, role):
    link = assessments.member_role_set(organization=people.org, actor=people.hr,
                                       member=people.employee, role=role)
    assert MemberRole.objects_unscoped.get(member=people.employee).role == role
    assert link.organization_id == people.org.pk
    assessments.member_role_set(organization=people.org, actor=people.hr,
                                member=people.employee, role=None)
    assert not MemberRole.objects_unscoped.filter(member=people.employee).exists()
    assert AuditEvent.objects_unscoped.filter(action="skills.member_role_set",
                                              subject=people.employee).exists()


def test_a_manager_sets_a_reports_role_but_a_colleague_cannot(people, role):
    assessments.member_role_set(organization=people.org, actor=people.manager,
                                member=people.employee, role=role)
    colleague = MembershipFactory(organization=people.org, manager=people.manager)
    with pytest.raises(PermissionDenied):
        assessments.member_role_set(organization=people.org, actor=colleague,
                                    member=people.employee, role=None)
    with pytest.raises(PermissionDenied):
        assessments.member_role_set(organization=people.org, actor=people.employee,
                                    member=people.employee, role=role)


def test_changing_a_role_moves_the_existing_link(people, role):
    MemberRoleFactory(member=people.employee, role=role)
    other = RoleProfileFactory(framework=role.framework, title="Analytics Engineer")
    assessments.member_role_set(organization=people.org, actor=people.hr,
                                member=people.employee, role=other)
    assert list(MemberRole.objects_unscoped.filter(member=people.employee)
                .values_list("role__title", flat=True)) == ["Analytics Engineer"]


def test_an_inactive_role_cannot_be_given(people, role):
    role.is_active = False
    role.save()
    with pytest.raises(ValidationError):
        assessments.member_role_set(organization=people.org, actor=people.hr,
                                    member=people.employee, role=role)
