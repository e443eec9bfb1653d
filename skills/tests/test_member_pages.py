"""Member and manager pages, through real URLs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from skills.factories import (
    CareerPathFactory,
    FrameworkFactory,
    LearningResourceFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
    SkillLevelDescriptorFactory,
    SkillRatingFactory,
)
from skills.models import (
    CheckIn,
    CheckInItem,
    CheckInStatus,
    Importance,
    Level,
    PathKind,
    RoleRequirement,
    SkillRating,
)
from skills.services import assessments

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"skills:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def role(people):
    """Data Engineer (SQL core 4, Storytelling desirable 2); the employee holds it."""
    framework = FrameworkFactory(organization=people.org, name="Engineering")
    role = RoleProfileFactory(framework=framework, title="Data Engineer", family="Data")
    sql = SkillFactory(framework=framework, name="SQL")
    RoleRequirementFactory(role=role, skill=sql, min_level=4)
    RoleRequirementFactory(role=role, skill=SkillFactory(framework=framework, name="Storytelling"),
                           min_level=2, importance=Importance.DESIRABLE)
    MemberRoleFactory(member=people.employee, role=role)
    return role


def start(people, role):
    return assessments.check_in_start(organization=people.org, actor=people.employee,
                                      member=people.employee, role=role)


def items(check_in):
    return {i.skill_name: i for i in CheckInItem.objects_unscoped.filter(check_in=check_in)}


def submitted(people, role):
    check_in = start(people, role)
    by_name = items(check_in)
    assessments.check_in_rate_self(organization=people.org, actor=people.employee,
                                   check_in=check_in,
                                   ratings={by_name["SQL"].pk: 3, by_name["Storytelling"].pk: 2})
    assessments.check_in_submit(organization=people.org, actor=people.employee,
                                check_in=check_in)
    return check_in


# --- My skills -----------------------------------------------------------------------------------


def test_my_skills_without_a_role_or_check_ins_says_what_to_do(people, login):
    body = text(login(people.employee).get(url("my_skills", people.org)))
    assert "No role profile is set for you yet" in body
    assert "No check-ins yet — start one" in body
    assert "No ratings yet" in body


def test_my_skills_shows_my_role_readiness_and_a_start_button(people, login, role):
    body = text(login(people.employee).get(url("my_skills", people.org)))
    assert "Data Engineer" in body
    assert "0% ready" in body
    assert "Start the check-in" in body
    assert url("gaps", people.org, role_id=role.pk) in body


def test_member_starts_a_check_in_from_my_skills_and_lands_on_the_form(people, login, role):
    client = login(people.employee)
    response = client.post(url("check_in_start", people.org), {"role": role.pk})
    check_in = CheckIn.objects_unscoped.get(member=people.employee)
    assert response.status_code == 302
    assert response["Location"] == url("check_in", people.org, check_in_id=check_in.pk)
    body = text(client.get(response["Location"]))
    assert body.count('type="radio"') == 2 * 8  # two skills, "not yet" + seven levels
    assert "Role asks for level 4" in body
    assert "Submit to my manager" in body


def test_starting_twice_takes_me_to_the_check_in_in_progress(people, login, role):
    existing = start(people, role)
    response = login(people.employee).post(url("check_in_start", people.org), {"role": role.pk})
    assert response["Location"] == url("check_in", people.org, check_in_id=existing.pk)
    assert CheckIn.objects_unscoped.count() == 1


def test_starting_against_another_organisations_role_is_a_form_error(people, other_people,
                                                                     login, role):
    foreign = RoleRequirementFactory(role=RoleProfileFactory(
        framework=FrameworkFactory(organization=other_people.org))).role
    response = login(people.employee).post(url("check_in_start", people.org),
                                           {"role": foreign.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert not CheckIn.objects_unscoped.exists()


# --- Self-assessment -----------------------------------------------------------------------------


def test_the_form_shows_the_skills_own_descriptor_else_the_generic_one(people, login, role):
    sql = RoleRequirement.objects_unscoped.get(role=role, skill__name="SQL").skill
    level3 = Level.objects_unscoped.get(framework=role.framework, rank=3)
    SkillLevelDescriptorFactory(skill=sql, level=level3,
                                description="Writes joins and window functions unaided.")
    check_in = start(people, role)
    body = text(login(people.employee).get(url("check_in", people.org,
                                               check_in_id=check_in.pk)))
    assert "Writes joins and window functions unaided." in body
    assert level3.descriptor in body  # Storytelling falls back to the generic descriptor


def test_member_saves_a_draft_then_submits_and_the_form_becomes_read_only(people, login, role):
    check_in = start(people, role)
    by_name = items(check_in)
    page = url("check_in", people.org, check_in_id=check_in.pk)
    client = login(people.employee)

    response = client.post(page, {f"item_{by_name['SQL'].pk}": "3", "action": "save"})
    assert response.status_code == 302
    body = text(client.get(page))
    assert "Draft saved" in body
    assert re.search(rf'name="item_{by_name["SQL"].pk}"[^>]*value="3" checked', body)

    response = client.post(page, {f"item_{by_name['SQL'].pk}": "3",
                                  f"item_{by_name['Storytelling'].pk}": "2",
                                  "action": "submit"})
    assert response.status_code == 302
    body = text(client.get(page))
    assert f"{people.manager.display_name} will review" in body
    assert 'type="radio"' not in body
    assert "Waiting for" in body
    assert SkillRating.objects_unscoped.get(member=people.employee,
                                            skill__name="SQL").self_level == 3
    assert "Rating history (2 changes)" in body


def test_a_bad_level_re_renders_with_an_error_and_keeps_the_other_answers(people, login, role):
    check_in = start(people, role)
    by_name = items(check_in)
    response = login(people.employee).post(
        url("check_in", people.org, check_in_id=check_in.pk),
        {f"item_{by_name['SQL'].pk}": "99", f"item_{by_name['Storytelling'].pk}": "2",
         "action": "submit"},
    )
    body = text(response)
    assert response.status_code == 400
    assert "Select a valid choice" in body
    assert re.search(rf'name="item_{by_name["Storytelling"].pk}"[^>]*value="2" checked', body)
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.DRAFT
    assert items(check_in)["Storytelling"].self_level is None


def test_submitting_with_nothing_rated_is_refused_with_a_message(people, login, role):
    check_in = start(people, role)
    response = login(people.employee).post(
        url("check_in", people.org, check_in_id=check_in.pk), {"action": "submit"})
    assert response.status_code == 400
    assert "Rate at least one skill" in text(response)


# --- The manager's review ------------------------------------------------------------------------


def test_manager_sees_self_and_manager_side_by_side_adjusts_and_validates(people, login, role):
    check_in = submitted(people, role)
    by_name = items(check_in)
    page = url("check_in", people.org, check_in_id=check_in.pk)
    client = login(people.manager)

    queue = text(client.get(url("validation_queue", people.org)))
    assert people.employee.display_name in queue and page in queue

    body = text(client.get(page))
    assert "side by side" in body
    assert f'name="level_{by_name["SQL"].pk}"' in body
    assert f'name="comment_{by_name["SQL"].pk}"' in body
    assert AuditEvent.objects_unscoped.filter(action="skills.check_in_viewed",
                                              actor=people.manager).exists()

    response = client.post(page, {
        f"level_{by_name['SQL'].pk}": "2", f"comment_{by_name['SQL'].pk}": "Not yet on plans.",
        f"level_{by_name['Storytelling'].pk}": "", "comment": "Good progress.",
        "action": "validate",
    })
    assert response.status_code == 302
    assert response["Location"] == url("validation_queue", people.org)
    ratings = {r.skill.name: r.validated_level
               for r in SkillRating.objects_unscoped.filter(member=people.employee)}
    assert ratings == {"SQL": 2, "Storytelling": 2}

    body = text(login(people.employee).get(page))
    assert "Validated by" in body and "Good progress." in body and "Not yet on plans." in body
    assert "adjusted" in body


def test_member_cannot_validate_their_own_check_in_through_the_page(people, login, role):
    check_in = submitted(people, role)
    response = login(people.employee).post(
        url("check_in", people.org, check_in_id=check_in.pk),
        {"action": "validate", "comment": "Me, myself"})
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SUBMITTED


def test_a_colleague_and_a_leader_outside_the_line_get_403_on_a_check_in(people, login, role):
    check_in = submitted(people, role)
    page = url("check_in", people.org, check_in_id=check_in.pk)
    colleague = MembershipFactory(organization=people.org, manager=people.manager)
    assert login(colleague).get(page).status_code == 403
    outside_leader = MembershipFactory(organization=people.org, is_leader=True)
    assert login(outside_leader).get(page).status_code == 403


def test_hr_reads_a_check_in_but_cannot_validate_it(people, login, role):
    check_in = submitted(people, role)
    page = url("check_in", people.org, check_in_id=check_in.pk)
    client = login(people.hr)
    body = text(client.get(page))
    assert "Self-assessment and manager\N{RIGHT SINGLE QUOTATION MARK}s rating" in body
    assert "Validate the check-in" not in body
    client.post(page, {"action": "validate"})
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SUBMITTED


def test_a_managers_view_of_a_draft_hides_the_self_levels(people, login, role):
    check_in = start(people, role)
    by_name = items(check_in)
    assessments.check_in_rate_self(organization=people.org, actor=people.employee,
                                   check_in=check_in, ratings={by_name["SQL"].pk: 6})
    body = text(login(people.manager).get(url("check_in", people.org,
                                              check_in_id=check_in.pk)))
    assert "is still rating themselves" in body
    assert "Rating history" not in body
    assert "Self-assessment</th>" not in body


def test_another_organisations_check_in_is_404(people, other_people, login):
    framework = FrameworkFactory(organization=other_people.org)
    foreign_role = RoleRequirementFactory(role=RoleProfileFactory(framework=framework)).role
    foreign = assessments.check_in_start(organization=other_people.org,
                                         actor=other_people.employee,
                                         member=other_people.employee, role=foreign_role)
    for member in people.by_role().values():
        client = login(member)
        assert client.get(url("check_in", people.org, check_in_id=foreign.pk)).status_code == 404
        assert client.get(url("gaps", people.org, role_id=foreign_role.pk)).status_code == 404


# --- Gaps ----------------------------------------------------------------------------------------


def test_gaps_page_shows_bars_readiness_formula_and_resources_next_to_gaps(people, login, role):
    sql = RoleRequirement.objects_unscoped.get(role=role, skill__name="SQL").skill
    SkillRatingFactory(member=people.employee, skill=sql, self_level=2)
    LearningResourceFactory(skill=sql, title="Indexes, explained")
    body = text(login(people.employee).get(url("gaps", people.org, role_id=role.pk)))
    # SQL core 4 at 2: 2 * 2/4 = 1; Storytelling desirable 2 at 0: 0; 1/3 = 33 %
    assert '<span class="sk-ring__value">33<small>%</small>' in body
    assert "How readiness is worked out" in body
    assert "Core skills weigh 2, desirable skills 1" in body
    assert "Indexes, explained" in body
    assert "2 levels to go" in body
    assert 'style="width: 29%"' in body  # level 2 of 7
    assert 'style="left: 57%"' in body  # required 4 of 7
    assert "Rate myself against this role" in body


def test_gaps_to_a_role_without_skills_has_an_empty_state(people, login, role):
    empty = RoleProfileFactory(framework=role.framework, title="Blank")
    body = text(login(people.employee).get(url("gaps", people.org, role_id=empty.pk)))
    assert "does not list any skills yet" in body


def test_a_withdrawn_role_is_404_for_members(people, login, role):
    role.is_active = False
    role.save()
    assert login(people.employee).get(url("gaps", people.org, role_id=role.pk)).status_code == 404


# --- Explorer ------------------------------------------------------------------------------------


def test_explorer_draws_the_moves_from_my_role_and_the_roles_i_am_closest_to(people, login, role):
    senior = RoleRequirementFactory(role=RoleProfileFactory(framework=role.framework,
                                                            title="Senior Data Engineer")).role
    manager_role = RoleProfileFactory(framework=role.framework, title="Data Manager")
    CareerPathFactory(from_role=role, to_role=senior, kind=PathKind.PROMOTION, typical_months=18)
    CareerPathFactory(from_role=senior, to_role=manager_role, kind=PathKind.CROSS_FUNCTIONAL,
                      typical_months=12)
    body = text(login(people.employee).get(url("explorer", people.org)))
    assert "You are here" in body
    assert "One move away" in body and "Two moves away" in body
    assert "Senior Data Engineer" in body and "Data Manager" in body
    assert "Promotion" in body and "about 18 months" in body
    assert "via Senior Data Engineer" in body and "about 30 months" in body
    assert body.count('class="sk-wire sk-wire--') >= 2 + 3  # two connectors, three legend keys
    assert "Roles I am closest to" in body


def test_explorer_without_a_role_asks_hr(people, login):
    body = text(login(people.employee).get(url("explorer", people.org)))
    assert "No role profile is set for you yet — ask HR" in body


def _many_roles(framework, count, current=None):
    skill = SkillFactory(framework=framework)
    for _ in range(count):
        target = RoleProfileFactory(framework=framework)
        RoleRequirementFactory(role=target, skill=skill, min_level=2)
        if current is not None:
            CareerPathFactory(from_role=current, to_role=target)


def test_explorer_and_closest_run_the_same_queries_for_10_or_100_roles(people, login, role):
    client = login(people.employee)
    _many_roles(role.framework, 10, current=role)
    client.get(url("explorer", people.org))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as explorer_small:
        assert client.get(url("explorer", people.org)).status_code == 200
    with CaptureQueriesContext(connection) as closest_small:
        assert client.get(url("closest", people.org)).status_code == 200
    _many_roles(role.framework, 90, current=role)
    with CaptureQueriesContext(connection) as explorer_large:
        assert client.get(url("explorer", people.org)).status_code == 200
    with CaptureQueriesContext(connection) as closest_large:
        assert client.get(url("closest", people.org)).status_code == 200
    assert len(explorer_small) == len(explorer_large)
    assert len(closest_small) == len(closest_large)


def test_closest_page_ranks_every_role(people, login, role):
    sql = RoleRequirement.objects_unscoped.get(role=role, skill__name="SQL").skill
    SkillRatingFactory(member=people.employee, skill=sql, self_level=4)
    easy = RoleProfileFactory(framework=role.framework, title="Junior Analyst")
    RoleRequirementFactory(role=easy, skill=SkillFactory(framework=role.framework, name="Excel"),
                           min_level=1)
    body = text(login(people.employee).get(url("closest", people.org)))
    assert body.index("Data Engineer") < body.index("Junior Analyst")  # 67 % before 0 %
    assert "Your role" in body


# --- Manager pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["validation_queue", "team_matrix"])
def test_employees_get_403_on_manager_pages(people, login, name):
    assert login(people.employee).get(url(name, people.org)).status_code == 403


def test_validation_queue_has_an_empty_state(people, login):
    body = text(login(people.manager).get(url("validation_queue", people.org)))
    assert "Nothing waiting for you" in body


def test_team_matrix_shows_levels_as_numbers_with_a_legend(people, login, role):
    sql = RoleRequirement.objects_unscoped.get(role=role, skill__name="SQL").skill
    SkillRatingFactory(member=people.employee, skill=sql, self_level=3, validated_level=2)
    client = login(people.manager)
    body = text(client.get(url("team_matrix", people.org)))
    assert "Levels" in body and "Proficient" in body  # legend
    assert people.employee.display_name in body
    # the level is in the cell's text, with a word for what the colour and marker mean
    assert re.search(r'class="sk-matrix__cell sk-t2 is-below">2<span class="sk-mark-below"', body)
    assert "below the required 4" in body
    assert AuditEvent.objects_unscoped.filter(action="skills.team_matrix_viewed",
                                              actor=people.manager).exists()


def test_hr_picks_any_team_and_a_manager_cannot(people, login, role):
    team = TeamFactory(organization=people.org, name="Platform")
    people.employee.team = team
    people.employee.save()
    body = text(login(people.hr).get(url("team_matrix", people.org), {"team": team.pk}))
    assert "Team skills: Platform" in body and people.employee.display_name in body
    assert "Choose a team to see its skills" in text(login(people.hr).get(url("team_matrix",
                                                                              people.org)))
    assert login(people.manager).get(url("team_matrix", people.org),
                                     {"team": team.pk}).status_code == 403


def test_team_matrix_of_another_organisations_team_or_role_is_404(people, other_people, login):
    foreign_team = TeamFactory(organization=other_people.org)
    foreign_role = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    client = login(people.hr)
    assert client.get(url("team_matrix", people.org),
                      {"team": foreign_team.pk}).status_code == 404
    assert client.get(url("team_matrix", people.org),
                      {"role": foreign_role.pk}).status_code == 404


def test_team_matrix_runs_the_same_queries_for_5_or_200_members(people, login, role):
    sql = RoleRequirement.objects_unscoped.get(role=role, skill__name="SQL").skill

    def reports(count):
        for _ in range(count):
            member = MembershipFactory(organization=people.org, manager=people.manager)
            MemberRoleFactory(member=member, role=role)
            SkillRatingFactory(member=member, skill=sql, self_level=3)

    reports(4)  # and the employee: 5
    client = login(people.manager)
    client.get(url("team_matrix", people.org))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("team_matrix", people.org)).status_code == 200
    reports(195)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("team_matrix", people.org))
    assert response.status_code == 200
    assert len(small) == len(large)
