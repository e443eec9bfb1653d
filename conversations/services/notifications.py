"""In-app notifications (written in the recipient's language), what each member wants by
email, their private calendar feed, and what a change to a conversation tells the other
participant."""

from __future__ import annotations

import secrets
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.models import Membership, Organization

from ..models import (
    CalendarFeed,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from ..selectors.notifications import hash_feed_token, notification_preference_get

PREFERENCE_FIELDS = ("email_reminders", "email_digest", "email_outcome_pulse", "email_updates")
# A feed is polled every few minutes by calendar clients: note its use at most this often.
FEED_TOUCH_EVERY = timedelta(hours=1)


# --- The recipient's language and time zone -----------------------------------------------------


def recipient_language(member: Membership) -> str:
    """The member's own language, else their organisation's default."""
    return (member.user.language or member.organization.default_language
            or settings.LANGUAGE_CODE)


def recipient_time_zone(member: Membership) -> zoneinfo.ZoneInfo:
    """The member's own time zone, else their organisation's, else UTC."""
    name = member.user.time_zone or member.organization.time_zone or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@contextmanager
def recipient_locale(member: Membership) -> Iterator[str]:
    """Render for ``member``: their language active, times in their zone. Yields the language."""
    language = recipient_language(member)
    with translation.override(language), timezone.override(recipient_time_zone(member)):
        yield language


def when_text(value: datetime) -> str:
    """A conversation's time as the active language writes it, in the active time zone:
    "Thursday, 12 March 2026, 09:00" / "jueves, 12 de marzo de 2026 a las 09:00"."""
    local = timezone.localtime(value)
    return _("%(weekday)s, %(datetime)s") % {
        "weekday": formats.date_format(local, "l"),
        "datetime": formats.date_format(local, "DATETIME_FORMAT"),
    }


def conversation_path(*, organization: Organization, conversation_id: int) -> str:
    return reverse("conversations:detail",
                   kwargs={"org_slug": organization.slug, "conversation_id": conversation_id})


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- In-app notifications -----------------------------------------------------------------------


@transaction.atomic
def notification_create(*, organization: Organization, recipient: Membership, kind: str,
                        title: str | Callable[[], str], body: str | Callable[[], str] = "",
                        url: str = "", conversation: Conversation | None = None) -> Notification:
    """One in-app notification. ``title`` and ``body`` are lazy strings or callables, turned
    into text in the recipient's language (and time zone) here, so each reader gets their
    own language."""
    with recipient_locale(recipient):
        title_text = str(title() if callable(title) else title)
        body_text = str(body() if callable(body) else body)
    return Notification.objects.for_org(organization).create(
        organization=organization, recipient=recipient, kind=kind, title=title_text[:200],
        body=body_text, url=url[:300], conversation=conversation)


@transaction.atomic
def notifications_mark_read(*, organization: Organization, actor: Membership,
                            ids: list[int] | None = None, everything: bool = False) -> int:
    """Mark the actor's own notifications read: those in ``ids``, or all of them. Ids that
    are not the actor's are ignored like absent ones. Returns how many changed."""
    rows = Notification.objects.for_org(organization).filter(recipient=actor,
                                                             read_at__isnull=True)
    if not everything:
        rows = rows.filter(pk__in=[int(i) for i in ids or []])
    return rows.update(read_at=timezone.now())


# --- Preferences --------------------------------------------------------------------------------


@transaction.atomic
def notification_preference_update(*, organization: Organization, actor: Membership,
                                   **values: bool) -> NotificationPreference:
    """Save the actor's own email preferences (fields left out keep their value)."""
    unknown = set(values) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown preference: %(names)s.")
                              % {"names": ", ".join(sorted(unknown))})
    preference = notification_preference_get(organization=organization, member=actor)
    for name, value in values.items():
        setattr(preference, name, bool(value))
    with tenancy.organization_scope(organization):
        preference.full_clean()
    preference.save()
    return preference


# --- Calendar feed ------------------------------------------------------------------------------


def calendar_feed_path(*, organization: Organization, token: str) -> str:
    return reverse("conversations:calendar_feed",
                   kwargs={"org_slug": organization.slug, "token": token})


@transaction.atomic
def calendar_feed_create(*, organization: Organization,
                         actor: Membership) -> tuple[CalendarFeed, str]:
    """Make the actor's private feed, or give it a new secret (the old link stops working).
    Returns the feed and its secret, which is stored only as a SHA-256 and shown once."""
    token = secrets.token_urlsafe(32)
    feed = (CalendarFeed.objects.for_org(organization).select_for_update()
            .filter(member=actor).first())
    if feed is None:
        feed = CalendarFeed(organization=organization, member=actor)
    feed.token_hash = hash_feed_token(token)
    feed.created_at = timezone.now()
    feed.last_used_at = None
    with tenancy.organization_scope(organization):
        feed.full_clean()
    feed.save()
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, organization: Organization, actor: Membership) -> bool:
    """Switch the actor's feed off: its link answers 404 from now on."""
    deleted, _rows = CalendarFeed.objects.for_org(organization).filter(member=actor).delete()
    return bool(deleted)


def calendar_feed_touch(*, feed: CalendarFeed, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if feed.last_used_at is None or feed.last_used_at < now - FEED_TOUCH_EVERY:
        CalendarFeed.objects.for_org(feed.organization_id).filter(pk=feed.pk).update(
            last_used_at=now)


# --- What a change to a conversation tells the other participant --------------------------------

EVENT_KINDS = {
    "scheduled": NotificationKind.SCHEDULED,
    "changed": NotificationKind.CHANGED,
    "cancelled": NotificationKind.CANCELLED,
    "held": NotificationKind.CHANGED,
}
# Events that also go by email (with the calendar entry), when the recipient wants them.
EMAIL_EVENTS = {"scheduled", "changed", "cancelled"}


def _still_current(conversation: Conversation, event: str) -> bool:
    """An email about a state the conversation has since left would mislead: by the time the
    task runs it may have been moved again or cancelled. Each later change sends its own."""
    if event == "cancelled":
        return conversation.status == ConversationStatus.CANCELLED
    return (conversation.status == ConversationStatus.SCHEDULED
            and conversation.scheduled_at > timezone.now())


def _event_texts(event: str, conversation: Conversation, other: Membership):
    name = other.display_name

    def title() -> str:
        return {
            "scheduled": _("Career conversation with %(name)s scheduled"),
            "changed": _("Your career conversation with %(name)s has moved"),
            "cancelled": _("Your career conversation with %(name)s is cancelled"),
            "held": _("Your career conversation with %(name)s is marked as held"),
        }[event] % {"name": name}

    def body() -> str:
        when = when_text(conversation.scheduled_at)
        if event == "cancelled":
            text = _("The conversation planned for %(when)s will not take place.") % {
                "when": when}
            if conversation.cancel_reason:
                text += " " + _("Reason: %(reason)s") % {"reason": conversation.cancel_reason}
            return text
        if event == "held":
            return _("The shared notes and the actions you agreed are on the conversation "
                     "page.")
        return _("On %(when)s; the calendar entry is in your email.") % {"when": when}

    return title, body


#: A recorded conversation event not told this long after it happened lost its task.
EVENT_UNTOLD_AFTER = timedelta(minutes=10)
#: Told events are kept this long, then deleted by the scan.
EVENT_KEPT = timedelta(days=30)


def conversation_event_claim(*, organization: Organization, event_id: int) -> bool:
    """Mark the event told, in the caller's transaction (the telling's); False when it was
    told already. The row lock makes a second delivery wait, then find it told."""
    pending = (ConversationEvent.objects.for_org(organization).select_for_update()
               .filter(pk=event_id, notified_at__isnull=True).first())
    if pending is None:
        return False
    pending.notified_at = timezone.now()
    pending.save(update_fields=["notified_at"])
    return True


def conversation_events_untold(now=None) -> list[tuple[int, int, int, str, int | None]]:
    """(organisation, event, conversation, kind, actor) of every event not told within
    ``EVENT_UNTOLD_AFTER``; told events older than ``EVENT_KEPT`` are deleted on the way."""
    now = now or timezone.now()
    with tenancy.as_worker_across_organizations(reason="conversation events: find untold"):
        ConversationEvent.objects.filter(notified_at__lt=now - EVENT_KEPT).delete()
        return list(ConversationEvent.objects
                    .filter(notified_at__isnull=True, created_at__lt=now - EVENT_UNTOLD_AFTER)
                    .order_by("pk")
                    .values_list("organization_id", "pk", "conversation_id", "event",
                                 "actor_id"))


def conversation_event_notify(*, organization: Organization, conversation_id: int, event: str,
                              actor_id: int | None = None) -> list:
    """Tell each participant other than the actor about ``event``: an in-app notification
    always, and an email with the calendar entry when it is one of ``EMAIL_EVENTS``, the
    conversation is still in that state and the recipient wants such emails.

    Returns the email messages for the caller to send once the notifications are written (in
    the same transaction: a failed send rolls them back and the retry writes them once).
    """
    from ..emails import event_message

    if event not in EVENT_KINDS:
        return []
    conversation = (Conversation.objects.for_org(organization)
                    .select_related("organization", "member__user", "partner__user")
                    .filter(pk=conversation_id).first())
    if conversation is None:
        return []
    messages = []
    pairs = ((conversation.member, conversation.partner),
             (conversation.partner, conversation.member))
    for person, other in pairs:
        if person.pk == actor_id or not (person.is_active and person.user.is_active):
            continue
        title, body = _event_texts(event, conversation, other)
        notification_create(
            organization=organization, recipient=person, kind=EVENT_KINDS[event], title=title,
            body=body, conversation=conversation,
            url=conversation_path(organization=organization, conversation_id=conversation.pk))
        preference = notification_preference_get(organization=organization, member=person)
        if (event in EMAIL_EVENTS and preference.email_updates
                and _still_current(conversation, event) and person.user.email):
            messages.append(event_message(conversation=conversation, recipient=person,
                                          other=other, event=event))
    return messages
