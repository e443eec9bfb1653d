"""The Office Career Champions demo data, and what champions add to the career record."""

import pytest
from django.urls import reverse

from hr_admin import registrations_champions
from hr_admin.demo_champions import seed
from hr_admin.models import Champion, ChampionNomination, NominationStatus
from hr_admin.tests.factories_champions import ChampionFactory, ChampionNominationFactory
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(people):
    MembershipFactory.create_batch(14, organization=people.org)
    return people


def test_the_demo_makes_the_manager_a_champion_and_fills_hrs_queue_once(crowd):
    seed(organization=crowd.org)
    seed(organization=crowd.org)
    champions = Champion.objects_unscoped.filter(organization=crowd.org)
    assert champions.count() == 2
    assert champions.filter(member=crowd.manager, confirmed_by=crowd.hr).exists()
    rows = ChampionNomination.objects_unscoped.filter(organization=crowd.org)
    assert rows.count() == 11
    assert rows.filter(nominee=crowd.manager, nominated_by=crowd.employee,
                       status=NominationStatus.CONFIRMED).exists()
    assert rows.filter(status=NominationStatus.PENDING).values("nominee").distinct().count() == 3
    assert all(r.evidence for r in rows)
    assert not rows.filter(nominee__in=[crowd.hr]).exists()


def test_the_demo_is_the_same_every_time_it_is_seeded_afresh(crowd):
    def shape():
        return sorted((n.nominee_id, n.nominated_by_id, n.status, tuple(sorted(n.evidence.items())))
                      for n in ChampionNomination.objects_unscoped.filter(organization=crowd.org))

    seed(organization=crowd.org)
    first = shape()
    ChampionNomination.objects_unscoped.filter(organization=crowd.org).delete()
    Champion.objects_unscoped.filter(organization=crowd.org).delete()
    seed(organization=crowd.org)
    assert shape() == first


def test_a_small_organisation_gets_nothing(people):
    seed(organization=people.org)
    assert not Champion.objects_unscoped.exists()


def test_the_career_record_has_my_terms_citations_and_nominations_but_not_pending_ones_about_me(
        people, login):
    registrations_champions.register()
    ChampionFactory(member=people.employee, statement="Ask me about on-call.")
    ChampionNominationFactory(nominee=people.employee, status=NominationStatus.CONFIRMED,
                              evidence={"mentoring": "Paired with me on my first shift."})
    ChampionNominationFactory(nominee=people.employee,
                              evidence={"advocacy": "Not decided yet, not for their eyes."})
    ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee,
                              evidence={"conversations": "Monthly conversations with us all."})
    page = login(people.employee).get(reverse("careers:record",
                                              kwargs={"org_slug": people.org.slug}))
    body = page.content.decode()
    assert "Ask me about on-call." in body
    assert "Paired with me on my first shift." in body
    assert "Monthly conversations with us all." in body
    assert "Not decided yet" not in body
