"""Fixtures shared by every suite: two organisations, one member per role in each."""

from dataclasses import dataclass

import pytest
from django.test import Client

from organizations.factories import MembershipFactory, OrganizationFactory, UserFactory
from organizations.models import Membership, Organization


@dataclass
class OrgPeople:
    org: Organization
    employee: Membership
    manager: Membership
    hr: Membership
    leader: Membership

    def by_role(self) -> dict[str, Membership]:
        return {
            "employee": self.employee,
            "manager": self.manager,
            "hr": self.hr,
            "leader": self.leader,
        }


def _people(slug: str, name: str) -> OrgPeople:
    org = OrganizationFactory(slug=slug, name=name)
    leader = MembershipFactory(
        organization=org,
        is_leader=True,
        job_title="Chief Executive",
        user=UserFactory(email=f"leader@{slug}.test"),
    )
    hr = MembershipFactory(
        organization=org,
        is_hr_admin=True,
        manager=leader,
        job_title="HR Business Partner",
        user=UserFactory(email=f"hr@{slug}.test"),
    )
    manager = MembershipFactory(
        organization=org,
        manager=leader,
        job_title="Engineering Manager",
        user=UserFactory(email=f"manager@{slug}.test"),
    )
    employee = MembershipFactory(
        organization=org,
        manager=manager,
        job_title="Software Engineer",
        user=UserFactory(email=f"employee@{slug}.test"),
    )
    return OrgPeople(org=org, employee=employee, manager=manager, hr=hr, leader=leader)


@pytest.fixture
def people(db, other_people) -> OrgPeople:
    """``acme``: the organisation under test."""
    return _people("acme", "Acme")


@pytest.fixture
def other_people(db) -> OrgPeople:
    """``globex``: always present, so a leak has somewhere to come from."""
    return _people("globex", "Globex")


@pytest.fixture
def org(people) -> Organization:
    return people.org


@pytest.fixture
def other_org(other_people) -> Organization:
    return other_people.org


def client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def login():
    """``login(membership)`` gives a test client signed in as that member."""
    return client_for


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash dozens of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks():
    """Rate-limit counters live in the (real) cache: start each test from a clean one.

    Tasks run eagerly inside a test so their effects can be asserted; the broker round trip is
    covered by the worker tests.
    """
    from django.core.cache import cache

    from config.celery import app

    cache.clear()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
