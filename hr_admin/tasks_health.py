"""Celery tasks of the health check: opening and closing surveys on their dates, invitations
and reminders. Thin, ids in, ``organization_id`` first, idempotent.

Beat runs ``health_surveys_scan`` every ten minutes; it fans out one task per organisation with
due work, and what is due is read from the database by each of those. Each invitation and
reminder is its own task: it locks the participation, records the send and delivers the in-app
notification and the email in one transaction, so a second worker finds it already recorded and
a failed send leaves nothing recorded (and is retried).
"""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.core.mail import EmailMessage, get_connection
from django.db import OperationalError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.emails import message_id
from conversations.services.notifications import absolute, notification_create, recipient_locale
from organizations import tenancy
from organizations.models import Organization
from organizations.taskbase import declares_tenancy, tenant_task

from .services import health_surveys as services

TRANSIENT = (OSError, OperationalError)
RETRY = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True,
         "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}
SEND_LIMITS = {"soft_time_limit": 60, "time_limit": 90}
SCAN_LIMITS = {"soft_time_limit": 240, "time_limit": 300}
SMTP_TIMEOUT = 30
EMAILS = "hr_admin/health/surveys/email/"



def _organizations_with_due_work(now) -> list[int]:
    from .models import Survey, SurveyParticipation, SurveyStatus

    with tenancy.as_worker_across_organizations(
                    reason="health-check scan: fan out one task per organisation with due work"):
        surveys = Survey.objects.filter(
            Q(status=SurveyStatus.DRAFT, launched_at__isnull=False, opens_at__lte=now)
            | Q(status=SurveyStatus.OPEN, closes_at__lte=now),
            organization__is_active=True).values_list("organization_id", flat=True)
        pending = SurveyParticipation.objects.filter(
            Q(invited_at__isnull=True) | services._reminder_due_q(now),
            survey__status=SurveyStatus.OPEN, organization__is_active=True,
        ).values_list("organization_id", flat=True)
        return sorted(set(surveys) | set(pending.distinct()))


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@declares_tenancy("global")
def health_surveys_scan(self) -> int:
    """Beat, every ten minutes: one task per organisation with a survey to open or close, an
    invitation or a reminder due."""
    ids = _organizations_with_due_work(timezone.now())
    for organization_id in ids:
        health_surveys_scan_organization.delay(organization_id)
    return len(ids)


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@tenant_task
def health_surveys_scan_organization(self, organization_id: int) -> dict:
    """Open and close the surveys due, then queue each invitation and reminder due (after
    commit, so a sender finds the survey open)."""
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return {}
    now = timezone.now()
    opened = services.surveys_open_due(organization=organization, now=now)
    closed = services.surveys_close_due(organization=organization, now=now)
    invitations = services.invitations_due(organization=organization)
    reminders = [pk for pk in services.reminders_due(organization=organization, now=now)
                 if pk not in set(invitations)]
    for pk in invitations:
        transaction.on_commit(partial(health_survey_invite.delay, organization_id, pk))
    for pk in reminders:
        transaction.on_commit(partial(health_survey_remind.delay, organization_id, pk))
    return {"opened": len(opened), "closed": len(closed), "invitations": len(invitations),
            "reminders": len(reminders)}


def answer_path(participation) -> str:
    return reverse("hr_admin:health_answer",
                   kwargs={"org_slug": participation.organization.slug,
                           "survey_id": participation.survey_id})


def survey_email(participation, *, template: str) -> EmailMessage:
    """The invitation or reminder email, in the recipient's language and time zone."""
    member, survey = participation.member, participation.survey
    with recipient_locale(member) as language:
        context = {"recipient": member, "organization": member.organization, "survey": survey,
                   "link": absolute(answer_path(participation)),
                   "closes_at": timezone.localtime(survey.closes_at) if survey.closes_at
                   else None,
                   "min_group_size": survey.min_group_size}
        subject = " ".join(render_to_string(f"{EMAILS}{template}_subject.txt", context).split())
        body = render_to_string(f"{EMAILS}{template}.txt", context)
    return EmailMessage(
        subject=subject, body=body, to=[member.user.email],
        headers={"Message-ID": message_id("health", template, participation.pk,
                                          participation.reminder_count),
                 "Content-Language": language, "Auto-Submitted": "auto-generated"})


def _deliver(participation, *, template: str) -> None:
    survey = participation.survey
    title = (_("A health-check survey is waiting for your answers") if template == "invitation"
             else _("Reminder: the health-check survey closes soon"))
    notification_create(organization=participation.organization,
                        recipient=participation.member, kind="people", title=title,
                        body=lambda: str(survey.title), url=answer_path(participation))
    message = survey_email(participation, template=template)
    message.connection = get_connection(timeout=SMTP_TIMEOUT)
    message.send()


@shared_task(bind=True, **RETRY, **SEND_LIMITS)
@tenant_task
def health_survey_invite(self, organization_id: int, participation_id: int) -> bool:
    """Invite one member; False when already invited (by another worker) or no longer due."""
    organization = Organization.objects.get(pk=organization_id)
    participation = services.invitation_claim(organization=organization,
                                              participation_id=participation_id)
    if participation is None:
        return False
    _deliver(participation, template="invitation")
    return True


@shared_task(bind=True, **RETRY, **SEND_LIMITS)
@tenant_task
def health_survey_remind(self, organization_id: int, participation_id: int) -> bool:
    """Remind one member who has not answered; False when not due (answered, already reminded
    in this window, or at the limit)."""
    organization = Organization.objects.get(pk=organization_id)
    participation = services.reminder_claim(organization=organization,
                                            participation_id=participation_id)
    if participation is None:
        return False
    _deliver(participation, template="reminder")
    return True
