"""Celery tasks of the organisations app: thin, ids in, idempotent."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import services
from .models import Invitation, Organization, User, hash_token
from .taskbase import declares_tenancy, tenant_task


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
)
@tenant_task
def send_invitation(self, organization_id: int, invitation_id: int, token: str) -> bool:
    """Email one invitation link. Sends nothing for an invitation no longer open."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invited_by__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return False
    if hash_token(token) != invitation.token_hash:
        # A link replaced since (sent again by HR or by the scan below): it would not work.
        return False
    org = invitation.organization
    link = settings.SITE_URL + reverse(
        "organizations:invitation_accept", kwargs={"org_slug": org.slug, "token": token}
    )
    # An invitee who already has an account (an imported person) reads it in their own language.
    language = (User.objects.filter(email__iexact=invitation.email)
                .values_list("language", flat=True).first()) or org.default_language
    with translation.override(language):
        context = {"invitation": invitation, "organization": org, "link": link}
        subject = render_to_string("organizations/email/invitation_subject.txt", context).strip()
        body = render_to_string("organizations/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return True


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError, OSError),
             retry_backoff=True, max_retries=5)
@declares_tenancy("global")
def invitations_unsent_scan(self) -> int:
    """Beat: an invitation whose email was lost with its queued task gets a new link, sent
    again; what is due comes from the database, so a lost message delays an invitation."""
    due = services.invitations_unsent()
    for organization_id, invitation_id in due:
        invitation_send_again.delay(organization_id, invitation_id)
    return len(due)


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError, OSError),
             retry_backoff=True, max_retries=5)
@tenant_task
def invitation_send_again(self, organization_id: int, invitation_id: int) -> bool:
    return services.invitation_send_again(
        organization=Organization.objects.get(pk=organization_id), invitation_id=invitation_id)
