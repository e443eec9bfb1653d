"""The goals, options, criteria and development plan API, through real URLs."""

from datetime import timedelta
from decimal import Decimal

import pytest
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
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalStatus,
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


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/career/{path}"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def ids(response):
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org)


@pytest.fixture
def foreign(other_people):
    framework = FrameworkFactory(organization=other_people.org)
    skill = SkillFactory(framework=framework)
    return {
        "role": RoleProfileFactory(framework=framework),
        "skill": skill,
        "resource": LearningResourceFactory(skill=skill),
        "criterion": OptionCriterionFactory(member=other_people.employee),
    }


# --- Goals --------------------------------------------------------------------------------------


def test_member_creates_lists_updates_and_deletes_goals(people, login, framework):
    role = RoleProfileFactory(framework=framework, title="Tech Lead")
    client = login(people.employee)
    created = post(client, api(people.org, "goals/"), {"target_role": role.pk, "horizon": "2y",
                                                        "status": "active"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["target_role"] == {"id": role.pk, "title": "Tech Lead"}
    assert (body["horizon"], body["status"], body["shared_with_manager"]) == (
        "2y", "active", False)
    CareerGoalFactory(member=people.manager, title="Manager's goal")
    listed = client.get(api(people.org, "goals/"))
    assert ids(listed) == [body["id"]]
    changed = patch(client, api(people.org, f"goals/{body['id']}/"),
                    {"title": "Lead the platform team", "shared_with_manager": True})
    assert changed.status_code == 200
    assert changed.json()["title"] == "Lead the platform team"
    assert changed.json()["horizon"] == "2y"  # untouched
    assert client.delete(api(people.org, f"goals/{body['id']}/")).status_code == 204
    assert not CareerGoal.objects_unscoped.filter(member=people.employee).exists()


def test_goal_with_another_organisations_role_is_a_400_on_target_role(people, login, foreign):
    response = post(login(people.employee), api(people.org, "goals/"),
                    {"target_role": foreign["role"].pk, "title": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"target_role"}
    assert not CareerGoal.objects_unscoped.exists()


def test_goal_bad_input_gets_field_messages(people, login):
    client = login(people.employee)
    long = post(client, api(people.org, "goals/"), {"title": "x" * 201, "horizon": "forever"})
    assert long.status_code == 400
    assert set(long.json()["errors"]) == {"title", "horizon"}
    empty = post(client, api(people.org, "goals/"), {"title": ""})
    assert empty.status_code == 400
    assert "Describe your goal" in empty.json()["errors"]["title"][0]
    assert not CareerGoal.objects_unscoped.exists()


# --- Options and criteria -----------------------------------------------------------------------


def test_member_rates_an_option_and_gets_its_weighted_score(people, login):
    client = login(people.employee)
    option = post(client, api(people.org, "options/"), {"title": "Product manager",
                                                         "pros": "Closer to customers"})
    assert option.status_code == 201
    assert option.json()["score"] is None
    criteria = client.get(api(people.org, "criteria/")).json()["results"]
    assert len(criteria) == 5  # the suggested set, on first use
    values = post(client, api(people.org, "criteria/"), {"name": "Pay", "weight": 1}).json()
    by_name = {c["name"]: c for c in criteria}
    scores = {by_name["Fits my values"]["id"]: 4, values["id"]: 2,
              by_name["Growth"]["id"]: None}
    rated = put(client, api(people.org, f"options/{option.json()['id']}/ratings/"),
                {"scores": scores})
    assert rated.status_code == 200, rated.content
    # Fits my values weighs 5, Pay 1: 100 * (5*4 + 1*2) / (5*5 + 1*5) = 73.3 → 73
    assert rated.json()["score"] == 73
    assert {r["criterion_name"]: r["score"] for r in rated.json()["ratings"]} == {
        "Fits my values": 4, "Pay": 2}
    listed = client.get(api(people.org, "options/")).json()["results"]
    assert listed[0]["score"] == 73 and listed[0]["rated_count"] == 2


def test_rating_with_another_organisations_or_a_colleagues_criterion_is_a_400(
        people, login, foreign):
    option = CareerOptionFactory(member=people.employee)
    colleague = OptionCriterionFactory(member=people.manager)
    response = put(login(people.employee), api(people.org, f"options/{option.pk}/ratings/"),
                   {"scores": {str(foreign["criterion"].pk): 3, str(colleague.pk): 3}})
    assert response.status_code == 400
    assert len(response.json()["errors"]["scores"]) == 2
    bad = put(login(people.employee), api(people.org, f"options/{option.pk}/ratings/"),
              {"scores": {"abc": 9}})
    assert bad.status_code == 400 and "scores" in bad.json()["errors"]
    assert not OptionRating.objects_unscoped.exists()


def test_criterion_duplicate_and_weight_out_of_range_are_400(people, login):
    client = login(people.employee)
    assert post(client, api(people.org, "criteria/"), {"name": "Pay"}).status_code == 201
    duplicate = post(client, api(people.org, "criteria/"), {"name": "PAY"})
    assert duplicate.status_code == 400 and "name" in duplicate.json()["errors"]
    heavy = post(client, api(people.org, "criteria/"), {"name": "Team", "weight": 9})
    assert heavy.status_code == 400 and "weight" in heavy.json()["errors"]


def test_option_patch_changes_the_decision_only(people, login):
    option = CareerOptionFactory(member=people.employee, title="Sales", pros="Travel")
    response = patch(login(people.employee), api(people.org, f"options/{option.pk}/"),
                     {"decision": "reject", "decision_note": "Not for me"})
    assert response.status_code == 200
    option.refresh_from_db()
    assert (option.decision, option.pros) == ("reject", "Travel")


# --- Actions ------------------------------------------------------------------------------------


def test_member_plans_an_action_and_marks_it_done(people, login, framework):
    skill = SkillFactory(framework=framework, name="Negotiation")
    client = login(people.employee)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    created = post(client, api(people.org, "actions/"), {
        "title": "Negotiation workshop", "kind": "training", "skill": skill.pk,
        "due_date": due, "hours": "7.5"})
    assert created.status_code == 201, created.content
    action = created.json()
    assert (action["skill"], action["due_date"], action["hours"], action["status"]) == (
        {"id": skill.pk, "name": "Negotiation"}, due, "7.5", "planned")
    done = patch(client, api(people.org, f"actions/{action['id']}/"), {"status": "done"})
    assert done.json()["completed_at"] is not None
    summary = client.get(api(people.org, "plan/summary/")).json()
    assert summary["training_hours_12m"] == "7.5"
    assert (summary["actions_done"], summary["actions_total"], summary["percent_done"]) == (
        1, 1, 100)
    listed = client.get(api(people.org, "actions/"), {"status": ["done", "planned"]})
    assert ids(listed) == [action["id"]]
    assert ids(client.get(api(people.org, "actions/"), {"status": "planned"})) == []


def test_action_bad_input_gets_field_messages_and_nothing_is_written(people, login, foreign):
    response = post(login(people.employee), api(people.org, "actions/"), {
        "title": "t" * 201, "due_date": "31/12/2025", "skill": foreign["skill"].pk,
        "resource": foreign["resource"].pk, "hours": "-1", "kind": "yoga"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"title", "due_date", "skill", "resource", "hours", "kind"}
    assert "YYYY-MM-DD" in errors["due_date"][0]
    assert response.json()["detail"]
    assert not DevelopmentAction.objects_unscoped.exists()


def test_one_click_from_resource_and_its_duplicate_refusal(people, login, framework, foreign):
    skill = SkillFactory(framework=framework)
    resource = LearningResourceFactory(skill=skill, title="Mentoring circle",
                                       kind=ResourceKind.MENTORING, hours=Decimal("3"))
    client = login(people.employee)
    created = post(client, api(people.org, "actions/from-resource/"), {"resource": resource.pk})
    assert created.status_code == 201, created.content
    assert (created.json()["kind"], created.json()["title"], created.json()["hours"]) == (
        "mentoring", "Mentoring circle", "3.0")
    assert created.json()["resource"]["id"] == resource.pk
    again = post(client, api(people.org, "actions/from-resource/"), {"resource": resource.pk})
    assert again.status_code == 400
    assert "already in your plan" in again.json()["errors"]["resource"][0]
    other = post(client, api(people.org, "actions/from-resource/"),
                 {"resource": foreign["resource"].pk})
    assert other.status_code == 400 and "resource" in other.json()["errors"]
    assert DevelopmentAction.objects_unscoped.filter(member=people.employee).count() == 1


def test_suggestions_come_from_the_gaps_of_the_members_roles(people, login, framework):
    role = RoleProfileFactory(framework=framework, title="Analyst")
    target = RoleProfileFactory(framework=framework, title="Lead analyst")
    sql = SkillFactory(framework=framework, name="SQL")
    RoleRequirementFactory(role=role, skill=sql, min_level=2)
    MemberRoleFactory(member=people.employee, role=role)
    CareerGoalFactory(member=people.employee, target_role=target, status=GoalStatus.EXPLORING)
    course = LearningResourceFactory(skill=sql, title="SQL basics")
    response = login(people.employee).get(api(people.org, "plan/suggestions/"))
    assert response.status_code == 200
    [suggestion] = response.json()
    assert suggestion["skill"]["name"] == "SQL" and suggestion["gap"] == 2
    assert suggestion["roles"] == [{"id": role.pk, "title": "Analyst", "is_current": True}]
    assert suggestion["resources"] == [
        {"resource": {"id": course.pk, "skill": sql.pk, "title": "SQL basics",
                      "url": course.url, "kind": "course", "hours": None},
         "action_kind": "training"}]


# --- Isolation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "hr", "leader"])
def test_colleagues_get_404_for_the_members_items_and_never_list_them(people, login, who):
    employee = people.employee
    goal = CareerGoalFactory(member=employee, shared_with_manager=True)
    option = CareerOptionFactory(member=employee, shared_with_manager=True)
    criterion = OptionCriterionFactory(member=employee)
    action = DevelopmentActionFactory(member=employee)
    client = login(getattr(people, who))
    for path in (f"goals/{goal.pk}/", f"options/{option.pk}/", f"criteria/{criterion.pk}/",
                 f"actions/{action.pk}/"):
        assert client.get(api(people.org, path)).status_code == 404, path
        assert patch(client, api(people.org, path), {"title": "x"}).status_code == 404, path
        assert client.delete(api(people.org, path)).status_code == 404, path
    assert put(client, api(people.org, f"options/{option.pk}/ratings/"),
               {"scores": {str(criterion.pk): 1}}).status_code == 404
    for path in ("goals/", "options/", "criteria/", "actions/"):
        assert client.get(api(people.org, path)).json()["results"] == [], path
    summary = client.get(api(people.org, "plan/summary/")).json()
    assert summary["goal_count"] == 0 and summary["actions_total"] == 0
    assert CareerGoal.objects_unscoped.filter(pk=goal.pk).exists()
    assert CareerOption.objects_unscoped.filter(pk=option.pk).exists()
    assert DevelopmentAction.objects_unscoped.get(pk=action.pk).status == ActionStatus.PLANNED


def test_another_organisations_member_gets_404(people, other_people, login):
    goal = CareerGoalFactory(member=people.employee)
    client = login(other_people.employee)
    assert client.get(api(people.org, "goals/")).status_code == 404
    assert client.get(api(other_people.org, f"goals/{goal.pk}/")).status_code == 404


# --- Query counts -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_list_endpoints_run_the_same_number_of_queries_for_few_and_many_rows(
        people, login, framework):
    client = login(people.employee)
    skill = SkillFactory(framework=framework)
    criterion = OptionCriterionFactory(member=people.employee)

    def grow(n):
        for _ in range(n):
            DevelopmentActionFactory(member=people.employee, skill=skill,
                                     resource=LearningResourceFactory(skill=skill),
                                     status=ActionStatus.DONE, hours=Decimal("1"),
                                     completed_at=timezone.now())
            CareerGoalFactory(member=people.employee,
                              target_role=RoleProfileFactory(framework=framework))
            OptionRatingFactory(option=CareerOptionFactory(member=people.employee),
                                criterion=criterion)

    paths = ("actions/", "goals/", "options/", "plan/summary/", "plan/suggestions/")
    grow(2)
    small = {path: _count(client, api(people.org, path)) for path in paths}
    grow(38)
    assert {path: _count(client, api(people.org, path)) for path in paths} == small
