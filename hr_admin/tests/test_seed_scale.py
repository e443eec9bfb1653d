"""``seed_scale``: the generated installation, at a size a test can afford."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from hr_admin.management.commands.seed_scale import BENCH_PASSWORD, BIG_SLUG, PREFIX
from hr_admin.models import MetricSnapshot, Survey, SurveyAnswer, SurveyScore, SurveyStatus
from organizations.models import Membership, Organization
from skills.models import CheckIn

pytestmark = pytest.mark.django_db

MEMBERS, SMALL = 60, 2


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_scale", members=MEMBERS, small_orgs=SMALL, force=True, stdout=out,
                 **options)
    return out.getvalue()


def test_seed_scale_generates_the_installation_and_refuses_a_second_run():
    output = seed()

    generated = Organization.objects.filter(slug__startswith=PREFIX)
    assert generated.count() == 1 + SMALL
    big = Organization.objects.get(slug=BIG_SLUG)
    assert Membership.objects_unscoped.filter(organization=big).count() == MEMBERS
    for org in generated.exclude(pk=big.pk):
        assert Membership.objects_unscoped.filter(organization=org).count() == 50
    assert CheckIn.objects_unscoped.filter(organization=big).exists()
    assert MetricSnapshot.objects_unscoped.filter(organization=big).exists()

    # The health check with real answers, scored: final rows from the scoring service.
    survey = Survey.objects_unscoped.get(organization=big, title="Career health check")
    assert survey.status == SurveyStatus.CLOSED and survey.scored_at is not None
    assert survey.response_count == round(MEMBERS * 0.8) or survey.response_count == (
        Membership.objects_unscoped.filter(organization=big, is_active=True).count())
    assert SurveyAnswer.objects_unscoped.filter(response__survey=survey).count() == (
        survey.response_count * 30)
    overall = SurveyScore.objects_unscoped.get(survey=survey, slice_kind="overall", slice_key="",
                                               measure="index")
    assert overall.is_final and overall.respondents == survey.response_count

    # The printed sign-ins can sign in with the published password.
    for role in ("employee", "manager", "hr", "leader"):
        line = next(line for line in output.splitlines() if line.strip().startswith(role))
        email = line.split()[1]
        assert authenticate(email=email, password=BENCH_PASSWORD) is not None, role

    with pytest.raises(CommandError, match="--replace"):
        seed()
    assert Organization.objects.filter(slug__startswith=PREFIX).count() == 1 + SMALL
