"""Factories of success stories and the moves they tell of. Each row takes its organisation
from the member it is about, so a graph never spans two organisations by accident."""

import factory
from django.utils import timezone

from organizations.factories import MembershipFactory, TenantFactory

from ..models import Move, MoveKind, StoryStatus, SuccessStory


class MoveFactory(TenantFactory):
    class Meta:
        model = Move

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    kind = MoveKind.PROMOTION
    effective_on = factory.LazyFunction(timezone.localdate)


class SuccessStoryFactory(TenantFactory):
    class Meta:
        model = SuccessStory

    subject = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("subject.organization")
    author = factory.LazyAttribute(
        lambda o: MembershipFactory(organization=o.organization, is_hr_admin=True))
    title = factory.Sequence(lambda n: f"From support to engineering, story {n}")
    body = "Two years ago she answered tickets; today she builds the tools the team uses."
    status = StoryStatus.DRAFT

    class Params:
        published = factory.Trait(
            status=StoryStatus.PUBLISHED,
            consent_requested_at=factory.LazyFunction(timezone.now),
            consent_given_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )
        awaiting = factory.Trait(
            status=StoryStatus.AWAITING_CONSENT,
            consent_requested_at=factory.LazyFunction(timezone.now),
        )
