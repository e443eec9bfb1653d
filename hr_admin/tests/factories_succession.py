"""Factories of succession plans and career moves, for this area's tests. Related rows take
their organisation from the row they belong to."""

import factory
from django.utils import timezone

from hr_admin.models import Criticality, KeyPosition, Move, MoveKind, Readiness, SuccessorNomination
from organizations.factories import MembershipFactory, TenantFactory
from skills.factories import RoleProfileFactory


class KeyPositionFactory(TenantFactory):
    class Meta:
        model = KeyPosition

    role = factory.SubFactory(RoleProfileFactory)
    organization = factory.SelfAttribute("role.organization")
    title = factory.Sequence(lambda n: f"Key position {n}")
    criticality = Criticality.HIGH


class SuccessorNominationFactory(TenantFactory):
    class Meta:
        model = SuccessorNomination

    position = factory.SubFactory(KeyPositionFactory)
    organization = factory.SelfAttribute("position.organization")
    candidate = factory.SubFactory(MembershipFactory,
                                   organization=factory.SelfAttribute("..organization"))
    readiness = Readiness.ONE_TWO_YEARS
    notes = ""


class MoveFactory(TenantFactory):
    class Meta:
        model = Move

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    kind = MoveKind.LATERAL
    effective_on = factory.LazyFunction(timezone.localdate)
