"""iCalendar output and the member's private calendar feed."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conversations import ics
from conversations.factories import ConversationFactory, PrivateNoteFactory
from conversations.models import CalendarFeed, Conversation, ConversationStatus, Preparation
from conversations.services.notifications import calendar_feed_create
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


# --- A strict reader of what we write -----------------------------------------------------------


def _split_content_line(line: str) -> tuple[str, dict, str]:
    """NAME;PARAM=...:VALUE, with quoted parameter values that may hold ':' or ';'."""
    quoted, cut = False, None
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            cut = i
            break
    assert cut is not None, line
    head, value = line[:cut], line[cut + 1:]
    name, *params = head.split(";")
    assert name == name.upper() and name.replace("-", "").isalnum(), line
    return name, dict(p.split("=", 1) for p in params), value


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            assert value[i] not in ",;", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(text: str) -> dict:
    """Check RFC 5545 framing strictly (CRLF, 75-octet lines, balanced components) and return
    ``{"calendar": {...}, "events": [{...}]}`` with unfolded, unescaped values."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar, events, current = {}, [], None
    for line in lines[1:-1]:
        name, params, value = _split_content_line(line)
        if (name, value) == ("BEGIN", "VEVENT"):
            assert current is None
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            events.append(current)
            current = None
        else:
            target = calendar if current is None else current
            text_value = unescape(value) if name in {
                "SUMMARY", "LOCATION", "DESCRIPTION", "X-WR-CALNAME"} else value
            if name == "ATTENDEE":
                target.setdefault(name, []).append((params, text_value))
            else:
                assert name not in target, f"{name} twice"
                target[name] = text_value if not params else (params, text_value)
    assert current is None
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
            assert required in event, required
        for stamp in ("DTSTAMP", "DTSTART", "DTEND"):
            datetime.strptime(event[stamp], "%Y%m%dT%H%M%SZ")
        assert int(event["SEQUENCE"]) >= 0
    return {"calendar": calendar, "events": events}


# --- ics ----------------------------------------------------------------------------------------


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    event = ics.Event(uid="u@x", sequence=0, start=datetime(2031, 1, 1, 9, tzinfo=UTC),
                      end=datetime(2031, 1, 1, 10, tzinfo=UTC),
                      summary="Conversación de carrera con José Ñúñez " * 5)
    text = ics.calendar([event])
    parsed = parse(text)
    assert parsed["events"][0]["SUMMARY"] == "Conversación de carrera con José Ñúñez " * 5


def test_text_values_are_escaped():
    event = ics.Event(uid="u@x", sequence=0, start=datetime(2031, 1, 1, 9, tzinfo=UTC),
                      end=datetime(2031, 1, 1, 10, tzinfo=UTC), summary="a, b; c\\d",
                      description="line one\nline two")
    [parsed] = parse(ics.calendar([event]))["events"]
    assert parsed["SUMMARY"] == "a, b; c\\d"
    assert parsed["DESCRIPTION"] == "line one\nline two"


def test_a_conversation_keeps_its_uid_and_a_move_raises_its_sequence(people):
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       scheduled_at=datetime(2031, 5, 6, 7, 30, tzinfo=UTC),
                                       duration_minutes=60, location="Room 1")
    before = ics.conversation_event(conversation, summary="S", url="https://x/c")
    Conversation.objects_unscoped.filter(pk=conversation.pk).update(
        scheduled_at=datetime(2031, 5, 7, 7, 30, tzinfo=UTC),
        updated_at=conversation.created_at + timedelta(hours=3))
    conversation.refresh_from_db()
    after = ics.conversation_event(conversation, summary="S", url="https://x/c")
    first, second = (parse(ics.calendar([e], method="REQUEST"))["events"][0]
                     for e in (before, after))
    assert first["UID"] == second["UID"] == f"conversation-{conversation.pk}@127.0.0.1"
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert (first["DTSTART"], first["DTEND"]) == ("20310506T073000Z", "20310506T083000Z")
    assert second["DTSTART"] == "20310507T073000Z"
    assert first["LOCATION"] == "Room 1" and first["URL"] == "https://x/c"


def test_start_is_written_in_utc_whatever_the_zone_it_was_entered_in(people):
    import zoneinfo

    paris = datetime(2031, 7, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       scheduled_at=paris)
    event = ics.conversation_event(conversation, summary="S", url="")
    assert parse(ics.calendar([event]))["events"][0]["DTSTART"] == "20310701T080000Z"


# --- The feed -----------------------------------------------------------------------------------


@pytest.fixture
def feed_url(people):
    _feed, token = calendar_feed_create(organization=people.org, actor=people.employee)
    return reverse("conversations:calendar_feed",
                   kwargs={"org_slug": people.org.slug, "token": token})


def soon(days=3):
    return timezone.now() + timedelta(days=days)


def test_feed_lists_the_members_conversations_as_employee_and_as_partner(people, feed_url):
    mine = ConversationFactory(member=people.employee, partner=people.manager,
                               scheduled_at=soon(), video_url="https://meet.example/x")
    mentee = MembershipFactory(organization=people.org)
    as_partner = ConversationFactory(member=mentee, partner=people.employee,
                                     scheduled_at=soon(10))
    ConversationFactory(member=people.employee, partner=people.manager, scheduled_at=soon(5),
                        status=ConversationStatus.CANCELLED)
    ConversationFactory(member=people.employee, partner=people.manager,
                        scheduled_at=timezone.now() - timedelta(days=3))
    ConversationFactory(member=people.hr, partner=people.leader, scheduled_at=soon())
    response = Client().get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    parsed = parse(response.content.decode())
    assert "METHOD" not in parsed["calendar"]
    uids = [e["UID"] for e in parsed["events"]]
    assert uids == [ics.conversation_uid(mine), ics.conversation_uid(as_partner)]
    first, second = parsed["events"]
    assert first["SUMMARY"] == f"Career conversation with {people.manager.display_name}"
    assert second["SUMMARY"] == f"Career conversation with {mentee.display_name}"
    assert first["LOCATION"] == "https://meet.example/x"
    assert first["URL"].startswith("http://127.0.0.1:8000/o/acme/conversations/")
    assert "ATTENDEE" not in first and "ORGANIZER" not in first


def test_feed_never_carries_notes_or_preparation(people, feed_url):
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       scheduled_at=soon(), shared_notes="CANARY-SHARED")
    PrivateNoteFactory(conversation=conversation, author=people.employee,
                       text="CANARY-PRIVATE")
    Preparation.objects_unscoped.create(organization=people.org, conversation=conversation,
                                        journey="CANARY-JOURNEY", to_ask="CANARY-ASK")
    body = Client().get(feed_url).content.decode()
    assert "BEGIN:VEVENT" in body
    assert "CANARY" not in body


def test_a_wrong_token_is_404(people, feed_url):
    url = reverse("conversations:calendar_feed",
                  kwargs={"org_slug": people.org.slug, "token": "not-the-token"})
    assert Client().get(url).status_code == 404
    assert Client().post(url).status_code == 404


def test_the_token_of_one_organisation_is_404_under_another(people, other_people, feed_url):
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    url = reverse("conversations:calendar_feed",
                  kwargs={"org_slug": other_people.org.slug, "token": token})
    assert Client().get(url).status_code == 404


def test_a_new_link_retires_the_old_one_and_a_revoked_feed_is_404(people, feed_url, login):
    client = login(people.employee)
    client.post(reverse("conversations:calendar", kwargs={"org_slug": "acme"}),
                {"action": "create"})
    assert Client().get(feed_url).status_code == 404
    new_url = client.session.get("conversations:new_calendar_feed") or client.get(
        reverse("conversations:calendar", kwargs={"org_slug": "acme"})).context["new_url"]
    path = new_url.removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 200
    client.post(reverse("conversations:calendar", kwargs={"org_slug": "acme"}),
                {"action": "revoke"})
    assert Client().get(path).status_code == 404


def test_a_member_who_left_loses_their_feed(people, feed_url):
    people.employee.is_active = False
    people.employee.save(update_fields=["is_active"])
    assert Client().get(feed_url).status_code == 404


def test_only_the_fingerprint_of_the_secret_is_stored(people, feed_url):
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects_unscoped.get(member=people.employee)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash


def test_reading_the_feed_notes_when_it_was_last_used(people, feed_url):
    Client().get(feed_url)
    assert CalendarFeed.objects_unscoped.get(member=people.employee).last_used_at is not None


def test_feed_answers_only_get(people, feed_url):
    assert Client().post(feed_url).status_code == 405


def test_feed_is_written_in_the_members_language(people, feed_url):
    people.employee.user.language = "es"
    people.employee.user.save(update_fields=["language"])
    ConversationFactory(member=people.employee, partner=people.manager, scheduled_at=soon())
    response = Client().get(feed_url)
    assert response["Content-Language"] == "es"
    assert len(parse(response.content.decode())["events"]) == 1


# --- The page -----------------------------------------------------------------------------------


def calendar_page(org_slug="acme"):
    return reverse("conversations:calendar", kwargs={"org_slug": org_slug})


def test_calendar_page_shows_a_new_link_once(people, login):
    client = login(people.employee)
    page = client.get(calendar_page())
    assert page.status_code == 200 and page.context["feed"] is None
    assert "Make my private link" in page.content.decode()
    response = client.post(calendar_page(), {"action": "create"})
    assert response.status_code == 302
    shown = client.get(calendar_page())
    url = shown.context["new_url"]
    assert url.startswith("http://127.0.0.1:8000/o/acme/conversations/calendar/")
    assert url.endswith(".ics") and url in shown.content.decode()
    assert shown.context["webcal_url"].startswith("webcal://127.0.0.1:8000/")
    again = client.get(calendar_page())
    assert again.context["new_url"] is None and url not in again.content.decode()
    assert "Make a new link" in again.content.decode()


def test_calendar_page_rejects_an_unknown_action(people, login):
    assert login(people.employee).post(calendar_page(), {"action": "x"}).status_code == 400


def test_calendar_feed_api_creates_shows_state_and_deletes(people, login):
    client = login(people.employee)
    url = reverse("conversations-api:calendar-feed", kwargs={"org_slug": "acme"})
    assert client.get(url).json()["active"] is False
    created = client.post(url)
    assert created.status_code == 201
    feed_link = created.json()["url"]
    assert client.get(feed_link.removeprefix("http://127.0.0.1:8000")).status_code == 200
    state = client.get(url).json()
    assert state["active"] is True and "url" not in state
    assert client.delete(url).status_code == 204
    assert client.get(feed_link.removeprefix("http://127.0.0.1:8000")).status_code == 404
