"""factory_boy factories for the conversations app.

Each row takes its organisation from the row it belongs to, and a conversation's partner is made
in the member's organisation, so a factory graph never spans two organisations by accident.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from organizations.factories import MembershipFactory, TenantFactory

from .models import (
    AgendaTopic,
    CareerPartner,
    Conversation,
    ConversationStatus,
    Feedback,
    Notification,
    NotificationKind,
    PartnerKind,
    PrivateNote,
    Recommendation,
)


class ConversationFactory(TenantFactory):
    """A scheduled conversation a week ahead between a member and their line manager."""

    class Meta:
        model = Conversation

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    partner = factory.LazyAttribute(
        lambda o: o.member.manager or MembershipFactory(organization=o.organization))
    partner_kind = PartnerKind.MANAGER
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    status = ConversationStatus.SCHEDULED


class AgendaTopicFactory(TenantFactory):
    class Meta:
        model = AgendaTopic

    conversation = factory.SubFactory(ConversationFactory)
    organization = factory.SelfAttribute("conversation.organization")
    author = factory.SelfAttribute("conversation.member")
    text = factory.Sequence(lambda n: f"Topic {n}")


class PrivateNoteFactory(TenantFactory):
    class Meta:
        model = PrivateNote

    conversation = factory.SubFactory(ConversationFactory)
    organization = factory.SelfAttribute("conversation.organization")
    author = factory.SelfAttribute("conversation.partner")
    text = factory.Faker("sentence")


class CareerPartnerFactory(TenantFactory):
    class Meta:
        model = CareerPartner

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    partner = factory.SubFactory(MembershipFactory,
                                 organization=factory.SelfAttribute("..organization"))
    kind = PartnerKind.MENTOR


class FeedbackFactory(TenantFactory):
    class Meta:
        model = Feedback

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    author = factory.LazyAttribute(lambda o: o.member.manager)
    text = factory.Faker("sentence")


class RecommendationFactory(TenantFactory):
    class Meta:
        model = Recommendation

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    author = factory.LazyAttribute(lambda o: o.member.manager)
    rationale = factory.Faker("sentence")


class NotificationFactory(TenantFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("recipient.organization")
    kind = NotificationKind.REMINDER
    title = factory.Sequence(lambda n: f"Notification {n}")


# --- Reminders, preferences, calendar feed (appended) -------------------------------------------


class NotificationPreferenceFactory(TenantFactory):
    class Meta:
        model = "conversations.NotificationPreference"

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")


class ReminderDeliveryFactory(TenantFactory):
    """A reminder to the conversation's employee, two days before, not yet sent."""

    class Meta:
        model = "conversations.ReminderDelivery"

    conversation = factory.SubFactory(ConversationFactory)
    organization = factory.SelfAttribute("conversation.organization")
    recipient = factory.SelfAttribute("conversation.member")
    kind = "employee"
    scheduled_for = factory.SelfAttribute("conversation.scheduled_at")


class HeldConversationFactory(ConversationFactory):
    """A conversation held an hour ago."""

    scheduled_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    status = ConversationStatus.HELD
    held_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


# --- Preparation, agreed actions, outcomes, cadence (appended) ----------------------------------


class PreparationFactory(TenantFactory):
    class Meta:
        model = "conversations.Preparation"

    conversation = factory.SubFactory(ConversationFactory)
    organization = factory.SelfAttribute("conversation.organization")
    journey = factory.Faker("sentence")


class AgreedActionFactory(TenantFactory):
    """An action agreed in a conversation, as an item of the employee's plan."""

    class Meta:
        model = "conversations.AgreedAction"

    conversation = factory.SubFactory("conversations.factories.HeldConversationFactory")
    organization = factory.SelfAttribute("conversation.organization")
    action = factory.SubFactory("careers.factories.DevelopmentActionFactory",
                                member=factory.SelfAttribute("..conversation.member"),
                                shared_with_manager=True)
    created_by = factory.SelfAttribute("conversation.partner")


class OutcomeFactory(TenantFactory):
    class Meta:
        model = "conversations.Outcome"

    conversation = factory.SubFactory("conversations.factories.HeldConversationFactory")
    organization = factory.SelfAttribute("conversation.organization")
    direction = 4
    self_insight = 4
    options = 3
    confidence = 5


class MemberCadenceFactory(TenantFactory):
    class Meta:
        model = "conversations.MemberCadence"

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    days = 30
