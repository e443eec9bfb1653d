"""Goals, options, criteria and the development plan: services and selectors, on the database."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.factories import (
    CareerGoalFactory,
    CareerOptionFactory,
    DevelopmentActionFactory,
    OptionCriterionFactory,
    OptionRatingFactory,
)
from careers.models import (
    ActionKind,
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalStatus,
    OptionCriterion,
    OptionRating,
)
from careers.selectors import plan as selectors
from careers.services import plan as services
from skills.factories import (
    FrameworkFactory,
    LearningResourceFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
    SkillRatingFactory,
)
from skills.models import Importance, ResourceKind

pytestmark = pytest.mark.django_db


def goals_of(member):
    return CareerGoal.objects_unscoped.filter(member=member)


def actions_of(member):
    return DevelopmentAction.objects_unscoped.filter(member=member)


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Engineering")


@pytest.fixture
def role(framework):
    return RoleProfileFactory(framework=framework, title="Engineering Manager")


# --- Goals --------------------------------------------------------------------------------------


def test_member_sets_a_goal_towards_a_role_profile(people, role):
    goal = services.goal_create(organization=people.org, actor=people.employee,
                                target_role=role, horizon="2y", motivation="  Lead people.  ",
                                status=GoalStatus.ACTIVE)
    assert goal.member == people.employee
    assert goal.target_role == role
    assert goal.motivation == "Lead people."
    assert goal.shared_with_manager is False


def test_goal_in_own_words_needs_no_role(people):
    goal = services.goal_create(organization=people.org, actor=people.employee,
                                title="Move into product management")
    assert str(goal) == "Move into product management"


def test_goal_with_neither_title_nor_role_is_refused_on_title(people):
    with pytest.raises(ValidationError) as e:
        services.goal_create(organization=people.org, actor=people.employee, title="   ")
    assert "title" in e.value.message_dict
    assert not goals_of(people.employee).exists()


def test_goal_pointing_at_another_organisations_role_is_refused_on_target_role(
        people, other_people):
    foreign = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError) as e:
        services.goal_create(organization=people.org, actor=people.employee,
                             target_role=foreign, title="Sneaky")
    assert list(e.value.message_dict) == ["target_role"]
    assert not goals_of(people.employee).exists()


def test_goal_cannot_aim_for_a_withdrawn_role_but_keeps_one_withdrawn_later(people, framework):
    withdrawn = RoleProfileFactory(framework=framework, is_active=False)
    with pytest.raises(ValidationError) as e:
        services.goal_create(organization=people.org, actor=people.employee,
                             target_role=withdrawn)
    assert "no longer in use" in e.value.message_dict["target_role"][0]

    role = RoleProfileFactory(framework=framework)
    goal = services.goal_create(organization=people.org, actor=people.employee, target_role=role)
    role.is_active = False
    role.save()
    services.goal_update(organization=people.org, actor=people.employee, goal=goal,
                         motivation="Still keen")
    goal.refresh_from_db()
    assert goal.target_role == role and goal.motivation == "Still keen"


def test_over_long_goal_text_is_refused_by_field_and_nothing_is_written(people):
    with pytest.raises(ValidationError) as e:
        services.goal_create(organization=people.org, actor=people.employee, title="t" * 201,
                             motivation="m" * 4001)
    errors = e.value.message_dict
    assert set(errors) == {"title", "motivation"}
    assert "200" in errors["title"][0] and "4000" in errors["motivation"][0]
    assert not goals_of(people.employee).exists()


@pytest.mark.parametrize("who", ["manager", "hr", "leader"])
def test_only_the_member_changes_or_deletes_their_goal(people, who):
    goal = CareerGoalFactory(member=people.employee, title="Mine")
    actor = getattr(people, who)
    with pytest.raises(PermissionDenied):
        services.goal_update(organization=people.org, actor=actor, goal=goal, title="Theirs")
    with pytest.raises(PermissionDenied):
        services.goal_delete(organization=people.org, actor=actor, goal=goal)
    goal.refresh_from_db()
    assert goal.title == "Mine"


def test_a_member_of_another_organisation_cannot_write_here(people, other_people):
    with pytest.raises(PermissionDenied):
        services.goal_create(organization=people.org, actor=other_people.employee, title="x")


def test_goal_list_puts_active_then_exploring_then_closed(people):
    achieved = CareerGoalFactory(member=people.employee, status=GoalStatus.ACHIEVED)
    exploring = CareerGoalFactory(member=people.employee, status=GoalStatus.EXPLORING)
    active = CareerGoalFactory(member=people.employee, status=GoalStatus.ACTIVE)
    CareerGoalFactory(member=people.manager, status=GoalStatus.ACTIVE)
    listed = list(selectors.goal_list(organization=people.org, member=people.employee))
    assert listed == [active, exploring, achieved]


# --- Criteria and options -----------------------------------------------------------------------


def test_first_option_gives_the_suggested_criteria_once(people):
    services.option_create(organization=people.org, actor=people.employee, title="Team lead")
    names = list(selectors.criterion_list(organization=people.org, member=people.employee)
                 .values_list("name", flat=True))
    assert names == ["Fits my values", "Uses skills I enjoy", "Interest", "Growth",
                     "Work–life balance"]  # noqa: RUF001 - typographic dash
    services.option_create(organization=people.org, actor=people.employee, title="Sales")
    assert OptionCriterion.objects_unscoped.filter(member=people.employee).count() == 5


def test_first_option_keeps_the_members_own_criteria(people):
    OptionCriterionFactory(member=people.employee, name="Location")
    services.option_create(organization=people.org, actor=people.employee, title="Team lead")
    assert list(OptionCriterion.objects_unscoped.filter(member=people.employee)
                .values_list("name", flat=True)) == ["Location"]


def test_criterion_names_are_unique_per_member_whatever_the_case(people):
    services.criterion_create(organization=people.org, actor=people.employee, name="Pay")
    with pytest.raises(ValidationError) as e:
        services.criterion_create(organization=people.org, actor=people.employee, name=" pay ")
    assert "already have a criterion" in e.value.message_dict["name"][0]
    # Another member may use the same name.
    services.criterion_create(organization=people.org, actor=people.manager, name="Pay")


@pytest.mark.parametrize("weight", [0, 6])
def test_criterion_weight_is_one_to_five(people, weight):
    with pytest.raises(ValidationError) as e:
        services.criterion_create(organization=people.org, actor=people.employee, name="Pay",
                                  weight=weight)
    assert "weight" in e.value.message_dict


def test_weighted_score_worked_out_by_hand(people):
    # Weights 5, 3 and 1; scores 4 and 2, the third left unrated:
    # 100 * (5*4 + 3*2) / (5*5 + 3*5) = 100 * 26 / 40 = 65.
    option = CareerOptionFactory(member=people.employee)
    values = OptionCriterionFactory(member=people.employee, name="Values", weight=5)
    growth = OptionCriterionFactory(member=people.employee, name="Growth", weight=3)
    pay = OptionCriterionFactory(member=people.employee, name="Pay", weight=1)
    services.option_rate(organization=people.org, actor=people.employee, option=option,
                         scores={values.pk: 4, str(growth.pk): "2", pay.pk: None})
    [listed] = selectors.option_list(organization=people.org, member=people.employee)
    assert listed.score == 65
    assert listed.rated_count == 2
    assert listed.score_by_criterion == {values.pk: 4, growth.pk: 2}


def test_weighted_score_rounds_half_up_and_is_none_when_unrated():
    assert selectors.weighted_score([]) is None
    assert selectors.weighted_score([(3, None)]) is None
    assert selectors.weighted_score([(2, 5), (1, 5)]) == 100
    assert selectors.weighted_score([(4, 1)]) == 20
    # 100 * (1*3 + 1*4) / (1*5 + 1*5) = 70
    assert selectors.weighted_score([(1, 3), (1, 4)]) == 70
    # 100 * (3*2 + 5*1) / 40 = 27.5 → 28
    assert selectors.weighted_score([(3, 2), (5, 1)]) == 28


def test_rating_updates_clears_and_keeps_unlisted_criteria(people):
    option = CareerOptionFactory(member=people.employee)
    a = OptionCriterionFactory(member=people.employee, weight=1)
    b = OptionCriterionFactory(member=people.employee, weight=1)
    services.option_rate(organization=people.org, actor=people.employee, option=option,
                         scores={a.pk: 2, b.pk: 5})
    services.option_rate(organization=people.org, actor=people.employee, option=option,
                         scores={a.pk: None})
    assert {r.criterion_id: r.score for r in OptionRating.objects_unscoped.filter(
        option=option)} == {b.pk: 5}


def test_rating_refuses_other_peoples_criteria_and_bad_scores_and_writes_nothing(
        people, other_people):
    option = CareerOptionFactory(member=people.employee)
    mine = OptionCriterionFactory(member=people.employee)
    colleague = OptionCriterionFactory(member=people.manager)
    foreign = OptionCriterionFactory(member=other_people.employee)
    with pytest.raises(ValidationError) as e:
        services.option_rate(organization=people.org, actor=people.employee, option=option,
                             scores={mine.pk: 4, colleague.pk: 3, foreign.pk: 3, "x": 1})
    assert len(e.value.message_dict["scores"]) == 3
    with pytest.raises(ValidationError) as e:
        services.option_rate(organization=people.org, actor=people.employee, option=option,
                             scores={mine.pk: 6})
    assert "from 1 to 5" in e.value.message_dict["scores"][0]
    assert not OptionRating.objects_unscoped.filter(option=option).exists()


def test_deleting_a_criterion_removes_its_ratings_and_the_score_follows(people):
    option = CareerOptionFactory(member=people.employee)
    high = OptionRatingFactory(option=option, criterion__weight=1, score=5)
    low = OptionRatingFactory(option=option, criterion__weight=1, score=1)
    services.criterion_delete(organization=people.org, actor=people.employee,
                              criterion=low.criterion)
    [listed] = selectors.option_list(organization=people.org, member=people.employee)
    assert listed.score == 100
    assert [r.pk for r in listed.rating_list] == [high.pk]


def test_only_the_member_rates_their_option(people):
    option = CareerOptionFactory(member=people.employee)
    criterion = OptionCriterionFactory(member=people.employee)
    with pytest.raises(PermissionDenied):
        services.option_rate(organization=people.org, actor=people.manager, option=option,
                             scores={criterion.pk: 5})


def test_option_list_runs_two_queries_whatever_the_number_of_ratings(people):
    criteria = [OptionCriterionFactory(member=people.employee) for _ in range(4)]
    for _ in range(5):
        option = CareerOptionFactory(member=people.employee)
        for criterion in criteria:
            OptionRatingFactory(option=option, criterion=criterion)
    with CaptureQueriesContext(connection) as queries:
        options = selectors.option_list(organization=people.org, member=people.employee)
        [o.score for o in options]
    assert len(queries) == 2


# --- Actions ------------------------------------------------------------------------------------


def test_marking_an_action_done_records_when_and_reopening_clears_it(people):
    action = services.action_create(organization=people.org, actor=people.employee,
                                    title="Read a book", kind=ActionKind.READING)
    assert action.completed_at is None
    services.action_update(organization=people.org, actor=people.employee, action=action,
                           status=ActionStatus.DONE)
    action.refresh_from_db()
    done_at = action.completed_at
    assert done_at is not None
    # Saving a done action again keeps the day it was done.
    services.action_update(organization=people.org, actor=people.employee, action=action,
                           evidence="Notes in my wiki")
    action.refresh_from_db()
    assert action.completed_at == done_at
    services.action_update(organization=people.org, actor=people.employee, action=action,
                           status=ActionStatus.IN_PROGRESS)
    action.refresh_from_db()
    assert action.completed_at is None


def test_action_created_done_has_a_completion_time(people):
    action = services.action_create(organization=people.org, actor=people.employee,
                                    title="Conference talk", status=ActionStatus.DONE)
    assert action.completed_at is not None


def test_action_naming_another_organisations_skill_or_resource_is_refused_by_field(
        people, other_people):
    foreign_skill = SkillFactory(framework=FrameworkFactory(organization=other_people.org))
    foreign_resource = LearningResourceFactory(skill=foreign_skill)
    with pytest.raises(ValidationError) as e:
        services.action_create(organization=people.org, actor=people.employee, title="x",
                               skill=foreign_skill)
    assert list(e.value.message_dict) == ["skill"]
    with pytest.raises(ValidationError) as e:
        services.action_create(organization=people.org, actor=people.employee, title="x",
                               resource=foreign_resource)
    assert list(e.value.message_dict) == ["resource"]
    with pytest.raises(ValidationError) as e:
        services.action_from_resource(organization=people.org, actor=people.employee,
                                      resource=foreign_resource)
    assert list(e.value.message_dict) == ["resource"]
    assert not actions_of(people.employee).exists()


def test_over_long_action_text_and_bad_hours_are_refused_by_field(people):
    with pytest.raises(ValidationError) as e:
        services.action_create(organization=people.org, actor=people.employee,
                               title="a" * 201, evidence="e" * 4001, hours=Decimal("123456.5"))
    assert set(e.value.message_dict) == {"title", "evidence", "hours"}
    assert not actions_of(people.employee).exists()


@pytest.mark.parametrize(("resource_kind", "action_kind"), [
    (ResourceKind.COURSE, ActionKind.TRAINING),
    (ResourceKind.BOOK, ActionKind.READING),
    (ResourceKind.ARTICLE, ActionKind.READING),
    (ResourceKind.VIDEO, ActionKind.READING),
    (ResourceKind.MENTORING, ActionKind.MENTORING),
    (ResourceKind.PRACTICE, ActionKind.ON_THE_JOB),
    (ResourceKind.CONFERENCE, ActionKind.CONFERENCE),
])
def test_one_click_turns_a_resource_into_the_matching_action(people, framework, resource_kind,
                                                             action_kind):
    skill = SkillFactory(framework=framework, name="SQL")
    resource = LearningResourceFactory(skill=skill, title="SQL in depth", kind=resource_kind,
                                       hours=Decimal("6.5"))
    action = services.action_from_resource(organization=people.org, actor=people.employee,
                                           resource=resource)
    assert (action.title, action.kind, action.skill, action.resource, action.hours,
            action.status) == ("SQL in depth", action_kind, skill, resource, Decimal("6.5"),
                               ActionStatus.PLANNED)


def test_one_click_refuses_a_resource_already_open_in_the_plan_but_not_once_done(
        people, framework):
    resource = LearningResourceFactory(skill=SkillFactory(framework=framework),
                                       title="Negotiation basics")
    first = services.action_from_resource(organization=people.org, actor=people.employee,
                                          resource=resource)
    with pytest.raises(ValidationError) as e:
        services.action_from_resource(organization=people.org, actor=people.employee,
                                      resource=resource)
    assert "“Negotiation basics” is already in your plan" in e.value.message_dict["resource"][0]
    assert actions_of(people.employee).count() == 1
    # Another member plans it freely.
    services.action_from_resource(organization=people.org, actor=people.manager,
                                  resource=resource)
    services.action_update(organization=people.org, actor=people.employee, action=first,
                           status=ActionStatus.DONE)
    services.action_from_resource(organization=people.org, actor=people.employee,
                                  resource=resource)
    assert actions_of(people.employee).count() == 2
    # Reopening the done one would make two open actions for the same resource.
    with pytest.raises(ValidationError):
        services.action_update(organization=people.org, actor=people.employee, action=first,
                               status=ActionStatus.PLANNED)


@pytest.mark.parametrize("who", ["manager", "hr", "leader"])
def test_only_the_member_changes_their_actions_and_options(people, who):
    action = DevelopmentActionFactory(member=people.employee)
    option = CareerOptionFactory(member=people.employee)
    criterion = OptionCriterionFactory(member=people.employee)
    actor = getattr(people, who)
    for call in (
        lambda: services.action_update(organization=people.org, actor=actor, action=action,
                                       status=ActionStatus.DONE),
        lambda: services.action_delete(organization=people.org, actor=actor, action=action),
        lambda: services.option_update(organization=people.org, actor=actor, option=option,
                                       decision="reject"),
        lambda: services.option_delete(organization=people.org, actor=actor, option=option),
        lambda: services.criterion_update(organization=people.org, actor=actor,
                                          criterion=criterion, weight=5),
        lambda: services.criterion_delete(organization=people.org, actor=actor,
                                          criterion=criterion),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert DevelopmentAction.objects_unscoped.get(pk=action.pk).status == ActionStatus.PLANNED
    assert CareerOption.objects_unscoped.filter(pk=option.pk).exists()


# --- Summary ------------------------------------------------------------------------------------


def _done(member, hours, days_ago, **extra):
    return DevelopmentActionFactory(member=member, status=ActionStatus.DONE, hours=hours,
                                    completed_at=timezone.now() - timedelta(days=days_ago),
                                    **extra)


def test_training_hours_of_the_last_12_months_worked_out_by_hand(people):
    employee = people.employee
    _done(employee, Decimal("3.5"), days_ago=10)          # counts
    _done(employee, Decimal("2.0"), days_ago=364)         # counts
    _done(employee, Decimal("10.0"), days_ago=366)        # more than a year ago
    _done(employee, None, days_ago=5)                     # no hours recorded
    DevelopmentActionFactory(member=employee, status=ActionStatus.PLANNED, hours=Decimal("5"))
    DevelopmentActionFactory(member=employee, status=ActionStatus.CANCELLED, hours=Decimal("8"))
    _done(people.manager, Decimal("40"), days_ago=1)      # someone else's
    summary = selectors.plan_summary(organization=people.org, member=employee)
    assert summary.training_hours_12m == Decimal("5.5")
    assert isinstance(summary.training_hours_12m, Decimal)


def test_summary_counts_leave_cancelled_actions_out(people):
    employee, today = people.employee, timezone.localdate()
    DevelopmentActionFactory(member=employee, title="Late", due_date=today - timedelta(days=1))
    DevelopmentActionFactory(member=employee, title="Soon", status=ActionStatus.IN_PROGRESS,
                             due_date=today + timedelta(days=3), shared_with_manager=False)
    DevelopmentActionFactory(member=employee, title="Undated")
    DevelopmentActionFactory(member=employee, title="Later", due_date=today + timedelta(days=30))
    _done(employee, None, days_ago=2, title="Done")
    DevelopmentActionFactory(member=employee, status=ActionStatus.CANCELLED, title="Dropped")
    CareerGoalFactory(member=employee, status=GoalStatus.ACTIVE, shared_with_manager=True)
    CareerGoalFactory(member=employee, status=GoalStatus.ACHIEVED)
    CareerOptionFactory(member=employee, shared_with_manager=True)
    summary = selectors.plan_summary(organization=people.org, member=employee)
    assert (summary.actions_total, summary.actions_done, summary.actions_open,
            summary.actions_overdue) == (5, 1, 4, 1)
    assert summary.percent_done == 20
    assert [a.title for a in summary.next_actions] == ["Late", "Soon", "Later"]
    assert (summary.goal_count, summary.open_goal_count, len(summary.goals)) == (2, 1, 1)
    assert summary.option_count == 1
    assert (summary.shared_goal_count, summary.shared_option_count,
            summary.shared_action_count) == (1, 1, 5)


def test_summary_of_an_empty_plan(people):
    summary = selectors.plan_summary(organization=people.org, member=people.employee)
    assert summary.is_empty
    assert summary.percent_done is None
    assert summary.training_hours_12m == Decimal("0")
    assert summary.next_actions == [] and summary.goals == []


def _summary_queries(people):
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.plan_summary(organization=people.org, member=people.employee)
        [(a.skill, a.resource) for a in summary.next_actions]
        [g.target_role for g in summary.goals]
    return len(queries)


def test_plan_summary_query_count_does_not_grow_with_the_number_of_actions(people, framework):
    skill = SkillFactory(framework=framework)
    role = RoleProfileFactory(framework=framework)
    CareerGoalFactory(member=people.employee, target_role=role, status=GoalStatus.ACTIVE)
    for _ in range(2):
        DevelopmentActionFactory(member=people.employee, skill=skill,
                                 resource=LearningResourceFactory(skill=skill))
    small = _summary_queries(people)
    for i in range(38):
        DevelopmentActionFactory(member=people.employee, skill=skill,
                                 resource=LearningResourceFactory(skill=skill),
                                 status=ActionStatus.DONE if i % 2 else ActionStatus.PLANNED,
                                 hours=Decimal("1"), completed_at=timezone.now())
        CareerGoalFactory(member=people.employee, target_role=role, status=GoalStatus.ACTIVE)
    assert _summary_queries(people) == small == 5


# --- What the manager sees, the career record ---------------------------------------------------


def test_shared_with_manager_returns_only_shared_items(people):
    employee = people.employee
    shared_goal = CareerGoalFactory(member=employee, title="Shared goal",
                                    shared_with_manager=True)
    CareerGoalFactory(member=employee, title="Private goal")
    shared_option = CareerOptionFactory(member=employee, title="Shared option",
                                        shared_with_manager=True)
    OptionRatingFactory(option=shared_option, score=4)
    CareerOptionFactory(member=employee, title="Private option")
    shared_action = DevelopmentActionFactory(member=employee, title="Shared action")
    DevelopmentActionFactory(member=employee, title="Private action", shared_with_manager=False)
    DevelopmentActionFactory(member=people.manager, title="Manager's own")
    shared = selectors.plan_shared_with_manager(organization=people.org, member=employee)
    assert shared["goals"] == [shared_goal]
    assert shared["options"] == [shared_option]
    assert shared["options"][0].score == 80
    assert shared["actions"] == [shared_action]


def test_career_record_is_json_with_iso_dates_and_everything_of_the_member(people, role):
    employee = people.employee
    CareerGoalFactory(member=employee, target_role=role, title="", motivation="Why")
    rating = OptionRatingFactory(option=CareerOptionFactory(member=employee, pros="Pay"),
                                 criterion__name="Growth", criterion__weight=4, score=5)
    DevelopmentActionFactory(member=employee, title="Course", hours=Decimal("2.5"),
                             due_date=timezone.localdate(), status=ActionStatus.DONE,
                             completed_at=timezone.now())
    CareerGoalFactory(member=people.manager, title="Not mine")
    record = selectors.plan_record(organization=people.org, member=employee)
    json.dumps(record)
    [goal] = record["goals"]
    assert goal["target_role"] == {"id": role.pk, "title": role.title}
    assert goal["motivation"] == "Why"
    [option] = record["options"]
    assert option["pros"] == "Pay" and option["score"] == 100
    assert option["ratings"] == [{"criterion": "Growth", "criterion_id": rating.criterion_id,
                                  "weight": 4, "score": 5}]
    assert [c["name"] for c in record["criteria"]] == ["Growth"]
    [action] = record["actions"]
    assert action["hours"] == "2.5"
    assert action["due_date"] == timezone.localdate().isoformat()
    assert action["completed_at"].startswith(str(timezone.now().year))
    assert record["training_hours_12m"] == "2.5"


# --- Suggestions from skill gaps ----------------------------------------------------------------


@pytest.fixture
def gaps(people, framework):
    """The employee is a Data Analyst (SQL core 4, rated 2; Excel desirable 2, met) and aims to
    be a Data Engineer (Python core 3, not rated)."""
    analyst = RoleProfileFactory(framework=framework, title="Data Analyst")
    engineer = RoleProfileFactory(framework=framework, title="Data Engineer")
    sql = SkillFactory(framework=framework, name="SQL")
    excel = SkillFactory(framework=framework, name="Excel")
    python = SkillFactory(framework=framework, name="Python")
    RoleRequirementFactory(role=analyst, skill=sql, min_level=4)
    RoleRequirementFactory(role=analyst, skill=excel, min_level=2,
                           importance=Importance.DESIRABLE)
    RoleRequirementFactory(role=engineer, skill=python, min_level=3)
    RoleRequirementFactory(role=engineer, skill=sql, min_level=5)
    MemberRoleFactory(member=people.employee, role=analyst)
    SkillRatingFactory(member=people.employee, skill=sql, self_level=2)
    SkillRatingFactory(member=people.employee, skill=excel, self_level=3)
    CareerGoalFactory(member=people.employee, target_role=engineer, status=GoalStatus.ACTIVE)
    return {
        "analyst": analyst, "engineer": engineer,
        "sql_course": LearningResourceFactory(skill=sql, title="SQL course"),
        "sql_book": LearningResourceFactory(skill=sql, title="SQL book", kind=ResourceKind.BOOK),
        "excel_course": LearningResourceFactory(skill=excel, title="Excel course"),
        "python_course": LearningResourceFactory(skill=python, title="Python course"),
    }


def test_suggestions_cover_the_current_role_and_the_goals_target_roles(people, gaps):
    suggestions = selectors.gap_suggestions(organization=people.org, member=people.employee)
    assert [(s.skill.name, s.gap, s.for_current_role) for s in suggestions] == [
        ("SQL", 3, True), ("Python", 3, False)]
    sql = suggestions[0]
    assert [r.title for r in sql.resources] == ["SQL book", "SQL course"]
    assert [(r.title, r.is_current) for r in sql.roles] == [("Data Analyst", True),
                                                             ("Data Engineer", False)]
    assert sql.action_kind(gaps["sql_book"]) == ActionKind.READING


def test_suggestions_leave_out_resources_already_in_an_open_action(people, gaps):
    services.action_from_resource(organization=people.org, actor=people.employee,
                                  resource=gaps["python_course"])
    services.action_from_resource(organization=people.org, actor=people.employee,
                                  resource=gaps["sql_book"])
    suggestions = selectors.gap_suggestions(organization=people.org, member=people.employee)
    assert [(s.skill.name, [r.title for r in s.resources]) for s in suggestions] == [
        ("SQL", ["SQL course"])]


def test_suggestions_ignore_dropped_goals(people, gaps):
    CareerGoal.objects_unscoped.filter(member=people.employee).update(
        status=GoalStatus.DROPPED)
    suggestions = selectors.gap_suggestions(organization=people.org, member=people.employee)
    assert [s.skill.name for s in suggestions] == ["SQL"]


def _suggestion_queries(people):
    with CaptureQueriesContext(connection) as queries:
        suggestions = selectors.gap_suggestions(organization=people.org, member=people.employee)
    return len(queries), suggestions


def test_suggestions_run_a_fixed_number_of_queries_whatever_the_roles_and_actions(
        people, framework, gaps):
    small, _ = _suggestion_queries(people)
    for i in range(6):
        target = RoleProfileFactory(framework=framework, title=f"Target {i}")
        skill = SkillFactory(framework=framework)
        RoleRequirementFactory(role=target, skill=skill, min_level=2)
        LearningResourceFactory(skill=skill)
        CareerGoalFactory(member=people.employee, target_role=target, status=GoalStatus.ACTIVE)
    for _ in range(30):
        DevelopmentActionFactory(member=people.employee,
                                 resource=LearningResourceFactory(skill=SkillFactory(
                                     framework=framework)))
    large, suggestions = _suggestion_queries(people)
    assert large == small <= 6
    roles = {role.pk for s in suggestions for role in s.roles}
    assert len(roles - {gaps["analyst"].pk}) <= selectors.MAX_TARGET_ROLES
