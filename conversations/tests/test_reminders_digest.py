"""The weekly digest to managers of reports overdue for a career conversation."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from conversations.factories import ConversationFactory, NotificationPreferenceFactory
from conversations.models import (
    ConversationStatus,
    DigestDelivery,
    MemberCadence,
    Notification,
    NotificationKind,
)
from conversations.selectors.reminders import digest_week, overdue_reports
from conversations.services import reminders as services
from organizations.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2031, 3, 10, 9, 0, tzinfo=UTC)  # a Monday
TODAY = MONDAY_9.date()


@pytest.fixture(autouse=True)
def _everyone_started_recently(people, other_people):
    """The fixture's people joined five days before the Monday: nobody is overdue yet."""
    for member in [*people.by_role().values(), *other_people.by_role().values()]:
        member.started_on = TODAY - timedelta(days=5)
        member.save(update_fields=["started_on"])


def report(people, *, started_days_ago=400, name="Report"):
    return MembershipFactory(organization=people.org, manager=people.manager,
                             started_on=TODAY - timedelta(days=started_days_ago),
                             user=UserFactory(first_name=name, last_name="Doe"))


def held(member, partner, days_ago):
    when = MONDAY_9 - timedelta(days=days_ago)
    return ConversationFactory(member=member, partner=partner, scheduled_at=when,
                               status=ConversationStatus.HELD, held_at=when)


def send_digests(org, now=MONDAY_9):
    sent = 0
    for digest_id in services.digest_deliveries_record(organization=org, now=now):
        claim = services.digest_claim(organization=org, digest_id=digest_id, now=now)
        if claim is not None and claim.message is not None:
            claim.message.send()
            services.digest_mark_sent(organization=org, digest_id=digest_id)
            sent += 1
    return sent


def test_overdue_counts_from_the_last_held_conversation_else_the_start_date(people):
    late = report(people, name="Late")
    held(late, people.manager, days_ago=100)
    recent = report(people, name="Recent")
    held(recent, people.manager, days_ago=10)
    never = report(people, started_days_ago=200, name="Never")
    overdue = overdue_reports(organization=people.org, today=TODAY)
    names = [r.member.pk for r in overdue[people.manager.pk]]
    assert names == [never.pk, late.pk]  # most overdue first
    by_pk = {r.member.pk: r for r in overdue[people.manager.pk]}
    assert by_pk[never.pk].never_held and by_pk[never.pk].counted_from == never.started_on
    assert by_pk[late.pk].due_on == TODAY - timedelta(days=10)


def test_a_members_own_cadence_overrides_the_organisations(people):
    tight = report(people, name="Tight")
    held(tight, people.manager, days_ago=40)
    loose = report(people, name="Loose")
    held(loose, people.manager, days_ago=100)
    MemberCadence.objects_unscoped.create(organization=people.org, member=tight, days=30)
    MemberCadence.objects_unscoped.create(organization=people.org, member=loose, days=180)
    overdue = overdue_reports(organization=people.org, today=TODAY)
    assert [r.member.pk for r in overdue.get(people.manager.pk, [])] == [tight.pk]


def test_a_conversation_that_was_only_scheduled_or_cancelled_does_not_count(people):
    member = report(people)
    ConversationFactory(member=member, partner=people.manager,
                        scheduled_at=MONDAY_9 - timedelta(days=5),
                        status=ConversationStatus.CANCELLED)
    assert member.pk in [r.member.pk for r in overdue_reports(
        organization=people.org, today=TODAY)[people.manager.pk]]


def test_the_digest_is_due_from_monday_morning_in_the_organisations_time_zone(people):
    people.org.time_zone = "Asia/Tokyo"
    people.org.save(update_fields=["time_zone"])
    # Sunday 22:30 UTC is Monday 07:30 in Tokyo: not yet; 23:30 UTC is 08:30 there.
    assert digest_week(organization=people.org,
                       now=datetime(2031, 3, 9, 22, 30, tzinfo=UTC)) is None
    assert digest_week(organization=people.org,
                       now=datetime(2031, 3, 9, 23, 30, tzinfo=UTC)) == date(2031, 3, 10)
    # Any later day of the week belongs to the same Monday.
    assert digest_week(organization=people.org,
                       now=datetime(2031, 3, 14, 12, 0, tzinfo=UTC)) == date(2031, 3, 10)


def test_digest_is_sent_once_a_week_per_manager(people):
    report(people, name="Overdue")
    assert send_digests(people.org) == 1
    assert send_digests(people.org, MONDAY_9 + timedelta(hours=1)) == 0
    assert send_digests(people.org, MONDAY_9 + timedelta(days=3)) == 0
    assert DigestDelivery.objects_unscoped.filter(manager=people.manager).count() == 1
    assert send_digests(people.org, MONDAY_9 + timedelta(days=7)) == 1
    weeks = sorted(DigestDelivery.objects_unscoped.values_list("week", flat=True))
    assert weeks == [TODAY, TODAY + timedelta(days=7)]
    assert [m.to for m in mail.outbox] == [["manager@acme.test"]] * 2
    assert Notification.objects_unscoped.filter(recipient=people.manager,
                                                kind=NotificationKind.DIGEST).count() == 2


def test_digest_lists_the_overdue_reports_and_links_to_the_team_page(people):
    report(people, name="Zoe")
    fresh = report(people, name="Fresh")
    held(fresh, people.manager, days_ago=3)
    send_digests(people.org)
    [message] = mail.outbox
    assert "Zoe Doe" in message.body and "Fresh Doe" not in message.body
    assert "/o/acme/conversations/team/" in message.body
    assert message.subject.endswith("due a career conversation")
    assert message.extra_headers["Message-ID"].startswith("<trellis.digest.")


def test_no_digest_for_a_manager_with_nobody_overdue(people):
    assert send_digests(people.org) == 0
    assert DigestDelivery.objects_unscoped.count() == 0
    assert Notification.objects_unscoped.count() == 0


def test_no_digest_before_monday_morning(people):
    report(people)
    assert send_digests(people.org, MONDAY_9 - timedelta(hours=2)) == 0
    assert DigestDelivery.objects_unscoped.count() == 0


def test_digest_email_off_means_in_app_only(people):
    NotificationPreferenceFactory(member=people.manager, email_digest=False)
    report(people)
    assert send_digests(people.org) == 0
    assert mail.outbox == []
    [row] = DigestDelivery.objects_unscoped.all()
    assert row.sent_at is not None
    assert Notification.objects_unscoped.get(recipient=people.manager).kind == "digest"


def test_inactive_reports_are_left_out(people):
    gone = report(people)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert overdue_reports(organization=people.org, today=TODAY) == {}


def test_digest_tasks_deliver_once_through_celery(people, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    from conversations import tasks

    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_9)
    report(people)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.digests_scan.delay()
    assert [m.to for m in mail.outbox] == [["manager@acme.test"]]
    assert DigestDelivery.objects_unscoped.get().sent_at == MONDAY_9
