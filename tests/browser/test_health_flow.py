"""The culture health check from end to end: HR launches a survey to three teams through the
pages; five members of Atlas, two of Beacon and three of Comet answer on the answer page; HR
closes it, the final scoring runs; a leader opens the results and sees Atlas's scores, Beacon
and Comet hidden (Beacon is too small, and Comet goes with it, or the overall minus Atlas would
give Beacon's two), and the overall scores.

The issue's own example has two teams, 5 + 2; with only those, the overall minus the first team
would reveal the second, so the first would be hidden too. A third team of 3 makes the hidden
teams together 5, no fewer than the threshold, so the first team can be shown.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hr_admin.models import Survey, SurveyScore, SurveyStatus
from hr_admin.tasks_scoring import health_survey_score
from organizations.factories import MembershipFactory, TeamFactory, UserFactory
from tests.browser.conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAMS = (("Atlas", 5, "5", "10"), ("Beacon", 2, "1", "0"), ("Comet", 3, "2", "5"))


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _local(moment, org):
    return moment.astimezone(ZoneInfo(org.time_zone)).strftime("%Y-%m-%dT%H:%M")


def _answer_everything(page, likert: str, enps: str) -> None:
    names = page.eval_on_selector_all("input[type=radio]",
                                      "els => [...new Set(els.map(e => e.name))]")
    assert names, "the answer page shows no question"
    for name in names:
        choices = page.locator(f"input[name='{name}']")
        value = enps if choices.count() == 11 else likert
        page.locator(f"input[name='{name}'][value='{value}']").check(force=True)
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state("networkidle")


def test_launch_answer_close_and_read_the_results(people, live_server, browser, screenshot):
    base, org = live_server.url, people.org
    members = []
    for name, size, likert, enps in TEAMS:
        team = TeamFactory(organization=org, name=name)
        for n in range(size):
            user = UserFactory(email=f"{name.lower()}{n}@acme.test")
            members.append((MembershipFactory(organization=org, team=team, user=user,
                                              manager=people.manager), likert, enps))

    # HR creates the survey for the three teams and launches it.
    hr_ctx, hr = new_page(browser)
    sign_in(hr, base, "hr@acme.test")
    hr.goto(f"{base}/o/{org.slug}/hr/health-check/surveys/new/")
    hr.get_by_label("Title").fill("Autumn culture check")
    for name, *_rest in TEAMS:
        hr.get_by_label(name, exact=True).check()
    hr.get_by_label("Opens").fill(_local(timezone.now() - timedelta(minutes=5), org))
    hr.get_by_label("Closes").fill(_local(timezone.now() + timedelta(days=14), org))
    hr.locator("main form button[type=submit]").last.click()
    hr.wait_for_load_state("networkidle")
    survey = Survey.objects_unscoped.get(organization=org, title="Autumn culture check")
    hr.get_by_role("button", name="Launch").click()
    hr.wait_for_load_state("networkidle")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    assert survey.invited_count == 10

    # Each member answers on the answer page.
    for member, likert, enps in members:
        ctx, page = new_page(browser)
        sign_in(page, base, member.user.email)
        page.goto(f"{base}/o/{org.slug}/hr/health-check/surveys/{survey.pk}/answer/")
        _answer_everything(page, likert, enps)
        ctx.close()
    survey.refresh_from_db()
    assert survey.response_count == 10

    # While open, the periodic scoring publishes the response rate only: no score before close.
    health_survey_score.delay(org.pk, survey.pk)
    hr.goto(f"{base}/o/{org.slug}/hr/health-check/surveys/{survey.pk}/results/")
    assert "Scores appear when the survey closes" in hr.content()
    assert "Culture index" not in hr.content()
    assert hr.locator("table.hr-heatmap").count() == 0
    screenshot(hr, "health-results-interim")

    # HR closes it; the final scoring runs (eagerly here, on commit).
    hr.goto(f"{base}/o/{org.slug}/hr/health-check/surveys/{survey.pk}/")
    hr.get_by_role("button", name="Close now").click()
    hr.wait_for_load_state("networkidle")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    assert SurveyScore.objects_unscoped.filter(survey=survey, is_final=True).exists()

    # A leader reads the results.
    lead_ctx, lead = new_page(browser)
    sign_in(lead, base, "leader@acme.test")
    lead.goto(f"{base}/o/{org.slug}/hr/health-check/surveys/{survey.pk}/results/")
    heatmap = lead.locator("table.hr-heatmap")
    headers = heatmap.locator("thead th")
    columns = [headers.nth(i).inner_text() for i in range(headers.count())]
    atlas = next(i for i, text in enumerate(columns) if text.startswith("Atlas"))
    beacon = next(i for i, text in enumerate(columns) if text.startswith("Beacon"))
    comet = next(i for i, text in enumerate(columns) if text.startswith("Comet"))
    assert "5 people" in columns[atlas]
    index_row = heatmap.locator("tr.hr-heatmap__index")
    cells = index_row.locator("td")
    assert cells.nth(atlas - 1).inner_text() == "100"
    for hidden in (beacon, comet):
        cell = cells.nth(hidden - 1)
        assert cell.inner_text().strip() in ("○", "◇")
        assert "Hidden" in cell.get_attribute("aria-label")
    assert "Too few answers" in lead.locator(".hr-legend").inner_text()
    # Overall: (5 x 100 + 2 x 0 + 3 x 25) / 10 = 57.5 → 58; eNPS (5 - 5) / 10 → 0.
    stats = lead.locator(".hr-stats").inner_text()
    assert "58" in stats and "100%" in stats
    screenshot(lead, "health-results-heatmap")
    lead.locator("section[aria-labelledby=heatmap-title]").screenshot(
        path=str(ARTIFACTS / "health-results-heatmap-card.png"))
    lead.set_viewport_size({"width": 1280, "height": 1100})
    lead.screenshot(path=str(ARTIFACTS / "health-results-top.png"))
    for ctx in (hr_ctx, lead_ctx):
        ctx.close()
