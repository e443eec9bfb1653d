"""From an imported line to a member who signs in: the invitation an import sends works for an
account that has no password yet."""

import re

import pytest
from django.core import mail

from hr_admin.models import Move
from organizations.models import Invitation

from .factories_import import check_and_apply, csv_file, member

pytestmark = pytest.mark.django_db


def test_an_imported_person_follows_the_emailed_link_sets_a_password_and_lands_home(
        people, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check_and_apply(people, csv_file(
            "grace@acme.test,Grace,Hopper,Software Engineer,,manager@acme.test,,no,no,,"))
    [email] = mail.outbox
    link = re.search(r"https?://\S+/o/acme/join/\S+/", email.body).group(0)
    path = "/" + link.split("/", 3)[3]

    page = client.get(path)
    assert "Set password and join" in page.content.decode()
    response = client.post(path, {"first_name": "Grace", "last_name": "Hopper",
                                  "password1": "a-long-pass-phrase-42",
                                  "password2": "a-long-pass-phrase-42"})

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    grace = member(people.org, "grace@acme.test")
    assert grace.user.has_usable_password() and grace.manager == people.manager
    assert Invitation.objects_unscoped.get(email="grace@acme.test").accepted_at is not None
    # Joining through the link records no second hire.
    assert Move.objects_unscoped.filter(member=grace).count() == 1


def test_reimporting_after_the_invitation_was_accepted_sends_nothing(
        people, client, django_capture_on_commit_callbacks):
    text = csv_file("grace@acme.test,Grace,Hopper,Software Engineer,,manager@acme.test,,no,no,,")
    with django_capture_on_commit_callbacks(execute=True):
        check_and_apply(people, text)
    Invitation.objects_unscoped.filter(email="grace@acme.test").update(
        accepted_at="2025-01-01T00:00:00Z")
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        run = check_and_apply(people, text)

    assert run.summary["invitations"] == 0 and len(mail.outbox) == sent
    assert Invitation.objects_unscoped.filter(email="grace@acme.test").count() == 1


def test_an_imported_person_whose_language_is_spanish_is_invited_in_spanish(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check_and_apply(people, csv_file(
            "lucia@acme.test,Lucía,Romero,Data Analyst,,manager@acme.test,,no,no,,es"))
    [email] = mail.outbox
    assert email.subject == f"Te han invitado a unirte a {people.org.name} en Trellis"
