"""The results page of a health-check survey: who sees it, what is hidden and why, interim
figures, strategies, trend, comments, and a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hr_admin.models import SurveyStatus
from hr_admin.services.health_scoring import survey_score

from .factories_health_results import respond, survey_with_questions, team

pytestmark = pytest.mark.django_db


def url(survey, org):
    return reverse("hr_admin:health_results", kwargs={"org_slug": org.slug,
                                                     "survey_id": survey.pk})


def scored(org, survey, final=True):
    survey_score(organization=org, survey=survey, final=final)
    return survey


def five_two_three(org, **kwargs):
    a, b, c = team(org, "Atlas"), team(org, "Beacon"), team(org, "Comet")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=5, invited=12, **kwargs)
    for _ in range(5):
        respond(survey, team=a, likert=5, enps=10)
    for _ in range(2):
        respond(survey, team=b, likert=1, enps=0)
    for _ in range(3):
        respond(survey, team=c, likert=2, enps=5)
    return scored(org, survey), (a, b, c)


def heatmap_headers(html):
    table = html.split('class="hr-heatmap"', 1)[1].split("</table>", 1)[0]
    return table


def test_a_leader_sees_the_first_team_the_overall_and_the_others_hidden(people, login):
    survey, _teams = five_two_three(people.org)
    response = login(people.leader).get(url(survey, people.org))
    assert response.status_code == 200
    html = response.content.decode()
    table = heatmap_headers(html)
    assert "Atlas" in table and "Beacon" in table and "Comet" in table
    # Atlas: every answer 5 → 100 in every dimension; Beacon and Comet hidden, with why.
    assert table.count('class="hr-band-5">100<') == 9
    # 2 teams x 9 rows (8 dimensions and the index), in the title and the aria-label.
    assert table.count("fewer people answered than the smallest group shown") == 36
    assert "5 people" in table and "2 people" not in table and "3 people" not in table
    # Overall: (5 x 100 + 2 x 0 + 3 x 25) / 10 = 57.5 → 58; response rate 10 of 12.
    assert re.search(r"stat__value\">58<span", html)
    assert "83%" in html
    assert "Too few answers" in html  # the legend names the reasons used


def test_the_complement_reason_is_shown_in_words(people, login):
    a, b = team(people.org, "Atlas"), team(people.org, "Beacon")
    survey = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=5)
    for _ in range(5):
        respond(survey, team=a)
    for _ in range(2):
        respond(survey, team=b)
    scored(people.org, survey)
    html = login(people.hr).get(url(survey, people.org)).content.decode()
    assert "cannot be worked out by subtracting" in heatmap_headers(html)
    assert "Hidden to protect another group" in html


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_404(people, login, role):
    survey, _teams = five_two_three(people.org)
    assert login(people.by_role()[role]).get(url(survey, people.org)).status_code == 404


def test_another_organisations_survey_and_a_draft_are_404(people, other_people, login):
    theirs, _teams = five_two_three(other_people.org)
    assert login(people.hr).get(url(theirs, people.org)).status_code == 404
    draft = survey_with_questions(people.org, status=SurveyStatus.DRAFT)
    assert login(people.hr).get(url(draft, people.org)).status_code == 404


def test_while_open_only_the_response_rate_and_why(people, login):
    a = team(people.org, "Atlas")
    survey = survey_with_questions(people.org, k=3, invited=10)
    for _ in range(4):
        respond(survey, team=a, likert=4, comment="Unique remark 4471")
    scored(people.org, survey, final=False)
    html = login(people.hr).get(url(survey, people.org)).content.decode()
    assert "Scores appear when the survey closes" in html
    assert "40%" in html  # 4 of 10 answered
    assert 'class="hr-heatmap"' not in html
    assert "Unique remark 4471" not in html
    assert "75<span" not in html  # every answer 4 → 75 points, not shown before close


def test_before_enough_answers_the_page_says_when_scores_appear(people, login):
    survey = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=5, invited=10)
    respond(survey)
    html = login(people.hr).get(url(survey, people.org)).content.decode()
    assert "No results yet" in html
    assert "at least 5 people have answered" in html


def test_weak_dimensions_offer_strategies_linked_to_the_action_plan(people, login):
    survey, _teams = five_two_three(people.org)
    html = login(people.leader).get(url(survey, people.org)).content.decode()
    # Every dimension scores 57.5 < 60: each is weak and has strategies.
    assert "Recommended strategies" in html
    base = reverse("hr_admin:health_action_create", kwargs={"org_slug": people.org.slug})
    assert f'href="{base}?survey={survey.pk}&amp;dimension=conversations&amp;strategy=' in html
    assert "Add to the action plan" in html


def test_the_trend_compares_with_the_previous_survey(people, login):
    earlier = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=3,
                                    title="Spring check")
    for _ in range(3):
        respond(earlier, likert=3)
    scored(people.org, earlier)
    survey = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=3,
                                   previous=earlier, title="Autumn check")
    for _ in range(3):
        respond(survey, likert=4)
    scored(people.org, survey)
    html = login(people.hr).get(url(survey, people.org)).content.decode()
    assert "Index over time" in html and "Spring check" in html
    assert "▲" in html and "up</span>25" in html  # 50 → 75


def test_comments_only_when_enough_people_answered(people, login):
    survey = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=3, comment_k=4)
    for n in range(3):
        respond(survey, comment=f"Remark number {n}")
    scored(people.org, survey)
    html = login(people.hr).get(url(survey, people.org)).content.decode()
    assert "Remark number" not in html
    assert "only when at least 4 people answered" in html
    respond(survey, comment="Remark number 3")
    scored(people.org, survey)
    html = login(people.hr).get(url(survey, people.org)).content.decode()
    assert all(f"Remark number {n}" in html for n in range(4))


def test_many_teams_come_a_page_at_a_time_found_by_name_or_lowest_first(people, login):
    """Past one page of teams the heatmap pages, searches and orders; the rest stays the same."""
    survey = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=3)
    for t in range(14):
        squad = team(people.org, f"Squad {t:02d}")
        for _ in range(3):
            # Squad 09 answers lowest of all, Squad 13 next.
            respond(survey, team=squad, likert=1 if t == 9 else 2 if t == 13 else 4)
    scored(people.org, survey)
    client = login(people.hr)

    first = heatmap_headers(client.get(url(survey, people.org)).content.decode())
    assert "Squad 00" in first and "Squad 11" in first and "Squad 12" not in first
    html = client.get(url(survey, people.org) + "?teams_page=2").content.decode()
    assert "Teams 13–14 of 14" in html  # noqa: RUF001
    second = heatmap_headers(html)
    assert "Squad 12" in second and "Squad 13" in second and "Squad 00" not in second

    lowest = heatmap_headers(client.get(url(survey, people.org)
                                        + "?teams_order=lowest").content.decode())
    assert lowest.index("Squad 09") < lowest.index("Squad 13") < lowest.index("Squad 00")

    found = client.get(url(survey, people.org) + "?teams_q=squad 1").content.decode()
    assert all(f"Squad 1{n}" in heatmap_headers(found) for n in range(4))
    assert "Squad 09" not in heatmap_headers(found)
    nothing = client.get(url(survey, people.org) + "?teams_q=zebra").content.decode()
    assert "No team that answered has “zebra” in its name." in nothing


def test_the_page_runs_the_same_queries_for_4_or_20_teams_and_their_comments(people, login):
    """Past one page of teams (12) and of comments (50) the page reads no more."""
    client = login(people.hr)
    earlier = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=3)
    for _ in range(3):
        respond(earlier)
    scored(people.org, earlier)

    def page_queries(n_teams):
        survey = survey_with_questions(people.org, status=SurveyStatus.CLOSED, k=3)
        for t in range(n_teams):
            squad = team(people.org, f"Group {n_teams}-{t}")
            for _ in range(3):
                respond(survey, team=squad, comment=f"Note {t}")
        scored(people.org, survey)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(survey, people.org)).status_code == 200
        return len(captured)

    assert page_queries(4) == page_queries(20)
