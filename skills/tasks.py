"""Celery tasks of the skills app: thin, ids in, idempotent."""

from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organizations.taskbase import declares_tenancy, tenant_task

from .models import EmergingSkillNotice, MemberRole, Skill
from .services import notices

RETRY = {"acks_late": True, "autoretry_for": (ConnectionError, OSError), "retry_backoff": True,
         "max_retries": 5}


@shared_task(bind=True, **RETRY)
@tenant_task
def notify_emerging_skill(self, organization_id: int, skill_id: int) -> int:
    """Notice everyone whose role needs an emerging skill; email each new notice once.

    The notices are created under a unique constraint, then one email task per notice not yet
    emailed is queued after commit. Running this twice queues emails only for notices that are
    still unsent, and each email task claims its notice before sending, so nobody gets two.
    """
    skill = Skill.objects.select_related("organization").filter(pk=skill_id).first()
    if skill is None:
        return 0
    notices.emerging_skill_notices_create(organization=skill.organization, skill=skill)
    unsent = list(
        EmergingSkillNotice.objects.filter(skill=skill, emailed_at__isnull=True,
                                           member__is_active=True)
        .values_list("pk", flat=True)
    )
    for notice_id in unsent:
        transaction.on_commit(partial(send_emerging_skill_notice.delay, organization_id,
                                      notice_id))
    return len(unsent)


@shared_task(bind=True, **RETRY)
@tenant_task
def send_emerging_skill_notice(self, organization_id: int, notice_id: int) -> bool:
    """Email one notice in its recipient's language. Sends nothing for one already emailed."""
    notice = (
        EmergingSkillNotice.objects.select_for_update(of=("self",))
        .select_related("skill", "member__user", "organization")
        .filter(pk=notice_id).first()
    )
    if notice is None or notice.emailed_at is not None or not notice.member.is_active:
        return False
    org, user, skill = notice.organization, notice.member.user, notice.skill
    role = (MemberRole.objects.filter(member=notice.member)
            .values_list("role__title", flat=True).first())
    link = settings.SITE_URL + reverse("skills:notices", kwargs={"org_slug": org.slug})
    with translation.override(user.language or org.default_language):
        context = {"notice": notice, "skill": skill, "organization": org, "user": user,
                   "role_title": role, "link": link}
        subject = render_to_string("skills/email/emerging_skill_subject.txt", context).strip()
        body = render_to_string("skills/email/emerging_skill.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    notice.emailed_at = timezone.now()
    notice.save(update_fields=["emailed_at"])
    return True


@shared_task(bind=True, **RETRY)
@declares_tenancy("global")
def emerging_skills_scan(self) -> int:
    """Beat: run the (idempotent) noticing of every emerging skill again. Notices, and emails
    of notices, that were due and whose task was lost are made and sent; nothing twice."""
    due = notices.emerging_skills_current()
    for organization_id, skill_id in due:
        notify_emerging_skill.delay(organization_id, skill_id)
    return len(due)
