"""Career conversations: every rule of the services, on the database."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from careers.factories import ReflectionAreaFactory, ReflectionTemplateFactory
from careers.models import ActionKind, DevelopmentAction, ReflectionArea
from careers.selectors.plan import action_list
from careers.services import reflections as reflection_services
from conversations.factories import (
    AgendaTopicFactory,
    CareerPartnerFactory,
    ConversationFactory,
    HeldConversationFactory,
)
from conversations.models import (
    AgendaTopic,
    AgreedAction,
    CareerPartner,
    Conversation,
    ConversationArea,
    ConversationStatus,
    MemberCadence,
    Notification,
    PartnerKind,
    PrivateNote,
)
from conversations.selectors import conversations as selectors
from conversations.services import conversations as services
from organizations.factories import MembershipFactory
from skills.factories import FrameworkFactory, SkillFactory

pytestmark = pytest.mark.django_db


def soon(days=3, hours=0):
    return (timezone.now() + timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def schedule(people, *, actor=None, member=None, partner=None, at=None, minutes=45, **kwargs):
    return services.conversation_schedule(
        organization=people.org, actor=actor or people.manager,
        member=member or people.employee, partner=partner or people.manager,
        scheduled_at=at or soon(), duration_minutes=minutes, **kwargs)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def started(conversation, minutes_ago=10):
    """The time of the conversation comes: it started ``minutes_ago``."""
    Conversation.objects_unscoped.filter(pk=conversation.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=minutes_ago))
    conversation.refresh_from_db()
    return conversation


def report_of(people, **kwargs):
    return MembershipFactory(organization=people.org, manager=people.manager, **kwargs)


# --- Scheduling ---------------------------------------------------------------------------------


def test_a_manager_schedules_with_a_report_and_the_report_is_told(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = schedule(people, location="Room 4", video_url="https://meet.example/x")
    assert conversation.partner_kind == PartnerKind.MANAGER
    assert conversation.status == ConversationStatus.SCHEDULED
    assert conversation.scheduled_by == people.manager
    notes = Notification.objects_unscoped.filter(conversation=conversation)
    assert [n.recipient for n in notes] == [people.employee]


def test_an_employee_schedules_with_their_line_manager(people):
    conversation = schedule(people, actor=people.employee)
    assert conversation.member == people.employee
    assert conversation.partner_kind == PartnerKind.MANAGER


def test_someone_who_is_not_a_career_partner_is_refused_with_their_name(people):
    colleague = MembershipFactory(organization=people.org)
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, actor=people.employee, partner=colleague)
    message = errors_of(excinfo)["partner"][0]
    assert colleague.display_name in message
    assert "is not your line manager or one of your career partners" in message


def test_a_manager_cannot_schedule_with_someone_who_is_not_their_report(people):
    stranger = MembershipFactory(organization=people.org)
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, member=stranger)
    assert "is not one of your direct reports" in errors_of(excinfo)["member"][0]


def test_a_skip_level_manager_is_not_a_career_partner(people):
    with pytest.raises(ValidationError):
        schedule(people, actor=people.leader, partner=people.leader)


def test_nobody_schedules_a_conversation_for_two_other_people(people):
    with pytest.raises(PermissionDenied):
        schedule(people, actor=people.hr)


def test_someone_of_another_organisation_is_refused(people, other_people):
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, actor=people.employee, partner=other_people.manager)
    assert "partner" in errors_of(excinfo)


def test_a_time_in_the_past_is_refused_on_scheduled_at(people):
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, at=timezone.now() - timedelta(hours=1))
    assert "in the past" in errors_of(excinfo)["scheduled_at"][0]


def test_a_time_without_a_time_zone_is_refused(people):
    naive = timezone.make_naive(soon(), timezone.get_fixed_timezone(0))
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, at=naive)
    assert "scheduled_at" in errors_of(excinfo)


def test_a_length_out_of_bounds_is_refused(people):
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, minutes=5)
    assert "duration_minutes" in errors_of(excinfo)


def test_an_overlap_with_the_partners_other_conversation_names_the_partner(people):
    other_report = report_of(people)
    schedule(people, member=other_report, at=soon(), minutes=60)
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, actor=people.employee, at=soon() + timedelta(minutes=30))
    message = errors_of(excinfo)["scheduled_at"][0]
    assert people.manager.display_name in message
    assert "already has a career conversation" in message


def test_an_overlap_with_the_actors_own_conversation_says_so(people):
    other_report = report_of(people)
    schedule(people, member=other_report, at=soon(), minutes=60)
    with pytest.raises(ValidationError) as excinfo:
        schedule(people, at=soon() + timedelta(minutes=59))
    assert "You already have a career conversation" in errors_of(excinfo)["scheduled_at"][0]


def test_an_overlap_of_the_employee_with_their_mentor_counts_too(people):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    schedule(people, actor=people.employee, partner=mentor, at=soon(), minutes=30)
    with pytest.raises(ValidationError):
        schedule(people, at=soon() - timedelta(minutes=15), minutes=30)


def test_back_to_back_conversations_do_not_overlap(people):
    other_report = report_of(people)
    schedule(people, member=other_report, at=soon(), minutes=45)
    conversation = schedule(people, at=soon() + timedelta(minutes=45))
    assert conversation.pk


def test_a_cancelled_conversation_frees_its_time(people):
    first = schedule(people)
    services.conversation_cancel(organization=people.org, actor=people.manager,
                                 conversation=first)
    assert schedule(people).pk != first.pk


def test_a_mentor_is_a_career_partner_until_the_partnership_ends(people):
    mentor = MembershipFactory(organization=people.org)
    row = CareerPartnerFactory(member=people.employee, partner=mentor, kind=PartnerKind.COACH)
    conversation = schedule(people, actor=mentor, partner=mentor)
    assert conversation.partner_kind == PartnerKind.COACH
    services.partner_end(organization=people.org, actor=people.employee, career_partner=row)
    with pytest.raises(ValidationError):
        schedule(people, actor=mentor, partner=mentor, at=soon(days=10))


# --- Carrying topics over -----------------------------------------------------------------------


def test_open_topics_of_the_last_held_conversation_carry_over_once(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    still_open = AgendaTopicFactory(conversation=held, text="Tech lead path")
    AgendaTopicFactory(conversation=held, text="Done already", is_done=True)
    first = schedule(people)
    topics = list(AgendaTopic.objects_unscoped.filter(conversation=first))
    assert [(t.text, t.carried_from_id) for t in topics] == [("Tech lead path", still_open.pk)]
    second = schedule(people, at=soon(days=20))
    assert not AgendaTopic.objects_unscoped.filter(conversation=second).exists()


def test_a_cancelled_conversations_topics_go_to_the_next_one(people):
    cancelled = schedule(people)
    services.topic_add(organization=people.org, actor=people.employee,
                       conversation=cancelled, text="Conference budget")
    services.conversation_cancel(organization=people.org, actor=people.employee,
                                 conversation=cancelled, reason="Ill")
    new = schedule(people, at=soon(days=7))
    assert list(AgendaTopic.objects_unscoped.filter(conversation=new)
                .values_list("text", flat=True)) == ["Conference budget"]


def test_topics_of_another_pair_are_not_carried(people):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    held = HeldConversationFactory(member=people.employee, partner=mentor)
    AgendaTopicFactory(conversation=held)
    conversation = schedule(people)
    assert not AgendaTopic.objects_unscoped.filter(conversation=conversation).exists()


def test_marking_held_carries_open_topics_into_an_already_scheduled_next_one(people):
    now_one = started(schedule(people))
    services.topic_add(organization=people.org, actor=people.manager, conversation=now_one,
                       text="Stretch project")
    later = schedule(people, at=soon(days=30))
    services.conversation_mark_held(organization=people.org, actor=people.manager,
                                    conversation=now_one)
    assert list(AgendaTopic.objects_unscoped.filter(conversation=later)
                .values_list("text", flat=True)) == ["Stretch project"]


# --- Moving, cancelling, holding ----------------------------------------------------------------


def test_rescheduling_moves_it_and_tells_the_other_person(
        people, django_capture_on_commit_callbacks):
    conversation = schedule(people)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_reschedule(organization=people.org, actor=people.employee,
                                         conversation=conversation, scheduled_at=soon(days=5),
                                         location="Café")
    conversation.refresh_from_db()
    assert conversation.scheduled_at == soon(days=5)
    assert conversation.location == "Café"
    assert Notification.objects_unscoped.filter(conversation=conversation,
                                                recipient=people.manager).exists()


def test_rescheduling_into_the_past_or_onto_another_conversation_is_refused(people):
    other_report = report_of(people)
    busy = schedule(people, member=other_report, at=soon(days=6))
    conversation = schedule(people)
    with pytest.raises(ValidationError) as excinfo:
        services.conversation_reschedule(organization=people.org, actor=people.manager,
                                         conversation=conversation,
                                         scheduled_at=timezone.now() - timedelta(days=1))
    assert "scheduled_at" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.conversation_reschedule(organization=people.org, actor=people.manager,
                                         conversation=conversation,
                                         scheduled_at=busy.scheduled_at)
    assert "already have" in errors_of(excinfo)["scheduled_at"][0]


def test_a_held_conversation_cannot_be_moved_or_cancelled(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    with pytest.raises(ValidationError):
        services.conversation_reschedule(organization=people.org, actor=people.manager,
                                         conversation=held, scheduled_at=soon())
    with pytest.raises(ValidationError):
        services.conversation_cancel(organization=people.org, actor=people.manager,
                                     conversation=held)


def test_cancelling_keeps_the_reason_and_tells_the_other_person(
        people, django_capture_on_commit_callbacks):
    conversation = schedule(people)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_cancel(organization=people.org, actor=people.manager,
                                     conversation=conversation, reason="Off sick")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CANCELLED
    assert conversation.cancel_reason == "Off sick"
    assert conversation.cancelled_at is not None
    assert Notification.objects_unscoped.filter(conversation=conversation,
                                                recipient=people.employee,
                                                kind="cancelled").exists()


def test_a_conversation_is_marked_held_only_once_it_has_started(people):
    conversation = schedule(people)
    with pytest.raises(ValidationError) as excinfo:
        services.conversation_mark_held(organization=people.org, actor=people.manager,
                                        conversation=conversation)
    assert "once it has taken place" in excinfo.value.messages[0]
    started(conversation)
    services.conversation_mark_held(organization=people.org, actor=people.employee,
                                    conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HELD
    held_at = conversation.held_at
    services.conversation_mark_held(organization=people.org, actor=people.manager,
                                    conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.held_at == held_at


def test_a_cancelled_conversation_cannot_be_marked_held(people):
    conversation = started(schedule(people))
    services.conversation_cancel(organization=people.org, actor=people.manager,
                                 conversation=conversation)
    with pytest.raises(ValidationError):
        services.conversation_mark_held(organization=people.org, actor=people.manager,
                                        conversation=conversation)


def test_hr_changes_nothing_in_someone_elses_conversation(people):
    conversation = schedule(people)
    for call in (
        lambda: services.conversation_cancel(organization=people.org, actor=people.hr,
                                             conversation=conversation),
        lambda: services.topic_add(organization=people.org, actor=people.hr,
                                   conversation=conversation, text="HR topic"),
        lambda: services.shared_notes_save(organization=people.org, actor=people.hr,
                                           conversation=conversation, text="x"),
        lambda: services.private_note_save(organization=people.org, actor=people.hr,
                                           conversation=conversation, text="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()


# --- Agenda -------------------------------------------------------------------------------------


def test_both_participants_add_topics_in_order(people):
    conversation = schedule(people)
    first = services.topic_add(organization=people.org, actor=people.employee,
                               conversation=conversation, text="  Promotion timeline ")
    second = services.topic_add(organization=people.org, actor=people.manager,
                                conversation=conversation, text="Feedback from the launch")
    assert first.text == "Promotion timeline"
    assert (first.position, second.position) == (0, 1)
    assert second.author == people.manager


def test_an_empty_or_over_long_topic_is_refused(people):
    conversation = schedule(people)
    for text in ("   ", "x" * 301):
        with pytest.raises(ValidationError) as excinfo:
            services.topic_add(organization=people.org, actor=people.employee,
                               conversation=conversation, text=text)
        assert "text" in errors_of(excinfo)


def test_no_topics_are_added_to_a_held_conversation(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    with pytest.raises(ValidationError) as excinfo:
        services.topic_add(organization=people.org, actor=people.employee, conversation=held,
                           text="Late")
    assert "next one" in errors_of(excinfo)["text"][0]


def test_an_agenda_has_a_limit(people):
    conversation = schedule(people)
    for i in range(services.MAX_TOPICS):
        AgendaTopicFactory(conversation=conversation, position=i)
    with pytest.raises(ValidationError):
        services.topic_add(organization=people.org, actor=people.employee,
                           conversation=conversation, text="One too many")


def test_either_participant_ticks_a_topic_off_and_only_its_author_removes_it(people):
    conversation = schedule(people)
    topic = services.topic_add(organization=people.org, actor=people.employee,
                               conversation=conversation, text="Mentoring")
    services.topic_toggle_done(organization=people.org, actor=people.manager, topic=topic)
    assert AgendaTopic.objects_unscoped.get(pk=topic.pk).is_done
    services.topic_toggle_done(organization=people.org, actor=people.employee, topic=topic,
                               is_done=False)
    assert not AgendaTopic.objects_unscoped.get(pk=topic.pk).is_done
    with pytest.raises(PermissionDenied):
        services.topic_remove(organization=people.org, actor=people.manager, topic=topic)
    services.topic_remove(organization=people.org, actor=people.employee, topic=topic)
    assert not AgendaTopic.objects_unscoped.filter(pk=topic.pk).exists()


# --- Preparation and attached areas -------------------------------------------------------------


def test_the_employee_prepares_and_the_partner_cannot(people):
    conversation = schedule(people)
    prep = services.preparation_save(organization=people.org, actor=people.employee,
                                     conversation=conversation, journey="Led the migration",
                                     to_ask="Tech lead?", to_share="I want to mentor")
    assert (prep.journey, prep.to_ask, prep.to_share) == ("Led the migration", "Tech lead?",
                                                         "I want to mentor")
    again = services.preparation_save(organization=people.org, actor=people.employee,
                                      conversation=conversation, journey="Changed")
    assert again.pk == prep.pk and again.journey == "Changed" and again.to_ask == ""
    with pytest.raises(PermissionDenied):
        services.preparation_save(organization=people.org, actor=people.manager,
                                  conversation=conversation, journey="Not mine")


def test_an_over_long_preparation_is_refused_on_its_field(people):
    conversation = schedule(people)
    with pytest.raises(ValidationError) as excinfo:
        services.preparation_save(organization=people.org, actor=people.employee,
                                  conversation=conversation, to_ask="x" * 10_001)
    assert list(errors_of(excinfo)) == ["to_ask"]


def _reflection(people, member=None):
    reflection = reflection_services.reflection_start(organization=people.org,
                                                      actor=member or people.employee)
    area = ReflectionArea.objects_unscoped.filter(
        template=reflection.template).order_by("position").first()
    return reflection, area


def test_the_employee_attaches_an_area_of_their_own_reflection_once(people):
    conversation = schedule(people)
    reflection, area = _reflection(people)
    for _ in range(2):
        services.conversation_area_attach(organization=people.org, actor=people.employee,
                                          conversation=conversation, reflection=reflection,
                                          area=area)
    assert ConversationArea.objects_unscoped.filter(conversation=conversation).count() == 1
    assert services.conversation_area_detach(organization=people.org, actor=people.employee,
                                             conversation=conversation, reflection=reflection,
                                             area=area)
    assert not ConversationArea.objects_unscoped.filter(conversation=conversation).exists()


def test_someone_elses_reflection_or_a_foreign_area_is_refused(people):
    conversation = schedule(people)
    theirs, area = _reflection(people, member=people.manager)
    with pytest.raises(ValidationError) as excinfo:
        services.conversation_area_attach(organization=people.org, actor=people.employee,
                                          conversation=conversation, reflection=theirs,
                                          area=area)
    assert "reflection" in errors_of(excinfo)
    mine, _area = _reflection(people)
    other_template = ReflectionTemplateFactory(organization=people.org, version=99,
                                               is_current=False)
    stray = ReflectionAreaFactory(template=other_template)
    with pytest.raises(ValidationError) as excinfo:
        services.conversation_area_attach(organization=people.org, actor=people.employee,
                                          conversation=conversation, reflection=mine,
                                          area=stray)
    assert "area" in errors_of(excinfo)


def test_the_partner_cannot_attach_areas(people):
    conversation = schedule(people)
    reflection, area = _reflection(people)
    with pytest.raises(PermissionDenied):
        services.conversation_area_attach(organization=people.org, actor=people.manager,
                                          conversation=conversation, reflection=reflection,
                                          area=area)


# --- Notes --------------------------------------------------------------------------------------


def test_shared_notes_record_the_last_writer(people):
    conversation = schedule(people)
    services.shared_notes_save(organization=people.org, actor=people.employee,
                               conversation=conversation, text="Agreed to look at lead roles")
    services.shared_notes_save(organization=people.org, actor=people.manager,
                               conversation=conversation, text="Agreed to look at lead roles.")
    conversation.refresh_from_db()
    assert conversation.shared_notes == "Agreed to look at lead roles."
    assert conversation.shared_notes_updated_by == people.manager
    assert conversation.shared_notes_updated_at is not None


def test_each_participant_keeps_their_own_private_note_and_emptying_it_deletes_it(people):
    conversation = schedule(people)
    services.private_note_save(organization=people.org, actor=people.manager,
                               conversation=conversation, text="Flight risk?")
    services.private_note_save(organization=people.org, actor=people.employee,
                               conversation=conversation, text="Ask about Lisbon")
    services.private_note_save(organization=people.org, actor=people.manager,
                               conversation=conversation, text="Flight risk? No.")
    notes = dict(PrivateNote.objects_unscoped.filter(conversation=conversation)
                 .values_list("author_id", "text"))
    assert notes == {people.manager.pk: "Flight risk? No.", people.employee.pk: "Ask about Lisbon"}
    assert services.private_note_save(organization=people.org, actor=people.manager,
                                       conversation=conversation, text="  ") is None
    assert not PrivateNote.objects_unscoped.filter(author=people.manager).exists()


# --- Agreed actions -----------------------------------------------------------------------------


def test_an_agreed_action_waits_for_the_conversation_to_start(people):
    conversation = schedule(people)
    with pytest.raises(ValidationError) as excinfo:
        services.agreed_action_add(organization=people.org, actor=people.manager,
                                   conversation=conversation, title="Shadow the architect")
    assert "once it has started" in excinfo.value.messages[0]


def test_an_agreed_action_becomes_an_item_of_the_employees_plan(people):
    conversation = started(schedule(people))
    framework = FrameworkFactory(organization=people.org)
    skill = SkillFactory(framework=framework, name="System design")
    due = timezone.localdate() + timedelta(days=30)
    agreed = services.agreed_action_add(organization=people.org, actor=people.manager,
                                        conversation=conversation, title="Lead a design review",
                                        kind=ActionKind.STRETCH, due_date=due, skill=skill)
    action = agreed.action
    assert action.member == people.employee
    assert (action.title, action.kind, action.due_date, action.skill) == (
        "Lead a design review", ActionKind.STRETCH, due, skill)
    assert action.shared_with_manager
    assert agreed.created_by == people.manager
    assert list(action_list(organization=people.org, member=people.employee)) == [action]


def test_an_agreed_action_with_a_skill_of_another_organisation_is_refused(people, other_people):
    conversation = started(schedule(people))
    foreign = SkillFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError) as excinfo:
        services.agreed_action_add(organization=people.org, actor=people.employee,
                                   conversation=conversation, title="x", skill=foreign)
    assert "skill" in errors_of(excinfo)
    assert not DevelopmentAction.objects_unscoped.exists()
    assert not AgreedAction.objects_unscoped.exists()


def test_an_agreed_action_needs_a_title(people):
    conversation = started(schedule(people))
    with pytest.raises(ValidationError) as excinfo:
        services.agreed_action_add(organization=people.org, actor=people.employee,
                                   conversation=conversation, title="  ")
    assert "title" in errors_of(excinfo)


# --- Outcome ------------------------------------------------------------------------------------


def test_the_employee_rates_a_held_conversation_and_can_change_it(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    outcome = services.outcome_rate(organization=people.org, actor=people.employee,
                                    conversation=held, direction=4, self_insight=3, options=5,
                                    confidence="4", comment="Clearer now")
    assert (outcome.direction, outcome.self_insight, outcome.options, outcome.confidence) == (
        4, 3, 5, 4)
    again = services.outcome_rate(organization=people.org, actor=people.employee,
                                  conversation=held, direction=5, self_insight=3, options=5,
                                  confidence=4)
    assert again.pk == outcome.pk and again.direction == 5 and again.comment == ""


def test_ratings_are_from_one_to_five_each_reported_on_its_field(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    with pytest.raises(ValidationError) as excinfo:
        services.outcome_rate(organization=people.org, actor=people.employee, conversation=held,
                              direction=0, self_insight=6, options="x", confidence=None)
    assert set(errors_of(excinfo)) == {"direction", "self_insight", "options", "confidence"}


def test_only_the_employee_rates_and_only_once_it_is_held(people):
    conversation = schedule(people)
    with pytest.raises(ValidationError):
        services.outcome_rate(organization=people.org, actor=people.employee,
                              conversation=conversation, direction=3, self_insight=3, options=3,
                              confidence=3)
    held = HeldConversationFactory(member=people.employee, partner=people.manager)
    with pytest.raises(PermissionDenied):
        services.outcome_rate(organization=people.org, actor=people.manager, conversation=held,
                              direction=3, self_insight=3, options=3, confidence=3)


# --- Partners -----------------------------------------------------------------------------------


def test_a_member_adds_a_mentor_and_hr_adds_a_coach_for_them(people):
    mentor, coach = (MembershipFactory(organization=people.org) for _ in range(2))
    row = services.partner_add(organization=people.org, actor=people.employee,
                               member=people.employee, partner=mentor)
    assert (row.kind, row.added_by) == (PartnerKind.MENTOR, people.employee)
    services.partner_add(organization=people.org, actor=people.hr, member=people.employee,
                         partner=coach, kind=PartnerKind.COACH)
    kinds = {(c.membership, c.kind) for c in
             selectors.partners_of(organization=people.org, member=people.employee)}
    assert kinds == {(people.manager, PartnerKind.MANAGER), (mentor, PartnerKind.MENTOR),
                     (coach, PartnerKind.COACH)}


def test_a_member_cannot_be_their_own_mentor_nor_have_their_manager_as_one(people):
    with pytest.raises(ValidationError) as excinfo:
        services.partner_add(organization=people.org, actor=people.employee,
                             member=people.employee, partner=people.employee)
    assert "own mentor" in errors_of(excinfo)["partner"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.partner_add(organization=people.org, actor=people.employee,
                             member=people.employee, partner=people.manager)
    assert "line manager" in errors_of(excinfo)["partner"][0]


def test_the_same_mentor_twice_is_refused_until_the_first_partnership_ends(people):
    mentor = MembershipFactory(organization=people.org)
    first = services.partner_add(organization=people.org, actor=people.employee,
                                 member=people.employee, partner=mentor)
    with pytest.raises(ValidationError) as excinfo:
        services.partner_add(organization=people.org, actor=people.employee,
                             member=people.employee, partner=mentor)
    assert "already" in errors_of(excinfo)["partner"][0]
    services.partner_end(organization=people.org, actor=mentor, career_partner=first)
    services.partner_add(organization=people.org, actor=people.employee,
                         member=people.employee, partner=mentor)
    assert CareerPartner.objects_unscoped.filter(member=people.employee).count() == 2


def test_a_colleague_cannot_add_or_end_someone_elses_mentor(people, other_people):
    mentor = MembershipFactory(organization=people.org)
    with pytest.raises(PermissionDenied):
        services.partner_add(organization=people.org, actor=people.manager,
                             member=people.employee, partner=mentor)
    row = CareerPartnerFactory(member=people.employee, partner=mentor)
    with pytest.raises(PermissionDenied):
        services.partner_end(organization=people.org, actor=people.manager, career_partner=row)
    with pytest.raises(ValidationError):
        services.partner_add(organization=people.org, actor=people.employee,
                             member=people.employee, partner=other_people.employee)


# --- Cadence ------------------------------------------------------------------------------------


def test_the_line_manager_or_hr_sets_a_cadence_and_none_restores_the_default(people):
    default = people.org.conversation_cadence_days
    services.cadence_set(organization=people.org, actor=people.manager, member=people.employee,
                         days=30)
    assert selectors.cadence_days(organization=people.org, member=people.employee) == 30
    services.cadence_set(organization=people.org, actor=people.hr, member=people.employee,
                         days=60)
    assert MemberCadence.objects_unscoped.get(member=people.employee).set_by == people.hr
    services.cadence_set(organization=people.org, actor=people.manager, member=people.employee,
                         days=None)
    assert selectors.cadence_days(organization=people.org, member=people.employee) == default


def test_a_cadence_out_of_bounds_or_by_someone_else_is_refused(people):
    with pytest.raises(ValidationError) as excinfo:
        services.cadence_set(organization=people.org, actor=people.manager,
                             member=people.employee, days=3)
    assert "days" in errors_of(excinfo)
    with pytest.raises(PermissionDenied):
        services.cadence_set(organization=people.org, actor=people.leader,
                             member=people.employee, days=30)
    with pytest.raises(PermissionDenied):
        services.cadence_set(organization=people.org, actor=people.employee,
                             member=people.employee, days=30)


def test_factories_make_a_conversation_in_one_organisation(people):
    conversation = ConversationFactory(member=people.employee)
    assert conversation.partner == people.manager
    assert conversation.organization == people.org
