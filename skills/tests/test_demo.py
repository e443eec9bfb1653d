"""Skills demo data, added to each demo organisation by ``seed_demo``."""

from io import StringIO

import pytest
from django.core.management import call_command

from organizations.models import Membership
from skills.demo import role_title_for
from skills.models import (
    CareerPath,
    CheckIn,
    CheckInItem,
    CheckInStatus,
    EmergingSkillNotice,
    Level,
    MemberRole,
    RatingChange,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillRating,
)

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", force=True, stdout=StringIO())


def skills_snapshot() -> dict:
    return {
        "skills": sorted(Skill.objects_unscoped.values_list("pk", "name", "description")),
        "roles": sorted(RoleProfile.objects_unscoped.values_list("pk", "title")),
        "links": sorted(MemberRole.objects_unscoped.values_list("member_id", "role_id")),
        "check_ins": sorted(CheckIn.objects_unscoped.values_list("pk", "member_id", "status")),
        "items": sorted(CheckInItem.objects_unscoped.values_list(
            "pk", "self_level", "manager_level")),
        "history": RatingChange.objects_unscoped.count(),
        "ratings": sorted(SkillRating.objects_unscoped.values_list(
            "member_id", "skill_id", "self_level", "validated_level")),
        "notices": sorted(EmergingSkillNotice.objects_unscoped.values_list("member_id",
                                                                           "skill_id")),
    }


def test_acme_gets_a_full_framework_with_roles_in_families_linked_by_paths():
    # When
    seed()

    # Then
    skills = Skill.objects_unscoped.filter(organization__slug="acme")
    assert skills.count() >= 30
    assert Level.objects_unscoped.filter(organization__slug="acme").count() == 7
    roles = RoleProfile.objects_unscoped.filter(organization__slug="acme")
    assert roles.count() >= 12
    assert len(set(roles.values_list("family", flat=True))) >= 3
    linked = set(CareerPath.objects_unscoped.filter(organization__slug="acme")
                 .values_list("from_role_id", "to_role_id"))
    assert len(linked) >= 12


def test_most_demo_members_have_a_role_and_ratings():
    seed()

    for slug in ("acme", "globex"):
        members = Membership.objects_unscoped.filter(organization__slug=slug, is_active=True)
        with_role = MemberRole.objects_unscoped.filter(organization__slug=slug).count()
        rated = (SkillRating.objects_unscoped.filter(organization__slug=slug)
                 .values("member").distinct().count())
        assert with_role > members.count() * 0.6, slug
        assert rated > members.count() * 0.5, slug


def test_every_demo_check_in_follows_the_validation_rules():
    seed()

    check_ins = CheckIn.objects_unscoped.filter(organization__slug="acme")
    assert check_ins.filter(status=CheckInStatus.VALIDATED).count() > 50
    assert check_ins.filter(status=CheckInStatus.SUBMITTED).exists()
    for check_in in check_ins.filter(status=CheckInStatus.VALIDATED).select_related("member"):
        assert check_in.validated_by_id == check_in.member.manager_id
        assert check_in.submitted_at <= check_in.validated_at
    assert not CheckInItem.objects_unscoped.filter(
        organization__slug="acme", check_in__status=CheckInStatus.SUBMITTED,
        manager_level__isnull=False,
    ).exists()
    levels = set(CheckInItem.objects_unscoped.values_list("self_level", flat=True))
    assert levels <= set(range(1, 8))


def test_the_demo_employee_has_a_next_role_and_real_gaps():
    seed()

    employee = Membership.objects_unscoped.get(user__email="employee@acme.test")
    role = MemberRole.objects_unscoped.get(member=employee).role
    assert CareerPath.objects_unscoped.filter(from_role=role).exists()
    ratings = {r.skill_id: r.level for r in SkillRating.objects_unscoped.filter(member=employee)}
    requirements = RoleRequirement.objects_unscoped.filter(role=role)
    gaps = [r for r in requirements if (ratings.get(r.skill_id) or 0) < r.min_level]
    assert len(gaps) >= 2
    assert len(gaps) < requirements.count()
    assert CheckIn.objects_unscoped.get(member=employee).status == CheckInStatus.VALIDATED


def test_the_demo_manager_has_a_check_in_waiting_for_validation():
    seed()

    manager = Membership.objects_unscoped.get(user__email="manager@acme.test")
    assert CheckIn.objects_unscoped.filter(member__manager=manager,
                                           status=CheckInStatus.SUBMITTED).exists()


def test_people_whose_role_needs_an_emerging_skill_see_a_notice_but_get_no_email(mailoutbox):
    seed()

    notices = EmergingSkillNotice.objects_unscoped.filter(organization__slug="acme")
    assert notices.exists()
    assert not notices.filter(emailed_at__isnull=True).exists()
    assert mailoutbox == []


def test_seeding_twice_changes_no_skills_data():
    seed()
    before = skills_snapshot()

    seed()

    assert skills_snapshot() == before


def test_seeding_again_gives_a_newly_added_member_a_role_and_a_check_in():
    seed()
    employee = Membership.objects_unscoped.get(user__email="employee@globex.test")
    employee.delete()

    seed()

    employee = Membership.objects_unscoped.get(user__email="employee@globex.test")
    assert MemberRole.objects_unscoped.filter(member=employee).exists()
    assert CheckIn.objects_unscoped.filter(member=employee).exists()


@pytest.mark.parametrize("job_title,role_title", [
    ("Software Engineer", "Software Engineer II"),
    ("Senior Software Engineer", "Senior Software Engineer"),
    ("Engineering Manager, Platform", "Engineering Manager"),
    ("Sales Manager, DACH & France", "Sales Manager"),
    ("HR Business Partner", "People Partner"),
    ("Support Specialist", "Customer Support Specialist"),
    ("Chief Executive Officer", None),
])
def test_demo_job_titles_map_to_role_profiles(job_title, role_title):
    from skills.demo import TITLE_PREFIXES

    titles = {role for _prefix, role in TITLE_PREFIXES} | {"Senior Software Engineer"}

    assert role_title_for(job_title, titles) == role_title
