"""Career conversation pages, through real URLs: scheduling, the team page, one conversation
(agenda, preparation, areas, notes, actions, outcome), partners, cadence, home and record."""

import zoneinfo
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.models import DevelopmentAction, ReflectionArea, ReflectionPrompt
from careers.services import reflections as reflection_services
from conversations import registrations_conversations
from conversations.factories import (
    AgendaTopicFactory,
    AgreedActionFactory,
    CareerPartnerFactory,
    ConversationFactory,
    HeldConversationFactory,
    MemberCadenceFactory,
    OutcomeFactory,
    PreparationFactory,
    PrivateNoteFactory,
)
from conversations.models import (
    AgendaTopic,
    CareerPartner,
    Conversation,
    ConversationArea,
    ConversationStatus,
    MemberCadence,
    Outcome,
    Preparation,
    PrivateNote,
)
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    # The app's registrations call this; registering twice is once.
    registrations_conversations.register()


def url(name, org, **kwargs):
    return reverse(f"conversations:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def local(days=3, hour=10):
    day = (timezone.now() + timedelta(days=days)).date()
    return {"date": day.isoformat(), "time": f"{hour:02d}:00"}


def started(conversation):
    Conversation.objects_unscoped.filter(pk=conversation.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=5))
    conversation.refresh_from_db()
    return conversation


@pytest.fixture
def upcoming(people):
    return ConversationFactory(member=people.employee, partner=people.manager)


# --- My conversations and scheduling ------------------------------------------------------------


def test_an_employee_with_nothing_scheduled_is_told_what_to_do(people, login):
    response = login(people.employee).get(url("list", people.org))
    assert response.status_code == 200
    page = text(response)
    assert "Nothing scheduled" in page
    assert f"{people.manager.display_name}, your line manager" in page
    assert "Europe/" in page or "UTC" in page


def test_an_employee_schedules_with_their_manager_in_the_organisations_time_zone(people, login):
    people.org.time_zone = "Europe/Paris"
    people.org.save()
    response = login(people.employee).post(url("schedule", people.org), {
        "with_whom": f"p{people.manager.pk}", **local(hour=9), "duration_minutes": "60",
        "location": "Room 4", "video_url": ""})
    conversation = Conversation.objects_unscoped.get(member=people.employee)
    assert response.status_code == 302
    assert response["Location"] == url("detail", people.org, conversation_id=conversation.pk)
    paris = timezone.localtime(conversation.scheduled_at, zoneinfo.ZoneInfo("Europe/Paris"))
    assert (paris.hour, paris.minute) == (9, 0)
    assert conversation.duration_minutes == 60


def test_a_time_in_the_past_reshows_the_form_with_the_message_by_the_date(people, login):
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    response = login(people.employee).post(url("schedule", people.org), {
        "with_whom": f"p{people.manager.pk}", "date": yesterday, "time": "10:00",
        "duration_minutes": "45", "location": "Kept as typed"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "in the past" in form.errors["date"][0]
    assert "Kept as typed" in text(response)
    assert not Conversation.objects_unscoped.exists()


def test_someone_not_offered_as_a_partner_cannot_be_posted(people, login):
    colleague = MembershipFactory(organization=people.org)
    response = login(people.employee).post(url("schedule", people.org), {
        "with_whom": f"p{colleague.pk}", **local(), "duration_minutes": "45"})
    assert response.status_code == 400
    assert "with_whom" in response.context["form"].errors


def test_a_mentor_schedules_with_their_mentee_from_their_own_page(people, login):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    client = login(mentor)
    assert "whom you mentor" in text(client.get(url("list", people.org)))
    response = client.post(url("schedule", people.org), {
        "with_whom": f"e{people.employee.pk}", **local(), "duration_minutes": "45"})
    assert response.status_code == 302
    conversation = Conversation.objects_unscoped.get()
    assert (conversation.member, conversation.partner, conversation.partner_kind) == (
        people.employee, mentor, "mentor")


def _list_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("list", org)).status_code == 200
    return len(queries)


def test_my_conversations_page_runs_the_same_queries_for_2_or_20_conversations(people, login):
    client = login(people.employee)

    def add(n, offset):
        for i in range(n):
            factory = HeldConversationFactory if i % 2 else ConversationFactory
            conversation = factory(member=people.employee, partner=people.manager,
                                   scheduled_at=timezone.now() + timedelta(
                                       days=(offset + i) * (-1 if i % 2 else 1) - 1))
            AgendaTopicFactory(conversation=conversation)

    add(2, 0)
    small = _list_queries(client, people.org)
    add(18, 10)
    assert _list_queries(client, people.org) == small


# --- The team page ------------------------------------------------------------------------------


def test_the_team_page_is_for_managers(people, login):
    assert login(people.employee).get(url("team", people.org)).status_code == 403


def test_the_team_page_flags_overdue_reports_and_offers_to_schedule(people, login):
    HeldConversationFactory(member=people.employee, partner=people.manager,
                            scheduled_at=timezone.now() - timedelta(days=200))
    response = login(people.manager).get(url("team", people.org))
    page = text(response)
    assert response.status_code == 200
    assert "Overdue by" in page
    assert url("schedule_with", people.org, member_id=people.employee.pk) in page


def _team(people, n):
    for i in range(n):
        member = MembershipFactory(organization=people.org, manager=people.manager)
        if i % 2:
            HeldConversationFactory(member=member, partner=people.manager,
                                    scheduled_at=timezone.now() - timedelta(days=30 + i))
        else:
            ConversationFactory(member=member, partner=people.manager,
                                scheduled_at=timezone.now() + timedelta(days=2, hours=i))
        if i % 3 == 0:
            MemberCadenceFactory(member=member, days=60)


def _team_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("team", org)).status_code == 200
    return len(queries)


def test_the_team_page_runs_the_same_queries_for_3_or_30_reports(people, login):
    client = login(people.manager)
    _team(people, 2)  # with the employee: three reports
    small = _team_queries(client, people.org)
    _team(people, 27)
    assert _team_queries(client, people.org) == small


def test_a_manager_schedules_with_a_report_from_the_team_page(people, login):
    client = login(people.manager)
    page = client.get(url("schedule_with", people.org, member_id=people.employee.pk))
    assert page.status_code == 200
    response = client.post(url("schedule_with", people.org, member_id=people.employee.pk),
                           {**local(), "duration_minutes": "45"})
    assert response.status_code == 302
    assert Conversation.objects_unscoped.get().partner == people.manager
    assert "is scheduled" in " ".join(messages_of(client.get(response["Location"])))


def test_an_overlapping_time_is_refused_with_a_clear_message(people, login):
    other = MembershipFactory(organization=people.org, manager=people.manager)
    client = login(people.manager)
    client.post(url("schedule_with", people.org, member_id=other.pk),
                {**local(), "duration_minutes": "60"})
    response = client.post(url("schedule_with", people.org, member_id=people.employee.pk),
                           {**local(), "duration_minutes": "30"})
    assert response.status_code == 400
    assert "You already have a career conversation" in response.context["form"].errors["date"][0]


def test_scheduling_with_someone_who_is_not_a_report_is_404(people, login):
    stranger = MembershipFactory(organization=people.org)
    client = login(people.manager)
    assert client.get(url("schedule_with", people.org,
                          member_id=stranger.pk)).status_code == 404


def test_the_manager_sets_and_clears_a_cadence(people, login):
    client = login(people.manager)
    prefix = f"m{people.employee.pk}-days"
    response = client.post(url("cadence", people.org, member_id=people.employee.pk),
                           {prefix: "30"})
    assert response.status_code == 302
    assert MemberCadence.objects_unscoped.get(member=people.employee).days == 30
    response = client.post(url("cadence", people.org, member_id=people.employee.pk),
                           {prefix: "2"}, follow=True)
    assert any("greater than or equal" in m for m in messages_of(response))
    client.post(url("cadence", people.org, member_id=people.employee.pk), {prefix: ""})
    assert not MemberCadence.objects_unscoped.exists()


# --- One conversation ---------------------------------------------------------------------------


def test_only_the_two_participants_open_a_conversation(people, other_people, login, upcoming):
    detail = url("detail", people.org, conversation_id=upcoming.pk)
    assert login(people.employee).get(detail).status_code == 200
    assert login(people.manager).get(detail).status_code == 200
    for outsider in (people.hr, people.leader, other_people.manager):
        assert login(outsider).get(detail).status_code == 404


def test_the_partners_visit_is_audit_logged_and_the_employees_is_not(people, login, upcoming):
    detail = url("detail", people.org, conversation_id=upcoming.pk)
    login(people.employee).get(detail)
    assert not AuditEvent.objects_unscoped.filter(action="conversations.conversation_viewed")
    login(people.manager).get(detail)
    event = AuditEvent.objects_unscoped.get(action="conversations.conversation_viewed")
    assert (event.actor, event.subject) == (people.manager, people.employee)


def test_the_partner_sees_the_guide_prompts_and_picks_another_step(people, login, upcoming):
    client = login(people.manager)
    page = text(client.get(url("detail", people.org, conversation_id=upcoming.pk)))
    assert "Where you&#x27;re at and what matters" in page
    assert "For you, as their partner" in page
    page = text(client.get(url("detail", people.org, conversation_id=upcoming.pk) + "?step=3"))
    assert "What opportunities are there for you in your current role?" in page


def test_the_employee_prepares_and_the_partner_never_sees_the_preparation(people, login,
                                                                         upcoming):
    client = login(people.employee)
    response = client.post(url("preparation", people.org, conversation_id=upcoming.pk), {
        "journey": "Shipped the billing rewrite", "to_ask": "Lead role?", "to_share": ""})
    assert response.status_code == 302
    assert Preparation.objects_unscoped.get(conversation=upcoming).journey == \
        "Shipped the billing rewrite"
    assert "Shipped the billing rewrite" in text(
        client.get(url("detail", people.org, conversation_id=upcoming.pk)))
    manager = login(people.manager)
    assert "Shipped the billing rewrite" not in text(
        manager.get(url("detail", people.org, conversation_id=upcoming.pk)))
    assert manager.post(url("preparation", people.org, conversation_id=upcoming.pk),
                        {"journey": "x"}).status_code == 404


def test_an_over_long_preparation_is_a_400_with_what_was_typed(people, login, upcoming):
    response = login(people.employee).post(
        url("preparation", people.org, conversation_id=upcoming.pk),
        {"journey": "Kept " + "x" * 10_000})
    assert response.status_code == 400
    assert "journey" in response.context["preparation_form"].errors


def test_topics_are_added_ticked_off_and_removed(people, login, upcoming):
    employee, manager = login(people.employee), login(people.manager)
    response = employee.post(url("topic_add", people.org, conversation_id=upcoming.pk),
                             {"text": "Path to senior"})
    assert response.status_code == 302
    topic = AgendaTopic.objects_unscoped.get(conversation=upcoming)
    manager.post(url("topic_toggle", people.org, conversation_id=upcoming.pk,
                     topic_id=topic.pk), {"done": "1"})
    assert AgendaTopic.objects_unscoped.get(pk=topic.pk).is_done
    manager.post(url("topic_remove", people.org, conversation_id=upcoming.pk,
                     topic_id=topic.pk))
    assert AgendaTopic.objects_unscoped.filter(pk=topic.pk).exists()
    employee.post(url("topic_remove", people.org, conversation_id=upcoming.pk,
                      topic_id=topic.pk))
    assert not AgendaTopic.objects_unscoped.filter(pk=topic.pk).exists()


def test_an_empty_topic_is_a_400(people, login, upcoming):
    response = login(people.employee).post(
        url("topic_add", people.org, conversation_id=upcoming.pk), {"text": ""})
    assert response.status_code == 400
    assert "text" in response.context["topic_form"].errors


def test_a_topic_of_another_conversation_is_404(people, login, upcoming):
    other = AgendaTopicFactory(conversation=ConversationFactory(
        member=MembershipFactory(organization=people.org, manager=people.manager),
        partner=people.manager))
    response = login(people.employee).post(url(
        "topic_toggle", people.org, conversation_id=upcoming.pk, topic_id=other.pk))
    assert response.status_code == 404


def test_carried_over_topics_are_marked(people, login):
    held = HeldConversationFactory(member=people.employee, partner=people.manager,
                                   scheduled_at=timezone.now() - timedelta(days=40))
    original = AgendaTopicFactory(conversation=held, text="Budget")
    upcoming = ConversationFactory(member=people.employee, partner=people.manager)
    AgendaTopicFactory(conversation=upcoming, text="Budget", carried_from=original)
    page = text(login(people.employee).get(url("detail", people.org,
                                                conversation_id=upcoming.pk)))
    assert "Carried over from" in page


def _reflection_with_answers(people):
    reflection = reflection_services.reflection_start(organization=people.org,
                                                      actor=people.employee)
    areas = list(ReflectionArea.objects_unscoped.filter(template=reflection.template)
                 .order_by("position")[:2])
    for area, answer in zip(areas, ("Attached answer", "Not attached answer"), strict=True):
        prompt = ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position")[0]
        reflection_services.reflection_answer_save(organization=people.org,
                                                   actor=people.employee,
                                                   reflection=reflection, prompt=prompt,
                                                   text=answer)
    return reflection, areas


def test_the_employee_attaches_an_area_and_the_partner_reads_it_there(people, login, upcoming):
    reflection, (area, _other) = _reflection_with_answers(people)
    employee = login(people.employee)
    response = employee.post(url("areas", people.org, conversation_id=upcoming.pk),
                             {"action": "attach", "area": f"{reflection.pk}-{area.pk}"})
    assert response.status_code == 302
    assert ConversationArea.objects_unscoped.filter(conversation=upcoming).count() == 1
    page = text(login(people.manager).get(url("detail", people.org,
                                               conversation_id=upcoming.pk)))
    assert "Attached answer" in page
    assert "Not attached answer" not in page
    employee.post(url("areas", people.org, conversation_id=upcoming.pk),
                  {"action": "detach", "reflection": reflection.pk, "area": area.pk})
    assert not ConversationArea.objects_unscoped.exists()
    assert "Attached answer" not in text(login(people.manager).get(
        url("detail", people.org, conversation_id=upcoming.pk)))


def test_an_area_not_offered_is_a_400(people, login, upcoming):
    reflection, _areas = _reflection_with_answers(people)
    response = login(people.employee).post(
        url("areas", people.org, conversation_id=upcoming.pk),
        {"action": "attach", "area": f"{reflection.pk}-999999"})
    assert response.status_code == 400


def test_shared_notes_both_see_and_private_notes_only_their_author(people, login, upcoming):
    manager, employee = login(people.manager), login(people.employee)
    manager.post(url("shared_notes", people.org, conversation_id=upcoming.pk),
                 {"text": "Both of us see this"})
    manager.post(url("private_note", people.org, conversation_id=upcoming.pk),
                 {"text": "Only the manager sees this"})
    employee.post(url("private_note", people.org, conversation_id=upcoming.pk),
                  {"text": "Only the employee sees this"})
    detail = url("detail", people.org, conversation_id=upcoming.pk)
    employee_page, manager_page = text(employee.get(detail)), text(manager.get(detail))
    assert "Both of us see this" in employee_page and "Both of us see this" in manager_page
    assert "Only the manager sees this" in manager_page
    assert "Only the manager sees this" not in employee_page
    assert "Only the employee sees this" not in manager_page
    assert "Only you see these" in manager_page
    assert PrivateNote.objects_unscoped.count() == 2


def test_agreed_actions_wait_for_the_conversation_then_reach_the_plan(people, login, upcoming):
    client = login(people.manager)
    data = {"title": "Lead the incident review", "kind": "on_the_job", "due_date": "",
            "skill": ""}
    assert "action_form" not in client.get(url("detail", people.org,
                                                conversation_id=upcoming.pk)).context
    response = client.post(url("action_add", people.org, conversation_id=upcoming.pk), data)
    assert response.status_code == 400
    assert "once it has started" in str(response.context["action_form"].non_field_errors())
    started(upcoming)
    response = client.post(url("action_add", people.org, conversation_id=upcoming.pk), data)
    assert response.status_code == 302
    action = DevelopmentAction.objects_unscoped.get()
    assert action.member == people.employee and action.shared_with_manager
    plan = text(login(people.employee).get(reverse("careers:plan",
                                                   kwargs={"org_slug": people.org.slug})))
    assert "Lead the incident review" in plan


def test_marking_held_then_the_employee_rates_it(people, login, upcoming):
    manager, employee = login(people.manager), login(people.employee)
    held_url = url("mark_held", people.org, conversation_id=upcoming.pk)
    response = manager.post(held_url, follow=True)
    assert any("once it has taken place" in m for m in messages_of(response))
    started(upcoming)
    manager.post(held_url)
    assert Conversation.objects_unscoped.get(pk=upcoming.pk).status == ConversationStatus.HELD
    page = employee.get(url("detail", people.org, conversation_id=upcoming.pk))
    assert "outcome_form" in page.context
    bad = employee.post(url("outcome", people.org, conversation_id=upcoming.pk),
                        {"direction": "9", "self_insight": "4", "options": "4"})
    assert bad.status_code == 400
    assert {"direction", "confidence"} <= set(bad.context["outcome_form"].errors)
    employee.post(url("outcome", people.org, conversation_id=upcoming.pk), {
        "direction": "4", "self_insight": "5", "options": "3", "confidence": "4",
        "comment": "Useful"})
    assert Outcome.objects_unscoped.get(conversation=upcoming).self_insight == 5
    assert "4 / 5" in text(manager.get(url("detail", people.org, conversation_id=upcoming.pk)))
    assert manager.post(url("outcome", people.org, conversation_id=upcoming.pk),
                        {"direction": "1"}).status_code == 404


def test_rescheduling_and_cancelling_through_the_pages(people, login, upcoming):
    client = login(people.employee)
    form = client.get(url("reschedule", people.org, conversation_id=upcoming.pk))
    assert form.status_code == 200
    response = client.post(url("reschedule", people.org, conversation_id=upcoming.pk),
                           {**local(days=9, hour=15), "duration_minutes": "30",
                            "location": "Café"})
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.duration_minutes, upcoming.location) == (30, "Café")
    bad = client.post(url("reschedule", people.org, conversation_id=upcoming.pk),
                      {"date": "2020-01-01", "time": "10:00", "duration_minutes": "30"})
    assert bad.status_code == 400 and "date" in bad.context["form"].errors
    assert client.get(url("cancel", people.org, conversation_id=upcoming.pk)).status_code == 200
    client.post(url("cancel", people.org, conversation_id=upcoming.pk), {"reason": "Moving"})
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.cancel_reason) == (ConversationStatus.CANCELLED, "Moving")


def test_post_only_routes_answer_405_to_a_get(people, login, upcoming):
    client = login(people.employee)
    for name in ("mark_held", "topic_add", "preparation", "areas", "shared_notes",
                 "private_note", "action_add", "outcome"):
        assert client.get(url(name, people.org, conversation_id=upcoming.pk)).status_code == 405


# --- Mentors and coaches ------------------------------------------------------------------------


def test_a_member_adds_a_mentor_by_email_and_ends_the_partnership(people, login):
    mentor = MembershipFactory(organization=people.org)
    client = login(people.employee)
    response = client.post(url("partners", people.org),
                           {"email": mentor.user.email.upper(), "kind": "mentor"})
    assert response.status_code == 302
    row = CareerPartner.objects_unscoped.get(member=people.employee)
    assert row.partner == mentor
    client.post(url("partner_end", people.org, partner_id=row.pk))
    assert CareerPartner.objects_unscoped.get(pk=row.pk).ended_at is not None


def test_an_unknown_email_or_the_line_manager_is_refused_on_the_email_field(people, login,
                                                                           other_people):
    client = login(people.employee)
    for email in ("nobody@example.test", other_people.employee.user.email,
                  people.manager.user.email):
        response = client.post(url("partners", people.org), {"email": email, "kind": "mentor"})
        assert response.status_code == 400
        assert "email" in response.context["form"].errors


def test_hr_manages_a_members_mentors_and_others_cannot(people, login):
    mentor = MembershipFactory(organization=people.org)
    page = url("member_partners", people.org, member_id=people.employee.pk)
    assert login(people.manager).get(page).status_code == 403
    client = login(people.hr)
    assert client.get(page).status_code == 200
    client.post(page, {"email": mentor.user.email, "kind": "coach"})
    assert CareerPartner.objects_unscoped.get(member=people.employee).kind == "coach"


def test_someone_elses_partnership_is_404(people, login):
    row = CareerPartnerFactory(member=people.employee,
                               partner=MembershipFactory(organization=people.org))
    response = login(people.manager).post(url("partner_end", people.org, partner_id=row.pk))
    assert response.status_code == 404


def test_the_guide_page_lists_the_four_conversations(people, login):
    page = text(login(people.employee).get(url("guide", people.org)))
    for title in ("Where you&#x27;re at and what matters", "Strengths and what success looks",
                  "Options and opportunities", "Plan and next steps"):
        assert title in page


# --- Home and record ----------------------------------------------------------------------------


def test_the_home_panel_shows_the_next_conversation_and_overdue_reports(people, login):
    conversation = ConversationFactory(member=people.employee, partner=people.manager)
    page = text(login(people.employee).get(reverse("organizations:home",
                                                   kwargs={"org_slug": people.org.slug})))
    assert "Your next conversation" in page
    assert url("detail", people.org, conversation_id=conversation.pk) + "#preparation" in page
    other = MembershipFactory(organization=people.org, manager=people.manager,
                              started_on=timezone.localdate() - timedelta(days=400))
    assert other.pk
    page = text(login(people.manager).get(reverse("organizations:home",
                                                  kwargs={"org_slug": people.org.slug})))
    assert "1 report overdue" in page


def test_the_career_record_has_my_conversations_and_my_private_notes_only(people, login):
    conversation = HeldConversationFactory(member=people.employee, partner=people.manager,
                                           shared_notes="Shared words")
    PrivateNoteFactory(conversation=conversation, author=people.manager, text="Manager words")
    PrivateNoteFactory(conversation=conversation, author=people.employee, text="My words")
    PreparationFactory(conversation=conversation, journey="Journey words")
    OutcomeFactory(conversation=conversation)
    AgreedActionFactory(conversation=conversation)
    record = reverse("careers:record", kwargs={"org_slug": people.org.slug})
    page = text(login(people.employee).get(record))
    for words in ("Shared words", "My words", "Journey words"):
        assert words in page
    assert "Manager words" not in page
    data = login(people.employee).get(reverse("careers:record_json",
                                              kwargs={"org_slug": people.org.slug}))
    assert b"Manager words" not in b"".join([data.content])
    assert "Manager words" in text(login(people.manager).get(record))
