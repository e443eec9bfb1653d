"""A leader sets a goal on the dashboard, sees it against the actual figure, opens the metric's
trend and downloads the figures as CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from careers.factories import DevelopmentActionFactory
from conversations.factories import HeldConversationFactory
from hr_admin.models import MoveKind
from hr_admin.services.metrics import organization_today, snapshot_take
from hr_admin.tests.factories_succession import MoveFactory
from organizations.factories import MembershipFactory, TeamFactory
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(people):
    org = people.org
    teams = [TeamFactory(organization=org, name=name) for name in ("Engineering", "Sales")]
    for n in range(12):
        member = MembershipFactory(organization=org, team=teams[n % 2], manager=people.manager)
        if n % 3:
            HeldConversationFactory(member=member, partner=people.manager)
        DevelopmentActionFactory(organization=org, member=member, status="done", hours=4,
                                 completed_at=timezone.now() - timedelta(days=20))
        if n < 2:
            MoveFactory(organization=org, member=member, kind=MoveKind.PROMOTION,
                        effective_on=organization_today(org) - timedelta(days=30))
    today = organization_today(org)
    for weeks in (8, 4, 0):
        snapshot_take(organization=org, day=today - timedelta(weeks=weeks))
    return org


def test_a_leader_sets_a_goal_sees_it_against_the_figure_and_downloads_the_csv(
        people, figures, live_server, page, screenshot):
    base, org = live_server.url, people.org.slug
    sign_in(page, base, "leader@acme.test")
    page.get_by_role("link", name="Dashboard").first.click()
    assert page.get_by_role("heading", name="Leadership dashboard").is_visible()
    assert "No goals yet" in page.content()
    screenshot(page, "metrics-dashboard-empty-goals")

    # The first try asks for more than a share can be; the form says so and keeps the note.
    page.get_by_role("link", name="Set a goal").first.click()
    page.get_by_label("Metric", exact=True).select_option(label="Internal promotion rate")
    page.get_by_label("Target").fill("130")
    page.get_by_label("Why this goal").fill("Grow our own leaders.")
    page.get_by_role("button", name="Set the goal").click()
    assert "For this metric the target lies between 0 and 100." in page.content()
    assert page.get_by_label("Why this goal").input_value() == "Grow our own leaders."
    screenshot(page, "metrics-goal-form-errors")
    page.get_by_label("Target").fill("30")
    page.get_by_label("Period").select_option(str(organization_today(people.org).year))
    page.get_by_role("button", name="Set the goal").click()

    # Back on the dashboard: the goal against the figure. 2 promotions among 16 active members.
    assert "Goal set: Internal promotion rate." in page.content()
    row = page.locator("table.mx-goals tbody tr").first
    assert "Internal promotion rate" in row.inner_text()
    assert "13\u00a0%" in row.inner_text()
    assert "30\u00a0%" in row.inner_text()
    assert "Behind" in row.inner_text()
    card = page.locator("#metric-internal_promotion_rate")
    assert "Goal ≥ 30\u00a0%" in card.inner_text()
    screenshot(page, "metrics-dashboard")

    # The metric's own page: the trend with the goal line, and its table.
    card.get_by_role("link", name="Internal promotion rate").click()
    assert page.locator("svg.mx-chart__svg line.mx-chart__goal").count() == 1
    page.get_by_text("Show as a table (last figure of each month)").click()
    screenshot(page, "metrics-metric-detail")

    # Every figure, as CSV.
    page.goto(f"{base}/o/{org}/hr/metrics/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text)))
    promotion = next(r for r in rows if r[1] == "Whole organisation"
                     and r[2] == "internal_promotion_rate")
    assert promotion[5] == "13\u00a0%"
    assert promotion[8:10] == ["≥ 30\u00a0%", "Behind"]
    assert any(r[1] == "Engineering" for r in rows)
