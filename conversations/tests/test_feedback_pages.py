"""The feedback page, giving and withdrawing feedback, the profile panel and the career record,
through real URLs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations import registrations_feedback
from conversations.factories import CareerPartnerFactory, ConversationFactory, FeedbackFactory
from conversations.models import ConversationStatus, Feedback, FeedbackKind, Notification
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db

TEXT = "Your design review caught the data-loss bug before launch: thank you."


@pytest.fixture(autouse=True)
def _panels():
    registrations_feedback.register()


def url(name, org, **kwargs):
    return reverse(f"conversations:{name}", kwargs={"org_slug": org.slug, **kwargs})


def profile(org, member):
    return reverse("organizations:member_detail", kwargs={"org_slug": org.slug,
                                                          "member_id": member.pk})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The page -----------------------------------------------------------------------------------


def test_a_member_with_no_feedback_is_told_what_it_is_for(people, login):
    response = login(people.employee).get(url("feedback", people.org))
    assert response.status_code == 200
    page = text(response)
    assert "No feedback yet" in page
    assert "Give feedback" not in page  # the employee has nobody to give it to


def test_the_member_reads_what_they_received_with_counts_by_kind(people, login):
    FeedbackFactory(member=people.employee, kind=FeedbackKind.ACHIEVEMENT, text=TEXT)
    FeedbackFactory(member=people.employee, kind=FeedbackKind.STRENGTH, text="Calm under fire.")
    response = login(people.employee).get(url("feedback", people.org))
    page = text(response)
    assert TEXT in page and "Calm under fire." in page
    assert people.manager.display_name in page
    assert response.context["counts"] == {"strength": 1, "attribute": 0, "achievement": 1,
                                          "total": 2}


def test_a_manager_sees_what_they_gave_and_a_form_offering_their_reports(people, login):
    FeedbackFactory(member=people.employee, text=TEXT)
    deep = MembershipFactory(organization=people.org, manager=people.employee)
    mentee = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=mentee, partner=people.manager)
    response = login(people.manager).get(url("feedback", people.org) + "?view=given")
    page = text(response)
    assert TEXT in page
    offered = {value for value, _label in response.context["form"].fields["member"].choices}
    assert offered == {"", people.employee.pk, mentee.pk}
    assert deep.pk not in offered
    assert 'id="give"' in page


def test_the_form_preselects_the_person_named_in_the_link(people, login):
    deep = MembershipFactory(organization=people.org, manager=people.employee)
    response = login(people.manager).get(url("feedback", people.org) + f"?member={deep.pk}")
    form = response.context["form"]
    assert str(form["member"].value()) == str(deep.pk)
    assert deep.pk in {value for value, _label in form.fields["member"].choices}


# --- Giving -------------------------------------------------------------------------------------


def test_a_manager_gives_feedback_and_the_member_is_notified(
        people, login, django_capture_on_commit_callbacks):
    client = login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("feedback_give", people.org), {
            "member": people.employee.pk, "kind": FeedbackKind.ACHIEVEMENT, "text": TEXT,
            "conversation": ""}, follow=True)
    assert response.redirect_chain[-1][0] == url("feedback", people.org) + "?view=given"
    assert messages_of(response) == [
        f"Feedback saved. {people.employee.user.first_name} has been told and can read it now."]
    feedback = Feedback.objects_unscoped.get()
    assert (feedback.author, feedback.member, feedback.kind) == (
        people.manager, people.employee, FeedbackKind.ACHIEVEMENT)
    notification = Notification.objects_unscoped.get(recipient=people.employee)
    assert login(people.employee).get(notification.url.split("#")[0]).status_code == 200


def test_bad_input_comes_back_with_messages_and_what_was_typed(people, login):
    client = login(people.manager)
    response = client.post(url("feedback_give", people.org), {
        "member": people.employee.pk, "kind": "praise", "text": "Nice"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.context["form"].errors["kind"][0]
    assert 'Nice</textarea>' in text(response)
    response = client.post(url("feedback_give", people.org), {
        "member": people.employee.pk, "kind": FeedbackKind.STRENGTH, "text": "Nice"})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        "Say a little more: what did they do, and what difference did it make?"]
    assert 'Nice</textarea>' in text(response)
    assert not Feedback.objects_unscoped.exists()


def test_someone_outside_the_line_is_not_a_valid_choice(people, other_people, login):
    for member in (people.hr, other_people.employee):
        response = login(people.manager).post(url("feedback_give", people.org), {
            "member": member.pk, "kind": FeedbackKind.STRENGTH, "text": TEXT})
        assert response.status_code == 400
        assert "Select a valid choice" in response.context["form"].errors["member"][0]
    assert not Feedback.objects_unscoped.exists()


def test_a_conversation_the_two_had_can_be_linked(people, login):
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       status=ConversationStatus.HELD)
    response = login(people.manager).post(url("feedback_give", people.org), {
        "member": people.employee.pk, "kind": FeedbackKind.STRENGTH, "text": TEXT,
        "conversation": conversation.pk})
    assert response.status_code == 302
    assert Feedback.objects_unscoped.get().conversation == conversation


def test_feedback_given_from_a_profile_goes_back_to_it(people, login):
    back = profile(people.org, people.employee)
    response = login(people.leader).post(url("feedback_give", people.org), {
        "member": people.employee.pk, "kind": FeedbackKind.ATTRIBUTE, "text": TEXT,
        "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert Feedback.objects_unscoped.get().author == people.leader


def test_an_outside_next_address_is_ignored(people, login):
    response = login(people.manager).post(url("feedback_give", people.org), {
        "member": people.employee.pk, "kind": FeedbackKind.STRENGTH, "text": TEXT,
        "next": "https://evil.example/"})
    assert response["Location"] == url("feedback", people.org) + "?view=given"


def test_get_on_the_give_address_leads_to_the_form(people, login):
    response = login(people.manager).get(url("feedback_give", people.org))
    assert response.status_code == 302
    assert response["Location"].endswith("#give")


# --- Withdrawing --------------------------------------------------------------------------------


def test_the_author_withdraws_after_confirming(people, login):
    feedback = FeedbackFactory(member=people.employee, text=TEXT)
    client = login(people.manager)
    confirm = client.get(url("feedback_withdraw", people.org, feedback_id=feedback.pk))
    assert confirm.status_code == 200
    assert TEXT in text(confirm)
    response = client.post(url("feedback_withdraw", people.org, feedback_id=feedback.pk),
                           follow=True)
    assert messages_of(response) == ["Feedback withdrawn."]
    assert not Feedback.objects_unscoped.exists()


def test_withdrawing_after_a_day_is_refused_with_a_message(people, login):
    feedback = FeedbackFactory(member=people.employee)
    Feedback.objects_unscoped.filter(pk=feedback.pk).update(
        created_at=timezone.now() - timedelta(days=2))
    response = login(people.manager).post(
        url("feedback_withdraw", people.org, feedback_id=feedback.pk), follow=True)
    assert "within a day" in messages_of(response)[0]
    assert Feedback.objects_unscoped.filter(pk=feedback.pk).exists()


def test_the_member_cannot_withdraw_and_others_do_not_find_it(people, other_people, login):
    feedback = FeedbackFactory(member=people.employee)
    path = url("feedback_withdraw", people.org, feedback_id=feedback.pk)
    assert login(people.employee).post(path).status_code == 403
    for member in (people.hr, people.leader):
        assert login(member).get(path).status_code == 404
        assert login(member).post(path).status_code == 404
    foreign = url("feedback_withdraw", other_people.org, feedback_id=feedback.pk)
    assert login(other_people.manager).post(foreign).status_code == 404
    assert Feedback.objects_unscoped.filter(pk=feedback.pk).exists()


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("view", ["received", "given"])
def test_the_feedback_page_runs_the_same_queries_for_3_or_30_pieces(people, login, view):
    client = login(people.employee if view == "received" else people.manager)
    path = url("feedback", people.org) + f"?view={view}"
    conversation = ConversationFactory(member=people.employee, partner=people.manager)

    def add(n):
        for i in range(n):
            FeedbackFactory(member=people.employee, kind=FeedbackKind.values[i % 3],
                            conversation=conversation if i % 2 else None)
            MembershipFactory(organization=people.org, manager=people.manager)

    add(3)
    small = _queries(client, path)
    add(27)
    large = _queries(client, path)
    assert small == large
    print(f"\nfeedback page ({view}): {small} queries for 3 and for 30 pieces")


# --- The profile panel --------------------------------------------------------------------------


def test_the_member_sees_their_feedback_on_their_profile(people, login):
    FeedbackFactory(member=people.employee, text=TEXT)
    page = text(login(people.employee).get(profile(people.org, people.employee)))
    assert "Positive feedback I received" in page
    assert TEXT in page


def test_the_line_manager_sees_it_all_and_the_read_is_audited(people, login):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    FeedbackFactory(member=people.employee, author=mentor, text="From the mentor, in detail.")
    FeedbackFactory(member=people.employee, text=TEXT)
    page = text(login(people.manager).get(profile(people.org, people.employee)))
    assert TEXT in page and "From the mentor, in detail." in page
    assert "Give " in page  # the give form
    assert AuditEvent.objects_unscoped.filter(action="conversations.feedback_viewed",
                                              actor=people.manager,
                                              subject=people.employee).exists()


def test_a_skip_level_manager_sees_only_what_they_gave(people, login):
    FeedbackFactory(member=people.employee, text=TEXT)
    FeedbackFactory(member=people.employee, author=people.leader,
                    text="From the top of the line, in detail.")
    page = text(login(people.leader).get(profile(people.org, people.employee)))
    assert "From the top of the line, in detail." in page
    assert TEXT not in page


def test_hr_sees_no_feedback_on_a_profile(people, login):
    FeedbackFactory(member=people.employee, text=TEXT)
    response = login(people.hr).get(profile(people.org, people.employee))
    assert response.status_code == 200
    page = text(response)
    assert TEXT not in page
    assert "Positive feedback" not in page


# --- The career record --------------------------------------------------------------------------


def test_the_career_record_lists_feedback_received_and_given(people, login):
    FeedbackFactory(member=people.employee, text=TEXT)
    record = text(login(people.employee).get(reverse("careers:record",
                                                     kwargs={"org_slug": people.org.slug})))
    assert "Positive feedback" in record and TEXT in record
    manager_record = login(people.manager).get(reverse("careers:record_json",
                                                       kwargs={"org_slug": people.org.slug}))
    data = b"".join(manager_record) if manager_record.streaming else manager_record.content
    assert TEXT.encode() in data
