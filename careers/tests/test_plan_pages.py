"""Goals & options, criteria and the development plan pages, through real URLs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
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
from skills.factories import (
    FrameworkFactory,
    LearningResourceFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
)
from skills.models import ResourceKind

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"careers:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Engineering")


@pytest.fixture
def gap(people, framework):
    """The employee is a Data Analyst, short of SQL (core, level 3 needed, not rated), with a
    course and a book to learn it."""
    role = RoleProfileFactory(framework=framework, title="Data Analyst")
    sql = SkillFactory(framework=framework, name="SQL")
    RoleRequirementFactory(role=role, skill=sql, min_level=3)
    MemberRoleFactory(member=people.employee, role=role)
    return {
        "role": role, "skill": sql,
        "course": LearningResourceFactory(skill=sql, title="SQL for analysts",
                                          kind=ResourceKind.COURSE, hours=Decimal("12")),
        "book": LearningResourceFactory(skill=sql, title="Learning SQL", kind=ResourceKind.BOOK),
    }


# --- Goals & options ----------------------------------------------------------------------------


def test_empty_goals_page_says_what_to_do_next(people, login):
    response = login(people.employee).get(url("goals", people.org))
    assert response.status_code == 200
    body = text(response)
    assert "Goals &amp; options" in body
    assert "No goals yet" in body
    assert "No options yet" in body
    assert 'type="date"' not in body  # goal forms have no dates
    assert url("goal_create", people.org) in body and url("option_create", people.org) in body


def test_member_adds_a_goal_towards_a_role_and_sees_it_listed(people, login, framework):
    role = RoleProfileFactory(framework=framework, title="Engineering Manager")
    client = login(people.employee)
    response = client.post(url("goal_create", people.org), {
        "target_role": role.pk, "title": "", "horizon": "2y", "status": GoalStatus.ACTIVE,
        "motivation": "I enjoy helping people grow.", "shared_with_manager": "on"})
    goal = CareerGoal.objects_unscoped.get(member=people.employee)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#goal-{goal.pk}")
    assert (goal.target_role, goal.horizon, goal.shared_with_manager) == (role, "2y", True)
    page = client.get(response["Location"])
    body = text(page)
    assert "Goal added" in " ".join(messages_of(page))
    assert "Engineering Manager" in body and "I enjoy helping people grow." in body
    assert "Shared with my manager" in body
    assert reverse("skills:gaps", kwargs={"org_slug": people.org.slug, "role_id": role.pk}) in body


def test_goal_pointing_at_another_organisations_role_is_a_field_error_and_keeps_the_text(
        people, other_people, login):
    foreign = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    response = login(people.employee).post(url("goal_create", people.org), {
        "target_role": foreign.pk, "title": "Become a team lead", "horizon": "1y",
        "status": "exploring", "motivation": "Because I like it"})
    assert response.status_code == 400
    form = response.context["goal_form"]
    assert "Select a valid choice" in form.errors["target_role"][0]
    body = text(response)
    assert 'value="Become a team lead"' in body and "Because I like it" in body
    assert not CareerGoal.objects_unscoped.exists()


def test_goal_with_neither_title_nor_role_shows_the_services_message(people, login):
    response = login(people.employee).post(url("goal_create", people.org), {
        "target_role": "", "title": "", "horizon": "1y", "status": "exploring",
        "motivation": "Something matters"})
    assert response.status_code == 400
    assert "Describe your goal" in response.context["goal_form"].errors["title"][0]
    assert "Something matters" in text(response)
    assert not CareerGoal.objects_unscoped.exists()


def test_over_long_goal_is_a_field_error_and_keeps_what_was_typed(people, login):
    long_title = "x" * 201
    response = login(people.employee).post(url("goal_create", people.org), {
        "title": long_title, "horizon": "1y", "status": "exploring",
        "motivation": "Kept text"})
    assert response.status_code == 400
    assert "at most 200 characters" in response.context["goal_form"].errors["title"][0]
    assert long_title in text(response) and "Kept text" in text(response)
    assert not CareerGoal.objects_unscoped.exists()


def test_member_edits_then_deletes_a_goal(people, login):
    goal = CareerGoalFactory(member=people.employee, title="Old words")
    client = login(people.employee)
    assert client.get(url("goal_edit", people.org, goal_id=goal.pk)).status_code == 200
    response = client.post(url("goal_edit", people.org, goal_id=goal.pk), {
        "title": "New words", "horizon": "6m", "status": GoalStatus.ACHIEVED,
        "motivation": ""})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("New words", GoalStatus.ACHIEVED)
    body = text(client.get(url("goals", people.org)))
    assert "1 goal achieved or set aside" in body and "No open goals" in body
    confirm = client.get(url("goal_delete", people.org, goal_id=goal.pk))
    assert "Delete the goal “New words”?" in text(confirm)
    client.post(url("goal_delete", people.org, goal_id=goal.pk))
    assert not CareerGoal.objects_unscoped.exists()


def test_goal_edit_keeps_a_role_hr_has_withdrawn_since(people, login, framework):
    role = RoleProfileFactory(framework=framework, title="Old role", is_active=False)
    goal = CareerGoalFactory(member=people.employee, target_role=role, title="")
    response = login(people.employee).post(url("goal_edit", people.org, goal_id=goal.pk), {
        "target_role": role.pk, "title": "", "horizon": "1y", "status": "active"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target_role == role and goal.status == "active"


def test_adding_an_option_leads_to_rating_it_against_the_suggested_criteria(people, login):
    client = login(people.employee)
    response = client.post(url("option_create", people.org),
                           {"title": "Move to the Lisbon office", "description": "Same role"})
    option = CareerOption.objects_unscoped.get(member=people.employee)
    assert response.status_code == 302
    assert response["Location"] == url("option", people.org, option_id=option.pk)
    page = client.get(response["Location"])
    body = text(page)
    assert "Now weigh it up" in " ".join(messages_of(page))
    for name in ("Fits my values", "Uses skills I enjoy", "Interest", "Growth"):
        assert name in body
    assert "Rate the option on at least one criterion to see its score." in body


def test_member_rates_an_option_and_sees_the_weighted_score(people, login):
    option = CareerOptionFactory(member=people.employee, title="Team lead")
    values = OptionCriterionFactory(member=people.employee, name="Values", weight=5)
    growth = OptionCriterionFactory(member=people.employee, name="Growth", weight=3)
    client = login(people.employee)
    response = client.post(url("option", people.org, option_id=option.pk), {
        "title": "Team lead", "description": "", "pros": "More impact\nGrowth",
        "cons": "Less coding", "decision": "pursue", "decision_note": "Worth a try",
        f"score_{values.pk}": "4", f"score_{growth.pk}": "2"})
    assert response.status_code == 302
    option.refresh_from_db()
    assert (option.pros, option.decision) == ("More impact\nGrowth", "pursue")
    # 100 * (5*4 + 3*2) / (5*5 + 3*5) = 65
    body = text(client.get(url("option", people.org, option_id=option.pk)))
    assert "65<small> / 100</small>" in body
    goals_page = text(client.get(url("goals", people.org)))
    assert "65 / 100" in goals_page and "Pursue it" in goals_page


def test_invalid_option_save_writes_neither_details_nor_ratings_and_keeps_the_text(
        people, login):
    option = CareerOptionFactory(member=people.employee, title="Team lead", pros="")
    criterion = OptionCriterionFactory(member=people.employee, name="Values")
    response = login(people.employee).post(url("option", people.org, option_id=option.pk), {
        "title": "Team lead", "pros": "p" * 4001, "cons": "Typed cons", "decision": "pursue",
        f"score_{criterion.pk}": "5"})
    assert response.status_code == 400
    assert "at most 4000 characters" in response.context["form"].errors["pros"][0]
    assert "Typed cons" in text(response)
    option.refresh_from_db()
    assert option.pros == "" and option.decision == "undecided"
    assert not OptionRating.objects_unscoped.exists()


def test_option_page_without_criteria_offers_the_suggested_set(people, login):
    option = CareerOptionFactory(member=people.employee)
    client = login(people.employee)
    body = text(client.get(url("option", people.org, option_id=option.pk)))
    assert "You have no criteria to rate it against" in body
    response = client.post(url("criteria_defaults", people.org),
                           {"next": url("option", people.org, option_id=option.pk)})
    assert response["Location"] == url("option", people.org, option_id=option.pk)
    assert OptionCriterion.objects_unscoped.filter(member=people.employee).count() == 5


def test_criteria_page_adds_reweighs_and_deletes_a_criterion(people, login):
    client = login(people.employee)
    assert "No criteria yet" in text(client.get(url("criteria", people.org)))
    response = client.post(url("criteria", people.org), {"name": "Location", "weight": "2"})
    assert response.status_code == 302
    criterion = OptionCriterion.objects_unscoped.get(member=people.employee)
    duplicate = client.post(url("criteria", people.org), {"name": "location", "weight": "3"})
    assert duplicate.status_code == 400
    assert "already have a criterion" in duplicate.context["form"].errors["name"][0]
    client.post(url("criterion_edit", people.org, criterion_id=criterion.pk),
                {"name": "Location", "weight": "5"})
    criterion.refresh_from_db()
    assert criterion.weight == 5
    assert "100% of the score" in text(client.get(url("criteria", people.org)))
    client.post(url("criterion_delete", people.org, criterion_id=criterion.pk))
    assert not OptionCriterion.objects_unscoped.exists()


# --- Development plan ---------------------------------------------------------------------------


def test_empty_plan_says_what_to_do_and_explains_the_missing_role(people, login):
    body = text(login(people.employee).get(url("plan", people.org)))
    assert "Your plan is empty" in body
    assert "No role to measure gaps against yet" in body
    for kind in ("Training", "Mentoring", "On-the-job learning", "Stretch project",
                 "Cross-functional project", "Conference", "Reading", "Shadowing"):
        assert kind in body
    assert 'type="date"' in body


def test_member_adds_an_action_and_sees_it_planned(people, login, gap):
    client = login(people.employee)
    due = timezone.localdate() + timedelta(days=14)
    response = client.post(url("action_create", people.org), {
        "title": "Shadow the release manager", "kind": ActionKind.SHADOWING,
        "skill": gap["skill"].pk, "due_date": due.isoformat(), "hours": "4.5",
        "status": "planned", "evidence": "", "shared_with_manager": "on"})
    action = DevelopmentAction.objects_unscoped.get(member=people.employee)
    assert response.status_code == 302
    assert (action.kind, action.skill, action.due_date, action.hours) == (
        ActionKind.SHADOWING, gap["skill"], due, Decimal("4.5"))
    body = text(client.get(url("plan", people.org)))
    assert "Shadow the release manager" in body and "Planned" in body


def test_due_date_in_the_wrong_format_is_a_field_error_and_nothing_is_lost(people, login):
    response = login(people.employee).post(url("action_create", people.org), {
        "title": "Finish the AWS course", "kind": "training", "due_date": "31/12/2025",
        "hours": "10", "status": "planned", "evidence": "Typed evidence"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["due_date"] == ["Enter the date as YYYY-MM-DD, for example 2025-03-31."]
    body = text(response)
    assert 'value="Finish the AWS course"' in body and "Typed evidence" in body
    assert 'value="31/12/2025"' in body
    assert not DevelopmentAction.objects_unscoped.exists()


def test_action_naming_another_organisations_skill_is_not_a_valid_choice(
        people, other_people, login):
    foreign = SkillFactory(framework=FrameworkFactory(organization=other_people.org))
    response = login(people.employee).post(url("action_create", people.org), {
        "title": "Learn it", "kind": "training", "skill": foreign.pk, "status": "planned"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.context["form"].errors["skill"][0]
    assert not DevelopmentAction.objects_unscoped.exists()


def test_one_click_adds_a_suggested_resource_from_a_skill_gap(people, login, gap):
    client = login(people.employee)
    body = text(client.get(url("plan", people.org)))
    add_url = url("action_from_resource", people.org, resource_id=gap["course"].pk)
    assert "Suggested for your skill gaps" in body and "SQL for analysts" in body
    assert add_url in body and "your role, Data Analyst" in body
    response = client.post(add_url)
    action = DevelopmentAction.objects_unscoped.get(member=people.employee)
    assert (action.title, action.kind, action.skill, action.resource, action.hours) == (
        "SQL for analysts", ActionKind.TRAINING, gap["skill"], gap["course"], Decimal("12"))
    assert response["Location"].endswith(f"#action-{action.pk}")
    page = client.get(response["Location"])
    assert "Added to your plan as training" in " ".join(messages_of(page))
    assert add_url not in text(page)  # no longer suggested
    assert url("action_from_resource", people.org, resource_id=gap["book"].pk) in text(page)
    # A second click (another tab) is refused with a clear message, and adds nothing.
    again = client.post(add_url, follow=True)
    assert "already in your plan" in " ".join(messages_of(again))
    assert DevelopmentAction.objects_unscoped.filter(member=people.employee).count() == 1


def test_quick_status_change_marks_done_and_counts_the_hours(people, login):
    action = DevelopmentActionFactory(member=people.employee, title="Course",
                                      hours=Decimal("7.5"))
    client = login(people.employee)
    client.post(url("action_status", people.org, action_id=action.pk), {"status": "in_progress"})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    response = client.post(url("action_status", people.org, action_id=action.pk),
                           {"status": "done"}, follow=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_at is not None
    assert "is done" in " ".join(messages_of(response))
    body = text(response)
    assert "7.5 h" in body and "100<small>%</small>" in body
    client.post(url("action_status", people.org, action_id=action.pk), {"status": "planned"})
    action.refresh_from_db()
    assert action.completed_at is None


def test_quick_status_change_only_answers_post(people, login):
    action = DevelopmentActionFactory(member=people.employee)
    client = login(people.employee)
    assert client.get(url("action_status", people.org, action_id=action.pk)).status_code == 405
    bogus = client.post(url("action_status", people.org, action_id=action.pk), {"status": "x"})
    assert bogus.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_member_edits_an_action_with_a_bad_date_and_keeps_the_rest(people, login):
    action = DevelopmentActionFactory(member=people.employee, title="Read")
    client = login(people.employee)
    response = client.post(url("action_edit", people.org, action_id=action.pk), {
        "title": "Read two books", "kind": "reading", "due_date": "next friday",
        "status": "planned", "evidence": "Chapter notes"})
    assert response.status_code == 400
    assert 'value="Read two books"' in text(response) and "Chapter notes" in text(response)
    action.refresh_from_db()
    assert action.title == "Read"
    client.post(url("action_delete", people.org, action_id=action.pk))
    assert not DevelopmentAction.objects_unscoped.exists()


def _plan_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("plan", org))
    assert response.status_code == 200
    return len(queries)


def test_plan_page_query_count_does_not_grow_with_the_number_of_actions(
        people, login, gap, framework):
    client = login(people.employee)
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE,
                ActionStatus.CANCELLED]
    for i in range(2):
        DevelopmentActionFactory(member=people.employee, skill=gap["skill"],
                                 resource=LearningResourceFactory(skill=gap["skill"]),
                                 status=statuses[i])
    small = _plan_queries(client, people.org)
    for i in range(38):
        DevelopmentActionFactory(member=people.employee, skill=gap["skill"],
                                 resource=LearningResourceFactory(skill=gap["skill"]),
                                 status=statuses[i % 4], hours=Decimal("1"),
                                 due_date=timezone.localdate() - timedelta(days=i),
                                 completed_at=timezone.now() if i % 4 == 2 else None)
    assert _plan_queries(client, people.org) == small


def test_goals_page_query_count_does_not_grow_with_goals_and_options(people, login, framework):
    client = login(people.employee)
    criterion = OptionCriterionFactory(member=people.employee)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("goals", people.org)).status_code == 200
        return len(captured)

    CareerGoalFactory(member=people.employee,
                      target_role=RoleProfileFactory(framework=framework))
    OptionRatingFactory(option=CareerOptionFactory(member=people.employee), criterion=criterion)
    small = queries()
    for _ in range(15):
        CareerGoalFactory(member=people.employee,
                          target_role=RoleProfileFactory(framework=framework))
        OptionRatingFactory(option=CareerOptionFactory(member=people.employee),
                            criterion=criterion)
    assert queries() == small


# --- Nobody else opens the member's items -------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "hr", "leader"])
def test_manager_hr_and_leader_cannot_open_the_employees_plan_items(people, login, who):
    employee = people.employee
    goal = CareerGoalFactory(member=employee, title="Secret goal", shared_with_manager=True)
    option = CareerOptionFactory(member=employee, title="Secret option",
                                 shared_with_manager=True)
    criterion = OptionCriterionFactory(member=employee, name="Secret criterion")
    action = DevelopmentActionFactory(member=employee, title="Secret action")
    client = login(getattr(people, who))
    owner_pages = [
        url("goal_edit", people.org, goal_id=goal.pk),
        url("goal_delete", people.org, goal_id=goal.pk),
        url("option", people.org, option_id=option.pk),
        url("option_delete", people.org, option_id=option.pk),
        url("criterion_edit", people.org, criterion_id=criterion.pk),
        url("criterion_delete", people.org, criterion_id=criterion.pk),
        url("action_edit", people.org, action_id=action.pk),
        url("action_status", people.org, action_id=action.pk),
        url("action_delete", people.org, action_id=action.pk),
    ]
    for page in owner_pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"status": "done", "title": "Hijacked"}).status_code == 404, page
    # Their own lists show their own items, not the employee's.
    for page in (url("goals", people.org), url("plan", people.org),
                 url("criteria", people.org)):
        body = text(client.get(page))
        assert "Secret" not in body, page
    assert CareerGoal.objects_unscoped.get(pk=goal.pk).title == "Secret goal"
    assert DevelopmentAction.objects_unscoped.get(pk=action.pk).status == ActionStatus.PLANNED
    assert CareerOption.objects_unscoped.filter(pk=option.pk).exists()


def test_a_colleagues_resource_suggestion_does_not_leak_into_my_plan(people, login, gap):
    # The manager has no role: the employee's gap is not theirs.
    body = text(login(people.manager).get(url("plan", people.org)))
    assert "SQL for analysts" not in body
