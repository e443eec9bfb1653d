"""The leadership metrics demo (the demo leader's goals, a year of stored figures, the regretted
leavers among the demo's exits) and the goals panel of the organisation's home."""

import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.selectors.conversations import organization_zone
from hr_admin import demo_metrics, metric_definitions, registrations_metrics
from hr_admin.demo_metrics import history_days, seed_organization_metrics
from hr_admin.models import (
    GoalComparison,
    MetricGoal,
    MetricSnapshot,
    Move,
    MoveKind,
    MoveSource,
)
from hr_admin.registrations_metrics import home_goals
from hr_admin.services import metric_goals
from hr_admin.services.metrics import organization_today, snapshot_take
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import Membership, Organization

from .factories_succession import MoveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _panel():
    registrations_metrics.register()


def home(org) -> str:
    return reverse("organizations:home", kwargs={"org_slug": org.slug})


def url(name, org) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug})


def goals_of(org):
    return MetricGoal.objects_unscoped.filter(organization=org)


def snapshots_of(org):
    return MetricSnapshot.objects_unscoped.filter(organization=org)


def state(org) -> tuple:
    """Everything the demo writes, to compare two runs."""
    return (sorted(goals_of(org).values_list("pk", "metric", "target", "starts_on", "updated_at")),
            sorted(snapshots_of(org).values_list("pk", "computed_at")),
            sorted(Move.objects_unscoped.filter(organization=org, kind=MoveKind.EXIT)
                   .values_list("pk", "regretted")))


# --- The full demo ------------------------------------------------------------------------------


def test_the_demo_sets_goals_keeps_a_year_of_figures_and_marks_two_exits_once(monkeypatch):
    # Given: the metrics part of the demo timed on its own
    timings = {}
    real = demo_metrics.seed_organization_metrics

    def timed(organization):
        started = time.monotonic()
        made = real(organization)
        timings[organization.slug] = (time.monotonic() - started, made)
        return made

    monkeypatch.setattr(demo_metrics, "seed_organization_metrics", timed)

    # When
    call_command("seed_demo", force=True, stdout=StringIO())

    # Then: the demo leader's goals for this year and the next, each with a note
    acme = Organization.objects.get(slug="acme")
    leader = Membership.objects_unscoped.get(organization=acme, user__email="leader@acme.test")
    today = organization_today(acme)
    goals = goals_of(acme).select_related("team")
    assert {(g.starts_on, g.ends_on) for g in goals} == {
        (date(today.year, 1, 1), date(today.year, 12, 31)),
        (date(today.year + 1, 1, 1), date(today.year + 1, 12, 31))}
    assert all(g.created_by_id == leader.pk and g.note for g in goals)
    this_year = {(g.metric, g.comparison, g.target) for g in goals
                 if g.starts_on.year == today.year and g.team is None}
    assert {("internal_promotion_rate", GoalComparison.AT_LEAST, 8),
            ("conversation_coverage", GoalComparison.AT_LEAST, 80),
            ("training_hours", GoalComparison.AT_LEAST, 20),
            ("bench_strength", GoalComparison.AT_LEAST, 60),
            ("career_enps", GoalComparison.AT_LEAST, 10),
            ("overdue_conversations", GoalComparison.AT_MOST, 3)} <= this_year
    team_goals = [g for g in goals if g.team is not None]
    assert {g.team.name for g in team_goals} == {"Engineering"}
    assert all(g.team.parent_id is None for g in team_goals)
    for g in goals:  # each one a leader could have set on the goals page
        metric_goals.validate(organization=acme, metric=g.metric, comparison=g.comparison,
                              target=g.target, starts_on=g.starts_on, ends_on=g.ends_on,
                              team=g.team)

    # and a year of snapshots: every metric, for the organisation and its teams, on each day
    days = history_days(today)
    assert sorted(set(snapshots_of(acme).values_list("day", flat=True))) == days
    assert days[-1] == today and (today - days[0]).days >= 350
    org_rows = snapshots_of(acme).filter(team__isnull=True)
    assert org_rows.count() == len(days) * len(metric_definitions.METRICS)
    assert snapshots_of(acme).filter(team__isnull=False, day=days[0]).exists()
    # counted as of their day: a year ago the members were there, fewer conversations held
    first = org_rows.get(day=days[0], metric="conversation_coverage")
    last = org_rows.get(day=today, metric="conversation_coverage")
    assert first.denominator > 0 and last.denominator > 0
    assert first.numerator < last.numerator

    # and HR's mark on the exits: the latest regretted, the one before not, older not known
    exits = Move.objects_unscoped.filter(organization=acme, kind=MoveKind.EXIT)
    assert list(exits.order_by("-effective_on").values_list("regretted", flat=True)) == [
        True, False, None, None]
    assert org_rows.get(day=today, metric="regretted_leavers").value == 1

    # and the other demo organisation too
    globex = Organization.objects.get(slug="globex")
    assert goals_of(globex).exists()
    assert snapshots_of(globex).filter(day=today).exists()
    print("\nmetrics demo: " + ", ".join(
        f"{slug} {seconds:.1f}s for {made['snapshot_days']} snapshot days"
        for slug, (seconds, made) in sorted(timings.items())))

    # When: seeded again
    before = state(acme)
    call_command("seed_demo", force=True, stdout=StringIO())

    # Then: nothing added or changed
    assert state(acme) == before
    assert timings["acme"][1] == {"goals": 0, "regretted_marks": 0, "snapshot_days": 0}


# --- One organisation ---------------------------------------------------------------------------


def test_a_later_run_adds_only_the_missing_snapshot_of_today(people):
    first = seed_organization_metrics(people.org)
    assert first["snapshot_days"] == len(history_days(organization_today(people.org)))
    assert first["goals"] == 2 * len(demo_metrics.ORGANIZATION_GOALS)  # no team for one
    today = organization_today(people.org)
    snapshots_of(people.org).filter(day=today).delete()

    again = seed_organization_metrics(people.org)

    assert again == {"goals": 0, "regretted_marks": 0, "snapshot_days": 1}
    assert snapshots_of(people.org).filter(day=today, team__isnull=True).exists()


def test_members_are_counted_from_when_they_joined(people):
    # Given: someone who started last month, and the others long ago
    newcomer = MembershipFactory(organization=people.org,
                                 started_on=organization_today(people.org) - timedelta(days=30))
    Membership.objects_unscoped.filter(pk__in=[people.employee.pk, people.manager.pk]).update(
        started_on=date(2015, 3, 1))

    # When
    seed_organization_metrics(people.org)

    # Then: a year ago the two early starters were there; today all five are
    rows = snapshots_of(people.org).filter(team__isnull=True, metric="conversation_coverage")
    days = history_days(organization_today(people.org))
    assert (rows.get(day=days[0]).denominator, rows.get(day=days[-1]).denominator) == (2, 5)
    newcomer.refresh_from_db()
    zone = organization_zone(people.org)
    assert timezone.localtime(newcomer.created_at, zone).date() == newcomer.started_on


def test_the_demo_leaves_exits_hr_has_marked_alone(people):
    leavers = [MembershipFactory(organization=people.org, is_active=False) for _ in range(2)]
    marked = MoveFactory(member=leavers[0], kind=MoveKind.EXIT, source=MoveSource.DEMO,
                         regretted=False)
    unmarked = MoveFactory(member=leavers[1], kind=MoveKind.EXIT, source=MoveSource.DEMO,
                           effective_on=marked.effective_on + timedelta(days=1))

    assert seed_organization_metrics(people.org)["regretted_marks"] == 0

    unmarked.refresh_from_db()
    assert unmarked.regretted is None


def test_without_a_demo_leader_no_goal_is_set(people):
    Membership.objects_unscoped.filter(pk=people.leader.pk).update(is_leader=False)
    assert seed_organization_metrics(people.org)["goals"] == 0
    assert not goals_of(people.org).exists()


# --- The home panel -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "hr"])
def test_leaders_and_hr_see_the_goals_on_their_home(people, login, role):
    TeamFactory(organization=people.org, name="Engineering")
    seed_organization_metrics(people.org)

    page = login(people.by_role()[role]).get(home(people.org))

    body = page.content.decode()
    assert "mh-panel-title" in body
    panel = next(p["context"] for p in page.context["panels"]["main"]
                 if p["template"] == "hr_admin/metrics/_home_panel.html")
    assert len(panel["goals"]) == registrations_metrics.HOME_GOALS
    assert [g.metric.key for g in panel["goals"]] == [
        key for key, *_rest in demo_metrics.ORGANIZATION_GOALS][:registrations_metrics.HOME_GOALS]
    first = panel["goals"][0]
    assert str(first.metric.title) in body and first.target_display in body
    assert first.status_label in body
    assert url("metrics", people.org) in body and url("metrics_goals", people.org) in body
    assert (url("metrics_goal_create", people.org) in body) == (role == "leader")


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_see_no_goals_panel(people, login, role):
    seed_organization_metrics(people.org)
    body = login(people.by_role()[role]).get(home(people.org)).content.decode()
    assert "mh-panel-title" not in body


def test_a_leader_without_goals_is_asked_to_set_the_first(people, login):
    body = login(people.leader).get(home(people.org)).content.decode()
    assert "Set your first goal" in body and url("metrics_goal_create", people.org) in body
    assert "mh-panel-title" not in login(people.hr).get(home(people.org)).content.decode()


def test_when_every_goal_has_ended_the_leader_is_asked_for_the_next(people, login):
    MetricGoal.objects_unscoped.create(
        organization=people.org, metric="training_hours", target=20,
        starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31), created_by=people.leader)
    body = login(people.leader).get(home(people.org)).content.decode()
    assert "No goal in progress" in body and "Set your first goal" not in body


# --- What the panel shows ------------------------------------------------------------------------


def goal(org, metric, *, team=None, target=50, starts_on=None, ends_on=None, **fields):
    today = organization_today(org)
    return MetricGoal.objects_unscoped.create(
        organization=org, metric=metric, team=team, target=target,
        starts_on=starts_on or date(today.year, 1, 1), ends_on=ends_on or date(today.year, 12, 31),
        **fields)


def test_the_panel_shows_the_latest_figure_and_hides_small_teams_personal_ones(people):
    # Given: a team of two, below the anonymity threshold, and today's snapshot
    small = TeamFactory(organization=people.org, name="Two of us")
    Membership.objects_unscoped.filter(pk__in=[people.employee.pk, people.manager.pk]).update(
        team=small)
    today = organization_today(people.org)
    snapshot_take(organization=people.org, day=today)
    coverage = goal(people.org, "conversation_coverage", target=80)
    hidden = goal(people.org, "training_hours", team=small, target=20)
    shown = goal(people.org, "overdue_conversations", team=small, target=3,
                 comparison=GoalComparison.AT_MOST)
    later = goal(people.org, "bench_strength", starts_on=date(today.year + 1, 1, 1),
                 ends_on=date(today.year + 1, 12, 31))
    goal(people.org, "champions", ends_on=today - timedelta(days=1),
         starts_on=today - timedelta(days=300))  # ended: not shown

    # When
    with CaptureQueriesContext(connection) as queries:
        views, day = home_goals(organization=people.org, today=today)

    # Then
    assert len(queries) == 3
    assert day == today
    by_goal = {v.goal.pk: v for v in views}
    assert list(by_goal) == [coverage.pk, hidden.pk, shown.pk, later.pk]
    stored = snapshots_of(people.org).get(day=today, team__isnull=True,
                                          metric="conversation_coverage")
    assert by_goal[coverage.pk].actual == stored.value == 0
    assert by_goal[coverage.pk].status == "behind"
    assert by_goal[hidden.pk].actual is None and by_goal[hidden.pk].status == "no_data"
    assert by_goal[shown.pk].actual == 0 and by_goal[shown.pk].status == "on_track"
    assert by_goal[later.pk].status == "upcoming"


def test_the_panel_costs_the_same_queries_for_one_goal_or_four(people):
    team = TeamFactory(organization=people.org)
    snapshot_take(organization=people.org, day=organization_today(people.org))
    today = organization_today(people.org)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            home_goals(organization=people.org, today=today)
        return len(captured)

    goal(people.org, "conversation_coverage")
    one = queries()
    goal(people.org, "training_hours", team=team)
    goal(people.org, "bench_strength", team=TeamFactory(organization=people.org))
    goal(people.org, "career_enps")
    assert queries() == one == 3
