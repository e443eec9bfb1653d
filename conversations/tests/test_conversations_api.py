"""The career conversations API, through real URLs."""

import zoneinfo
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.models import DevelopmentAction, ReflectionArea
from careers.services import reflections as reflection_services
from conversations.factories import (
    AgendaTopicFactory,
    CareerPartnerFactory,
    ConversationFactory,
    HeldConversationFactory,
    MemberCadenceFactory,
    PreparationFactory,
    PrivateNoteFactory,
)
from conversations.models import (
    CareerPartner,
    Conversation,
    ConversationArea,
    ConversationStatus,
    MemberCadence,
)
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/conversations/{path}"


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def when(days=3, hour=10):
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                           microsecond=0)


@pytest.fixture
def upcoming(people):
    return ConversationFactory(member=people.employee, partner=people.manager)


def started(conversation):
    Conversation.objects_unscoped.filter(pk=conversation.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=5))


# --- Conversations ------------------------------------------------------------------------------


def test_a_manager_schedules_with_a_report_through_the_api(people, login):
    response = send(login(people.manager), "post", api(people.org, "conversations/"), {
        "member": people.employee.pk, "scheduled_at": when().isoformat(),
        "duration_minutes": 60, "location": "Room 1"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["conversation"]["partner"]["id"] == people.manager.pk
    assert body["conversation"]["my_role"] == "partner"
    assert body["preparation"] is None and body["my_private_note"] is None
    assert body["guide_step"]["number"] == 1


def test_a_time_without_an_offset_is_read_in_the_organisations_time_zone(people, login):
    people.org.time_zone = "America/New_York"
    people.org.save()
    local = when().replace(tzinfo=None).isoformat()
    response = send(login(people.employee), "post", api(people.org, "conversations/"),
                    {"partner": people.manager.pk, "scheduled_at": local})
    assert response.status_code == 201, response.json()
    stored = Conversation.objects_unscoped.get().scheduled_at
    assert timezone.localtime(stored, zoneinfo.ZoneInfo("America/New_York")).hour == 10


def test_bad_scheduling_input_is_a_400_by_field(people, other_people, login):
    client = login(people.employee)
    past = send(client, "post", api(people.org, "conversations/"), {
        "partner": people.manager.pk,
        "scheduled_at": (timezone.now() - timedelta(days=1)).isoformat()})
    assert past.status_code == 400
    assert "in the past" in past.json()["errors"]["scheduled_at"][0]
    colleague = MembershipFactory(organization=people.org)
    stranger = send(client, "post", api(people.org, "conversations/"),
                    {"partner": colleague.pk, "scheduled_at": when().isoformat()})
    assert stranger.status_code == 400
    assert "not your line manager" in stranger.json()["errors"]["partner"][0]
    foreign = send(client, "post", api(people.org, "conversations/"),
                   {"partner": other_people.manager.pk, "scheduled_at": when().isoformat()})
    assert foreign.status_code == 400 and "partner" in foreign.json()["errors"]


def test_an_overlap_is_a_400_on_scheduled_at(people, login, upcoming):
    response = send(login(people.employee), "post", api(people.org, "conversations/"),
                    {"partner": people.manager.pk,
                     "scheduled_at": (upcoming.scheduled_at + timedelta(minutes=10)).isoformat()})
    assert response.status_code == 400
    assert "already have" in response.json()["errors"]["scheduled_at"][0]


def test_the_list_filters_upcoming_past_and_role(people, login, upcoming):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    client = login(people.employee)

    def ids(query):
        return [c["id"] for c in
                client.get(api(people.org, f"conversations/{query}")).json()["results"]]

    assert ids("?when=upcoming") == [upcoming.pk]
    assert ids("?when=past") == [held.pk]
    assert ids("?role=partner") == []
    rows = client.get(api(people.org, "conversations/")).json()["results"]
    assert {r["is_prepared"] for r in rows} == {False}
    manager_rows = login(people.manager).get(api(people.org, "conversations/")).json()["results"]
    assert {r["is_prepared"] for r in manager_rows} == {None}


def test_the_list_runs_the_same_queries_for_2_or_20_conversations(people, login):
    client = login(people.employee)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api(people.org, "conversations/")).status_code == 200
        return len(queries)

    for i in range(2):
        ConversationFactory(member=people.employee, partner=people.manager,
                            scheduled_at=timezone.now() + timedelta(days=i + 1))
    small = count()
    for i in range(18):
        HeldConversationFactory(member=people.employee, partner=people.manager,
                                scheduled_at=timezone.now() - timedelta(days=i + 1))
    assert count() == small


def test_only_participants_read_a_conversation_and_the_partners_read_is_audited(
        people, other_people, login, upcoming):
    detail = api(people.org, f"conversations/{upcoming.pk}/")
    for outsider in (people.hr, people.leader, other_people.employee):
        assert login(outsider).get(detail).status_code == 404
    assert login(people.manager).get(detail).status_code == 200
    assert AuditEvent.objects_unscoped.filter(action="conversations.conversation_viewed",
                                              actor=people.manager).exists()


def test_the_detail_carries_only_the_callers_private_note_and_the_preparation_to_the_employee(
        people, login, upcoming):
    PrivateNoteFactory(conversation=upcoming, author=people.manager, text="Manager's own")
    PreparationFactory(conversation=upcoming, journey="Employee's own")
    manager = login(people.manager).get(api(people.org, f"conversations/{upcoming.pk}/"))
    employee = login(people.employee).get(api(people.org, f"conversations/{upcoming.pk}/"))
    assert manager.json()["my_private_note"]["text"] == "Manager's own"
    assert manager.json()["preparation"] is None
    assert employee.json()["my_private_note"] is None
    assert employee.json()["preparation"]["journey"] == "Employee's own"
    assert "Manager's own" not in employee.content.decode()
    assert "Employee's own" not in manager.content.decode()


def test_reschedule_cancel_and_mark_held(people, login, upcoming):
    client = login(people.manager)
    moved = send(client, "patch", api(people.org, f"conversations/{upcoming.pk}/"),
                 {"scheduled_at": when(days=8).isoformat(), "location": "Café"})
    assert moved.status_code == 200
    assert moved.json()["conversation"]["location"] == "Café"
    early = send(client, "post", api(people.org, f"conversations/{upcoming.pk}/held/"))
    assert early.status_code == 400
    started(upcoming)
    held = send(client, "post", api(people.org, f"conversations/{upcoming.pk}/held/"))
    assert held.json()["conversation"]["status"] == ConversationStatus.HELD
    other = ConversationFactory(member=people.employee, partner=people.manager,
                                scheduled_at=when(days=20))
    cancelled = send(client, "post", api(people.org, f"conversations/{other.pk}/cancel/"),
                     {"reason": "Holiday"})
    assert cancelled.json()["conversation"]["cancel_reason"] == "Holiday"


# --- Agenda, preparation, areas, notes ----------------------------------------------------------


def test_topics_through_the_api(people, login, upcoming):
    employee, manager = login(people.employee), login(people.manager)
    created = send(employee, "post", api(people.org, f"conversations/{upcoming.pk}/topics/"),
                   {"text": "Mentoring"})
    assert created.status_code == 201
    topic_id = created.json()["id"]
    topic_url = api(people.org, f"conversations/{upcoming.pk}/topics/{topic_id}/")
    assert send(manager, "patch", topic_url, {"is_done": True}).json()["is_done"] is True
    assert send(manager, "delete", topic_url).status_code == 403
    assert send(employee, "delete", topic_url).status_code == 204
    empty = send(employee, "post", api(people.org, f"conversations/{upcoming.pk}/topics/"),
                 {"text": ""})
    assert empty.status_code == 400 and "text" in empty.json()["errors"]


def test_a_topic_of_another_conversation_is_404(people, login, upcoming):
    elsewhere = AgendaTopicFactory(conversation=HeldConversationFactory(
        member=people.employee, partner=people.manager))
    response = send(login(people.employee), "patch",
                    api(people.org, f"conversations/{upcoming.pk}/topics/{elsewhere.pk}/"),
                    {"is_done": True})
    assert response.status_code == 404


def test_the_preparation_is_the_employees_alone(people, login, upcoming):
    url = api(people.org, f"conversations/{upcoming.pk}/preparation/")
    saved = send(login(people.employee), "put", url, {"journey": "Mine", "to_ask": "Q"})
    assert saved.status_code == 200 and saved.json()["journey"] == "Mine"
    assert login(people.manager).get(url).status_code == 403
    assert send(login(people.manager), "put", url, {"journey": "x"}).status_code == 403


def test_areas_are_attached_from_own_reflections_only_and_withdrawn(people, login, upcoming):
    reflection = reflection_services.reflection_start(organization=people.org,
                                                      actor=people.employee)
    area = ReflectionArea.objects_unscoped.filter(template=reflection.template).first()
    theirs = reflection_services.reflection_start(organization=people.org, actor=people.manager)
    client = login(people.employee)
    url = api(people.org, f"conversations/{upcoming.pk}/areas/")
    refused = send(client, "post", url, {"reflection": theirs.pk, "area": area.pk})
    assert refused.status_code == 400 and "reflection" in refused.json()["errors"]
    attached = send(client, "post", url, {"reflection": reflection.pk, "area": area.pk})
    assert attached.status_code == 201 and attached.json()[0]["area"]["id"] == area.pk
    assert len(login(people.manager).get(url).json()) == 1
    gone = send(client, "delete", url + f"{reflection.pk}/{area.pk}/")
    assert gone.status_code == 204
    assert not ConversationArea.objects_unscoped.exists()


def test_shared_and_private_notes_through_the_api(people, login, upcoming):
    employee, manager = login(people.employee), login(people.manager)
    shared = api(people.org, f"conversations/{upcoming.pk}/shared-notes/")
    private = api(people.org, f"conversations/{upcoming.pk}/private-note/")
    send(manager, "put", shared, {"text": "Agreed"})
    body = employee.get(shared).json()
    assert body["text"] == "Agreed" and body["updated_by"]["id"] == people.manager.pk
    send(manager, "put", private, {"text": "Just for me"})
    assert employee.get(private).json() == {"text": "", "updated_at": None}
    assert manager.get(private).json()["text"] == "Just for me"
    long = send(manager, "put", private, {"text": "x" * 10_001})
    assert long.status_code == 400


# --- Actions and outcome ------------------------------------------------------------------------


def test_agreed_actions_through_the_api_land_in_the_employees_plan(people, login, upcoming):
    client = login(people.manager)
    url = api(people.org, f"conversations/{upcoming.pk}/actions/")
    early = send(client, "post", url, {"title": "Shadow the lead"})
    assert early.status_code == 400
    started(upcoming)
    created = send(client, "post", url, {"title": "Shadow the lead", "kind": "shadowing",
                                         "due_date": str(timezone.localdate()
                                                         + timedelta(days=30))})
    assert created.status_code == 201, created.json()
    action = DevelopmentAction.objects_unscoped.get()
    assert (action.member, action.kind) == (people.employee, "shadowing")
    plan = login(people.employee).get(f"/api/v1/o/{people.org.slug}/career/actions/").json()
    assert [a["title"] for a in plan["results"]] == ["Shadow the lead"]


def test_the_employee_rates_through_the_api(people, login):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    url = api(people.org, f"conversations/{held.pk}/outcome/")
    assert login(people.employee).get(url).status_code == 404
    bad = send(login(people.employee), "put", url, {"direction": 6, "self_insight": 3,
                                                    "options": 3, "confidence": 3})
    assert bad.status_code == 400 and "direction" in bad.json()["errors"]
    good = send(login(people.employee), "put", url, {"direction": 5, "self_insight": 3,
                                                     "options": 3, "confidence": 4})
    assert good.status_code == 200
    assert login(people.manager).get(url).json()["direction"] == 5
    assert send(login(people.manager), "put", url, {"direction": 5, "self_insight": 3,
                                                    "options": 3,
                                                    "confidence": 4}).status_code == 403


# --- Team, cadence, partners, guide, summary ----------------------------------------------------


def test_the_team_endpoint_is_for_managers_with_a_fixed_query_count(people, login):
    assert login(people.employee).get(api(people.org, "team/")).status_code == 403
    client = login(people.manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(api(people.org, "team/"))
        assert response.status_code == 200
        return len(queries), response.json()

    HeldConversationFactory(member=people.employee, partner=people.manager)
    small, rows = count()
    assert rows[0]["member"]["id"] == people.employee.pk
    for i in range(20):
        member = MembershipFactory(organization=people.org, manager=people.manager)
        HeldConversationFactory(member=member, partner=people.manager,
                                scheduled_at=timezone.now() - timedelta(days=i + 1))
        MemberCadenceFactory(member=member)
    assert count()[0] == small


def test_the_cadence_of_a_report_through_the_api(people, login):
    client = login(people.manager)
    url = api(people.org, f"team/{people.employee.pk}/cadence/")
    assert send(client, "put", url, {"days": 45}).json() == {
        "member": {"id": people.employee.pk, "name": people.employee.display_name},
        "days": 45, "is_default": False}
    assert send(client, "put", url, {"days": 400}).status_code == 400
    assert send(client, "delete", url).json()["is_default"] is True
    assert not MemberCadence.objects_unscoped.exists()
    assert send(login(people.hr), "put", url, {"days": 60}).json()["days"] == 60
    assert login(people.leader).get(url).status_code == 404


def test_partners_through_the_api(people, login):
    mentor = MembershipFactory(organization=people.org)
    client = login(people.employee)
    created = send(client, "post", api(people.org, "partners/"),
                   {"partner": mentor.pk, "kind": "coach"})
    assert created.status_code == 201
    listed = client.get(api(people.org, "partners/")).json()
    assert [p["kind"] for p in listed["partners"]] == ["manager", "coach"]
    assert login(mentor).get(api(people.org, "partners/")).json()["mentees"][0]["member"][
        "id"] == people.employee.pk
    row_url = api(people.org, f"partners/{created.json()['id']}/")
    assert login(people.manager).delete(row_url).status_code == 404
    assert client.delete(row_url).json()["ended_at"] is not None
    other = MembershipFactory(organization=people.org)
    by_hr = send(login(people.hr), "post", api(people.org, "partners/"),
                 {"partner": other.pk, "member": people.employee.pk})
    assert by_hr.status_code == 201
    refused = send(login(people.manager), "post", api(people.org, "partners/"),
                   {"partner": other.pk, "member": people.employee.pk})
    assert refused.status_code == 403
    assert CareerPartner.objects_unscoped.filter(ended_at__isnull=True).count() == 1


def test_the_guide_and_summary(people, login):
    guide = login(people.employee).get(api(people.org, "guide/")).json()
    assert [s["number"] for s in guide["steps"]] == [1, 2, 3, 4]
    assert [o["key"] for o in guide["outcomes"]] == ["direction", "self_insight", "options",
                                                     "confidence"]
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    upcoming = ConversationFactory(member=people.employee, partner=mentor, partner_kind="mentor")
    summary = login(people.employee).get(api(people.org, "summary/")).json()
    assert summary["next"]["id"] == upcoming.pk and summary["team"] is None
    manager_summary = login(people.manager).get(api(people.org, "summary/")).json()
    assert manager_summary["team"]["reports"] == 1
