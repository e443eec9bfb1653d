"""The health-check surveys API: question set, drafts, launch and close, participation and
answering; 400 with field messages; no endpoint returns an answer."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hr_admin.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from hr_admin.services import health_surveys as services

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def launched(people):
    survey = services.survey_create(organization=people.org, actor=people.hr, title="API check",
                                    opens_at=NOW, closes_at=NOW + timedelta(days=7))
    return services.survey_launch(organization=people.org, actor=people.hr, survey=survey)


def test_question_set_list_and_edit(people, login):
    client = login(people.hr)
    rows = client.get(api("health-question-list", people.org)).json()
    assert any(r["kind"] == "enps" for r in rows)
    enps = next(r for r in rows if r["kind"] == "enps")
    refused = client.patch(api("health-question-detail", people.org,
                               health_question_id=enps["id"]),
                           json.dumps({"is_active": False}), content_type="application/json")
    assert refused.status_code == 400 and "is_active" in refused.json()["errors"]
    changed = client.patch(api("health-question-detail", people.org,
                               health_question_id=rows[0]["id"]),
                           json.dumps({"text": "Our own words"}),
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["text"] == "Our own words"
    moved = client.patch(api("health-question-detail", people.org,
                             health_question_id=rows[0]["id"]),
                         json.dumps({"direction": "down"}), content_type="application/json")
    assert moved.json()["position"] == 1
    bad = post(client, api("health-question-list", people.org), {"kind": "likert", "text": "x"})
    assert bad.status_code == 400 and "dimension" in bad.json()["errors"]
    assert login(people.leader).get(api("health-question-list", people.org)).status_code == 403
    assert login(people.employee).get(api("health-question-list", people.org)).status_code == 404


def test_create_launch_close_and_participation(people, login):
    client = login(people.hr)
    created = post(client, api("health-survey-list", people.org),
                   {"title": "Draft", "opens_at": (NOW + timedelta(hours=1)).isoformat(),
                    "closes_at": (NOW + timedelta(days=9)).isoformat()})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    survey_id = created.json()["id"]
    bad = post(client, api("health-survey-list", people.org),
               {"title": "Bad", "opens_at": NOW.isoformat(),
                "closes_at": (NOW - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "closes_at" in bad.json()["errors"]
    launch = post(client, api("health-survey-detail", people.org, survey_id=survey_id),
                  {"action": "launch"})
    assert launch.status_code == 200
    assert launch.json()["status"] == "scheduled" and launch.json()["invited_count"] == 4
    closed = post(client, api("health-survey-detail", people.org, survey_id=survey_id),
                  {"action": "close"})
    assert closed.json()["status"] == "closed"
    listing = login(people.leader).get(api("health-survey-list", people.org)).json()
    assert listing["results"][0]["id"] == survey_id
    part = login(people.leader).get(api("health-survey-participation", people.org,
                                        survey_id=survey_id)).json()
    assert part["invited"] == 4 and part["answered"] is None


def test_member_answers_once_and_no_answer_comes_back(people, login):
    survey = launched(people)
    client = login(people.employee)
    sheet = client.get(api("health-survey-answer", people.org, survey_id=survey.pk)).json()
    assert sheet["has_responded"] is False and sheet["questions"]
    likert = next(q for q in sheet["questions"] if q["kind"] == "likert")
    enps = next(q for q in sheet["questions"] if q["kind"] == "enps")
    comment = next(q for q in sheet["questions"] if q["kind"] == "comment")
    bad = post(client, api("health-survey-answer", people.org, survey_id=survey.pk),
               {"answers": [{"question": likert["id"], "value": 7}]})
    assert bad.status_code == 400 and f"q{likert['id']}" in bad.json()["errors"]
    ok = post(client, api("health-survey-answer", people.org, survey_id=survey.pk),
              {"answers": [{"question": likert["id"], "value": 2},
                           {"question": enps["id"], "value": 10},
                           {"question": comment["id"], "text": "Secret remark"}]})
    assert ok.status_code == 204
    again = post(client, api("health-survey-answer", people.org, survey_id=survey.pk),
                 {"answers": [{"question": likert["id"], "value": 5}]})
    assert again.status_code == 400
    assert SurveyResponse.objects.for_org(people.org).count() == 1
    assert SurveyAnswer.objects.for_org(people.org).count() == 2
    hr = login(people.hr)
    for path in (api("health-survey-answer", people.org, survey_id=survey.pk),
                 api("health-survey-participation", people.org, survey_id=survey.pk),
                 api("health-survey-detail", people.org, survey_id=survey.pk),
                 api("health-survey-list", people.org)):
        for c in (client, hr):
            body = c.get(path).content.decode()
            assert "Secret remark" not in body and '"value"' not in body
    assert SurveyQuestion.objects.for_org(people.org).filter(survey=survey).exists()


def test_not_invited_and_other_organisation_are_404(people, other_people, login):
    survey = launched(people)
    other = login(other_people.hr)
    assert other.get(api("health-survey-detail", people.org,
                         survey_id=survey.pk)).status_code == 404
    assert login(other_people.hr).get(api("health-survey-detail", other_people.org,
                                          survey_id=survey.pk)).status_code == 404
    assert login(people.employee).get(api("health-survey-participation", people.org,
                                          survey_id=survey.pk)).status_code == 404
