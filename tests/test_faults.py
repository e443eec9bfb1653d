"""Faults injected for real: a database session killed mid-request, Redis stopped and started,
a worker killed mid-task, the broker's queue lost.

* A request whose PostgreSQL backend is terminated (``pg_terminate_backend``, from a second
  session) right after its first write fails and leaves nothing behind; the next request, on a
  new connection, writes everything.
* Redis stopped (SHUTDOWN NOSAVE: every key lost) and started again while reminders are due:
  beat logs each scan it cannot send and carries on, the worker reconnects, and every reminder
  goes once, none twice.
* A people import whose pool process is killed (SIGKILL) mid-run, and then whose whole worker is
  killed: the task is handed back (``acks_late``), taken up by a new worker and the run applied
  exactly once, though the killed process's database session still held the run's lock.
* The broker's queue deleted after a scan queued its sends and before any worker took them: the
  next scan, reading what is due from the database, sends each reminder once.

Workers and beat are real ``celery`` processes on a ``redis-server`` of each test's own (the
shared one is never stopped), on the pytest database, mailing a recording SMTP server.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta

import psycopg2
import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from conversations import tasks as conversation_tasks
from conversations.factories import ConversationFactory
from conversations.models import ReminderDelivery
from hr_admin.models import ImportStatus, Move, MoveKind, PeopleImport
from hr_admin.services.people_import import (
    CHUNK_ROWS,
    people_import_check,
    people_import_queue,
)
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent, Invitation, Membership, User
from skills.factories import FrameworkFactory, RoleProfileFactory, RoleRequirementFactory
from skills.models import CheckIn, CheckInItem
from tests.faults_support import (
    Beat,
    RedisServer,
    Worker,
    celery_app_on,
    celery_env,
    recording_smtp_server,
    redeliver_unacked,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY_SECONDS = 45


def report(name: str, **figures) -> None:
    print(f"\nfaults ({name}): " + ", ".join(f"{k}={v}" for k, v in figures.items()))


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp(tmp_path):
    with recording_smtp_server(tmp_path / "mail") as server:
        yield server


@pytest.fixture
def celery(tmp_path, redis_server, smtp):
    """``celery.worker(name, pool=…)`` and ``celery.beat(**env)`` start processes on the test's
    Redis; this process's Celery app sends there too. Everything is stopped at the end."""

    class Processes:
        def __init__(self):
            self.started = []

        def env(self, **extra):
            return celery_env(broker_url=redis_server.url, smtp_port=smtp.port, **extra)

        def worker(self, name: str, *, pool: str = "solo", queue: str = "celery") -> Worker:
            worker = Worker(name, tmp_path / f"{name}.log", self.env(), pool=pool, queue=queue)
            self.started.append(worker)
            return worker

        def beat(self, **extra) -> Beat:
            beat = Beat("beat", tmp_path / "beat.log", self.env(**extra),
                        schedule=tmp_path / "beat-schedule")
            self.started.append(beat)
            return beat

    processes = Processes()
    with celery_app_on(redis_server.url):
        try:
            yield processes
        finally:
            # The test has seen all it waits for: nothing a process would still do matters.
            for process in processes.started:
                process.kill()


def due_reminders(people, conversations: int) -> int:
    """``conversations`` conversations tomorrow, each with a report of its own: two reminders
    each (member and manager). Returns how many reminders that makes due."""
    tomorrow = timezone.now() + timedelta(hours=20)
    for i in range(conversations):
        member = MembershipFactory(organization=people.org, manager=people.manager)
        ConversationFactory(member=member, partner=people.manager,
                            scheduled_at=tomorrow + timedelta(minutes=10 * i))
    return 2 * conversations


def sent_rows(people) -> int:
    return ReminderDelivery.objects_unscoped.filter(organization=people.org,
                                                    sent_at__isnull=False).count()


def settle(smtp, redis_server, *, quiet_for: float = 1.5, seconds: float = 20) -> None:
    """Wait until the queue is empty and no message has arrived for ``quiet_for`` seconds, so
    that a late duplicate would be counted."""
    deadline = time.monotonic() + seconds
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(smtp.accepted_ids())
        if count != seen or redis_server.queue_length():
            seen, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_for:
            return
        time.sleep(0.1)
    raise AssertionError("the workers did not settle")


def assert_each_reminder_sent_once(people, smtp, due: int) -> None:
    ids = smtp.accepted_ids()
    assert len(ids) == due, f"{len(ids)} emails for {due} reminders"
    assert len(set(ids)) == due, "a Message-ID arrived twice"
    rows = list(ReminderDelivery.objects_unscoped.filter(organization=people.org))
    assert len(rows) == due and all(r.sent_at is not None for r in rows)
    assert {f"<trellis.reminder.{r.pk}.{r.kind}@127.0.0.1>" for r in rows} == set(ids)


# --- A database session killed mid-request ------------------------------------------------------


def _terminate(pid: int) -> bool:
    """``pg_terminate_backend`` from a session of its own, waiting for the backend to exit."""
    killer = psycopg2.connect(**connection.get_connection_params())
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            return cursor.fetchone()[0]
    finally:
        killer.close()


class TerminateAfterFirstInsertInto:
    """An execute wrapper: once the request has inserted into ``table``, its backend is
    terminated; every later statement then meets a dead connection."""

    def __init__(self, table: str):
        self.table = table
        self.terminated: int | None = None
        self.statements_after = 0

    def __call__(self, execute, sql, params, many, context):
        if self.terminated is not None:
            self.statements_after += 1
            return execute(sql, params, many, context)
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(f'INSERT INTO "{self.table}"'.upper()):
            pid = context["connection"].connection.info.backend_pid
            assert _terminate(pid), "pg_terminate_backend found no such backend"
            self.terminated = pid
        return result


def test_a_request_whose_database_session_is_killed_after_its_first_write_leaves_nothing(
        people, login, capsys):
    # Given an employee starting a check-in against a role of three skills
    framework = FrameworkFactory(organization=people.org)
    role = RoleProfileFactory(framework=framework, title="Data Engineer")
    for _i in range(3):
        RoleRequirementFactory(role=role)
    client = login(people.employee)
    client.raise_request_exception = False
    url = reverse("skills:check_in_start", kwargs={"org_slug": people.org.slug})
    audit_rows = AuditEvent.objects_unscoped.filter(action="skills.check_in_started")

    # When the request's backend is terminated right after it inserted the check-in
    fault = TerminateAfterFirstInsertInto(CheckIn._meta.db_table)
    try:
        with connection.execute_wrapper(fault):
            response = client.post(url, {"role": role.pk})
        failed_with = response.status_code
    except (OperationalError, InterfaceError) as error:
        failed_with = type(error).__name__
    # A server closes a connection that failed before it serves the next request.
    connection.close()

    # Then the request failed, and neither the check-in, its items nor its audit row remain
    assert fault.terminated is not None
    assert failed_with in (500, "OperationalError", "InterfaceError")
    assert CheckIn.objects_unscoped.count() == 0
    assert CheckInItem.objects_unscoped.count() == 0
    assert audit_rows.count() == 0

    # And the next request, on a new connection, writes all of it
    response = client.post(url, {"role": role.pk})
    check_in = CheckIn.objects_unscoped.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "skills:check_in", kwargs={"org_slug": people.org.slug, "check_in_id": check_in.pk})
    assert CheckInItem.objects_unscoped.filter(check_in=check_in).count() == 3
    assert audit_rows.count() == 1
    with capsys.disabled():
        report("backend killed", first_answer=failed_with, backend_pid=fault.terminated,
               statements_after_kill=fault.statements_after, partial_rows=0,
               second_answer=response.status_code)


# --- Redis stopped and started while reminders are due ------------------------------------------


def test_redis_stopped_and_started_while_reminders_are_due_loses_none_and_sends_none_twice(
        people, smtp, redis_server, celery, capsys):
    # Given a worker and beat (a reminder scan every half second) on the test's Redis, and
    # reminders already sent
    worker = celery.worker("worker")
    beat = celery.beat(REMINDER_SCAN_INTERVAL_SECONDS="0.5")
    due_before = due_reminders(people, 2)
    worker.wait_ready()
    beat.wait_ready()
    wait_until(lambda: sent_rows(people) == due_before, seconds=DELIVERY_SECONDS,
               what="the reminders due before the outage", logs=(worker, beat))
    started = time.monotonic()

    # When Redis stops, losing everything it held, while more reminders fall due
    redis_server.stop()
    down_at = time.monotonic()
    due_during = due_reminders(people, 3)
    # Down long enough for beat to find no broker for several scans (the worker's first try
    # to reconnect comes 2 s after it lost the broker).
    wait_until(lambda: time.monotonic() - down_at >= 1
               and beat.log().count("Message Error") >= 2, seconds=20,
               what="beat to fail to send its scans", logs=(worker, beat))
    refused = beat.log().count("Message Error")
    assert beat.alive() and worker.alive()
    assert sent_rows(people) == due_before
    redis_server.start()
    outage = time.monotonic() - down_at

    # Then beat and the worker carry on, and every reminder goes once
    due = due_before + due_during
    wait_until(lambda: sent_rows(people) == due, seconds=DELIVERY_SECONDS,
               what="the reminders that fell due during the outage", logs=(worker, beat))
    beat.stop()
    settle(smtp, redis_server)
    assert worker.alive()
    assert_each_reminder_sent_once(people, smtp, due)
    assert "Connection to broker lost" in worker.log()
    with capsys.disabled():
        report("redis restarted", reminders_due=due, due_during_outage=due_during,
               emails_sent=len(smtp.accepted_ids()),
               duplicates=len(smtp.accepted_ids()) - len(set(smtp.accepted_ids())),
               scans_refused_while_down=refused, outage_s=round(outage, 1),
               scans_run=len(worker.tasks_run("reminders_scan_organization")),
               seconds=round(time.monotonic() - started, 1))


# --- A worker killed mid-task -------------------------------------------------------------------

IMPORT_ROWS = CHUNK_ROWS + 5  # two chunks of the import


def _import_file(people) -> tuple[str, list[str]]:
    """A file of ``IMPORT_ROWS`` people: new ones, and in the second chunk the employee with a
    new job title."""
    emails = [f"person{i:05d}@acme.test" for i in range(IMPORT_ROWS)]
    emails[CHUNK_ROWS + 2] = people.employee.user.email
    lines = ["email,first name,last name,job title"]
    for i, address in enumerate(emails):
        lines.append(f"{address},Person,Number {i},"
                     + ("Staff Engineer" if address == people.employee.user.email
                        else "Analyst"))
    return "\n".join(lines) + "\n", emails


class RowLock(threading.Thread):
    """Holds ``SELECT … FOR UPDATE`` on one membership in a session of its own until released,
    so that the import's second chunk waits there."""

    def __init__(self, membership_pk: int):
        super().__init__(daemon=True)
        self.membership_pk = membership_pk
        self.locked, self.release = threading.Event(), threading.Event()
        self.backend_pid: int | None = None

    def run(self):
        from django.db import connection as own

        try:
            with transaction.atomic():
                Membership.objects_unscoped.select_for_update().get(pk=self.membership_pk)
                self.backend_pid = own.connection.info.backend_pid
                self.locked.set()
                self.release.wait(60)
        finally:
            own.close()


def _backends_waiting_on(pid: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                       [pid])
        return [row[0] for row in cursor.fetchall()]


def _backend_exists(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 1


@pytest.fixture
def row_lock():
    """``row_lock(membership)`` holds that row locked until ``.release`` is set (at the end of
    the test at the latest)."""
    locks = []

    def hold(membership) -> RowLock:
        lock = RowLock(membership.pk)
        locks.append(lock)
        lock.start()
        assert lock.locked.wait(10), "the row could not be locked"
        return lock

    yield hold
    for lock in locks:
        lock.release.set()
        lock.join(10)


def test_a_people_import_killed_mid_run_twice_is_applied_exactly_once(
        people, smtp, redis_server, celery, row_lock, capsys):
    # Given a checked file of two chunks' worth of people, and the second chunk's employee row
    # locked
    worker = celery.worker("doomed", pool="prefork")
    text, emails = _import_file(people)
    run = people_import_check(organization=people.org, actor=people.hr, text=text,
                              file_name="people.csv", send_invitations=False)
    assert run.status == ImportStatus.VALIDATED
    lock = row_lock(people.employee)
    worker.wait_ready()
    started = time.monotonic()

    # When it is applied, and the pool process is killed while the second chunk waits
    people_import_queue(organization=people.org, actor=people.hr, people_import=run)
    wait_until(lambda: _backends_waiting_on(lock.backend_pid), seconds=DELIVERY_SECONDS,
               what="the second chunk to reach the locked row", logs=(worker,))
    (stale_backend,) = _backends_waiting_on(lock.backend_pid)
    run.refresh_from_db()
    assert (run.status, run.processed_rows) == (ImportStatus.APPLYING, CHUNK_ROWS)
    (pool_process,) = worker.pool_processes()
    os.kill(pool_process, signal.SIGKILL)
    # The message goes back to the queue (acks_late, reject_on_worker_lost); the next delivery
    # finds the run's lock still held by the killed process's session, and retries later: the
    # worker receives the retry and holds it until it is due.
    wait_until(lambda: " retry: " in worker.log() and worker.log().count("] received") == 3,
               seconds=DELIVERY_SECONDS, what="the worker to hold the retry", logs=(worker,))
    # And then the whole worker is killed, its retry still waiting
    worker.kill()
    lock.release.set()
    lock.join(10)
    wait_until(lambda: not _backend_exists(stale_backend), seconds=20,
               what="the killed process's session to end")
    # As after the visibility timeout, the worker's unacknowledged message goes back.
    handed_back = redeliver_unacked(redis_server.url)
    survivor = celery.worker("survivor", pool="prefork")
    survivor.wait_ready()
    wait_until(lambda: PeopleImport.objects_unscoped.get(pk=run.pk).status
               == ImportStatus.APPLIED, seconds=DELIVERY_SECONDS,
               what="the import to be applied", logs=(worker, survivor))
    elapsed = time.monotonic() - started

    # Then every person of the file is in the organisation once, with one hire each
    run.refresh_from_db()
    assert run.processed_rows == IMPORT_ROWS
    new = [e for e in emails if e != people.employee.user.email]
    assert User.objects.filter(email__in=new).count() == len(new)
    members = Membership.objects_unscoped.filter(organization=people.org,
                                                 user__email__in=emails)
    assert members.count() == IMPORT_ROWS
    assert members.values("user_id").distinct().count() == IMPORT_ROWS
    hires = Move.objects_unscoped.filter(organization=people.org, kind=MoveKind.HIRE,
                                         member__user__email__in=new)
    assert hires.count() == len(new)
    assert hires.values("member_id").distinct().count() == len(new)
    people.employee.refresh_from_db()
    assert people.employee.job_title == "Staff Engineer"
    assert AuditEvent.objects_unscoped.filter(action="hr.people_import_applied",
                                              detail__import_id=run.pk).count() == 1
    assert run.summary["result"]["created"] == len(new)
    assert Invitation.objects_unscoped.filter(organization=people.org).count() == 0
    assert survivor.tasks_run("hr_admin.tasks.people_import_apply") == ["True"]
    assert "True" not in worker.tasks_run("hr_admin.tasks.people_import_apply")
    with capsys.disabled():
        report("import killed", rows=IMPORT_ROWS, chunks=2, pool_process_killed=1,
               workers_killed=1, messages_handed_back=handed_back,
               applied_runs=1, members=members.count(), hires=hires.count(),
               seconds=round(elapsed, 1))


# --- The broker's queue lost ---------------------------------------------------------------------


def test_reminders_whose_queued_sends_were_lost_are_sent_once_by_the_next_scan(
        people, smtp, redis_server, celery, capsys):
    # Given reminders due, and a scan that recorded them and queued one send each (the worker
    # consumes from another queue for now)
    worker = celery.worker("worker", queue="standby")
    due = due_reminders(people, 3)
    recorded = conversation_tasks.reminders_scan_organization.apply(args=(people.org.pk,)).get()
    assert recorded == due
    assert redis_server.queue_length() == due

    # When the queue is lost before any worker takes them
    redis_server.client().delete("celery")
    assert redis_server.queue_length() == 0
    worker.wait_ready()
    started = time.monotonic()
    replies = celery_app.control.add_consumer("celery", reply=True, limit=1, timeout=10)
    assert len(replies) == 1, replies
    time.sleep(0.5)
    assert smtp.accepted_ids() == []
    assert ReminderDelivery.objects_unscoped.filter(sent_at__isnull=True).count() == due

    # Then the next scan sends each of them, once
    conversation_tasks.reminders_scan_organization.delay(people.org.pk)
    wait_until(lambda: sent_rows(people) == due, seconds=DELIVERY_SECONDS,
               what="the next scan's sends", logs=(worker,))
    settle(smtp, redis_server)
    assert_each_reminder_sent_once(people, smtp, due)
    assert all(r.attempts == 1 for r in ReminderDelivery.objects_unscoped.all())
    with capsys.disabled():
        report("queue lost", reminders_due=due, sends_lost=due,
               emails_sent=len(smtp.accepted_ids()),
               duplicates=len(smtp.accepted_ids()) - len(set(smtp.accepted_ids())),
               seconds=round(time.monotonic() - started, 1))
