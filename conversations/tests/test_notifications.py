"""What a change to a conversation tells the participant who did not make it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conversations import tasks
from conversations.factories import ConversationFactory, NotificationPreferenceFactory
from conversations.models import ConversationStatus, Notification, NotificationKind
from conversations.services.notifications import notification_create, recipient_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(people):
    return ConversationFactory(member=people.employee, partner=people.manager,
                               scheduled_at=timezone.now() + timedelta(days=6),
                               location="Blue room", video_url="https://meet.example/abc")


def notify(conversation, event, actor):
    return tasks.conversation_notify.delay(conversation.organization_id, conversation.pk, event,
                                           actor.pk if actor else None).get()


def calendar_text(message) -> str:
    [part] = message.attachments
    # Unfolded (RFC 5545 §3.1): long lines continue on the next after CRLF and one space.
    return part.get_payload(decode=True).decode().replace("\r\n ", "")


def test_scheduled_tells_the_employee_in_app_and_by_email_with_an_invitation(
        people, conversation):
    assert notify(conversation, "scheduled", people.manager) == 1
    [note] = Notification.objects_unscoped.all()
    assert note.recipient == people.employee and note.kind == NotificationKind.SCHEDULED
    assert people.manager.display_name in note.title
    [message] = mail.outbox
    assert message.to == ["employee@acme.test"]
    assert message.attachments[0].get_param("method") == "REQUEST"
    text = calendar_text(message)
    assert "METHOD:REQUEST" in text and "STATUS:CONFIRMED" in text
    assert "ORGANIZER;CN=" in text and "mailto:employee@acme.test" in text
    assert "LOCATION:Blue room · https://meet.example/abc" in text


def test_the_actor_is_not_told_about_their_own_change(people, conversation):
    notify(conversation, "changed", people.employee)
    assert list(Notification.objects_unscoped.values_list("recipient", flat=True)) == [
        people.manager.pk]
    assert [m.to for m in mail.outbox] == [["manager@acme.test"]]
    assert mail.outbox[0].subject.startswith("Moved: career conversation with")


def test_with_no_actor_both_participants_are_told(people, conversation):
    notify(conversation, "scheduled", None)
    assert sorted(m.to[0] for m in mail.outbox) == ["employee@acme.test", "manager@acme.test"]
    assert Notification.objects_unscoped.count() == 2


def test_cancelled_sends_a_cancellation_for_the_calendar(people, conversation):
    conversation.status = ConversationStatus.CANCELLED
    conversation.cancelled_at = timezone.now()
    conversation.cancel_reason = "Team offsite"
    conversation.save()
    notify(conversation, "cancelled", people.manager)
    [message] = mail.outbox
    text = calendar_text(message)
    assert "METHOD:CANCEL" in text and "STATUS:CANCELLED" in text
    assert "Team offsite" in message.body
    assert Notification.objects_unscoped.get().kind == NotificationKind.CANCELLED


def test_held_is_in_app_only(people, conversation):
    conversation.status = ConversationStatus.HELD
    conversation.held_at = timezone.now()
    conversation.save()
    assert notify(conversation, "held", people.manager) == 0
    assert mail.outbox == []
    assert Notification.objects_unscoped.get().recipient == people.employee


def test_updates_by_email_off_means_in_app_only(people, conversation):
    NotificationPreferenceFactory(member=people.employee, email_updates=False)
    assert notify(conversation, "scheduled", people.manager) == 0
    assert mail.outbox == []
    assert Notification.objects_unscoped.get().recipient == people.employee


def test_no_email_about_a_state_the_conversation_has_left(people, conversation):
    conversation.status = ConversationStatus.CANCELLED
    conversation.save()
    notify(conversation, "scheduled", people.manager)
    assert mail.outbox == []


def test_a_member_who_left_is_not_notified(people, conversation):
    people.employee.is_active = False
    people.employee.save(update_fields=["is_active"])
    assert notify(conversation, "scheduled", people.manager) == 0
    assert Notification.objects_unscoped.count() == 0


def test_unknown_event_or_absent_conversation_does_nothing(people, conversation):
    assert notify(conversation, "exploded", people.manager) == 0
    assert tasks.conversation_notify.delay(people.org.pk, 10**9, "scheduled").get() == 0
    assert Notification.objects_unscoped.count() == 0


def test_another_organisations_conversation_id_does_nothing(people, other_people):
    theirs = ConversationFactory(member=other_people.employee, partner=other_people.manager)
    assert tasks.conversation_notify.delay(people.org.pk, theirs.pk, "scheduled").get() == 0
    assert Notification.objects_unscoped.count() == 0


def test_the_same_change_always_has_the_same_message_id(people, conversation):
    notify(conversation, "scheduled", people.manager)
    notify(conversation, "scheduled", people.manager)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 2 and ids[0] == ids[1]


def test_notification_text_is_written_in_the_recipients_language(people):
    people.employee.user.language = "es"
    people.employee.user.save(update_fields=["language"])
    from django.utils import translation

    seen = []

    def title():
        seen.append(translation.get_language())
        return "t"

    notification_create(organization=people.org, recipient=people.employee,
                        kind=NotificationKind.REMINDER, title=title)
    assert seen == ["es"] and recipient_language(people.employee) == "es"
    people.org.default_language = "fr"
    people.org.save(update_fields=["default_language"])
    people.manager.refresh_from_db()
    assert recipient_language(people.manager) == "fr"


def test_career_record_section_holds_preferences_feed_state_and_notifications(people):
    from conversations.factories import NotificationFactory
    from conversations.registrations_notifications import collect_notifications
    from conversations.services.notifications import calendar_feed_create

    NotificationPreferenceFactory(member=people.employee, email_digest=False)
    NotificationFactory(recipient=people.employee, title="Mine")
    NotificationFactory(recipient=people.manager, title="Theirs")
    _feed, token = calendar_feed_create(organization=people.org, actor=people.employee)
    data = collect_notifications(organization=people.org, member=people.employee)
    assert data["email_preferences"]["email_digest"] is False
    assert data["calendar_feed"]["created_at"]
    assert [n["title"] for n in data["notifications"]] == ["Mine"]
    assert token not in str(data)


def test_an_event_whose_task_was_lost_is_told_once_by_the_scan(
        people, conversation, django_capture_on_commit_callbacks):
    """Cancelling records the event with the change; its queued task is "lost" (commit
    callbacks do not run here). Ten minutes on, the scan tells it; the late original and a
    second scan tell nothing more."""
    from conversations.models import ConversationEvent
    from conversations.services.conversations import conversation_cancel
    from conversations.services.notifications import conversation_events_untold

    conversation_cancel(organization=people.org, actor=people.manager,
                        conversation=conversation, reason="Travelling")
    [event] = ConversationEvent.objects_unscoped.filter(conversation=conversation)
    assert (event.event, event.actor, event.notified_at) == ("cancelled", people.manager, None)
    assert conversation_events_untold() == []  # not yet: its task may only be late
    ConversationEvent.objects_unscoped.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(minutes=11))

    assert tasks.conversation_events_scan.apply().get() == 1
    assert [n.recipient for n in Notification.objects_unscoped.all()] == [people.employee]
    assert [m.to for m in mail.outbox] == [["employee@acme.test"]]
    event.refresh_from_db()
    assert event.notified_at is not None
    # The original task arriving late, and the next scan: nothing more.
    assert tasks.conversation_notify.delay(people.org.pk, conversation.pk, "cancelled",
                                           people.manager.pk, event_id=event.pk).get() == 0
    assert tasks.conversation_events_scan.apply().get() == 0
    assert Notification.objects_unscoped.count() == 1 and len(mail.outbox) == 1
