"""The leadership dashboards, goals and exports as leaders, HR and managers use them; the nightly
snapshot task."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.factories import DevelopmentActionFactory
from conversations.factories import HeldConversationFactory
from hr_admin.models import MetricGoal, MetricSnapshot, MoveKind
from hr_admin.services.metrics import organization_today, snapshot_take
from hr_admin.tasks_metrics import metrics_snapshot, organizations_due
from hr_admin.tests.factories_succession import MoveFactory
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent, Team

pytestmark = pytest.mark.django_db


def url(org, name, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def grow(org, *, teams: int, per_team: int, manager):
    """Teams of people, each with a held conversation and a done action."""
    start = Team.objects_unscoped.filter(organization=org, name__startswith="Grown ").count()
    for n in range(start, start + teams):
        team = TeamFactory(organization=org, name=f"Grown {n}")
        for _m in range(per_team):
            member = MembershipFactory(organization=org, team=team, manager=manager)
            HeldConversationFactory(member=member, partner=manager)
            DevelopmentActionFactory(organization=org, member=member, status="done", hours=3,
                                     completed_at=timezone.now() - timedelta(days=3))


def today(org):
    return organization_today(org)


def test_the_leader_dashboard_shows_stored_figures_with_their_definitions(people, login):
    org = people.org
    grow(org, teams=2, per_team=3, manager=people.manager)
    snapshot_take(organization=org, day=today(org))
    response = login(people.leader).get(url(org, "metrics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Career conversation coverage" in page
    assert "Share of active members who held a career conversation" in page
    # 6 grown members of 10 active held a conversation.
    coverage = response.context["data"].by_key["conversation_coverage"]
    assert coverage.display == "60\u00a0%"
    assert "Grown 0" in page  # the team comparison
    assert "Set a goal" in page


def test_before_the_first_night_the_dashboard_offers_to_compute_now(
        people, login, django_capture_on_commit_callbacks):
    client = login(people.leader)
    page = client.get(url(people.org, "metrics")).content.decode()
    assert "No figures yet" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(people.org, "metrics_refresh"), follow=True)
    assert "being computed" in response.content.decode()
    # Tasks run eagerly in tests: today's snapshot exists now.
    assert MetricSnapshot.objects_unscoped.filter(organization=people.org,
                                                  day=today(people.org)).exists()
    assert AuditEvent.objects_unscoped.filter(organization=people.org,
                                              action="metrics.refreshed").exists()


def test_dashboards_are_for_leaders_and_hr(people, login):
    org = people.org
    assert login(people.hr).get(url(org, "metrics")).status_code == 200
    for member in (people.employee, people.manager):
        assert login(member).get(url(org, "metrics")).status_code == 403
        assert login(member).get(url(org, "metrics_goals")).status_code == 403
    assert login(people.employee).get(url(org, "metrics_operations")).status_code == 403
    assert login(people.leader).get(url(org, "metrics_goal_create")).status_code == 200
    # HR reads goals but does not set them.
    assert login(people.hr).get(url(org, "metrics_goal_create")).status_code == 403


def test_the_dashboard_query_count_does_not_grow_with_members_or_teams(people, login):
    org = people.org
    client = login(people.leader)
    grow(org, teams=1, per_team=2, manager=people.manager)
    MetricGoal.objects_unscoped.create(organization=org, metric="plan_coverage", target=50,
                                       starts_on=today(org), ends_on=today(org))
    snapshot_take(organization=org, day=today(org) - timedelta(days=7))
    snapshot_take(organization=org, day=today(org))
    client.get(url(org, "metrics"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(org, "metrics")).status_code == 200
    grow(org, teams=6, per_team=4, manager=people.manager)
    snapshot_take(organization=org, day=today(org))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(org, "metrics")).status_code == 200
    assert len(large) == len(small)
    team = Team.objects_unscoped.filter(organization=org).first()
    with CaptureQueriesContext(connection) as drill:
        assert client.get(url(org, "metrics_team", team_id=team.pk)).status_code == 200
    grow(org, teams=3, per_team=2, manager=people.manager)
    snapshot_take(organization=org, day=today(org))
    with CaptureQueriesContext(connection) as drill_large:
        assert client.get(url(org, "metrics_team", team_id=team.pk)).status_code == 200
    assert len(drill_large) == len(drill)


def test_a_small_teams_private_figures_are_hidden_from_leaders(people, login):
    org = people.org
    small = TeamFactory(organization=org, name="Two people")
    for _n in range(2):
        member = MembershipFactory(organization=org, team=small, manager=people.manager)
        DevelopmentActionFactory(organization=org, member=member, status="done", hours=8,
                                 completed_at=timezone.now())
    snapshot_take(organization=org, day=today(org))
    response = login(people.leader).get(url(org, "metrics_team", team_id=small.pk))
    cards = response.context["data"].by_key
    assert cards["training_hours"].hidden and cards["training_hours"].value is None
    assert not cards["conversation_coverage"].hidden
    assert "fewer than 5 active members" in response.content.decode()
    export = login(people.leader).get(url(org, "metrics_export")).content.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(export)) if r[1] == "Two people"
            and r[2] == "training_hours"]
    assert rows and rows[0][4] == "" and "hidden" in rows[0][5]


def test_a_leader_sets_a_goal_and_sees_it_against_the_figure(people, login):
    org = people.org
    grow(org, teams=1, per_team=3, manager=people.manager)
    MoveFactory(organization=org, member=people.employee, kind=MoveKind.PROMOTION,
                effective_on=today(org))
    snapshot_take(organization=org, day=today(org))
    client = login(people.leader)
    response = client.post(url(org, "metrics_goal_create"), {
        "metric": "internal_promotion_rate", "comparison": "at_least", "target": "30",
        "period": str(today(org).year), "note": "Grow our own leaders."}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Goal set: Internal promotion rate." in page
    goal = response.context["data"].goals[0]
    # 1 promotion among 7 active members: 14 %, behind a 30 % goal.
    assert goal.actual_display == "14\u00a0%"
    assert goal.status == "behind"
    assert AuditEvent.objects_unscoped.filter(organization=org, action="metrics.goal_set")\
        .exists()


def test_a_goal_form_with_bad_input_keeps_what_was_typed(people, login):
    client = login(people.leader)
    response = client.post(url(people.org, "metrics_goal_create"), {
        "metric": "plan_coverage", "comparison": "at_least", "target": "150",
        "period": "custom", "starts_on": "2027-06-01", "ends_on": "2027-01-01",
        "note": "Everyone with a plan."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "For this metric the target lies between 0 and 100." in page
    assert "Everyone with a plan." in page
    assert not MetricGoal.objects_unscoped.filter(organization=people.org).exists()
    response = client.post(url(people.org, "metrics_goal_create"), {
        "metric": "plan_coverage", "comparison": "at_least", "target": "80",
        "period": "custom", "starts_on": "2027-06-01", "ends_on": "2027-01-01"})
    assert "The period ends before it starts." in response.content.decode()


def test_goals_are_edited_and_deleted_by_leaders(people, login):
    org = people.org
    goal = MetricGoal.objects_unscoped.create(
        organization=org, metric="champions", target=3, starts_on=today(org),
        ends_on=today(org) + timedelta(days=90), created_by=people.leader)
    client = login(people.leader)
    response = client.post(url(org, "metrics_goal_edit", metric_goal_id=goal.pk), {
        "metric": "champions", "comparison": "at_least", "target": "5", "period": "custom",
        "starts_on": goal.starts_on.isoformat(), "ends_on": goal.ends_on.isoformat()})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target == 5
    page = client.get(url(org, "metrics_goals")).content.decode()
    assert "Office Career Champions" in page
    assert client.get(url(org, "metrics_goal_delete", metric_goal_id=goal.pk)).status_code == 200
    client.post(url(org, "metrics_goal_delete", metric_goal_id=goal.pk))
    assert not MetricGoal.objects_unscoped.filter(pk=goal.pk).exists()


def test_the_goals_list_query_count_does_not_grow_with_goals(people, login):
    org = people.org
    client = login(people.hr)

    def add(n):
        for _i in range(n):
            MetricGoal.objects_unscoped.create(organization=org, metric="plan_coverage",
                                               target=50, starts_on=today(org),
                                               ends_on=today(org),
                                               team=TeamFactory(organization=org))

    add(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url(org, "metrics_goals"))
    add(8)
    with CaptureQueriesContext(connection) as many:
        client.get(url(org, "metrics_goals"))
    assert len(many) == len(few)


def test_the_csv_export_has_every_figure_and_the_goals(people, login):
    org = people.org
    grow(org, teams=1, per_team=5, manager=people.manager)
    MetricGoal.objects_unscoped.create(organization=org, metric="conversation_coverage",
                                       target=80, starts_on=today(org), ends_on=today(org))
    snapshot_take(organization=org, day=today(org))
    response = login(people.leader).get(url(org, "metrics_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Day", "Scope", "Metric key", "Metric", "Value"]
    org_rows = {r[2]: r for r in rows[1:] if r[1] == "Whole organisation"}
    assert len(org_rows) == 15
    # 5 of 9 active members held a conversation.
    assert org_rows["conversation_coverage"][5] == "56\u00a0%"
    assert org_rows["conversation_coverage"][8:10] == ["≥ 80\u00a0%", "Behind"]
    trend = login(people.leader).get(url(org, "metrics_trend_export",
                                         metric="conversation_coverage"))
    lines = list(csv.reader(io.StringIO(trend.content.decode("utf-8-sig"))))
    assert lines[1][0] == today(org).isoformat()


def test_hr_operations_lists_overdue_people_and_waiting_check_ins(people, login):
    org = people.org
    late = MembershipFactory(organization=org, manager=people.manager,
                             started_on=today(org) - timedelta(days=400))
    HeldConversationFactory(member=late, partner=people.manager,
                            scheduled_at=timezone.now() - timedelta(days=200),
                            held_at=timezone.now() - timedelta(days=200))
    from skills.factories import CheckInFactory
    from skills.models import CheckInStatus

    CheckInFactory(organization=org, member=people.employee, status=CheckInStatus.SUBMITTED,
                   submitted_at=timezone.now())
    response = login(people.hr).get(url(org, "metrics_operations"))
    assert response.status_code == 200
    assert late in response.context["overdue"]
    assert response.context["queue_total"] == 1
    assert "Validation queue" in response.content.decode()


def test_a_manager_sees_their_reports_counted_live(people, login):
    org = people.org
    for _n in range(4):
        report = MembershipFactory(organization=org, manager=people.manager)
        HeldConversationFactory(member=report, partner=people.manager)
    response = login(people.manager).get(url(org, "metrics_my_team"))
    assert response.status_code == 200
    cards = {c.metric.key: c for c in response.context["cards"]}
    # 4 of 5 reports (the employee has had none).
    assert cards["conversation_coverage"].display == "80\u00a0%"
    assert not cards["plan_coverage"].hidden
    assert people.employee in response.context["overdue"] or \
        response.context["overdue_total"] == 0
    assert login(people.employee).get(url(org, "metrics_my_team")).status_code == 403


def test_the_nightly_task_twice_for_a_day_leaves_one_snapshot(people):
    org = people.org
    day = today(org).isoformat()
    first = metrics_snapshot(org.pk, day)
    second = metrics_snapshot(org.pk, day)
    assert first == second > 0
    rows = MetricSnapshot.objects_unscoped.filter(organization=org, day=today(org))
    assert rows.count() == first
    assert rows.filter(team__isnull=True).count() == 15
    assert rows.filter(team__isnull=True, metric="conversation_coverage").count() == 1


def test_the_scan_queues_each_organisation_once_a_night(people, other_people):
    noon = timezone.now().replace(hour=12, minute=0)
    due = organizations_due(noon)
    assert {pk for pk, _day in due} >= {people.org.pk, other_people.org.pk}
    for pk, day in due:
        metrics_snapshot(pk, day)
    assert organizations_due(noon) == []
    # Before 02:00 local time nothing is due yet.
    assert organizations_due(noon.replace(hour=1)) == []


def test_the_operations_and_team_pages_query_counts_do_not_grow(people, login):
    org = people.org
    from skills.factories import CheckInFactory
    from skills.models import CheckInStatus

    def overdue_people(n):
        for _i in range(n):
            member = MembershipFactory(organization=org, manager=people.manager,
                                       started_on=today(org) - timedelta(days=300))
            CheckInFactory(organization=org, member=member, status=CheckInStatus.SUBMITTED,
                           submitted_at=timezone.now())

    hr, manager = login(people.hr), login(people.manager)
    overdue_people(2)
    with CaptureQueriesContext(connection) as ops_few:
        assert hr.get(url(org, "metrics_operations")).status_code == 200
    with CaptureQueriesContext(connection) as team_few:
        assert manager.get(url(org, "metrics_my_team")).status_code == 200
    overdue_people(12)
    with CaptureQueriesContext(connection) as ops_many:
        response = hr.get(url(org, "metrics_operations"))
    assert response.context["overdue_total"] >= 14 and response.context["queue_total"] == 14
    with CaptureQueriesContext(connection) as team_many:
        manager.get(url(org, "metrics_my_team"))
    assert (len(ops_many), len(team_many)) == (len(ops_few), len(team_few))


def test_the_overdue_list_is_kept_between_visits_and_dropped_when_a_conversation_is_held(
        people, login):
    """The organisation-wide list is a pass over every member: the second visit reads it from
    the cache, and holding a conversation takes the person off it at once."""
    org = people.org
    late = MembershipFactory(organization=org, manager=people.manager,
                             started_on=today(org) - timedelta(days=400))
    hr = login(people.hr)
    with CaptureQueriesContext(connection) as first:
        assert late in hr.get(url(org, "metrics_operations")).context["overdue"]
    with CaptureQueriesContext(connection) as second:
        response = hr.get(url(org, "metrics_operations"))
    assert late in response.context["overdue"]
    assert not any("OVER ()" in q["sql"] for q in second.captured_queries)
    assert any("OVER ()" in q["sql"] for q in first.captured_queries)
    HeldConversationFactory(member=late, partner=people.manager)
    response = hr.get(url(org, "metrics_operations"))
    assert late not in response.context["overdue"]
