"""Gap analysis, readiness, closest roles, pathway and team matrix: figures worked out by hand,
and a fixed number of queries whatever the size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.factories import MembershipFactory
from skills import selectors
from skills.factories import (
    CareerPathFactory,
    FrameworkFactory,
    LearningResourceFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
    SkillRatingFactory,
)
from skills.models import Importance, PathKind, RoleRequirement, Skill

pytestmark = pytest.mark.django_db

CORE, DESIRABLE = Importance.CORE, Importance.DESIRABLE


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Engineering")


def make_role(framework, title, requirements):
    """requirements: {skill name: (min level, importance)}; skills reused by name."""
    role = RoleProfileFactory(framework=framework, title=title)
    for name, (level, importance) in requirements.items():
        skill = (Skill.objects_unscoped.filter(framework=framework, name=name).first()
                 or SkillFactory(framework=framework, name=name))
        RoleRequirementFactory(role=role, skill=skill, min_level=level, importance=importance)
    return role


def rate(member, framework, name, self_level=None, validated_level=None):
    skill = Skill.objects_unscoped.get(framework=framework, name=name)
    return SkillRatingFactory(member=member, skill=skill, self_level=self_level,
                              validated_level=validated_level)


# --- readiness_percent ---------------------------------------------------------------------------


def test_readiness_weighs_core_twice_and_caps_each_skill_at_its_required_level():
    # core 4 at 2 → 2 * 2/4 = 1; core 3 at 5 → 2 * 1 = 2; desirable 2 at 0 → 0
    # (1 + 2 + 0) / (2 + 2 + 1) = 3/5 = 60 %
    assert selectors.readiness_percent([(4, CORE, 2), (3, CORE, 5), (2, DESIRABLE, 0)]) == 60


def test_readiness_rounds_half_up():
    # 1/8 = 12.5 % → 13 (not banker's 12)
    assert selectors.readiness_percent([(8, DESIRABLE, 1)]) == 13


def test_a_role_with_no_requirements_has_no_readiness():
    assert selectors.readiness_percent([]) is None


# --- gap_analysis --------------------------------------------------------------------------------


def test_gap_analysis_figures_worked_out_by_hand(people, framework):
    # Given a role: SQL core 4, Python core 3, Storytelling desirable 2, Mentoring desirable 5
    role = make_role(framework, "Data Engineer", {
        "SQL": (4, CORE), "Python": (3, CORE),
        "Storytelling": (2, DESIRABLE), "Mentoring": (5, DESIRABLE),
    })
    # and ratings: SQL self 5 but validated 2 (validated wins), Python self 3, Mentoring
    # validated 6, Storytelling never rated; a colleague's rating must not count
    rate(people.employee, framework, "SQL", self_level=5, validated_level=2)
    rate(people.employee, framework, "Python", self_level=3)
    rate(people.employee, framework, "Mentoring", validated_level=6)
    rate(people.manager, framework, "Storytelling", validated_level=7)
    sql_course = LearningResourceFactory(skill=Skill.objects_unscoped.get(name="SQL"),
                                         title="Query plans in practice")

    report = selectors.gap_analysis(organization=people.org, member=people.employee, role=role)

    rows = {i.skill.name: (i.required_level, i.self_level, i.validated_level,
                           i.effective_level, i.gap) for i in report.items}
    assert rows == {
        "SQL": (4, 5, 2, 2, 2),
        "Python": (3, 3, None, 3, 0),
        "Storytelling": (2, None, None, 0, 2),
        "Mentoring": (5, None, 6, 6, 0),
    }
    # readiness: SQL 2 * 2/4 = 1, Python 2 * 3/3 = 2, Storytelling 1 * 0/2 = 0,
    # Mentoring 1 * 5/5 = 1 → 4 / 6 = 66.7 % → 67
    assert report.readiness == 67
    # core first, then the largest gaps, then by name
    assert [i.skill.name for i in report.items] == ["SQL", "Python", "Storytelling", "Mentoring"]
    assert (report.met_count, report.core_gap_count, report.total_gap) == (2, 1, 4)
    # resources sit next to gaps only
    by_name = {i.skill.name: i for i in report.items}
    assert by_name["SQL"].resources == [sql_course]
    assert by_name["Python"].resources == []
    assert by_name["SQL"].source == "validated" and by_name["Storytelling"].source == ""
    assert by_name["SQL"].required_level_name == "Proficient"


def test_gap_analysis_suggests_at_most_three_resources_per_skill(people, framework):
    role = make_role(framework, "Analyst", {"SQL": (3, CORE)})
    sql = RoleRequirement.objects_unscoped.get(role=role).skill
    for title in ("A", "B", "C", "D"):
        LearningResourceFactory(skill=sql, title=title)
    report = selectors.gap_analysis(organization=people.org, member=people.employee, role=role)
    assert [r.title for r in report.items[0].resources] == ["A", "B", "C"]


def test_gap_analysis_ignores_retired_skills(people, framework):
    role = make_role(framework, "Analyst", {"SQL": (3, CORE), "Fax": (3, CORE)})
    fax = Skill.objects_unscoped.get(name="Fax")
    fax.is_retired = True
    fax.save()
    rate(people.employee, framework, "SQL", self_level=3)
    report = selectors.gap_analysis(organization=people.org, member=people.employee, role=role)
    assert [i.skill.name for i in report.items] == ["SQL"]
    assert report.readiness == 100


# --- closest_roles -------------------------------------------------------------------------------


def test_closest_roles_ranks_by_readiness_then_fewer_core_gaps(people, other_people, framework):
    # Given ratings: SQL 2, Python 2, Go 0
    make_role(framework, "Ready", {"SQL": (2, CORE)})  # 100 %
    make_role(framework, "Half, core gap", {"Python": (4, CORE)})  # 2*2/4 / 2 = 50 %
    make_role(framework, "Half, no core gap",
              {"SQL": (2, DESIRABLE), "Go": (3, DESIRABLE)})  # (1 + 0) / 2 = 50 %
    make_role(framework, "Far", {"Go": (4, CORE), "SQL": (4, DESIRABLE)})  # (0 + 0.5) / 3 = 17 %
    make_role(framework, "Not profiled", {})  # no readiness: last
    retired = make_role(framework, "Withdrawn", {"SQL": (1, CORE)})
    retired.is_active = False
    retired.save()
    RoleRequirementFactory(role=RoleProfileFactory(
        framework=FrameworkFactory(organization=other_people.org), title="Elsewhere"))
    rate(people.employee, framework, "SQL", self_level=2)
    rate(people.employee, framework, "Python", validated_level=2)

    ranked = selectors.closest_roles(organization=people.org, member=people.employee)

    assert [(r.role.title, r.readiness, r.core_gap_count) for r in ranked] == [
        ("Ready", 100, 0),
        ("Half, no core gap", 50, 0),
        ("Half, core gap", 50, 1),
        ("Far", 17, 1),
        ("Not profiled", None, 0),
    ]


def test_closest_roles_flags_or_leaves_out_the_current_role(people, framework):
    mine = make_role(framework, "Mine", {"SQL": (1, CORE)})
    make_role(framework, "Other", {"SQL": (1, CORE)})
    MemberRoleFactory(member=people.employee, role=mine)
    ranked = selectors.closest_roles(organization=people.org, member=people.employee)
    assert {r.role.title: r.is_current for r in ranked} == {"Mine": True, "Other": False}
    without = selectors.closest_roles(organization=people.org, member=people.employee,
                                      exclude_current=True)
    assert [r.role.title for r in without] == ["Other"]


def _roles(framework, count):
    skills = [SkillFactory(framework=framework) for _ in range(4)]
    for n in range(count):
        role = RoleProfileFactory(framework=framework)
        for skill in skills[: 1 + n % 4]:
            RoleRequirementFactory(role=role, skill=skill, min_level=1 + n % 5)
    return skills


def test_closest_roles_runs_the_same_queries_for_10_or_100_roles(people, framework):
    skills = _roles(framework, 10)
    SkillRatingFactory(member=people.employee, skill=skills[0], self_level=3)
    with CaptureQueriesContext(connection) as small:
        assert len(selectors.closest_roles(organization=people.org,
                                           member=people.employee)) == 10
    _roles(framework, 90)
    with CaptureQueriesContext(connection) as large:
        assert len(selectors.closest_roles(organization=people.org,
                                           member=people.employee)) == 100
    assert len(small) == len(large) <= 4


# --- pathway -------------------------------------------------------------------------------------


def test_pathway_lists_one_and_two_moves_with_kind_time_and_readiness(people, framework):
    # Given: Engineer → Senior (promotion, 18 m), Engineer → Analyst (lateral, 12 m),
    # Senior → Lead (promotion, 24 m), Analyst → Lead (cross-functional, 6 m),
    # Senior → Engineer (back: not listed again), Lead → Director (three moves: not listed),
    # Engineer → Retired role (inactive: not listed)
    engineer = make_role(framework, "Engineer", {"SQL": (2, CORE)})
    senior = make_role(framework, "Senior", {"SQL": (4, CORE)})
    analyst = make_role(framework, "Analyst", {"SQL": (2, CORE)})
    lead = make_role(framework, "Lead", {"SQL": (5, CORE)})
    director = make_role(framework, "Director", {})
    gone = make_role(framework, "Retired role", {})
    gone.is_active = False
    gone.save()
    for a, b, kind, months in (
        (engineer, senior, PathKind.PROMOTION, 18), (engineer, analyst, PathKind.LATERAL, 12),
        (senior, lead, PathKind.PROMOTION, 24), (analyst, lead, PathKind.CROSS_FUNCTIONAL, 6),
        (senior, engineer, PathKind.LATERAL, 6), (lead, director, PathKind.PROMOTION, 30),
        (engineer, gone, PathKind.LATERAL, 3),
    ):
        CareerPathFactory(from_role=a, to_role=b, kind=kind, typical_months=months)
    MemberRoleFactory(member=people.employee, role=engineer)
    rate(people.employee, framework, "SQL", self_level=2)

    path = selectors.pathway(organization=people.org, member=people.employee)

    assert path.current == engineer and path.current_readiness.readiness == 100
    assert [(s.role.title, s.kind, s.typical_months, s.readiness.readiness)
            for s in path.one_move] == [
        ("Senior", "promotion", 18, 50),
        ("Analyst", "lateral", 12, 100),
    ]
    [lead_step] = path.two_moves
    assert lead_step.role == lead
    assert [(v.role.title, v.path.kind, v.total_months) for v in lead_step.via] == [
        ("Senior", "promotion", 42), ("Analyst", "cross_functional", 18),
    ]
    assert lead_step.typical_months == 18
    assert lead_step.readiness.readiness == 40  # 2/5


def test_pathway_of_a_member_without_a_role_is_empty(people):
    path = selectors.pathway(organization=people.org, member=people.employee)
    assert path.current is None and path.is_empty


def test_pathway_runs_the_same_queries_for_10_or_100_paths(people, framework):
    current = make_role(framework, "Current", {"SQL": (2, CORE)})
    MemberRoleFactory(member=people.employee, role=current)

    def fan_out(count):
        for _ in range(count):
            step = RoleRequirementFactory(role=RoleProfileFactory(framework=framework)).role
            CareerPathFactory(from_role=current, to_role=step)
            CareerPathFactory(from_role=step, to_role=RoleProfileFactory(framework=framework))

    fan_out(5)
    with CaptureQueriesContext(connection) as small:
        assert len(selectors.pathway(organization=people.org,
                                     member=people.employee).two_moves) == 5
    fan_out(45)
    with CaptureQueriesContext(connection) as large:
        assert len(selectors.pathway(organization=people.org,
                                     member=people.employee).two_moves) == 50
    assert len(small) == len(large)


# --- team_matrix ---------------------------------------------------------------------------------


def test_team_matrix_shows_levels_against_each_members_own_role(people, framework):
    analyst = make_role(framework, "Analyst", {"SQL": (3, CORE)})
    engineer = make_role(framework, "Engineer", {"SQL": (4, CORE), "Python": (3, CORE)})
    ana = MembershipFactory(organization=people.org, manager=people.manager)
    MemberRoleFactory(member=ana, role=analyst)
    MemberRoleFactory(member=people.employee, role=engineer)
    rate(ana, framework, "SQL", self_level=3)
    rate(ana, framework, "Python", validated_level=7)
    rate(people.employee, framework, "SQL", self_level=5, validated_level=2)

    matrix = selectors.team_matrix(organization=people.org, members=[ana, people.employee])

    assert [s.name for s in matrix.skills] == ["Python", "SQL"]
    cells = {row.member.pk: [(c.level, c.validated, c.required, c.below) for c in row.cells]
             for row in matrix.rows}
    assert cells[ana.pk] == [(7, True, None, False), (3, False, 3, False)]
    assert cells[people.employee.pk] == [(None, False, 3, True), (2, True, 4, True)]
    readiness = {row.member.pk: row.readiness for row in matrix.rows}
    assert readiness == {ana.pk: 100, people.employee.pk: 25}  # (2*2/4 + 0) / 4
    # colour steps on a 7-level scale are the levels themselves
    assert [c.tone for c in matrix.rows[0].cells] == [7, 3]


def test_team_matrix_against_a_chosen_role(people, framework):
    lead = make_role(framework, "Lead", {"Mentoring": (4, CORE)})
    make_role(framework, "Engineer", {"SQL": (4, CORE)})
    rate(people.employee, framework, "Mentoring", self_level=2)
    matrix = selectors.team_matrix(organization=people.org, members=[people.employee],
                                   role=lead)
    assert [s.name for s in matrix.skills] == ["Mentoring"]
    assert matrix.rows[0].readiness == 50


def test_team_matrix_runs_the_same_queries_for_5_or_200_members(people, framework):
    role = make_role(framework, "Engineer", {"SQL": (3, CORE), "Python": (2, DESIRABLE)})
    sql = Skill.objects_unscoped.get(name="SQL")

    def members(count):
        made = []
        for _ in range(count):
            member = MembershipFactory(organization=people.org, manager=people.manager)
            MemberRoleFactory(member=member, role=role)
            SkillRatingFactory(member=member, skill=sql, self_level=2)
            made.append(member)
        return made

    few = members(5)
    with CaptureQueriesContext(connection) as small:
        selectors.team_matrix(organization=people.org, members=few)
    many = few + members(195)
    with CaptureQueriesContext(connection) as large:
        matrix = selectors.team_matrix(organization=people.org, members=many)
    assert len(matrix.rows) == 200
    assert len(small) == len(large) <= 4
