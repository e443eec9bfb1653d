"""Anonymity of the health check, checked on the schema and on every response.

No table links an answer to a member: the response, answer and comment tables hold no
reference to a member or a user and no time; participation (who was asked, who answered) holds
no reference to responses; responses have random UUID keys, so no insertion order lines them
up with participation. Then every page and endpoint of the health check, fetched as every role
after a survey was answered, must not show an individual answer.
"""

import pytest
from django.db import connection, models
from django.test import Client
from django.urls import get_resolver
from rest_framework.test import APIClient

from hr_admin.models import (
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyParticipation,
    SurveyResponse,
    SurveyStatus,
)
from hr_admin.services.health_scoring import survey_score
from hr_admin.tests.factories_health_results import respond, survey_with_questions, team
from organizations.models import Membership, User

from .routes import ID_SOURCES, fill, tenant_routes, walk

pytestmark = pytest.mark.django_db

ANSWER_MODELS = (SurveyResponse, SurveyAnswer, SurveyComment)
TIME_TYPES = ("timestamp without time zone", "timestamp with time zone", "date", "time "
              "without time zone", "time with time zone", "interval")


def _columns(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = %s", [table])
        return dict(cursor.fetchall())


def _foreign_targets(table):
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT ccu.table_name
              FROM information_schema.table_constraints tc
              JOIN information_schema.constraint_column_usage ccu
                ON ccu.constraint_name = tc.constraint_name
             WHERE tc.table_name = %s AND tc.constraint_type = 'FOREIGN KEY'""", [table])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("model", ANSWER_MODELS, ids=lambda m: m.__name__)
def test_answers_reference_no_member_no_user_and_hold_no_time(model):
    for field in model._meta.get_fields():
        assert not isinstance(field, models.DateField | models.TimeField | models.DurationField), \
            field
        if field.is_relation and field.related_model is not None:
            assert field.related_model not in (Membership, User), field
    table = model._meta.db_table
    assert not [name for name, kind in _columns(table).items() if kind in TIME_TYPES]
    forbidden = {Membership._meta.db_table, User._meta.db_table,
                 SurveyParticipation._meta.db_table}
    assert not _foreign_targets(table) & forbidden


@pytest.mark.parametrize("model", ANSWER_MODELS, ids=lambda m: m.__name__)
def test_answers_have_random_uuid_keys(model):
    assert isinstance(model._meta.pk, models.UUIDField)
    assert _columns(model._meta.db_table)[model._meta.pk.column] == "uuid"


def test_participation_leads_to_no_response():
    targets = _foreign_targets(SurveyParticipation._meta.db_table)
    assert not targets & {m._meta.db_table for m in ANSWER_MODELS}
    for field in SurveyParticipation._meta.get_fields():
        if field.is_relation:
            assert field.related_model not in ANSWER_MODELS, field
    # And nothing answered points back to participation.
    for model in ANSWER_MODELS:
        assert SurveyParticipation._meta.db_table not in _foreign_targets(model._meta.db_table)


LONE_COMMENT = "Zanzibar-lone-remark-91731"
SMALL_TEAM_COMMENT = "Quokka-small-team-remark-55120"


@pytest.fixture
def answered(people):
    """A closed survey: teams of 5, 2 and 3, one lone respondent with no team, comments below
    the comment threshold (so none may be shown)."""
    org = people.org
    a, b, c = team(org, "Atlas"), team(org, "Beacon"), team(org, "Comet")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=5, comment_k=20,
                                   invited=14)
    for _ in range(5):
        respond(survey, team=a, likert=4)
    for _ in range(2):
        respond(survey, team=b, likert=2, comment=SMALL_TEAM_COMMENT)
    for _ in range(3):
        respond(survey, team=c, likert=3)
    respond(survey, tenure="gt5", likert=1, enps=0, comment=LONE_COMMENT)
    survey_score(organization=org, survey=survey, final=True)
    return survey


def _secrets(survey):
    ids = [str(pk) for model in ANSWER_MODELS
           for pk in model.objects_unscoped.filter(organization=survey.organization)
           .values_list("pk", flat=True)]
    return [LONE_COMMENT, SMALL_TEAM_COMMENT, *ids]


def _health_routes():
    return [(route, p) for route, p in tenant_routes() if "health-check/" in route]


def test_no_page_or_endpoint_shows_an_individual_answer(people, answered):
    values = ID_SOURCES(people)
    values.update(survey_id=answered.pk, org_slug=people.org.slug)
    secrets = _secrets(answered)
    routes = _health_routes()
    assert any("results" in route for route, _p in routes)
    fetched = 0
    for role, member in people.by_role().items():
        page_client = Client()
        page_client.force_login(member.user)
        api_client = APIClient()
        api_client.force_authenticate(member.user)
        for route, _pattern in routes:
            url = fill(route, values)
            client = api_client if route.startswith("api/") else page_client
            response = client.get(url, HTTP_ACCEPT="application/json")
            body = response.content.decode(errors="replace")
            fetched += 1
            if role == "hr" and route.endswith("results/") and not route.startswith("api/"):
                assert response.status_code == 200 and "Atlas" in body
            for secret in secrets:
                assert secret not in body, (role, url, secret)
    assert fetched >= 4 * len(routes)
    public = [(route, p) for route, p in walk(get_resolver().url_patterns)
              if route.startswith("health-check/")]
    for route, _pattern in public:
        body = Client().get(fill(route, values)).content.decode(errors="replace")
        assert not any(secret in body for secret in secrets), route


def test_the_results_endpoint_hides_the_lone_respondent(people, answered):
    client = APIClient()
    client.force_authenticate(people.hr.user)
    data = client.get(f"/api/v1/o/{people.org.slug}/hr/health-check/surveys/{answered.pk}"
                      "/results/").json()
    lone = [cell["figure"] for cell in data["heatmap"] if cell["team"] == "none"]
    assert lone and all(f["suppressed"] and f["value"] is None and f["respondents"] is None
                        for f in lone)
    band = next(b for b in data["tenure"] if b["key"] == "gt5")["index"]
    assert band["suppressed"] == "small" and band["value"] is None
    assert data["comments"] == []
    assert Survey.objects_unscoped.get(pk=answered.pk).response_count == 11
