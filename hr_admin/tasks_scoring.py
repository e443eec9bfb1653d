"""Celery tasks of the health check: scoring.

``health_scoring_scan`` (beat, every 15 minutes) fans out one task per survey to score: each open
survey (interim figures, published only when enough new responses arrived) and each closed
survey whose final scores are missing (a close whose scoring task was lost is caught up here).
``health_survey_score`` is idempotent: running it again leaves the same rows.
"""

from celery import shared_task
from django.db import OperationalError
from django.db.models import F, Q

from organizations import tenancy
from organizations.models import Organization
from organizations.taskbase import declares_tenancy, tenant_task

from .models import Survey, SurveyMode, SurveyStatus
from .services import health_scoring as services

TRANSIENT = (OperationalError,)
RETRY = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True,
         "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}
# 40,000 respondents score in seconds; the limits only stop a runaway.
SCORE_LIMITS = {"soft_time_limit": 240, "time_limit": 300}
SCAN_LIMITS = {"soft_time_limit": 120, "time_limit": 180}



@shared_task(bind=True, **RETRY, **SCORE_LIMITS)
@tenant_task
def health_survey_score(self, organization_id: int, survey_id: int, final: bool = False) -> bool:
    """Score one survey; returns whether new figures were published."""
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return False
    survey = Survey.objects.for_org(organization).filter(pk=survey_id).first()
    if survey is None:
        return False
    return services.survey_score(organization=organization, survey=survey, final=final)


def _surveys_to_score() -> list[tuple[int, int, bool]]:
    with tenancy.as_worker_across_organizations(reason="health scoring scan: one task per survey"):
        surveys = (Survey.objects
                   .filter(mode=SurveyMode.SURVEY, organization__is_active=True)
                   .filter(Q(status=SurveyStatus.OPEN)
                           | Q(status=SurveyStatus.CLOSED, scored_at__isnull=True)
                           | Q(status=SurveyStatus.CLOSED, closed_at__isnull=False,
                               scored_at__lt=F("closed_at")))
                   .order_by("organization_id", "pk")
                   .values_list("organization_id", "pk", "status"))
        return [(org, pk, status == SurveyStatus.CLOSED) for org, pk, status in surveys]


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@declares_tenancy("global")
def health_scoring_scan(self) -> int:
    """Beat: queue one scoring task per survey that is open or closed without final scores."""
    due = _surveys_to_score()
    for organization_id, survey_id, final in due:
        health_survey_score.delay(organization_id, survey_id, final=final)
    return len(due)


# The demo seeding scores its surveys synchronously through this name.
survey_score = services.survey_score
