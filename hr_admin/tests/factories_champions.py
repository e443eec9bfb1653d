"""Factories of Office Career Champions. Each row takes its organisation
from the member it is about, so a graph never spans two organisations by accident."""

import factory
from django.utils import timezone

from organizations.factories import MembershipFactory, TenantFactory

from ..models import (
    Champion,
    ChampionCriterion,
    ChampionNomination,
    NominationStatus,
)

EVIDENCE = {
    ChampionCriterion.MENTORING: "Spent an hour every week with our two new joiners.",
    ChampionCriterion.CONVERSATIONS: "Holds a career conversation with each of us every month.",
}


class ChampionNominationFactory(TenantFactory):
    class Meta:
        model = ChampionNomination

    nominee = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("nominee.organization")
    nominated_by = factory.LazyAttribute(
        lambda o: MembershipFactory(organization=o.organization))
    evidence = factory.LazyFunction(lambda: dict(EVIDENCE))
    status = NominationStatus.PENDING


class ChampionFactory(TenantFactory):
    class Meta:
        model = Champion

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    since = factory.LazyFunction(timezone.localdate)
    statement = "Happy to talk through a career move or review an internal application."
