"""Accepting an invitation with an account that exists before its owner ever signed in (made by
a people import: an active membership, no usable password, an unverified address)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations import services
from organizations.factories import InvitationFactory, MembershipFactory, TeamFactory, UserFactory
from organizations.models import Invitation, Membership, User

pytestmark = pytest.mark.django_db


def accept_url(org, token):
    return reverse("organizations:invitation_accept",
                   kwargs={"org_slug": org.slug, "token": token})


def imported_account(people, email="grace@acme.test"):
    team = TeamFactory(organization=people.org, name="Platform")
    user = User.objects.create_user(email=email, password=None, first_name="Grace",
                                    last_name="Hopper")
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    membership = MembershipFactory(organization=people.org, user=user, team=team,
                                   manager=people.manager, job_title="Software Engineer")
    invitation = InvitationFactory(organization=people.org, email=email, first_name="Grace",
                                   last_name="Hopper", invited_by=people.hr)
    return user, membership, invitation


PASSWORD = "a-long-pass-phrase-42"


def test_an_imported_person_sets_their_password_and_name_from_the_link(people, client):
    user, membership, invitation = imported_account(people)

    page = client.get(accept_url(people.org, invitation.token))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Set password and join" in body and 'value="Grace"' in body
    assert "Sign in instead" not in body

    response = client.post(accept_url(people.org, invitation.token), {
        "first_name": "Grace", "last_name": "Brewster Hopper",
        "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:home",
                                           kwargs={"org_slug": people.org.slug})
    user.refresh_from_db()
    assert user.has_usable_password() and user.check_password(PASSWORD)
    assert user.last_name == "Brewster Hopper"
    assert EmailAddress.objects.get(user=user).verified is True
    assert User.objects.filter(email="grace@acme.test").count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    # Signed in, and the membership the import set up is kept as it was.
    home = client.get(response["Location"])
    assert home.status_code == 200
    membership.refresh_from_db()
    assert (membership.team.name, membership.manager, membership.job_title) == (
        "Platform", people.manager, "Software Engineer")
    assert Membership.objects_unscoped.filter(user=user).count() == 1


def test_the_password_rules_apply_and_nothing_changes_on_a_bad_password(people, client):
    user, _membership, invitation = imported_account(people)

    response = client.post(accept_url(people.org, invitation.token), {
        "first_name": "Grace", "last_name": "Hopper",
        "password1": PASSWORD, "password2": "something else"})

    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_someone_with_a_real_account_still_signs_in(people, client):
    UserFactory(email="has.password@acme.test")
    invitation = InvitationFactory(organization=people.org, email="has.password@acme.test")

    response = client.get(accept_url(people.org, invitation.token))

    assert "Sign in to join" in response.content.decode()
    response = client.post(accept_url(people.org, invitation.token), {
        "first_name": "X", "last_name": "Y", "password1": PASSWORD, "password2": PASSWORD})
    assert "Sign in to join" in response.content.decode()
    assert Invitation.objects_unscoped.get(pk=invitation.pk).accepted_at is None
    assert User.objects.get(email="has.password@acme.test").check_password("trellis-demo")


def test_an_account_with_a_password_cannot_be_claimed(people):
    user = UserFactory(email="has.password@acme.test")
    invitation = InvitationFactory(organization=people.org, email="has.password@acme.test")

    with pytest.raises(ValidationError):
        services.user_claim_from_invitation(invitation=invitation, user=user, first_name="A",
                                            last_name="B", password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password("trellis-demo")


def test_a_used_link_cannot_claim_the_account_again(people, client):
    _user, _membership, invitation = imported_account(people)
    data = {"first_name": "Grace", "last_name": "Hopper", "password1": PASSWORD,
            "password2": PASSWORD}
    client.post(accept_url(people.org, invitation.token), data)
    client.logout()

    response = client.post(accept_url(people.org, invitation.token),
                           {**data, "password1": "another-pass-phrase-7",
                            "password2": "another-pass-phrase-7"})

    assert response.status_code == 410
    assert User.objects.get(email="grace@acme.test").check_password(PASSWORD)
