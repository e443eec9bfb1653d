"""The results endpoint: aggregated, suppressed figures only; 404 for employees."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hr_admin.models import SurveyStatus
from hr_admin.services.health_scoring import survey_score

from .factories_health_results import respond, survey_with_questions, team

pytestmark = pytest.mark.django_db


def api(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def path(org, survey):
    return reverse("hr_admin-api:health_results", kwargs={"org_slug": org.slug,
                                                         "survey_id": survey.pk})


@pytest.fixture
def survey(people):
    org = people.org
    a, b, c = team(org, "Atlas"), team(org, "Beacon"), team(org, "Comet")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=5, invited=10)
    for _ in range(5):
        respond(survey, team=a, likert=5, enps=10)
    for _ in range(2):
        respond(survey, team=b, likert=1, enps=0)
    for _ in range(3):
        respond(survey, team=c, likert=2, enps=6)
    survey_score(organization=org, survey=survey, final=True)
    survey.teams_ = (a, b, c)
    return survey


def test_results_give_the_overall_and_the_heatmap_with_reasons(people, survey):
    a, b, c = survey.teams_
    response = api(people.leader).get(path(people.org, survey))
    assert response.status_code == 200
    data = response.json()
    assert data["is_final"] is True
    assert data["index"]["value"] == pytest.approx(57.5)
    assert data["enps"]["value"] == pytest.approx(100 * (5 - 5) / 10)
    assert data["response_rate"]["value"] == 100
    cells = {(cell["dimension"], cell["team"]): cell["figure"] for cell in data["heatmap"]}
    assert cells[("managers", str(a.pk))]["value"] == 100
    for hidden in (b, c):
        figure = cells[("managers", str(hidden.pk))]
        assert figure["suppressed"] == "small"
        assert (figure["value"], figure["respondents"], figure["mean"]) == (None, None, None)
        assert "fewer people answered" in figure["reason"]
    assert {t["name"] for t in data["teams"]} == {"Atlas", "Beacon", "Comet"}
    assert len(data["questions"]) == 10
    # Every dimension scores 57.5, below 60: each is weak and comes with its strategies.
    weak = {d["key"] for d in data["dimensions"] if d["figure"]["value"] < 60}
    assert len(weak) == 8
    assert {s["dimension"] for s in data["strategies"]} == weak


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_404(people, survey, role):
    assert api(people.by_role()[role]).get(path(people.org, survey)).status_code == 404


def test_another_organisations_survey_is_404(people, other_people, survey):
    mine = reverse("hr_admin-api:health_results", kwargs={"org_slug": other_people.org.slug,
                                                         "survey_id": survey.pk})
    assert api(other_people.hr).get(mine).status_code == 404


def test_the_heatmap_pages_its_teams_and_the_comments(people):
    org = people.org
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=3, comment_k=3)
    for t in range(14):
        squad = team(org, f"Crew {t:02d}")
        for n in range(4):
            respond(survey, team=squad, comment=f"Crew {t} note {n}")
    survey_score(organization=org, survey=survey, final=True)
    client, base = api(people.hr), path(org, survey)
    data = client.get(base).json()
    assert (data["teams_answered"], data["teams_found"], data["teams_pages"]) == (14, 14, 2)
    assert [t["name"] for t in data["teams"]][:2] == ["Crew 00", "Crew 01"]
    assert {cell["team"] for cell in data["heatmap"]} == {t["key"] for t in data["teams"]}
    assert (data["comments_count"], data["comments_pages"], len(data["comments"])) == (56, 2, 50)
    second = client.get(base, {"teams_page": 2, "page": 2}).json()
    assert [t["name"] for t in second["teams"]] == ["Crew 12", "Crew 13"]
    assert len(second["comments"]) == 6
    found = client.get(base, {"teams_q": "crew 07"}).json()
    assert [t["name"] for t in found["teams"]] == ["Crew 07"] and found["teams_found"] == 1
