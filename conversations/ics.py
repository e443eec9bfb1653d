"""iCalendar (RFC 5545) for career conversations: email attachments and the private feed.

One conversation is one event everywhere: its ``UID`` never changes, so a calendar that already
holds it updates it in place when a later invitation, reminder or feed carries a higher
``SEQUENCE``. Times are written in UTC (``...Z``), which every client converts to its own zone.

What goes into an event is deliberately little: title, time, place, video link, the other
participant's name and the link to the conversation page. Never notes, preparation or agenda:
a calendar is often shared with assistants or synced to other services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone

from .models import ConversationStatus

PRODUCT_ID = "-//Trellis//Career conversations//EN"
LINE_OCTETS = 75


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "trellis.localhost"


def conversation_uid(conversation) -> str:
    """Stable for the life of the conversation: moving it updates the same calendar entry."""
    return f"conversation-{conversation.pk}@{_host()}"


def conversation_sequence(conversation) -> int:
    """Grows with every change of the conversation (moving it, cancelling it, marking it held),
    as RFC 5545 asks: seconds between its creation and its last update."""
    if conversation.created_at is None or conversation.updated_at is None:
        return 0
    return max(0, int((conversation.updated_at - conversation.created_at).total_seconds()))


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    url: str = ""
    location: str = ""
    description: str = ""
    cancelled: bool = False
    organizer: Person | None = None
    attendees: tuple[Person, ...] = field(default_factory=tuple)
    stamp: datetime | None = None


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _param(value: str) -> str:
    """A parameter value: quoted, with the characters a quoted value cannot hold removed."""
    cleaned = str(value).replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (§3.1)."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return line
    parts, start, limit = [], 0, LINE_OCTETS
    while start < len(data):
        end = min(start + limit, len(data))
        # Step back to a character boundary: continuation bytes are 0b10xxxxxx.
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, LINE_OCTETS - 1  # continuation lines begin with one space
    return "\r\n ".join(parts)


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, *, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(event.stamp or stamp)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.organizer:
        lines.append(f"ORGANIZER;CN={_param(event.organizer.name)}:mailto:{event.organizer.email}")
    for person in event.attendees:
        lines.append(f"ATTENDEE;CN={_param(person.name)};ROLE=REQ-PARTICIPANT;"
                     f"PARTSTAT=NEEDS-ACTION:mailto:{person.email}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, method: str | None = None, name: str = "",
             refresh: timedelta | None = None) -> str:
    """A VCALENDAR with ``events``, CRLF line endings, folded lines.

    ``method`` is the iTIP method of an email attachment (``REQUEST`` for an invitation,
    ``CANCEL`` for a cancellation, ``PUBLISH`` for a reminder); a subscribed feed has none.
    """
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    if refresh:
        minutes = max(1, int(refresh.total_seconds() // 60))
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:PT{minutes}M",
                  f"X-PUBLISHED-TTL:PT{minutes}M"]
    for event in events:
        lines += _event_lines(event, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def conversation_event(conversation, *, summary: str, url: str, description: str = "",
                       with_people: bool = False) -> Event:
    """The event of one conversation. ``with_people`` adds organiser and attendees (email
    invitations need them to update an entry; the feed leaves them out)."""
    start = conversation.scheduled_at
    organizer, attendees = None, ()
    if with_people:
        partner, member = conversation.partner, conversation.member
        organizer = Person(partner.user.display_name, partner.user.email)
        attendees = (Person(member.user.display_name, member.user.email),
                     Person(partner.user.display_name, partner.user.email))
    return Event(
        uid=conversation_uid(conversation),
        sequence=conversation_sequence(conversation),
        start=start,
        end=start + timedelta(minutes=conversation.duration_minutes or 45),
        summary=summary,
        url=url,
        location=" · ".join(v for v in (conversation.location, conversation.video_url) if v),
        description=description,
        cancelled=conversation.status == ConversationStatus.CANCELLED,
        organizer=organizer,
        attendees=attendees,
    )
