"""An invitation's link travels only in its queued email task: when the message is lost, the
scan finds the unsent invitation in the database and sends a new link; a stale message sends
nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from organizations import services
from organizations.models import Invitation
from organizations.tasks import invitations_unsent_scan, send_invitation

pytestmark = pytest.mark.django_db


def _issued(invitation, minutes_ago: int) -> None:
    """Move the issue of the invitation's link back (its expiry is issue + validity)."""
    Invitation.objects_unscoped.filter(pk=invitation.pk).update(
        expires_at=services.invitation_expiry() - timedelta(minutes=minutes_ago))


def test_an_invitation_whose_email_was_lost_gets_a_new_link_that_works(
        people, client, django_capture_on_commit_callbacks):
    # Created without running the commit callbacks: their queued emails are "lost".
    lost, old_token = services.invitation_create(
        organization=people.org, actor=people.hr, email="lost.mail@acme.test")
    recent, _token = services.invitation_create(
        organization=people.org, actor=people.hr, email="still.queued@acme.test")
    _issued(lost, minutes_ago=11)
    _issued(recent, minutes_ago=2)

    assert services.invitations_unsent() == [(people.org.pk, lost.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_unsent_scan.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["lost.mail@acme.test"]]
    link = re.search(r"/o/acme/join/([\w-]+)/", mail.outbox[0].body)
    assert link and link.group(1) != old_token
    assert client.get(link.group(0)).status_code == 200
    lost.refresh_from_db()
    assert lost.sent_at is not None
    assert services.invitations_unsent() == []

    # The lost message turning up late would send the old, dead link: it sends nothing.
    assert send_invitation.apply((people.org.pk, lost.pk, old_token)).get() is False
    assert len(mail.outbox) == 1
