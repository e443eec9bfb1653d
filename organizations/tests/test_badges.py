"""Badges other apps put beside a member (``organizations.badges``): in the people directory and
on the profile header, one query per provider for a whole page of members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import badges
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import Membership

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def mentor_badges(monkeypatch):
    """A provider like an app's: members whose job title says "Mentor" get a badge, found with
    one query for the whole list. Records each call."""
    monkeypatch.setattr(badges, "PROVIDERS", [])
    calls = []

    def provider(organization, member_ids):
        calls.append(list(member_ids))
        found = (Membership.objects.for_org(organization)
                 .filter(pk__in=member_ids, job_title__icontains="mentor")
                 .values_list("pk", flat=True))
        return {pk: [badges.Badge(label="Mentor", icon="sprout", url=f"/mentors/{pk}/",
                                  tone="info")] for pk in found}

    badges.register_badge_provider("test-mentors", provider)
    badges.register_badge_provider("test-mentors", provider)  # a second registration is ignored
    return calls


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_directory_shows_each_members_badges_with_their_link(people, login, mentor_badges):
    mentor = MembershipFactory(organization=people.org, job_title="Mentor, Platform")
    response = login(people.hr).get(url("people", people.org))
    page = response.content.decode()
    assert f'href="/mentors/{mentor.pk}/"' in page
    assert "badge--info" in page
    assert page.count('href="/mentors/') == 1
    assert len(mentor_badges) == 1  # one call for the page, not one per member
    assert set(mentor_badges[0]) == {m.pk for m in response.context["page"].object_list}


def test_the_profile_header_shows_the_members_badges(people, login, mentor_badges):
    mentor = MembershipFactory(organization=people.org, job_title="Mentor")
    page = login(people.hr).get(url("member_detail", people.org, member_id=mentor.pk))
    assert f'href="/mentors/{mentor.pk}/"' in page.content.decode()
    plain = login(people.hr).get(url("member_detail", people.org, member_id=people.employee.pk))
    assert "/mentors/" not in plain.content.decode()


def test_the_directory_costs_one_query_per_provider_whatever_the_page_size(
        people, login, mentor_badges, monkeypatch):
    client = login(people.hr)
    client.get(url("people", people.org))  # warm the session
    small = count(client, url("people", people.org))
    team = TeamFactory(organization=people.org)
    MembershipFactory.create_batch(30, organization=people.org, team=team,
                                   job_title="Mentor")
    large = count(client, url("people", people.org))
    assert large == small
    monkeypatch.setattr(badges, "PROVIDERS", [])
    assert count(client, url("people", people.org)) == large - 1


def test_the_live_search_results_carry_the_badges_too(people, login, mentor_badges):
    mentor = MembershipFactory(organization=people.org, job_title="Mentor")
    response = login(people.hr).get(url("people", people.org), {"q": mentor.user.last_name},
                                    HTTP_HX_REQUEST="true")
    assert f'href="/mentors/{mentor.pk}/"' in response.content.decode()


def test_no_members_means_no_provider_call(people, mentor_badges):
    assert badges.member_badges(organization=people.org, member_ids=[]) == {}
    assert mentor_badges == []
