"""In-app notifications, written in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from organizations.models import Membership, Organization

from ..models import Conversation, Notification


def recipient_language(member: Membership) -> str:
    """The member's own language, else their organisation's default."""
    return (member.user.language or member.organization.default_language
            or settings.LANGUAGE_CODE)


@transaction.atomic
def notification_create(*, organization: Organization, recipient: Membership, kind: str,
                        title: str | Callable[[], str], body: str | Callable[[], str] = "",
                        url: str = "", conversation: Conversation | None = None) -> Notification:
    """One in-app notification. ``title`` and ``body`` are lazy strings or callables, turned
    into text in the recipient's language here, so each reader gets their own language."""
    with translation.override(recipient_language(recipient)):
        title_text = str(title() if callable(title) else title)
        body_text = str(body() if callable(body) else body)
    return Notification.objects.for_org(organization).create(
        organization=organization, recipient=recipient, kind=kind, title=title_text[:200],
        body=body_text, url=url[:300], conversation=conversation)
