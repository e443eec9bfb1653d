"""Reads of notifications, notification preferences and the calendar feed.

Everything here is the caller's own: every query filters on the organisation and on the member
it is about, so a page or API view can pass ``request.membership`` and nothing else.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from organizations.models import Membership, Organization

from ..models import (
    CalendarFeed,
    Conversation,
    ConversationStatus,
    Notification,
    NotificationPreference,
)

# A feed carries conversations from a day ago on (so one under way stays visible), at most this
# many: enough for years of career conversations, and a bounded answer for a calendar client.
FEED_PAST = timedelta(days=1)
FEED_LIMIT = 200


def notification_list(*, organization: Organization, recipient: Membership,
                      unread_only: bool = False) -> QuerySet[Notification]:
    """The member's notifications, newest first (one query per page, whatever their number)."""
    rows = Notification.objects.for_org(organization).filter(recipient=recipient)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def notification_unread_count(*, organization: Organization, recipient: Membership) -> int:
    return (Notification.objects.for_org(organization)
            .filter(recipient=recipient, read_at__isnull=True).count())


def notification_preference_get(*, organization: Organization,
                                member: Membership) -> NotificationPreference:
    """The member's preferences; with no row yet, the defaults (an unsaved row)."""
    preference = (NotificationPreference.objects.for_org(organization)
                  .filter(member=member).first())
    return preference or NotificationPreference(organization=organization, member=member)


def calendar_feed_get(*, organization: Organization, member: Membership) -> CalendarFeed | None:
    return CalendarFeed.objects.for_org(organization).filter(member=member).first()


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_by_token(*, organization: Organization, token: str) -> CalendarFeed | None:
    """The feed whose secret is ``token``, if its member is still active here; else None.

    Security invariant: the token is compared through its SHA-256 only (the database holds
    nothing that opens a feed), within the organisation named in the URL, and a member who has
    left loses their feed at once. A wrong token, a revoked one and another organisation's are
    the same None.
    """
    if not token or len(token) > 200:
        return None
    return (CalendarFeed.objects.for_org(organization)
            .select_related("member__user", "organization")
            .filter(token_hash=hash_feed_token(token), member__is_active=True,
                    member__user__is_active=True)
            .first())


def feed_conversations(*, organization: Organization, member: Membership,
                       now: datetime | None = None) -> list[Conversation]:
    """The member's scheduled conversations, as employee or as partner, from a day ago on,
    soonest first (one query)."""
    now = now or timezone.now()
    return list(
        Conversation.objects.for_org(organization)
        .filter(Q(member=member) | Q(partner=member), status=ConversationStatus.SCHEDULED,
                scheduled_at__gte=now - FEED_PAST)
        .select_related("member__user", "partner__user", "organization")
        .order_by("scheduled_at", "pk")[:FEED_LIMIT]
    )
