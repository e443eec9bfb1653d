"""The feedback API, through real URLs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.factories import CareerPartnerFactory, ConversationFactory, FeedbackFactory
from conversations.models import ConversationStatus, Feedback, FeedbackKind, Notification
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TEXT = "You turned a tense planning meeting around by asking the right question."


def api(name, org, **kwargs):
    return reverse(f"conversations-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


# --- Feedback -----------------------------------------------------------------------------------


def test_a_member_lists_feedback_received_and_given(people, login):
    FeedbackFactory(member=people.employee, text=TEXT, kind=FeedbackKind.ACHIEVEMENT)
    received = login(people.employee).get(api("feedback-list", people.org)).json()
    assert received["count"] == 1
    row = received["results"][0]
    assert (row["kind"], row["text"], row["author"]["id"], row["member"]["id"]) == (
        "achievement", TEXT, people.manager.pk, people.employee.pk)
    assert row["can_withdraw"] is False
    given = login(people.manager).get(api("feedback-list", people.org) + "?direction=given")
    assert given.json()["results"][0]["can_withdraw"] is True
    assert login(people.manager).get(api("feedback-list", people.org)).json()["count"] == 0


def test_a_bad_direction_is_a_400(people, login):
    response = login(people.employee).get(api("feedback-list", people.org) + "?direction=up")
    assert response.status_code == 400
    assert "direction" in response.json()["errors"]


def test_a_manager_gives_feedback_linked_to_a_conversation(
        people, login, django_capture_on_commit_callbacks):
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       status=ConversationStatus.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(login(people.manager), api("feedback-list", people.org), {
            "member": people.employee.pk, "kind": "strength", "text": TEXT,
            "conversation": conversation.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["conversation"]["id"] == conversation.pk
    assert body["can_withdraw"] is True
    assert Notification.objects_unscoped.filter(recipient=people.employee).count() == 1


def test_bad_feedback_is_a_400_with_messages_by_field(people, other_people, login):
    client = login(people.manager)
    response = post(client, api("feedback-list", people.org),
                    {"member": people.employee.pk, "kind": "strength", "text": "Nice"})
    assert response.status_code == 400
    assert response.json()["errors"]["text"] == [
        "Say a little more: what did they do, and what difference did it make?"]
    for member in (people.hr, other_people.employee):
        response = post(client, api("feedback-list", people.org),
                        {"member": member.pk, "kind": "strength", "text": TEXT})
        assert response.status_code == 400
        assert "member" in response.json()["errors"]
    someone_elses = ConversationFactory(member=people.employee, partner=people.leader)
    response = post(client, api("feedback-list", people.org), {
        "member": people.employee.pk, "kind": "strength", "text": TEXT,
        "conversation": someone_elses.pk})
    assert response.status_code == 400
    assert "conversation" in response.json()["errors"]
    assert not Feedback.objects_unscoped.exists()


def test_one_piece_of_feedback_is_read_by_member_author_and_line_manager_only(people, login):
    mentor = MembershipFactory(organization=people.org)
    CareerPartnerFactory(member=people.employee, partner=mentor)
    feedback = FeedbackFactory(member=people.employee, author=mentor, text=TEXT)
    path = api("feedback-detail", people.org, feedback_id=feedback.pk)
    for reader in (people.employee, mentor, people.manager):
        assert login(reader).get(path).json()["text"] == TEXT
    for other in (people.hr, people.leader):
        assert login(other).get(path).status_code == 404


def test_the_author_withdraws_and_nobody_else_can(people, login):
    feedback = FeedbackFactory(member=people.employee)
    path = api("feedback-detail", people.org, feedback_id=feedback.pk)
    assert login(people.employee).delete(path).status_code == 403
    assert login(people.hr).delete(path).status_code == 404
    assert login(people.manager).delete(path).status_code == 204
    assert not Feedback.objects_unscoped.exists()


def test_withdrawing_after_a_day_is_a_400(people, login):
    feedback = FeedbackFactory(member=people.employee)
    Feedback.objects_unscoped.filter(pk=feedback.pk).update(
        created_at=timezone.now() - timedelta(days=3))
    response = login(people.manager).delete(api("feedback-detail", people.org,
                                                feedback_id=feedback.pk))
    assert response.status_code == 400
    assert "within a day" in response.json()["errors"]["non_field_errors"][0]


def test_a_members_feedback_as_each_reader_may_see_it(people, login):
    FeedbackFactory(member=people.employee, text=TEXT)
    FeedbackFactory(member=people.employee, author=people.leader, text="From the top.")
    path = api("member-feedback", people.org, member_id=people.employee.pk)
    texts = {who: {r["text"] for r in login(m).get(path).json()["results"]}
             for who, m in people.by_role().items()}
    assert texts == {"employee": {TEXT, "From the top."}, "manager": {TEXT, "From the top."},
                     "leader": {"From the top."}, "hr": set()}


def test_the_feedback_list_runs_the_same_queries_for_3_or_30(people, login):
    client = login(people.employee)
    path = api("feedback-list", people.org)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for _ in range(3):
        FeedbackFactory(member=people.employee)
    small = queries()
    for _ in range(27):
        FeedbackFactory(member=people.employee, conversation=ConversationFactory(
            member=people.employee, partner=people.manager))
    assert queries() == small
