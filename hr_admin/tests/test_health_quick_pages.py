"""The organisation's quick self-assessment: HR admins and leaders take it alone and read its
scores; everyone else gets 404; its API answers the same figures."""

import pytest
from django.urls import reverse

from hr_admin.models import Survey, SurveyAnswer, SurveyMode, SurveyResponse, SurveyStatus
from hr_admin.services import health_quick as quick
from organizations import tenancy

from .health_quick_answers import ENPS_SHOWN, INDEX_SHOWN, answers, form_data

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def take(org, actor, **overrides):
    with tenancy.organization_scope(org):
        return quick.quick_assessment_create(organization=org, actor=actor,
                                             answers=answers(**overrides))


@pytest.mark.parametrize("role", ["hr", "leader"])
def test_hr_and_leaders_take_the_quick_assessment(people, login, role):
    client = login(people.by_role()[role])
    assert client.get(url("health_quick", people.org)).status_code == 200
    response = client.post(url("health_quick", people.org), form_data(comment="Be bolder"))
    with tenancy.organization_scope(people.org):
        survey = Survey.objects.for_org(people.org).get()
        assert survey.mode == SurveyMode.QUICK and survey.status == SurveyStatus.CLOSED
        assert survey.created_by == people.by_role()[role]
        assert survey.response_count == 1
        assert SurveyResponse.objects.for_org(people.org).get().team is None
        assert SurveyAnswer.objects.for_org(people.org).count() == 25
    assert response.url == url("health_quick_result", people.org, survey_id=survey.pk)
    body = client.get(response.url).content.decode()
    assert f'data-testid="hq-index">{INDEX_SHOWN}<small>' in body
    assert f'data-testid="hq-enps">{ENPS_SHOWN}<' in body
    assert "Be bolder" in body
    assert "Add to the action plan" in body
    assert f"?survey={survey.pk}&amp;dimension=hr_tools&amp;strategy=hr-paths" in body


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_others_find_no_quick_assessment(people, login, role):
    survey = take(people.org, people.hr)
    client = login(people.by_role()[role])
    assert client.get(url("health_quick", people.org)).status_code == 404
    assert client.post(url("health_quick", people.org), form_data()).status_code == 404
    assert client.get(url("health_quick_result", people.org,
                          survey_id=survey.pk)).status_code == 404
    assert client.get(api("health-quick-list", people.org)).status_code == 404
    assert client.get(api("health-quick-result", people.org,
                          survey_id=survey.pk)).status_code == 404
    with tenancy.organization_scope(people.org):
        assert Survey.objects.for_org(people.org).count() == 1


def test_another_organisations_assessment_is_404(people, other_people, login):
    theirs = take(other_people.org, other_people.hr)
    client = login(people.hr)
    assert client.get(url("health_quick_result", people.org,
                          survey_id=theirs.pk)).status_code == 404
    assert client.get(api("health-quick-result", people.org,
                          survey_id=theirs.pk)).status_code == 404


def test_an_organisation_wide_survey_is_not_shown_as_a_quick_result(people, login):
    with tenancy.organization_scope(people.org):
        survey = Survey.objects.for_org(people.org).create(organization=people.org,
                                                           title="Everyone", created_by=people.hr)
    assert login(people.hr).get(url("health_quick_result", people.org,
                                    survey_id=survey.pk)).status_code == 404


def test_unanswered_questions_re_render_with_errors(people, login):
    data = form_data()
    del data["skills-time"]
    response = login(people.hr).post(url("health_quick", people.org), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["skills-time"]
    with tenancy.organization_scope(people.org):
        assert not Survey.objects.for_org(people.org).exists()


def test_earlier_assessments_are_listed_with_their_index(people, login):
    first = take(people.org, people.hr, **{"hr-paths": 5, "hr-tools": 5, "hr-support": 5})
    second = take(people.org, people.leader)
    body = login(people.leader).get(url("health_quick_result", people.org,
                                        survey_id=second.pk)).content.decode()
    # With HR tools at 100 instead of 0 the first index is (466.67 + 100) / 8 = 70.83 → 71.
    assert url("health_quick_result", people.org, survey_id=first.pk) in body
    assert "<strong class=\"hq-history__value\">71</strong>" in body
    assert f"<strong class=\"hq-history__value\">{INDEX_SHOWN}</strong>" in body


def test_history_costs_the_same_queries_for_few_and_many(people):
    take(people.org, people.hr)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with tenancy.organization_scope(people.org), CaptureQueriesContext(connection) as few:
        quick.quick_history(organization=people.org)
    for _ in range(4):
        take(people.org, people.hr)
    with tenancy.organization_scope(people.org), CaptureQueriesContext(connection) as many:
        assert len(quick.quick_history(organization=people.org)) == 5
    assert len(few) == len(many)


def test_api_questions_submit_and_result(people, login):
    client = login(people.leader)
    questions = client.get(api("health-quick-questions", people.org)).json()
    assert len(questions) == 26 and questions[0]["key"] == "conv-regular"
    bad = client.post(api("health-quick-list", people.org), {"answers": {"enps": 11}},
                      content_type="application/json")
    assert bad.status_code == 400
    assert "enps" in bad.json()["errors"]["answers"]
    assert "conv-regular" in bad.json()["errors"]["answers"]
    created = client.post(api("health-quick-list", people.org), {"answers": answers()},
                          content_type="application/json")
    assert created.status_code == 201
    assert round(created.json()["result"]["index"], 2) == 58.33
    survey_id = created.json()["id"]
    result = client.get(api("health-quick-result", people.org, survey_id=survey_id)).json()
    assert result["result"]["enps"] == 100
    assert result["result"]["weak"] == ["hr_tools", "opportunities", "managers", "skills"]
    hr = next(d for d in result["result"]["dimensions"] if d["key"] == "hr_tools")
    assert hr["score"] == 0 and hr["is_weak"] and hr["strategies"]
    listed = client.get(api("health-quick-list", people.org)).json()
    assert [row["id"] for row in listed] == [survey_id]
