"""Reminders are delivered exactly once by real Celery workers on the real Redis broker.

Two real worker processes (``celery -A config worker --pool=solo``) consume from the test
broker (``settings.CELERY_BROKER_URL``) and work on the pytest PostgreSQL test database, as the
application role under Row-Level Security. Their mail goes over real SMTP to a small recording
server that runs in this process, so every message the workers hand over is counted here, by
``Message-ID``, whatever happens to the workers.

* two workers running the reminder scan at the same moment send each due reminder once;
* a worker killed (SIGKILL) while a send is in progress, then a new worker and a scan, send
  nothing twice and miss nothing. The SMTP server holds the message it is receiving and, as a
  real server does, only accepts it if the client is still there to hear "250": the kill
  happens before the mail server accepted the message, which is the case the claim timeout
  recovers. (Killed *after* acceptance, the message would go again with the same Message-ID:
  the window documented in conversations/services/reminders.py.)
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from conversations import tasks
from conversations.factories import ConversationFactory, HeldConversationFactory
from conversations.models import Notification, ReminderDelivery
from organizations.factories import MembershipFactory
from tests.faults_support import Worker, celery_env, recording_smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY_SECONDS = 45


# --- A recording SMTP server (tests/faults_support.py) ---------------------------------------


@pytest.fixture
def smtp(tmp_path):
    with recording_smtp_server(tmp_path / "mail") as server:
        yield server


# --- Real worker processes (tests/faults_support.py) -----------------------------------------


@pytest.fixture
def workers(tmp_path, smtp):
    """``start(name, claim_timeout=600)`` starts a worker; all are stopped at the end."""
    started: list[Worker] = []
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    env = celery_env(broker_url=settings.CELERY_BROKER_URL, smtp_port=smtp.port)

    def start(name: str, *, claim_timeout: int = 600) -> Worker:
        worker = Worker(name, tmp_path / f"{name}.log",
                        {**env, "REMINDER_CLAIM_TIMEOUT_SECONDS": str(claim_timeout)})
        started.append(worker)
        RUNNING.append(worker)
        return worker

    try:
        yield start
    finally:
        RUNNING.clear()
        for worker in started:
            try:
                worker.stop()
            finally:
                if worker.process.poll() is None:
                    worker.kill()
        app.control.purge()
        _forget_unacked_messages_of_ours()
        app.conf.task_always_eager = previous_eager


def _forget_unacked_messages_of_ours() -> None:
    """A SIGKILLed worker leaves its message in kombu's ``unacked`` hash, to be redelivered
    after the visibility timeout (an hour). It would find its row long gone; drop it now so
    that no later run sees it."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        for tag, payload in client.hgetall("unacked").items():
            try:
                body = json.loads(payload)[0]
                task = body.get("headers", {}).get("task", "")
            except (ValueError, IndexError, AttributeError):
                continue
            if task.startswith("conversations.tasks."):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


RUNNING: list[Worker] = []


def wait_until(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(f"--- {w.name}\n{w.log()[-4000:]}" for w in RUNNING)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def queue_length() -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen("celery")


def unsent() -> int:
    return ReminderDelivery.objects_unscoped.filter(sent_at__isnull=True).count()


def settle(smtp, *, quiet_for: float = 1.5, seconds: float = 20) -> None:
    """Wait until the queue is empty and no message has arrived for ``quiet_for`` seconds, so
    a late duplicate would be counted."""
    deadline = time.monotonic() + seconds
    seen = -1
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        count = len(smtp.accepted_ids())
        if count != seen or queue_length():
            seen, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_for:
            return
        time.sleep(0.1)
    raise AssertionError("the workers did not settle")


def due_conversations(people, *, upcoming: int, held: int = 0) -> int:
    """``upcoming`` conversations tomorrow (two reminders each), ``held`` ones held an hour
    ago (an outcome pulse each), each with its own report. Returns how many reminders are due."""
    tomorrow = timezone.now() + timedelta(hours=20)
    for i in range(upcoming):
        member = MembershipFactory(organization=people.org, manager=people.manager)
        ConversationFactory(member=member, partner=people.manager,
                            scheduled_at=tomorrow + timedelta(minutes=10 * i))
    for _i in range(held):
        member = MembershipFactory(organization=people.org, manager=people.manager)
        HeldConversationFactory(member=member, partner=people.manager)
    return upcoming * 2 + held


def report(**figures) -> None:
    print("\nexactly-once: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


# --- The acceptance tests -----------------------------------------------------------------------


def test_two_workers_scanning_at_the_same_moment_send_each_reminder_once(
        people, smtp, workers, capsys):
    due = due_conversations(people, upcoming=6, held=2)
    first, second = workers("scan-a"), workers("scan-b")
    first.wait_ready()
    second.wait_ready()
    started = time.monotonic()
    # Both scans are on the broker before either worker takes one: each worker gets one.
    tasks.reminders_scan_organization.delay(people.org.pk)
    tasks.reminders_scan_organization.delay(people.org.pk)
    wait_until(lambda: unsent() == 0 and ReminderDelivery.objects_unscoped.count() == due,
               seconds=DELIVERY_SECONDS, what="every reminder to be sent")
    settle(smtp)
    elapsed = time.monotonic() - started

    ids = smtp.accepted_ids()
    assert len(ids) == due
    assert len(set(ids)) == due, "a Message-ID arrived twice"
    rows = list(ReminderDelivery.objects_unscoped.filter(organization=people.org))
    assert len(rows) == due and all(r.sent_at is not None for r in rows)
    assert all(r.attempts == 1 for r in rows)
    assert {f"<trellis.reminder.{r.pk}.{r.kind}@127.0.0.1>" for r in rows} == set(ids)
    assert Notification.objects_unscoped.filter(organization=people.org).count() == due
    scans = [first.tasks_run("reminders_scan_organization"),
             second.tasks_run("reminders_scan_organization")]
    sends = [first.tasks_run("reminder_send"), second.tasks_run("reminder_send")]
    assert sum(len(s) for s in scans) == 2
    delivered = [s.count("True") for s in sends]
    assert sum(delivered) == due
    with capsys.disabled():
        report(workers=2, reminders_due=due, emails_sent=len(ids),
               duplicates=len(ids) - len(set(ids)),
               scans_per_worker=[len(s) for s in scans],
               send_tasks_per_worker=[len(s) for s in sends],
               delivered_per_worker=delivered,
               turned_away=sum(s.count("False") for s in sends),
               seconds=round(elapsed, 1))


def test_a_worker_killed_mid_send_and_a_new_one_send_nothing_twice_and_miss_nothing(
        people, smtp, workers, capsys):
    claim_timeout = 3
    due = due_conversations(people, upcoming=3)
    doomed = workers("doomed", claim_timeout=claim_timeout)
    doomed.wait_ready()
    smtp.hold_next = 1
    started = time.monotonic()
    tasks.reminders_scan_organization.delay(people.org.pk)
    assert smtp.holding.wait(DELIVERY_SECONDS), "no send reached the mail server"
    # The worker is inside the SMTP conversation: the claim is committed, the email not sent.
    claimed = ReminderDelivery.objects_unscoped.filter(claimed_at__isnull=False,
                                                       sent_at__isnull=True)
    assert claimed.count() == 1
    killed_row = claimed.get()
    doomed.kill()
    wait_until(lambda: len(smtp.dropped) == 1, seconds=10,
               what="the mail server to notice the dead client")
    assert smtp.accepted_ids() == []

    survivor = workers("survivor", claim_timeout=claim_timeout)
    survivor.wait_ready()
    # The sends still on the broker go out; the killed one is claimed, so nobody touches it.
    wait_until(lambda: unsent() == 1, seconds=DELIVERY_SECONDS,
               what="the other reminders to be sent")
    killed_row.refresh_from_db()
    assert killed_row.sent_at is None and killed_row.attempts == 1
    # Once its claim is older than the timeout, the next scan hands it out again.
    wait_until(lambda: timezone.now() - killed_row.claimed_at
               > timedelta(seconds=claim_timeout + 0.5),
               seconds=claim_timeout + 5, what="the claim to go stale")
    tasks.reminders_scan_organization.delay(people.org.pk)
    wait_until(lambda: unsent() == 0, seconds=DELIVERY_SECONDS,
               what="the killed worker's reminder to be sent")
    settle(smtp)
    elapsed = time.monotonic() - started

    ids = smtp.accepted_ids()
    assert len(ids) == due and len(set(ids)) == due
    assert [d["message_id"] for d in smtp.dropped] == [
        f"<trellis.reminder.{killed_row.pk}.{killed_row.kind}@127.0.0.1>"]
    assert smtp.dropped[0]["message_id"] in ids
    killed_row.refresh_from_db()
    assert killed_row.sent_at is not None and killed_row.attempts == 2
    rows = ReminderDelivery.objects_unscoped.filter(organization=people.org)
    assert rows.count() == due and not rows.filter(sent_at__isnull=True).exists()
    assert Notification.objects_unscoped.filter(organization=people.org).count() == due
    with capsys.disabled():
        report(workers=2, kills=1, reminders_due=due, emails_sent=len(ids),
               duplicates=len(ids) - len(set(ids)), dropped_in_flight=len(smtp.dropped),
               resent_after_claim_timeout=1, claim_timeout_s=claim_timeout,
               seconds=round(elapsed, 1))
