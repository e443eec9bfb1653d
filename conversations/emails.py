"""The emails of the conversations app, each rendered in its recipient's language and time zone.

Every message carries a ``Message-ID`` derived from what it is about (one reminder delivery, one
digest, one change of a conversation), never a random one: if a message is ever sent twice (a
worker killed after the mail server accepted it but before the delivery was recorded), both
copies carry the same id and a mail server or client can drop the second.

Reminders and invitations carry the conversation's calendar entry (``.ics``): the same ``UID``
for the life of the conversation, so calendars update one entry as it moves.
"""

from __future__ import annotations

from email.mime.text import MIMEText
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import ics
from .models import ConversationStatus, ReminderKind
from .services.notifications import (
    absolute,
    conversation_path,
    recipient_locale,
    when_text,
)

TEMPLATES = "conversations/email/"
METHODS = {"scheduled": "REQUEST", "changed": "REQUEST", "cancelled": "CANCEL"}


def message_id(*parts) -> str:
    """A deterministic Message-ID (RFC 5322 ``id-left@id-right``)."""
    host = urlparse(settings.SITE_URL).hostname or "trellis.localhost"
    return "<trellis." + ".".join(str(p) for p in parts) + f"@{host}>"


def _calendar_part(text: str, method: str) -> MIMEText:
    part = MIMEText(text, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="career-conversation.ics")
    return part


def _message(*, recipient, template: str, context: dict, msg_id: str,
             calendar: tuple[str, str] | None = None) -> EmailMessage:
    """Render ``template`` (``<name>_subject.txt`` and ``<name>.txt``) for ``recipient``."""
    with recipient_locale(recipient) as language:
        context = {**context, "recipient": recipient, "organization": recipient.organization,
                   "preferences_url": absolute(reverse(
                       "conversations:preferences",
                       kwargs={"org_slug": recipient.organization.slug}))}
        subject = " ".join(render_to_string(f"{TEMPLATES}{template}_subject.txt",
                                            context).split())
        body = render_to_string(f"{TEMPLATES}{template}.txt", context)
        ics_text = calendar[0]() if calendar and callable(calendar[0]) else None
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.user.email],
        headers={"Message-ID": msg_id, "Content-Language": language,
                 "Auto-Submitted": "auto-generated"})
    if calendar:
        message.attach(_calendar_part(ics_text, calendar[1]))
    return message


def _conversation_context(conversation, recipient, other) -> dict:
    path = conversation_path(organization=conversation.organization,
                             conversation_id=conversation.pk)
    return {
        "conversation": conversation,
        "other": other,
        "when": when_text(conversation.scheduled_at),
        "link": absolute(path),
        "is_employee": recipient.pk == conversation.member_id,
    }


def _conversation_ics(conversation, *, recipient, other, link: str, method: str):
    def render() -> str:
        event = ics.conversation_event(
            conversation,
            summary=_("Career conversation with %(name)s") % {"name": other.display_name},
            url=link,
            description=_("Agenda, preparation and shared notes: %(link)s") % {"link": link},
            with_people=True)
        return ics.calendar([event], method=method)

    return render


def _other(conversation, recipient):
    return conversation.partner if recipient.pk == conversation.member_id else conversation.member


def reminder_message(delivery) -> EmailMessage:
    """The email of one reminder delivery (its conversation, people and organisation loaded)."""
    conversation, recipient = delivery.conversation, delivery.recipient
    other = _other(conversation, recipient)
    template = {
        ReminderKind.EMPLOYEE: "reminder_employee",
        ReminderKind.PARTNER: "reminder_partner",
        ReminderKind.OUTCOME_PULSE: "outcome_pulse",
    }[delivery.kind]
    with recipient_locale(recipient):
        context = _conversation_context(conversation, recipient, other)
    calendar = None
    if delivery.kind != ReminderKind.OUTCOME_PULSE:
        calendar = (_conversation_ics(conversation, recipient=recipient, other=other,
                                      link=context["link"], method="PUBLISH"), "PUBLISH")
        context["link"] += "#preparation" if delivery.kind == ReminderKind.EMPLOYEE else ""
    else:
        context["link"] += "#outcome"
    return _message(recipient=recipient, template=template, context=context,
                    msg_id=message_id("reminder", delivery.pk, delivery.kind),
                    calendar=calendar)


def event_message(*, conversation, recipient, other, event: str) -> EmailMessage:
    """A conversation was scheduled, moved or cancelled: the email to ``recipient``."""
    method = METHODS[event]
    with recipient_locale(recipient):
        context = {**_conversation_context(conversation, recipient, other), "event": event,
                   "cancelled": conversation.status == ConversationStatus.CANCELLED}
    calendar = (_conversation_ics(conversation, recipient=recipient, other=other,
                                  link=context["link"], method=method), method)
    return _message(recipient=recipient, template="event", context=context,
                    msg_id=message_id("conversation", conversation.pk, event, recipient.pk,
                                      ics.conversation_sequence(conversation)),
                    calendar=calendar)


def digest_message(*, digest, manager, reports: list, limit: int) -> EmailMessage:
    """The weekly digest of ``manager``: their reports overdue for a career conversation."""
    team_url = absolute(reverse("conversations:team",
                                kwargs={"org_slug": manager.organization.slug}))
    context = {"reports": reports[:limit], "more": max(0, len(reports) - limit),
               "count": len(reports), "team_url": team_url, "week": digest.week}
    return _message(recipient=manager, template="digest", context=context,
                    msg_id=message_id("digest", digest.pk, digest.week.isoformat()))
