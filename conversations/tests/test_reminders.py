"""Reminders before and after a career conversation: what is due, and delivery exactly once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conversations import tasks
from conversations.factories import (
    ConversationFactory,
    HeldConversationFactory,
    NotificationPreferenceFactory,
)
from conversations.models import (
    ConversationStatus,
    Notification,
    NotificationKind,
    Outcome,
    ReminderDelivery,
    ReminderKind,
)
from conversations.selectors.reminders import reminders_due
from conversations.services import reminders as services

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 3, 10, 9, 0, tzinfo=UTC)


def due_kinds(org, now=NOW):
    return sorted((r.kind, r.recipient_id) for r in reminders_due(organization=org, now=now))


def conversation_in(people, delta, **fields):
    return ConversationFactory(member=people.employee, partner=people.manager,
                               scheduled_at=NOW + delta, **fields)


def deliver_all(org, now=NOW):
    """Record what is due and deliver each row as the send task does, at ``now``."""
    sent = 0
    for delivery_id in services.reminder_deliveries_record(organization=org, now=now):
        claim = services.reminder_claim(organization=org, delivery_id=delivery_id, now=now)
        if claim is None:
            continue
        if claim.message is not None:
            claim.message.send()
            services.reminder_mark_sent(organization=org, delivery_id=delivery_id)
            sent += 1
    return sent


# --- What is due --------------------------------------------------------------------------------


def test_employee_is_reminded_two_days_before_and_the_partner_one_day_before(people):
    conversation_in(people, timedelta(hours=47))
    assert due_kinds(people.org) == [(ReminderKind.EMPLOYEE, people.employee.pk)]
    assert due_kinds(people.org, NOW + timedelta(hours=24)) == sorted([
        (ReminderKind.EMPLOYEE, people.employee.pk), (ReminderKind.PARTNER, people.manager.pk)])


def test_nothing_is_due_more_than_two_days_ahead(people):
    conversation_in(people, timedelta(hours=49))
    assert due_kinds(people.org) == []


def test_a_conversation_whose_time_has_passed_is_not_reminded_of(people):
    conversation_in(people, -timedelta(minutes=1))
    assert due_kinds(people.org) == []


def test_a_cancelled_conversation_is_not_reminded_of(people):
    conversation_in(people, timedelta(hours=20), status=ConversationStatus.CANCELLED,
                    cancelled_at=NOW)
    assert due_kinds(people.org) == []


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_no_reminder_when_a_participant_has_left(people, who):
    conversation_in(people, timedelta(hours=20))
    member = getattr(people, who)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert due_kinds(people.org) == []


def test_another_organisations_conversations_are_not_in_the_scan(people, other_people):
    conversation_in(other_people, timedelta(hours=20))
    assert due_kinds(people.org) == []


def test_outcome_pulse_is_due_after_the_conversation_is_held_until_rated(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager,
                                   scheduled_at=NOW - timedelta(hours=2),
                                   held_at=NOW - timedelta(hours=1))
    assert due_kinds(people.org) == [(ReminderKind.OUTCOME_PULSE, people.employee.pk)]
    assert due_kinds(people.org, NOW + timedelta(days=8)) == []
    Outcome.objects_unscoped.create(organization=people.org, conversation=held, direction=4)
    assert due_kinds(people.org) == []


def test_an_empty_outcome_row_does_not_count_as_rated(people):
    held = HeldConversationFactory(member=people.employee, partner=people.manager,
                                   held_at=NOW - timedelta(hours=1))
    Outcome.objects_unscoped.create(organization=people.org, conversation=held)
    assert due_kinds(people.org) == [(ReminderKind.OUTCOME_PULSE, people.employee.pk)]


# --- Recording and delivering -------------------------------------------------------------------


def test_scan_run_twice_records_the_same_rows_and_sends_one_email_each(people):
    conversation_in(people, timedelta(hours=20))
    HeldConversationFactory(member=people.employee, partner=people.manager,
                            held_at=NOW - timedelta(hours=1))
    assert deliver_all(people.org) == 3
    assert deliver_all(people.org) == 0
    assert deliver_all(people.org, NOW + timedelta(minutes=5)) == 0
    rows = ReminderDelivery.objects_unscoped.filter(organization=people.org)
    assert rows.count() == 3
    assert all(r.sent_at is not None and r.attempts == 1 for r in rows)
    assert len(mail.outbox) == 3
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3


def test_scan_task_twice_through_celery_sends_each_reminder_once(
        people, django_capture_on_commit_callbacks):
    ConversationFactory(member=people.employee, partner=people.manager,
                        scheduled_at=timezone.now() + timedelta(hours=20))
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.reminders_scan_organization.delay(people.org.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["employee@acme.test", "manager@acme.test"]
    assert ReminderDelivery.objects_unscoped.filter(sent_at__isnull=True).count() == 0


def test_global_scan_fans_out_one_task_per_organisation(
        people, other_people, django_capture_on_commit_callbacks):
    for group in (people, other_people):
        ConversationFactory(member=group.employee, partner=group.manager,
                            scheduled_at=timezone.now() + timedelta(hours=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_scan.delay().get() >= 2
    assert sorted(m.to[0] for m in mail.outbox) == ["employee@acme.test", "employee@globex.test"]


def test_a_moved_conversation_gets_new_reminders_and_the_old_ones_are_not_sent(people):
    conversation = conversation_in(people, timedelta(hours=40))
    first = services.reminder_deliveries_record(organization=people.org, now=NOW)
    assert len(first) == 1
    conversation.scheduled_at = NOW + timedelta(hours=44)
    conversation.save()
    assert services.reminder_claim(organization=people.org, delivery_id=first[0],
                                   now=NOW) is None
    assert deliver_all(people.org) == 1
    rows = ReminderDelivery.objects_unscoped.filter(conversation=conversation)
    assert sorted((r.scheduled_for, r.sent_at is not None) for r in rows) == [
        (NOW + timedelta(hours=40), False), (NOW + timedelta(hours=44), True)]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<trellis.reminder.")


def test_a_conversation_cancelled_after_the_scan_is_not_reminded_of(people):
    conversation = conversation_in(people, timedelta(hours=20))
    ids = services.reminder_deliveries_record(organization=people.org, now=NOW)
    conversation.status = ConversationStatus.CANCELLED
    conversation.save()
    assert [services.reminder_claim(organization=people.org, delivery_id=i, now=NOW)
            for i in ids] == [None, None]
    assert services.reminder_deliveries_record(organization=people.org, now=NOW) == []
    assert Notification.objects_unscoped.count() == 0


def test_a_fresh_claim_keeps_other_senders_away_and_a_stale_one_is_taken_over(people, settings):
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 600
    conversation_in(people, timedelta(hours=40))
    [delivery_id] = services.reminder_deliveries_record(organization=people.org, now=NOW)
    first = services.reminder_claim(organization=people.org, delivery_id=delivery_id, now=NOW)
    assert first is not None and first.message is not None
    # The worker holding it is alive: nobody else may send, and the scan hands it to nobody.
    later = NOW + timedelta(minutes=9)
    assert services.reminder_claim(organization=people.org, delivery_id=delivery_id,
                                   now=later) is None
    assert services.reminder_deliveries_record(organization=people.org, now=later) == []
    # Ten minutes on with no sent_at: that worker died mid-send.
    stale = NOW + timedelta(minutes=11)
    assert services.reminder_deliveries_record(organization=people.org, now=stale) == [
        delivery_id]
    second = services.reminder_claim(organization=people.org, delivery_id=delivery_id,
                                     now=stale)
    assert second is not None
    assert second.message.extra_headers["Message-ID"] == first.message.extra_headers[
        "Message-ID"]
    row = ReminderDelivery.objects_unscoped.get(pk=delivery_id)
    assert row.attempts == 2
    # The in-app notification was written once, with the first claim.
    assert Notification.objects_unscoped.filter(recipient=people.employee).count() == 1


def test_a_failed_send_gives_the_claim_back_for_the_next_scan(people):
    conversation_in(people, timedelta(hours=40))
    [delivery_id] = services.reminder_deliveries_record(organization=people.org, now=NOW)
    services.reminder_claim(organization=people.org, delivery_id=delivery_id, now=NOW)
    services.reminder_release(organization=people.org, delivery_id=delivery_id,
                              error="SMTPServerDisconnected: gone")
    row = ReminderDelivery.objects_unscoped.get(pk=delivery_id)
    assert row.sent_at is None and row.last_error.startswith("SMTPServerDisconnected")
    retry_at = timezone.now()
    assert services.reminder_deliveries_record(organization=people.org, now=retry_at) == []
    assert deliver_all(people.org) == 1
    assert Notification.objects_unscoped.filter(recipient=people.employee).count() == 1


def test_a_sent_reminder_is_never_claimed_again(people):
    conversation_in(people, timedelta(hours=40))
    deliver_all(people.org)
    [row] = ReminderDelivery.objects_unscoped.all()
    assert services.reminder_claim(organization=people.org, delivery_id=row.pk,
                                   now=NOW + timedelta(days=1)) is None


def test_smtp_failure_in_the_task_releases_the_claim_and_retries(people, settings):
    settings.EMAIL_BACKEND = "conversations.tests.test_reminders.RefusingBackend"
    ConversationFactory(member=people.employee, partner=people.manager,
                        scheduled_at=timezone.now() + timedelta(hours=40))
    [delivery_id] = services.reminder_deliveries_record(organization=people.org)
    with pytest.raises(OSError):
        tasks.reminder_send.apply(args=(people.org.pk, delivery_id), throw=True,
                                  retries=tasks.RETRY["max_retries"])
    row = ReminderDelivery.objects_unscoped.get(pk=delivery_id)
    assert row.sent_at is None and row.attempts == 1
    assert "refused" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.reminder_send.apply(args=(people.org.pk, delivery_id)).get() is True
    assert len(mail.outbox) == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("connection refused by the test")


# --- Preferences --------------------------------------------------------------------------------


def test_email_off_means_in_app_only(people):
    NotificationPreferenceFactory(member=people.employee, email_reminders=False)
    conversation_in(people, timedelta(hours=40))
    assert deliver_all(people.org) == 0
    assert mail.outbox == []
    [row] = ReminderDelivery.objects_unscoped.all()
    assert row.sent_at is not None
    [note] = Notification.objects_unscoped.filter(recipient=people.employee)
    assert note.kind == NotificationKind.REMINDER


def test_outcome_pulse_email_follows_its_own_preference(people):
    NotificationPreferenceFactory(member=people.employee, email_reminders=False,
                                  email_outcome_pulse=True)
    HeldConversationFactory(member=people.employee, partner=people.manager,
                            held_at=NOW - timedelta(hours=1))
    assert deliver_all(people.org) == 1
    assert "How did your career conversation" in mail.outbox[0].subject


# --- What the emails say ------------------------------------------------------------------------


def test_employee_reminder_links_to_the_conversation_page_and_carries_the_calendar_entry(
        people):
    conversation = conversation_in(people, timedelta(hours=40), location="Room 4")
    deliver_all(people.org)
    [message] = mail.outbox
    assert message.to == ["employee@acme.test"]
    assert people.manager.display_name in message.subject
    assert "/o/acme/conversations/" in message.body
    assert "Prepare here:" in message.body
    assert "Room 4" in message.body
    [part] = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    text = part.get_payload(decode=True).decode()
    assert f"UID:conversation-{conversation.pk}@" in text
    assert "DTSTART:20310312T010000Z" in text
    [note] = Notification.objects_unscoped.filter(recipient=people.employee)
    assert note.url.startswith("/o/acme/conversations/")


def test_partner_reminder_goes_one_day_before_with_the_calendar_entry(people):
    conversation_in(people, timedelta(hours=20))
    deliver_all(people.org)
    partner_mail = next(m for m in mail.outbox if m.to == ["manager@acme.test"])
    assert partner_mail.subject.startswith("Tomorrow: career conversation with")
    assert partner_mail.attachments[0].get_param("method") == "PUBLISH"


def test_outcome_pulse_asks_for_the_four_ratings(people):
    HeldConversationFactory(member=people.employee, partner=people.manager,
                            held_at=NOW - timedelta(hours=1))
    deliver_all(people.org)
    [message] = mail.outbox
    for outcome in ("a clearer sense of career direction", "increased self-insight",
                    "a broader understanding of options and resources",
                    "increased confidence and motivation"):
        assert outcome in message.body
    assert "#outcome" in message.body
    assert message.attachments == []
    assert Notification.objects_unscoped.get().kind == NotificationKind.OUTCOME_PULSE


def test_reminder_to_a_spanish_speaking_member_is_rendered_in_spanish(people):
    people.org.time_zone = "Europe/Madrid"
    people.org.save(update_fields=["time_zone"])
    people.employee.user.language = "es"
    people.employee.user.save(update_fields=["language"])
    conversation_in(people, timedelta(hours=48))  # 12 March 2031, 09:00 UTC = 10:00 in Madrid
    deliver_all(people.org)
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "es"
    assert message.subject.startswith("Tu conversación de carrera con ")
    assert message.subject.endswith(": hora de prepararla")
    assert "Prepárala aquí:" in message.body
    assert "time to prepare" not in message.subject and "Prepare here" not in message.body
    assert "miércoles, 12 de marzo de 2031 a las 10:00" in message.body
    assert message.attachments[0].get_content_type() == "text/calendar"
    note = Notification.objects_unscoped.get(recipient=people.employee)
    assert "12 de marzo de 2031" in note.title


def test_reminder_in_english_for_a_member_with_no_language_of_their_own(people):
    conversation_in(people, timedelta(hours=48))
    deliver_all(people.org)
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    assert "Wednesday, March 12, 2031" in message.body


def test_each_task_declares_retries_and_time_limits():
    for task in (tasks.reminder_send, tasks.digest_send, tasks.conversation_notify,
                 tasks.reminders_scan_organization, tasks.digest_scan_organization):
        assert task.acks_late is True
        assert task.max_retries == 5
        assert task.time_limit and task.soft_time_limit
        assert OSError in task.autoretry_for


def test_beat_runs_the_scans(settings):
    from config.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"conversations.tasks.reminders_scan", "conversations.tasks.digests_scan"} <= names
    assert names <= set(app.tasks)
    assert tasks.SEND_LIMITS["time_limit"] < settings.REMINDER_CLAIM_TIMEOUT_SECONDS
