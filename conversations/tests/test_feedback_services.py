"""Positive feedback: who may give it to whom, what it must say, the notification, withdrawal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conversations.factories import CareerPartnerFactory, ConversationFactory, FeedbackFactory
from conversations.models import (
    ConversationStatus,
    Feedback,
    FeedbackKind,
    Notification,
    NotificationKind,
    PartnerKind,
)
from conversations.selectors import feedback as selectors
from conversations.services import feedback as services
from organizations.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "You ran the incident review calmly and everyone left knowing what to change."


def give(people, actor=None, **fields):
    fields.setdefault("member", people.employee)
    fields.setdefault("kind", FeedbackKind.STRENGTH)
    fields.setdefault("text", TEXT)
    return services.feedback_give(organization=people.org, actor=actor or people.manager,
                                  **fields)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Who may give feedback ----------------------------------------------------------------------


def test_the_line_manager_gives_feedback_and_it_is_saved_with_its_kind(people):
    feedback = give(people, kind=FeedbackKind.ACHIEVEMENT)
    assert feedback.pk is not None
    assert (feedback.author, feedback.member, feedback.kind) == (
        people.manager, people.employee, FeedbackKind.ACHIEVEMENT)
    assert feedback.text == TEXT


def test_a_manager_further_up_the_line_may_give_feedback(people):
    # The leader manages the manager, who manages the employee.
    feedback = give(people, actor=people.leader)
    assert feedback.author == people.leader


def test_an_active_mentor_or_coach_may_give_feedback(people):
    mentor = MembershipFactory(organization=people.org)
    coach = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor, kind=PartnerKind.MENTOR)
    CareerPartnerFactory(member=people.employee, partner=coach, kind=PartnerKind.COACH)
    assert give(people, actor=mentor).author == mentor
    assert give(people, actor=coach).author == coach


def test_a_mentor_whose_partnership_ended_may_not(people):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor, ended_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        give(people, actor=mentor)
    assert "reporting line" in errors_of(excinfo)["member"][0]


@pytest.mark.parametrize("role", ["hr", "employee"])
def test_someone_outside_the_line_and_not_a_partner_may_not(people, role):
    actor = people.by_role()[role]
    member = people.manager if role == "employee" else people.employee
    with pytest.raises(ValidationError) as excinfo:
        give(people, actor=actor, member=member)
    assert errors_of(excinfo)["member"] == [
        f"You can give feedback to people in your reporting line and to people you mentor or "
        f"coach; {member.display_name} is neither."]
    assert not Feedback.objects_unscoped.exists()


def test_a_report_cannot_give_their_manager_feedback_through_the_line(people):
    with pytest.raises(ValidationError) as excinfo:
        give(people, actor=people.employee, member=people.manager)
    assert "member" in errors_of(excinfo)


def test_nobody_gives_feedback_to_themselves(people):
    with pytest.raises(ValidationError) as excinfo:
        give(people, member=people.manager)
    assert errors_of(excinfo)["member"] == [
        "Feedback is for someone else: you cannot give it to yourself."]


def test_feedback_goes_to_active_members_only(people):
    people.employee.is_active = False
    people.employee.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as excinfo:
        give(people)
    assert "no longer an active member" in errors_of(excinfo)["member"][0]


def test_a_member_of_another_organisation_is_refused(people, other_people):
    with pytest.raises(ValidationError) as excinfo:
        give(people, member=other_people.employee)
    assert errors_of(excinfo)["member"] == ["Choose the person the feedback is for."]


def test_an_inactive_author_or_one_from_another_organisation_is_refused(people, other_people):
    with pytest.raises(PermissionDenied):
        give(people, actor=other_people.manager)
    people.manager.is_active = False
    people.manager.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        give(people)


# --- What it must say ---------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_by_field(people):
    with pytest.raises(ValidationError) as excinfo:
        give(people, member=people.manager, kind="praise", text="  ")
    errors = errors_of(excinfo)
    assert set(errors) == {"member", "kind", "text"}
    assert errors["kind"] == [
        "Choose whether this is a strength, an attribute or an achievement."]
    assert errors["text"] == [
        "Write the feedback: what they did well, and the difference it made."]


def test_feedback_too_short_to_be_specific_is_refused(people):
    with pytest.raises(ValidationError) as excinfo:
        give(people, text="Great job")
    assert errors_of(excinfo)["text"] == [
        "Say a little more: what did they do, and what difference did it make?"]


def test_feedback_longer_than_the_limit_is_refused_with_the_count(people):
    with pytest.raises(ValidationError) as excinfo:
        give(people, text="a" * 4001)
    assert errors_of(excinfo)["text"] == ["Keep this under 4,000 characters (it has 4,001)."]


def test_the_text_is_stripped(people):
    assert give(people, text=f"\n  {TEXT}  \r\n").text == TEXT


# --- The conversation it came from ---------------------------------------------------------------


def test_feedback_may_refer_to_a_conversation_the_two_had(people):
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       status=ConversationStatus.HELD)
    assert give(people, conversation=conversation).conversation == conversation


def test_a_conversation_the_author_was_not_in_is_refused(people):
    other = MembershipFactory(organization=people.org, manager=people.manager)
    conversation = ConversationFactory(member=people.employee, partner=other)
    with pytest.raises(ValidationError) as excinfo:
        give(people, conversation=conversation)
    assert errors_of(excinfo)["conversation"] == [
        "Choose one of your own career conversations."]


def test_a_conversation_with_someone_else_is_refused(people):
    other = MembershipFactory(organization=people.org, manager=people.manager,
                              user=UserFactory(first_name="Ana", last_name="Lima"))
    conversation = ConversationFactory(member=other, partner=people.manager)
    with pytest.raises(ValidationError) as excinfo:
        give(people, conversation=conversation)
    assert "not with" in errors_of(excinfo)["conversation"][0]


def test_a_cancelled_conversation_is_refused(people):
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       status=ConversationStatus.CANCELLED)
    with pytest.raises(ValidationError) as excinfo:
        give(people, conversation=conversation)
    assert "cancelled" in errors_of(excinfo)["conversation"][0]


def test_a_conversation_of_another_organisation_is_refused(people, other_people):
    conversation = ConversationFactory(member=other_people.employee,
                                       partner=other_people.manager)
    with pytest.raises(ValidationError) as excinfo:
        give(people, conversation=conversation)
    assert "conversation" in errors_of(excinfo)


# --- Notification -------------------------------------------------------------------------------


def test_the_member_is_notified_in_their_language_once_it_is_saved(
        people, django_capture_on_commit_callbacks):
    people.employee.user.language = "fr"
    people.employee.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        feedback = give(people)
        assert not Notification.objects_unscoped.exists()
    assert len(callbacks) == 1
    notification = Notification.objects_unscoped.get()
    assert notification.recipient == people.employee
    assert notification.organization == people.org
    assert notification.kind == NotificationKind.FEEDBACK
    assert people.manager.display_name in notification.title
    assert notification.url == f"/o/acme/conversations/feedback/#feedback-{feedback.pk}"
    assert notification.body == TEXT


def test_nothing_is_notified_when_the_feedback_is_refused(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, \
            pytest.raises(ValidationError):
        give(people, text="")
    assert callbacks == []
    assert not Notification.objects_unscoped.exists()


# --- Withdrawing --------------------------------------------------------------------------------


def test_the_author_withdraws_within_a_day_and_the_notification_goes_too(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feedback = give(people)
    assert Notification.objects_unscoped.count() == 1
    services.feedback_withdraw(organization=people.org, actor=people.manager, feedback=feedback)
    assert not Feedback.objects_unscoped.exists()
    assert not Notification.objects_unscoped.exists()


def test_after_a_day_feedback_stays_in_the_record(people):
    feedback = FeedbackFactory(member=people.employee)
    Feedback.objects_unscoped.filter(pk=feedback.pk).update(
        created_at=timezone.now() - timedelta(hours=25))
    feedback.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_withdraw(organization=people.org, actor=people.manager,
                                   feedback=feedback)
    assert "part of" in excinfo.value.messages[0]
    assert Feedback.objects_unscoped.filter(pk=feedback.pk).exists()


@pytest.mark.parametrize("role", ["employee", "hr", "leader"])
def test_only_the_author_withdraws(people, role):
    feedback = FeedbackFactory(member=people.employee)
    with pytest.raises(PermissionDenied):
        services.feedback_withdraw(organization=people.org, actor=people.by_role()[role],
                                   feedback=feedback)
    assert Feedback.objects_unscoped.filter(pk=feedback.pk).exists()


# --- Who reads it -------------------------------------------------------------------------------


def test_the_member_their_line_manager_and_the_author_read_it_and_nobody_else(people):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    from_mentor = give(people, actor=mentor)
    from_manager = give(people)
    for viewer in (people.employee, people.manager):
        assert list(selectors.feedback_about(organization=people.org, member=people.employee,
                                             viewer=viewer)) == [from_manager, from_mentor]
    assert list(selectors.feedback_about(organization=people.org, member=people.employee,
                                         viewer=mentor)) == [from_mentor]
    for viewer in (people.hr, people.leader):
        assert not selectors.feedback_about(organization=people.org, member=people.employee,
                                            viewer=viewer).exists()
        assert not selectors.can_read_feedback(viewer=viewer, feedback=from_manager)


def test_recipients_are_the_whole_line_and_mentees_but_the_form_offers_reports_first(people):
    deep = MembershipFactory(organization=people.org, manager=people.employee)
    mentee = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=mentee, partner=people.manager, kind=PartnerKind.COACH)
    MembershipFactory(organization=people.org, manager=people.manager, is_active=False)
    recipients = set(selectors.feedback_recipients(organization=people.org,
                                                   author=people.manager))
    assert recipients == {people.employee, deep, mentee}
    shortlist = set(selectors.feedback_recipient_shortlist(organization=people.org,
                                                           author=people.manager))
    assert shortlist == {people.employee, mentee}
    assert set(selectors.feedback_recipients(organization=people.org,
                                             author=people.leader)) >= {
        people.hr, people.manager, people.employee, deep}


def test_the_career_record_holds_what_was_received_and_what_was_given(people):
    give(people)
    record = selectors.feedback_record(organization=people.org, member=people.employee)
    assert [(f["kind"], f["from"], f["text"]) for f in record["received"]] == [
        ("strength", people.manager.display_name, TEXT)]
    assert record["given"] == []
    given = selectors.feedback_record(organization=people.org, member=people.manager)["given"]
    assert [(f["to"], f["text"]) for f in given] == [(people.employee.display_name, TEXT)]
