"""Reads of career conversations: the team overview and its due dates, one conversation's
detail (and what it never reads), the career record, and fixed query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.models import ReflectionArea, ReflectionPrompt
from careers.services import reflections as reflection_services
from conversations import guide
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
from conversations.models import ConversationArea, ConversationStatus, PartnerKind
from conversations.selectors import conversations as selectors
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def report(people, **kwargs):
    return MembershipFactory(organization=people.org, manager=people.manager, **kwargs)


def test_due_is_the_last_held_conversation_plus_the_cadence(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager,
                                   scheduled_at=days_ago(100))
    [row] = selectors.team_overview(organization=people.org, manager=people.manager)
    today = selectors.organization_today(people.org)
    assert row.last_held == held
    assert row.due_on == timezone.localtime(held.scheduled_at,
                                            selectors.organization_zone(people.org)).date() \
        + timedelta(days=90)
    assert row.overdue and row.days_overdue == (today - row.due_on).days
    assert row.state == "overdue"


def test_a_scheduled_conversation_is_not_overdue_and_an_override_changes_the_due_date(people):
    HeldConversationFactory(member=people.employee, partner=people.manager,
                            scheduled_at=days_ago(40))
    upcoming = ConversationFactory(member=people.employee, partner=people.manager)
    MemberCadenceFactory(member=people.employee, days=30)
    [row] = selectors.team_overview(organization=people.org, manager=people.manager)
    assert (row.cadence_days, row.cadence_override) == (30, 30)
    assert row.next == upcoming
    assert not row.overdue and row.state == "scheduled"


def test_with_no_conversation_the_due_date_counts_from_the_start_date(people):
    newcomer = report(people, started_on=date.today() - timedelta(days=10))
    veteran = report(people, started_on=date.today() - timedelta(days=400))
    rows = {r.member.pk: r for r in
            selectors.team_overview(organization=people.org, manager=people.manager)}
    assert rows[newcomer.pk].due_on == newcomer.started_on + timedelta(days=90)
    assert not rows[newcomer.pk].overdue and rows[newcomer.pk].never_held
    assert rows[veteran.pk].overdue


def test_a_conversation_with_a_mentor_counts_as_a_career_conversation(people):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    HeldConversationFactory(member=people.employee, partner=mentor,
                            partner_kind=PartnerKind.MENTOR, scheduled_at=days_ago(5))
    [row] = selectors.team_overview(organization=people.org, manager=people.manager)
    assert row.last_held.partner == mentor and row.state == "on_track"


def test_inactive_reports_and_other_managers_reports_are_left_out(people):
    report(people, is_active=False)
    MembershipFactory(organization=people.org, manager=people.hr)
    rows = selectors.team_overview(organization=people.org, manager=people.manager)
    assert [r.member for r in rows] == [people.employee]


def _team_of(people, n):
    for i in range(n):
        member = report(people)
        if i % 3 == 0:
            HeldConversationFactory(member=member, partner=people.manager,
                                    scheduled_at=days_ago(20 + i))
        if i % 3 == 1:
            ConversationFactory(member=member, partner=people.manager,
                                scheduled_at=timezone.now() + timedelta(days=1, hours=i))
        if i % 4 == 0:
            MemberCadenceFactory(member=member, days=45)


def _overview_queries(people) -> int:
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.team_overview(organization=people.org, manager=people.manager)
        seen = [(row.state, row.due_on, row.member.display_name, row.member.team,
                 row.last_held and row.last_held.partner.display_name,
                 row.next and row.next.partner.display_name) for row in rows]
    assert len(seen) == len(rows)
    return len(queries)


def test_team_overview_runs_two_queries_whatever_the_team_size(people):
    _team_of(people, 3)
    small = _overview_queries(people)
    _team_of(people, 27)
    assert _overview_queries(people) == small == 2


def test_next_conversation_is_the_first_one_not_over_yet(people):
    ConversationFactory(member=people.employee, partner=people.manager,
                        scheduled_at=timezone.now() - timedelta(hours=3))
    now_on = ConversationFactory(member=people.employee, partner=people.manager,
                                 scheduled_at=timezone.now() - timedelta(minutes=10),
                                 duration_minutes=60)
    ConversationFactory(member=people.employee, partner=people.manager,
                        scheduled_at=timezone.now() + timedelta(days=9))
    assert selectors.next_conversation(organization=people.org,
                                       member=people.employee) == now_on
    assert selectors.next_conversation(organization=people.org, member=people.manager) is None


def test_last_held_ignores_scheduled_and_cancelled_ones(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager,
                                   scheduled_at=days_ago(30))
    ConversationFactory(member=people.employee, partner=people.manager,
                        status=ConversationStatus.CANCELLED, scheduled_at=days_ago(2))
    assert selectors.last_held(organization=people.org, member=people.employee) == held


def test_partners_of_lists_the_manager_and_active_mentors_only(people):
    mentor, former = (MembershipFactory(organization=people.org) for _ in range(2))
    CareerPartnerFactory(member=people.employee, partner=mentor, kind=PartnerKind.COACH)
    CareerPartnerFactory(member=people.employee, partner=former, ended_at=timezone.now())
    choices = selectors.partners_of(organization=people.org, member=people.employee)
    assert [(c.membership, c.kind) for c in choices] == [
        (people.manager, PartnerKind.MANAGER), (mentor, PartnerKind.COACH)]


# --- One conversation ---------------------------------------------------------------------------


def _attach(people, conversation):
    """The employee's reflection: area 1 attached (answered), area 2 answered, not attached."""
    reflection = reflection_services.reflection_start(organization=people.org,
                                                      actor=people.employee)
    attached, private = list(ReflectionArea.objects_unscoped.filter(
        template=reflection.template).order_by("position")[:2])
    for area, text in ((attached, "Happy to discuss"), (private, "Not for this one")):
        prompt = ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position")[0]
        reflection_services.reflection_answer_save(organization=people.org,
                                                   actor=people.employee,
                                                   reflection=reflection, prompt=prompt,
                                                   text=text)
    ConversationArea.objects_unscoped.create(organization=people.org, conversation=conversation,
                                             reflection=reflection, area=attached)
    return attached


def test_the_detail_reads_only_the_viewers_own_private_note_and_attached_areas(people):
    conversation = HeldConversationFactory(member=people.employee, partner=people.manager)
    mine = PrivateNoteFactory(conversation=conversation, author=people.manager, text="Mine")
    PrivateNoteFactory(conversation=conversation, author=people.employee, text="Theirs")
    PreparationFactory(conversation=conversation, journey="Private journey")
    attached = _attach(people, conversation)
    detail = selectors.conversation_detail(organization=people.org, conversation=conversation,
                                           viewer=people.manager)
    assert detail.private_note == mine
    assert detail.preparation is None
    [area] = detail.areas
    assert area.area.area == attached
    assert [p.text for p in area.answered] == ["Happy to discuss"]
    employee_view = selectors.conversation_detail(organization=people.org,
                                                  conversation=conversation,
                                                  viewer=people.employee)
    assert employee_view.private_note.text == "Theirs"
    assert employee_view.preparation.journey == "Private journey"


def test_the_detail_runs_a_fixed_number_of_queries(people):
    conversation = HeldConversationFactory(member=people.employee, partner=people.manager)
    _attach(people, conversation)

    def count():
        with CaptureQueriesContext(connection) as queries:
            detail = selectors.conversation_detail(organization=people.org,
                                                   conversation=conversation,
                                                   viewer=people.employee)
            seen = [(t.author and t.author.display_name,
                     t.carried_from and t.carried_from.conversation.scheduled_at)
                    for t in detail.topics]
            seen += [(a.action.skill, a.created_by and a.created_by.display_name)
                     for a in detail.actions]
        assert seen
        return len(queries)

    AgendaTopicFactory(conversation=conversation)
    AgreedActionFactory(conversation=conversation)
    small = count()
    for _ in range(10):
        AgendaTopicFactory(conversation=conversation)
        AgreedActionFactory(conversation=conversation)
    assert count() == small <= 9


def test_the_guide_suggests_the_step_after_the_pairs_held_conversations(people):
    for n in (300, 200):
        HeldConversationFactory(member=people.employee, partner=people.manager,
                                scheduled_at=days_ago(n))
    upcoming = ConversationFactory(member=people.employee, partner=people.manager)
    assert selectors.default_guide_step(organization=people.org,
                                        conversation=upcoming) == guide.STEPS[2]
    for n in (150, 100):
        HeldConversationFactory(member=people.employee, partner=people.manager,
                                scheduled_at=days_ago(n))
    assert selectors.default_guide_step(organization=people.org,
                                        conversation=upcoming) == guide.STEPS[0]


def test_the_list_counts_topics_and_actions_and_flags_preparation(people):
    conversation = HeldConversationFactory(member=people.employee, partner=people.manager)
    AgendaTopicFactory(conversation=conversation, is_done=True)
    AgendaTopicFactory(conversation=conversation)
    AgreedActionFactory(conversation=conversation)
    OutcomeFactory(conversation=conversation)
    PreparationFactory(conversation=conversation)
    [row] = selectors.conversation_list(organization=people.org, member=people.manager)
    assert (row.topic_count, row.open_topic_count, row.action_count, row.is_rated,
            row.is_prepared) == (2, 1, 1, True, True)


def test_the_record_holds_my_conversations_and_only_my_own_private_notes(people):
    conversation = HeldConversationFactory(member=people.employee, partner=people.manager,
                                           shared_notes="We agreed")
    PrivateNoteFactory(conversation=conversation, author=people.manager, text="Manager only")
    PrivateNoteFactory(conversation=conversation, author=people.employee, text="Employee only")
    PreparationFactory(conversation=conversation, journey="My journey")
    OutcomeFactory(conversation=conversation)
    record = selectors.conversation_record(organization=people.org, member=people.employee)
    [entry] = record["conversations"]
    assert entry["shared_notes"] == "We agreed"
    assert entry["preparation"]["journey"] == "My journey"
    assert entry["outcome"]["confidence"] == 5
    assert [n["text"] for n in record["my_private_notes"]] == ["Employee only"]
    manager_record = selectors.conversation_record(organization=people.org,
                                                   member=people.manager)
    assert manager_record["conversations"] == []
    assert [n["text"] for n in manager_record["my_private_notes"]] == ["Manager only"]
    assert "Employee only" not in str(manager_record)
