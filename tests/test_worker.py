"""A real Celery worker consuming from the real Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from organizations import services
from organizations.models import Invitation

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_email_travels_through_redis_and_a_worker(people):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        invitation, _token = services.invitation_create(
            organization=people.org, actor=people.hr, email="via.broker@acme.test"
        )
        result_deadline = 20
        import time

        started = time.monotonic()
        while time.monotonic() - started < result_deadline:
            invitation.refresh_from_db()
            if invitation.sent_at:
                break
            time.sleep(0.2)
    assert invitation.sent_at is not None
    assert [m.to for m in mail.outbox] == [["via.broker@acme.test"]]
    assert Invitation.objects_unscoped.filter(email="via.broker@acme.test").count() == 1
