"""The leadership metrics API: dashboards, trends, team comparisons, refresh and leaders' goals,
who may read and write them, and what stays hidden for small teams."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.factories import ReflectionAnswerFactory, ReflectionFactory, ReflectionTemplateFactory
from conversations.factories import HeldConversationFactory
from hr_admin.models import MetricGoal, MetricSnapshot, MoveKind
from hr_admin.services import metrics as metric_services
from hr_admin.services.metrics import organization_today
from hr_admin.tests.factories_succession import MoveFactory
from organizations import tenancy
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


def snapshot_take(*, organization, day):
    """The nightly snapshot, in the organisation's scope as the worker takes it."""
    with tenancy.organization_scope(organization):
        return metric_services.snapshot_take(organization=organization, day=day)


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def send(client, method, path, data=None):
    return getattr(client, method)(path, data or {}, content_type="application/json")


class Acme:
    """``people`` plus Engineering (the manager, the employee and four more: six members) and
    Design (two members, below the anonymity threshold of five): ten active members.

    Held conversations: the employee and one designer (coverage 20 %, Engineering 1 of 6,
    Design 1 of 2). One promotion in Engineering (1 of 10 members: 10 %). One designer wrote a
    reflection (a personal figure: Design's is withheld)."""

    def __init__(self, people):
        self.people = people
        self.org = people.org
        self.engineering = TeamFactory(organization=self.org, name="Engineering")
        self.design = TeamFactory(organization=self.org, name="Design")
        for member in (people.manager, people.employee):
            member.team = self.engineering
            member.save()
        self.engineers = [MembershipFactory(organization=self.org, team=self.engineering,
                                            manager=people.manager) for _ in range(4)]
        self.designers = [MembershipFactory(organization=self.org, team=self.design,
                                            manager=people.leader) for _ in range(2)]
        HeldConversationFactory(member=people.employee, partner=people.manager)
        HeldConversationFactory(member=self.designers[0], partner=people.leader)
        MoveFactory(member=self.engineers[0], kind=MoveKind.PROMOTION)
        template = ReflectionTemplateFactory(organization=self.org)
        ReflectionAnswerFactory(organization=self.org, text="I want to lead.",
                                reflection=ReflectionFactory(organization=self.org,
                                                             member=self.designers[0],
                                                             template=template))
        self.today = organization_today(self.org)
        snapshot_take(organization=self.org, day=self.today)

    def url(self, name, **kwargs):
        return api(name, self.org, **kwargs)


@pytest.fixture
def acme(people):
    return Acme(people)


def cards(body):
    return {card["key"]: card for card in body["metrics"]}


# --- Who may read ------------------------------------------------------------------------------


def test_leaders_and_hr_read_the_organisation_dashboard(acme, login):
    for reader in (acme.people.leader, acme.people.hr):
        response = login(reader).get(acme.url("metrics"))
        assert response.status_code == 200
        body = response.json()
        assert body["day"] == acme.today.isoformat()
        assert (body["team"], body["headcount"], body["small_team"]) == (None, 10, False)
        assert len(body["metrics"]) == 15
        coverage = cards(body)["conversation_coverage"]
        assert coverage["title"] == "Career conversation coverage"
        assert coverage["definition"].startswith("Share of active members who held")
        assert (coverage["unit"], coverage["higher_is_better"], coverage["source"]) == (
            "percent", True, "activity")
        assert coverage["value"] == pytest.approx(20)
        assert coverage["display"] == "20\u00a0%"
        assert (coverage["numerator"], coverage["denominator"]) == (2, 10)
        assert coverage["hidden"] is False
        assert cards(body)["internal_promotion_rate"]["value"] == pytest.approx(10)
        assert cards(body)["reflection_participation"]["value"] == pytest.approx(10)


def test_managers_and_employees_are_refused_every_metrics_endpoint(acme, login):
    goal = MetricGoal.objects_unscoped.create(
        organization=acme.org, metric="internal_promotion_rate", target=5,
        starts_on=acme.today, ends_on=acme.today + timedelta(days=30))
    for member in (acme.people.manager, acme.people.employee):
        client = login(member)
        for path in (acme.url("metrics"), acme.url("metric_goals"),
                     acme.url("metric_goal", metric_goal_id=goal.pk),
                     acme.url("metric_trend", metric="conversation_coverage"),
                     acme.url("metric_teams", metric="conversation_coverage")):
            response = client.get(path)
            assert response.status_code == 403, path
            assert response.json()["detail"] == "The dashboards are for leaders and HR."
        assert send(client, "post", acme.url("metrics_refresh")).status_code == 403
        assert send(client, "post", acme.url("metric_goals"), {
            "metric": "internal_promotion_rate", "target": 5, "starts_on": "2030-01-01",
            "ends_on": "2030-12-31"}).status_code == 403
        assert send(client, "delete", acme.url("metric_goal",
                                               metric_goal_id=goal.pk)).status_code == 403
    assert MetricGoal.objects_unscoped.count() == 1


def test_another_organisations_team_or_goal_is_404_for_every_role(acme, other_people, login):
    foreign_team = TeamFactory(organization=other_people.org)
    foreign_goal = MetricGoal.objects_unscoped.create(
        organization=other_people.org, metric="internal_promotion_rate", target=5,
        starts_on=acme.today, ends_on=acme.today + timedelta(days=30))
    for member in acme.people.by_role().values():
        client = login(member)
        for path in (acme.url("metrics") + f"?team={foreign_team.pk}",
                     acme.url("metric_goals") + f"?team={foreign_team.pk}",
                     acme.url("metric_trend", metric="plan_coverage") + f"?team={foreign_team.pk}",
                     acme.url("metric_teams", metric="plan_coverage")
                     + f"?parent={foreign_team.pk}",
                     acme.url("metric_goal", metric_goal_id=foreign_goal.pk),
                     acme.url("metric_goal", metric_goal_id=999_999),
                     acme.url("metric_trend", metric="no_such_metric")):
            assert client.get(path).status_code == 404, (member, path)
        goal_url = acme.url("metric_goal", metric_goal_id=foreign_goal.pk)
        assert send(client, "patch", goal_url, {"target": 1}).status_code == 404
        assert send(client, "delete", goal_url).status_code == 404
    assert MetricGoal.objects_unscoped.get(pk=foreign_goal.pk).target == 5


def test_a_malformed_team_is_400_with_a_field_message(acme, login):
    response = login(acme.people.leader).get(acme.url("metrics") + "?team=engineering")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]


# --- Teams and privacy -------------------------------------------------------------------------


def test_a_teams_dashboard_withholds_personal_figures_of_a_small_team(acme, login):
    client = login(acme.people.leader)
    body = client.get(acme.url("metrics") + f"?team={acme.design.pk}").json()
    assert body["team"] == {"id": acme.design.pk, "name": "Design"}
    assert (body["headcount"], body["small_team"]) == (2, True)
    reflection = cards(body)["reflection_participation"]
    assert reflection["hidden"] is True
    assert (reflection["value"], reflection["numerator"], reflection["denominator"]) == (
        None, None, None)
    assert reflection["display"] == "–"  # noqa: RUF001
    coverage = cards(body)["conversation_coverage"]
    assert (coverage["hidden"], coverage["value"]) == (False, pytest.approx(50))

    body = client.get(acme.url("metrics") + f"?team={acme.engineering.pk}").json()
    assert (body["headcount"], body["small_team"]) == (6, False)
    assert cards(body)["reflection_participation"]["value"] == pytest.approx(0)
    assert cards(body)["conversation_coverage"]["display"] == "17\u00a0%"


def test_the_trend_is_a_year_of_stored_figures_and_hidden_for_a_small_team(acme, login):
    snapshot_take(organization=acme.org, day=acme.today - timedelta(days=7))
    client = login(acme.people.hr)
    body = client.get(acme.url("metric_trend", metric="conversation_coverage")).json()
    assert (body["metric"], body["team"], body["hidden"]) == ("conversation_coverage", None,
                                                              False)
    # A week ago nobody had joined yet: nothing to measure.
    assert body["points"] == [
        {"day": (acme.today - timedelta(days=7)).isoformat(), "value": None},
        {"day": acme.today.isoformat(), "value": pytest.approx(20)}]

    path = acme.url("metric_trend", metric="reflection_participation")
    body = client.get(path + f"?team={acme.design.pk}").json()
    assert (body["hidden"], body["points"]) == (True, [])
    assert body["team"] == {"id": acme.design.pk, "name": "Design"}
    body = client.get(path + f"?team={acme.engineering.pk}").json()
    assert body["hidden"] is False and len(body["points"]) == 2
    # Not a personal figure: shown for the small team too.
    body = client.get(acme.url("metric_trend", metric="conversation_coverage")
                      + f"?team={acme.design.pk}").json()
    assert body["hidden"] is False
    assert body["points"][-1]["value"] == pytest.approx(50)


def test_teams_side_by_side_under_a_parent(acme, login):
    platform = TeamFactory(organization=acme.org, name="Platform", parent=acme.engineering)
    snapshot_take(organization=acme.org, day=acme.today)
    client = login(acme.people.leader)
    rows = client.get(acme.url("metric_teams", metric="conversation_coverage")).json()
    assert [(r["team"]["name"], r["headcount"], r["hidden"]) for r in rows] == [
        ("Design", 2, False), ("Engineering", 6, False)]
    assert [r["display"] for r in rows] == ["50\u00a0%", "17\u00a0%"]
    rows = client.get(acme.url("metric_teams", metric="reflection_participation")).json()
    assert [(r["team"]["name"], r["value"], r["hidden"]) for r in rows] == [
        ("Design", None, True), ("Engineering", 0, False)]
    rows = client.get(acme.url("metric_teams", metric="conversation_coverage")
                      + f"?parent={acme.engineering.pk}").json()
    assert [(r["team"]["id"], r["headcount"]) for r in rows] == [(platform.pk, 0)]


# --- Refresh -----------------------------------------------------------------------------------


def test_refresh_queues_todays_snapshot_and_is_audited(people, login,
                                                       django_capture_on_commit_callbacks):
    assert not MetricSnapshot.objects_unscoped.filter(organization=people.org).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(login(people.hr), "post", api("metrics_refresh", people.org))
    assert response.status_code == 202
    assert response.json() == {"queued": True}
    today = organization_today(people.org)
    assert MetricSnapshot.objects_unscoped.filter(organization=people.org, day=today,
                                                  team__isnull=True).count() == 15
    event = AuditEvent.objects_unscoped.get(organization=people.org, action="metrics.refreshed")
    assert event.actor == people.hr
    body = login(people.leader).get(api("metrics", people.org)).json()
    assert (body["day"], body["headcount"]) == (today.isoformat(), 4)


# --- Goals ---------------------------------------------------------------------------------------


def test_a_leader_sets_changes_and_deletes_a_goal(acme, login):
    leader = login(acme.people.leader)
    start = acme.today - timedelta(days=30)
    response = send(leader, "post", acme.url("metric_goals"), {
        "metric": "internal_promotion_rate", "target": 5, "starts_on": start.isoformat(),
        "ends_on": (acme.today + timedelta(days=300)).isoformat(),
        "note": "  Grow our own leaders.  "})
    assert response.status_code == 201
    goal = response.json()
    assert goal["metric"] == "internal_promotion_rate"
    assert goal["metric_title"] == "Internal promotion rate"
    assert (goal["team"], goal["comparison"], goal["target"]) == (None, "at_least", 5)
    assert goal["note"] == "Grow our own leaders."
    assert (goal["actual"], goal["actual_display"]) == (pytest.approx(10), "10\u00a0%")
    assert (goal["status"], goal["status_label"]) == ("on_track", "On track")

    listed = login(acme.people.hr).get(acme.url("metric_goals")).json()
    assert listed["count"] == 1 and listed["results"] == [goal]
    board = leader.get(acme.url("metrics")).json()
    assert [g["id"] for g in cards(board)["internal_promotion_rate"]["goals"]] == [goal["id"]]

    path = acme.url("metric_goal", metric_goal_id=goal["id"])
    response = send(leader, "patch", path, {"target": 30})
    assert response.status_code == 200
    assert (response.json()["target"], response.json()["status"]) == (30, "behind")
    assert response.json()["starts_on"] == start.isoformat()
    assert leader.get(path).json()["status_label"] == "Behind"

    assert send(login(acme.people.hr), "delete", path).status_code == 403
    assert send(leader, "delete", path).status_code == 204
    assert not MetricGoal.objects_unscoped.exists()
    assert set(AuditEvent.objects_unscoped.filter(action__startswith="metrics.goal")
               .values_list("action", flat=True)) == {
        "metrics.goal_set", "metrics.goal_changed", "metrics.goal_deleted"}


def test_goal_statuses_and_a_small_teams_personal_goal_has_no_figure(acme, login):
    leader = login(acme.people.leader)
    ended = acme.today - timedelta(days=1)

    def create(**fields):
        data = {"starts_on": acme.today.isoformat(),
                "ends_on": (acme.today + timedelta(days=90)).isoformat(), **fields}
        response = send(leader, "post", acme.url("metric_goals"), data)
        assert response.status_code == 201, response.json()
        return response.json()

    upcoming = create(metric="conversation_coverage", target=50,
                      starts_on=(acme.today + timedelta(days=10)).isoformat())
    overdue = create(metric="overdue_conversations", comparison="at_most", target=3)
    design = create(metric="reflection_participation", target=40, team=acme.design.pk)
    engineering = create(metric="reflection_participation", target=40,
                         team=acme.engineering.pk)
    assert upcoming["status"] == "upcoming"
    assert overdue["status"] == "on_track"
    assert design["team"] == {"id": acme.design.pk, "name": "Design"}
    assert (design["actual"], design["status"]) == (None, "no_data")
    assert (engineering["actual"], engineering["status"]) == (0, "behind")
    MetricGoal.objects_unscoped.filter(pk=overdue["id"]).update(starts_on=ended - timedelta(1),
                                                                ends_on=ended)
    # Ended yesterday: no figure of its period is stored, so there is nothing to judge by.
    assert leader.get(acme.url("metric_goal", metric_goal_id=overdue["id"])).json()[
        "status"] == "no_data"
    snapshot_take(organization=acme.org, day=ended)
    assert leader.get(acme.url("metric_goal", metric_goal_id=overdue["id"])).json()[
        "status"] == "achieved"
    rows = leader.get(acme.url("metric_goals") + f"?team={acme.design.pk}").json()["results"]
    assert [r["id"] for r in rows] == [design["id"]]


def test_bad_goals_are_400_with_messages_by_field(acme, other_people, login):
    leader = login(acme.people.leader)

    def errors(**fields):
        data = {"metric": "internal_promotion_rate", "target": 20,
                "starts_on": "2030-01-01", "ends_on": "2030-12-31", **fields}
        response = send(leader, "post", acme.url("metric_goals"), data)
        assert response.status_code == 400
        return response.json()["errors"]

    assert errors(target=150) == {"target": ["For this metric the target lies between 0 and 100."]}
    assert errors(ends_on="2029-12-31") == {"ends_on": ["The period ends before it starts."]}
    assert list(errors(metric="happiness")) == ["metric"]
    assert errors(team=TeamFactory(organization=other_people.org).pk) == {
        "team": ["Choose a team of this organisation."]}
    assert set(errors(target="lots", comparison="about")) == {"target", "comparison"}
    assert not MetricGoal.objects_unscoped.exists()

    goal = MetricGoal.objects_unscoped.create(
        organization=acme.org, metric="conversation_quality", target=4,
        starts_on=acme.today, ends_on=acme.today + timedelta(days=30))
    response = send(leader, "patch", acme.url("metric_goal", metric_goal_id=goal.pk),
                    {"target": 6})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "target": ["For this metric the target lies between 1 and 5."]}
    assert MetricGoal.objects_unscoped.get(pk=goal.pk).target == 4


# --- A fixed number of queries -------------------------------------------------------------------


def test_dashboard_and_goals_cost_the_same_queries_whatever_the_size(people, login):
    org, today = people.org, organization_today(people.org)
    client = login(people.leader)

    def grow(teams: int, members_each: int, goals: int):
        for _ in range(teams):
            team = TeamFactory(organization=org)
            for _ in range(members_each):
                member = MembershipFactory(organization=org, team=team, manager=people.manager)
                HeldConversationFactory(member=member, partner=people.manager)
            for metric in ("conversation_coverage", "plan_coverage"):
                MetricGoal.objects_unscoped.create(
                    organization=org, metric=metric, target=50, team=team,
                    starts_on=today, ends_on=today + timedelta(days=90))
        for _ in range(goals):
            MetricGoal.objects_unscoped.create(
                organization=org, metric="internal_mobility", target=10,
                starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=90))
        snapshot_take(organization=org, day=today)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), response.json()

    grow(teams=1, members_each=1, goals=1)
    team = TeamFactory(organization=org)
    snapshot_take(organization=org, day=today)
    small = {name: count(path)[0] for name, path in (
        ("dashboard", api("metrics", org)), ("team", api("metrics", org) + f"?team={team.pk}"),
        ("goals", api("metric_goals", org)))}
    grow(teams=4, members_each=6, goals=8)
    big = {}
    for name, path in (("dashboard", api("metrics", org)),
                       ("team", api("metrics", org) + f"?team={team.pk}"),
                       ("goals", api("metric_goals", org))):
        big[name], body = count(path)
    assert body["count"] == 2 * 5 + 9
    assert big == small
