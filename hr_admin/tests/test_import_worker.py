"""A people import applied by a real Celery worker consuming from the real Redis broker, with
each chunk committed on its own (no test transaction around it)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from config.celery import app
from hr_admin.models import ImportStatus, Move, PeopleImport
from hr_admin.services import people_import as services
from organizations import tenancy

from .factories_import import csv_file, member

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_import_travels_through_redis_and_a_worker_and_shows_its_progress(
        people, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 10)
    text = csv_file(*(f"p{i}@acme.test,P,{i},Engineer,Sales,manager@acme.test,,,,,"
                      for i in range(35)))
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic(), tenancy.organization_scope(people.org):
            run = services.people_import_check(organization=people.org, actor=people.hr,
                                               text=text, create_teams=True)
            services.people_import_queue(organization=people.org, actor=people.hr,
                                         people_import=run)
        seen, deadline = set(), time.monotonic() + 30
        while time.monotonic() < deadline:
            current = PeopleImport.objects_unscoped.get(pk=run.pk)
            seen.add((current.status, current.processed_rows))
            if current.status not in (ImportStatus.QUEUED, ImportStatus.APPLYING):
                break
            time.sleep(0.05)
    assert current.status == ImportStatus.APPLIED, current.error
    assert current.processed_rows == 35
    assert member(people.org, "p34@acme.test").team.name == "Sales"
    assert Move.objects_unscoped.filter(organization=people.org).count() == 35
    # The page had something to show on the way: the run was queued or applying meanwhile.
    assert any(status in ("queued", "applying") for status, _rows in seen)
