"""Celery tasks of the conversations app: thin, ids in, ``organization_id`` first, idempotent.

Periodic work (``CELERY_BEAT_SCHEDULE`` in config/settings.py) fans out one task per
organisation; what is due is read from the database by each of those, so beat and the broker
only decide *when* to look, never *what* to send. See ``services/reminders.py`` for how a
reminder is delivered exactly once.

Time limits: a send task is killed after 90 s (prefork pool), well inside the claim timeout
(``REMINDER_CLAIM_TIMEOUT_SECONDS``, 10 minutes by default), so a claim is only ever taken over
from a worker that is gone. The solo pool cannot enforce time limits; the SMTP connection's own
timeout bounds a send there.
"""

from functools import partial

from celery import shared_task
from django.db import OperationalError, transaction

from organizations import tenancy
from organizations.models import Organization
from organizations.taskbase import declares_tenancy, tenant_task

from .services import notifications as notification_services
from .services import reminders as services

# SMTP errors and refused or dropped connections are OSErrors; a database that went away
# mid-task is an OperationalError. Anything else is a bug and is not retried blindly.
TRANSIENT = (OSError, OperationalError)
RETRY = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True,
         "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}
SEND_LIMITS = {"soft_time_limit": 60, "time_limit": 90}
SCAN_LIMITS = {"soft_time_limit": 240, "time_limit": 300}
SMTP_TIMEOUT = 30



def _send(message) -> None:
    from django.core.mail import get_connection

    # A bounded SMTP conversation: a hung mail server must not hold a claim forever.
    message.connection = get_connection(timeout=SMTP_TIMEOUT)
    message.send()


def _active_organization_ids(reason: str) -> list[int]:
    with tenancy.as_worker_across_organizations(reason=reason):
        return list(Organization.objects.filter(is_active=True)
                    .order_by("pk").values_list("pk", flat=True))


# --- Reminders ----------------------------------------------------------------------------------


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@declares_tenancy("global")
def reminders_scan(self) -> int:
    """Beat, every few minutes: one scan task per active organisation."""
    ids = _active_organization_ids("reminder scan: fan out one task per organisation")
    for organization_id in ids:
        reminders_scan_organization.delay(organization_id)
    return len(ids)


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@tenant_task
def reminders_scan_organization(self, organization_id: int) -> int:
    """Record the organisation's due reminders and queue a send for each one not yet sent
    (after commit, so a sender always finds its row)."""
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return 0
    ids = services.reminder_deliveries_record(organization=organization)
    for delivery_id in ids:
        transaction.on_commit(partial(reminder_send.delay, organization_id, delivery_id))
    return len(ids)


@tenant_task
def _reminder_claim(self, organization_id: int, delivery_id: int):
    organization = Organization.objects.get(pk=organization_id)
    return services.reminder_claim(organization=organization, delivery_id=delivery_id)


@tenant_task
def _reminder_done(self, organization_id: int, delivery_id: int) -> bool:
    organization = Organization.objects.get(pk=organization_id)
    return services.reminder_mark_sent(organization=organization, delivery_id=delivery_id)


@tenant_task
def _reminder_release(self, organization_id: int, delivery_id: int, error: str) -> None:
    organization = Organization.objects.get(pk=organization_id)
    services.reminder_release(organization=organization, delivery_id=delivery_id, error=error)


@shared_task(bind=True, **RETRY, **SEND_LIMITS)
@declares_tenancy("organization")
def reminder_send(self, organization_id: int, delivery_id: int) -> bool:
    """Deliver one reminder: claim (committed), send, record. Returns whether this run
    delivered it; False when it was already sent or another sender holds it.

    Not one ``tenant_task`` transaction but three, each inside ``tenant_task`` (so each runs
    in the organisation's scope and database context): the claim must be committed before the
    email leaves, and the mail server must not wait on an open transaction.
    """
    claim = _reminder_claim(self, organization_id, delivery_id)
    if claim is None:
        return False
    if claim.message is not None:
        try:
            _send(claim.message)
        except Exception as error:
            # Nobody is sending it any more: the next scan may hand it out again. Transient
            # errors are also retried here, with backoff (``autoretry_for``).
            _reminder_release(self, organization_id, delivery_id,
                              f"{type(error).__name__}: {error}")
            raise
        _reminder_done(self, organization_id, delivery_id)
    return True


# --- Weekly digest ------------------------------------------------------------------------------


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@declares_tenancy("global")
def digests_scan(self) -> int:
    """Beat, hourly: one digest scan per active organisation (each sends from Monday 08:00,
    its own time, once per manager and week)."""
    ids = _active_organization_ids("weekly digest: fan out one task per organisation")
    for organization_id in ids:
        digest_scan_organization.delay(organization_id)
    return len(ids)


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@tenant_task
def digest_scan_organization(self, organization_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return 0
    ids = services.digest_deliveries_record(organization=organization)
    for digest_id in ids:
        transaction.on_commit(partial(digest_send.delay, organization_id, digest_id))
    return len(ids)


@tenant_task
def _digest_claim(self, organization_id: int, digest_id: int):
    organization = Organization.objects.get(pk=organization_id)
    return services.digest_claim(organization=organization, digest_id=digest_id)


@tenant_task
def _digest_done(self, organization_id: int, digest_id: int) -> bool:
    organization = Organization.objects.get(pk=organization_id)
    return services.digest_mark_sent(organization=organization, digest_id=digest_id)


@tenant_task
def _digest_release(self, organization_id: int, digest_id: int) -> None:
    organization = Organization.objects.get(pk=organization_id)
    services.digest_release(organization=organization, digest_id=digest_id)


@shared_task(bind=True, **RETRY, **SEND_LIMITS)
@declares_tenancy("organization")
def digest_send(self, organization_id: int, digest_id: int) -> bool:
    """Deliver one weekly digest, in the same three steps as ``reminder_send``."""
    claim = _digest_claim(self, organization_id, digest_id)
    if claim is None:
        return False
    if claim.message is not None:
        try:
            _send(claim.message)
        except Exception:
            _digest_release(self, organization_id, digest_id)
            raise
        _digest_done(self, organization_id, digest_id)
    return True


# --- Changes to a conversation ------------------------------------------------------------------


@shared_task(bind=True, **RETRY, **SEND_LIMITS)
@tenant_task
def conversation_notify(self, organization_id: int, conversation_id: int, event: str,
                        actor_id: int | None = None, event_id: int | None = None) -> int:
    """Tell the participant who did not act (both, when HR acted) that a conversation was
    scheduled, moved, cancelled or held: in-app always; by email, with the calendar entry,
    for the first three when their preferences allow. Returns the number of emails sent.

    The notifications and the emails share one transaction with the claim of the recorded
    event (``event_id``): a failed send rolls them back, and the retry writes them once. An
    email that went before a later one failed goes again on the retry, with the same
    Message-ID.
    """
    organization = Organization.objects.get(pk=organization_id)
    if event_id is not None and not notification_services.conversation_event_claim(
            organization=organization, event_id=event_id):
        return 0  # told already (a second delivery, or the scan's and the original's)
    messages = notification_services.conversation_event_notify(
        organization=organization, conversation_id=conversation_id, event=event,
        actor_id=actor_id)
    for message in messages:
        _send(message)
    return len(messages)


@shared_task(bind=True, **RETRY, **SCAN_LIMITS)
@declares_tenancy("global")
def conversation_events_scan(self) -> int:
    """Beat: tell every conversation event whose task was lost (still untold after
    ``notifications.EVENT_UNTOLD_AFTER``): late, never not at all."""
    untold = notification_services.conversation_events_untold()
    for organization_id, event_id, conversation_id, event, actor_id in untold:
        conversation_notify.delay(organization_id, conversation_id, event, actor_id,
                                  event_id=event_id)
    return len(untold)
