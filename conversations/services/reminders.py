"""Reminders and weekly digests, delivered exactly once.

What is due is read from the database every time (``selectors.reminders``), never taken from a
broker message, so a lost message, a doubled beat or a restarted Redis cannot lose or double a
reminder. Each reminder is one ``ReminderDelivery`` row under a unique constraint on
(organisation, conversation, recipient, kind, scheduled_for); each digest one ``DigestDelivery``
row per manager and week. Delivering a row goes in three steps, each its own transaction:

1. **claim** (``reminder_claim``): lock the row with ``SELECT … FOR UPDATE SKIP LOCKED``; give up
   at once if it is locked, already sent, or claimed less than ``REMINDER_CLAIM_TIMEOUT_SECONDS``
   ago by someone else; check it is still due; set ``claimed_at``, write the in-app notification
   on the first claim, render the email, and COMMIT;
2. **send** the email, outside any transaction;
3. **record** (``reminder_mark_sent``): set ``sent_at``. On a transient error the claim is
   released instead (``reminder_release``) and the task retries.

A claim older than the timeout with no ``sent_at`` is a worker that died between 1 and 3: the
next scan hands the row out again. That leaves one window, and only one, in which a reminder
can go twice: a worker killed after the mail server accepted the message but before step 3
committed. The email is then sent again after the timeout, with the same deterministic
``Message-ID``, which lets a mail server or client drop the copy. Nothing is ever lost: a row
stays due until ``sent_at`` is set, or until its conversation starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import Membership, Organization

from ..emails import digest_message, reminder_message
from ..models import DigestDelivery, NotificationKind, ReminderDelivery, ReminderKind
from ..selectors import reminders as selectors
from ..selectors.notifications import notification_preference_get
from .notifications import conversation_path, notification_create, when_text

ERROR_MAX_LENGTH = 300


def claim_timeout() -> timedelta:
    return timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)


@dataclass
class Claim:
    """A claimed row: ``message`` to send, or None when nothing goes by email (done)."""

    pk: int
    message: EmailMessage | None


def _claimable(queryset, now: datetime):
    """Rows not sent, and either never claimed or claimed longer ago than the timeout."""
    return queryset.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout()))


# --- Reminders ----------------------------------------------------------------------------------


@transaction.atomic
def reminder_deliveries_record(*, organization: Organization,
                               now: datetime | None = None) -> list[int]:
    """Record every reminder due now (``INSERT … ON CONFLICT DO NOTHING``) and return the ids
    of those to hand to a sender: not sent, and not claimed by a sender still alive.

    Run twice, or by two workers at once, it records the same rows; both may hand a row out,
    and the claim lets only one sender through.
    """
    now = now or timezone.now()
    due = selectors.reminders_due(organization=organization, now=now)
    if not due:
        return []
    ReminderDelivery.objects.for_org(organization).bulk_create(
        [ReminderDelivery(organization=organization, conversation_id=r.conversation_id,
                          recipient_id=r.recipient_id, kind=r.kind,
                          scheduled_for=r.scheduled_for) for r in due],
        ignore_conflicts=True)
    keys = {r.key for r in due}
    rows = _claimable(ReminderDelivery.objects.for_org(organization).filter(
        conversation_id__in={r.conversation_id for r in due}), now)
    return [pk for pk, *key in rows.order_by("pk").values_list(
        "pk", "conversation_id", "recipient_id", "kind", "scheduled_for")
        if tuple(key) in keys]


def _reminder_notification(delivery: ReminderDelivery) -> None:
    conversation, recipient = delivery.conversation, delivery.recipient
    other = (conversation.partner if recipient.pk == conversation.member_id
             else conversation.member)
    name = other.display_name
    if delivery.kind == ReminderKind.OUTCOME_PULSE:
        kind = NotificationKind.OUTCOME_PULSE

        def title():
            return _("How did your career conversation with %(name)s go?") % {"name": name}

        def body():
            return _("Rate, from 1 to 5, what it gave you: direction, self-insight, options "
                     "and resources, confidence and motivation.")
        anchor = "#outcome"
    else:
        kind = NotificationKind.REMINDER

        def title():
            return _("Career conversation with %(name)s on %(when)s") % {
                "name": name, "when": when_text(conversation.scheduled_at)}

        def body():
            if delivery.kind == ReminderKind.EMPLOYEE:
                return _("Prepare: reflect on your journey so far, note what you want to ask "
                         "and to share, and add topics to the agenda.")
            return _("The agenda, what they shared with you and the conversation guide are "
                     "on the conversation page.")
        anchor = "#preparation" if delivery.kind == ReminderKind.EMPLOYEE else ""
    notification_create(
        organization=delivery.organization, recipient=recipient, kind=kind, title=title,
        body=body, conversation=conversation,
        url=conversation_path(organization=delivery.organization,
                              conversation_id=conversation.pk) + anchor)


@transaction.atomic
def reminder_claim(*, organization: Organization, delivery_id: int,
                   now: datetime | None = None) -> Claim | None:
    """Claim one reminder for sending; None when someone else has it or it is done.

    Commit before sending (the task runs this in its own transaction): the committed
    ``claimed_at`` is what keeps every other sender away while the email goes.
    """
    now = now or timezone.now()
    delivery = (
        ReminderDelivery.objects.for_org(organization)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("organization", "recipient__user", "recipient__organization",
                        "conversation__organization", "conversation__member__user",
                        "conversation__partner__user")
        .filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.sent_at is not None:
        return None
    if delivery.claimed_at is not None and delivery.claimed_at >= now - claim_timeout():
        return None
    if not selectors.reminder_still_due(organization=organization, delivery=delivery, now=now):
        delivery.last_error = "no longer due"
        delivery.save(update_fields=["last_error"])
        return None
    first_claim = delivery.claimed_at is None
    delivery.claimed_at = now
    delivery.attempts += 1
    delivery.save(update_fields=["claimed_at", "attempts"])
    if first_claim:
        _reminder_notification(delivery)
    preference = notification_preference_get(organization=organization,
                                             member=delivery.recipient)
    wants_email = (preference.email_outcome_pulse if delivery.kind == ReminderKind.OUTCOME_PULSE
                   else preference.email_reminders)
    if not wants_email or not delivery.recipient.user.email:
        delivery.sent_at = now
        delivery.save(update_fields=["sent_at"])
        return Claim(pk=delivery.pk, message=None)
    return Claim(pk=delivery.pk, message=reminder_message(delivery))


@transaction.atomic
def reminder_mark_sent(*, organization: Organization, delivery_id: int) -> bool:
    return bool(ReminderDelivery.objects.for_org(organization)
                .filter(pk=delivery_id, sent_at__isnull=True)
                .update(sent_at=timezone.now(), last_error=""))


@transaction.atomic
def reminder_release(*, organization: Organization, delivery_id: int, error: str) -> None:
    """Give a claim back after a failed send. The claim is back-dated past the timeout rather
    than cleared, so that the next claim knows the in-app notification is already written."""
    (ReminderDelivery.objects.for_org(organization)
     .filter(pk=delivery_id, sent_at__isnull=True)
     .update(claimed_at=timezone.now() - claim_timeout() - timedelta(seconds=1),
             last_error=error[:ERROR_MAX_LENGTH]))


# --- Weekly digest ------------------------------------------------------------------------------


def _today(organization: Organization, now: datetime) -> date:
    return timezone.localtime(now, selectors.organization_zone(organization)).date()


@transaction.atomic
def digest_deliveries_record(*, organization: Organization,
                             now: datetime | None = None) -> list[int]:
    """From Monday 08:00 (the organisation's time) on, record this week's digest of every
    manager with overdue reports (once: unique per manager and week), and return the ids of
    those to hand to a sender."""
    now = now or timezone.now()
    week = selectors.digest_week(organization=organization, now=now)
    if week is None:
        return []
    missing = selectors.managers_without_digest(organization=organization, week=week)
    if missing:
        overdue = selectors.overdue_reports(organization=organization,
                                            today=_today(organization, now),
                                            manager_ids=missing)
        DigestDelivery.objects.for_org(organization).bulk_create(
            [DigestDelivery(organization=organization, manager_id=manager_id, week=week)
             for manager_id in sorted(overdue)],
            ignore_conflicts=True)
    rows = _claimable(DigestDelivery.objects.for_org(organization).filter(week=week), now)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _digest_notification(*, organization: Organization, manager: Membership,
                         count: int) -> None:
    def title():
        return ngettext("%(count)d report is due a career conversation",
                        "%(count)d reports are due a career conversation",
                        count) % {"count": count}

    def body():
        return _("No career conversation within their cadence. Schedule from your team page.")

    notification_create(organization=organization, recipient=manager,
                        kind=NotificationKind.DIGEST, title=title, body=body,
                        url=reverse("conversations:team", kwargs={"org_slug": organization.slug}))


@transaction.atomic
def digest_claim(*, organization: Organization, digest_id: int,
                 now: datetime | None = None) -> Claim | None:
    """Claim one weekly digest for sending, as ``reminder_claim`` does for a reminder.

    The list is worked out now, at sending: a report whose conversation was held in between
    is not in it. With nobody overdue any more, nothing is sent and the week is done.
    """
    now = now or timezone.now()
    digest = (DigestDelivery.objects.for_org(organization)
              .select_for_update(skip_locked=True, of=("self",))
              .select_related("organization", "manager__user", "manager__organization")
              .filter(pk=digest_id).first())
    if digest is None or digest.sent_at is not None:
        return None
    if digest.claimed_at is not None and digest.claimed_at >= now - claim_timeout():
        return None
    manager = digest.manager
    reports = []
    if manager.is_active and manager.user.is_active:
        reports = selectors.overdue_reports(organization=organization,
                                            today=_today(organization, now),
                                            manager_ids=[manager.pk]).get(manager.pk, [])
    first_claim = digest.claimed_at is None
    digest.claimed_at = now
    if not reports:
        digest.sent_at = now
        digest.save(update_fields=["claimed_at", "sent_at"])
        return Claim(pk=digest.pk, message=None)
    digest.save(update_fields=["claimed_at"])
    if first_claim:
        _digest_notification(organization=organization, manager=manager, count=len(reports))
    preference = notification_preference_get(organization=organization, member=manager)
    if not preference.email_digest or not manager.user.email:
        digest.sent_at = now
        digest.save(update_fields=["sent_at"])
        return Claim(pk=digest.pk, message=None)
    return Claim(pk=digest.pk, message=digest_message(
        digest=digest, manager=manager, reports=reports, limit=selectors.DIGEST_LIST_LIMIT))


@transaction.atomic
def digest_mark_sent(*, organization: Organization, digest_id: int) -> bool:
    return bool(DigestDelivery.objects.for_org(organization)
                .filter(pk=digest_id, sent_at__isnull=True).update(sent_at=timezone.now()))


@transaction.atomic
def digest_release(*, organization: Organization, digest_id: int) -> None:
    (DigestDelivery.objects.for_org(organization)
     .filter(pk=digest_id, sent_at__isnull=True)
     .update(claimed_at=timezone.now() - claim_timeout() - timedelta(seconds=1)))
