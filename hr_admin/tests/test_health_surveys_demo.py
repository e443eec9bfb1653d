"""The health-check demo: two closed surveys of acme, idempotent, deterministic, anonymous."""

import pytest
from django.db.models import Count

from hr_admin import demo_health
from hr_admin.models import (
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyParticipation,
    SurveyResponse,
    SurveyStatus,
)
from organizations.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(people):
    teams = [TeamFactory(organization=people.org, name=n) for n in ("Sales", "Product", "Legal")]
    for i in range(30):
        MembershipFactory(organization=people.org, team=teams[0 if i < 14 else 1 if i < 28 else 2])
    return people.org


def test_demo_makes_two_closed_surveys_once(acme, other_org):
    demo_health.seed(None, organization=acme)
    demo_health.seed(None, organization=acme)
    demo_health.seed(None, organization=other_org)
    surveys = list(Survey.objects.for_org(acme).order_by("opens_at"))
    assert len(surveys) == 2
    assert all(s.status == SurveyStatus.CLOSED for s in surveys)
    assert surveys[1].previous_id == surveys[0].pk
    assert not Survey.objects.for_org(other_org).exists()
    for survey in surveys:
        responses = SurveyResponse.objects.for_org(acme).filter(survey=survey).count()
        assert responses == survey.response_count
        assert responses == SurveyParticipation.objects.for_org(acme).filter(
            survey=survey, has_responded=True).count()
        assert survey.invited_count == 34
        assert responses > 20


def test_demo_teams_differ_and_answers_are_on_scale(acme):
    demo_health.seed(None, organization=acme)
    survey = Survey.objects.for_org(acme).order_by("-opens_at").first()
    values = SurveyAnswer.objects.for_org(acme).filter(response__survey=survey)
    assert set(values.filter(question__kind="likert").values_list("value", flat=True)) <= \
        set(range(1, 6))
    assert set(values.filter(question__kind="enps").values_list("value", flat=True)) <= \
        set(range(0, 11))
    by_team = dict(SurveyResponse.objects.for_org(acme).filter(survey=survey)
                   .values_list("team__name").annotate(n=Count("pk")).values_list("team__name",
                                                                                 "n"))
    assert by_team.get("Legal", 0) < survey.min_group_size
    assert SurveyComment.objects.for_org(acme).filter(survey=survey).exists()


def test_demo_is_deterministic(acme):
    demo_health.seed(None, organization=acme)
    first = sorted(SurveyAnswer.objects.for_org(acme).values_list("question__key", "value"))
    Survey.objects.for_org(acme).delete()
    demo_health.seed(None, organization=acme)
    assert sorted(SurveyAnswer.objects.for_org(acme).values_list("question__key", "value")) == \
        first
