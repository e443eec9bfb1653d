"""Input and output serializers of the feedback and recommendations API.

Output serializers read only what the selectors joined, so a page of rows costs no query per
row. Input serializers check shape; the services hold the rules. Every id a client may send is
an ``AuthorScopedField``: its valid ids are the rows a selector returns for the caller's
organisation *and* the caller (the people they may give feedback to or recommend, their own
conversations), so an id of another organisation, or of someone the caller may not address, is
a field error that says nothing about whether it exists.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from organizations.models import Membership
from organizations.serializers import MemberRefSerializer
from skills import selectors as skills_selectors
from skills.models import RoleProfile
from skills.serializers import RoleProfileRefSerializer

from ..models import (
    Conversation,
    Feedback,
    FeedbackKind,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)
from ..selectors import feedback as feedback_selectors
from ..selectors import recommendations as recommendation_selectors
from ..services.feedback import FEEDBACK_WITHDRAW_WINDOW
from ..services.recommendations import DECISIONS, describe


def decision_choices() -> list[tuple[str, str]]:
    """HR's two answers to a recommendation (named in the schema by ENUM_NAME_OVERRIDES)."""
    return [(d, RecommendationStatus(d).label) for d in DECISIONS]


class AuthorScopedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose valid ids are ``selector(organization=…, author=…)`` for the caller.

    Security invariant: the choices come from the serializer context's organisation and
    membership; with either missing there are no valid choices at all.
    """

    def __init__(self, model, selector, **kwargs):
        self.selector = selector
        kwargs["queryset"] = model._base_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        organization = self.context.get("organization")
        membership = self.context.get("membership")
        if organization is None or membership is None:
            return self.queryset.none()
        return self.selector(organization=organization, author=membership)


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# --- Feedback -----------------------------------------------------------------------------------


class FeedbackConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    scheduled_at = serializers.DateTimeField(read_only=True)


class FeedbackSerializer(serializers.Serializer):
    """A piece of positive feedback."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(FeedbackKind.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    member = MemberRefSerializer(read_only=True, help_text=_("Whom it is about."))
    author = MemberRefSerializer(read_only=True, allow_null=True,
                                 help_text=_("Who gave it; null once they have left."))
    conversation = FeedbackConversationSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    can_withdraw = serializers.SerializerMethodField(
        help_text=_("True for its author during the day after giving it."))

    @extend_schema_field(serializers.BooleanField())
    def get_can_withdraw(self, feedback: Feedback) -> bool:
        membership = self.context.get("membership")
        return bool(membership is not None and feedback.author_id == membership.pk
                    and timezone.now() - feedback.created_at < FEEDBACK_WITHDRAW_WINDOW)


@extend_schema_serializer(component_name="Feedback")
class FeedbackInputSerializer(serializers.Serializer):
    member = AuthorScopedField(
        Membership, feedback_selectors.feedback_recipients,
        help_text=_("Someone in the caller's reporting line, or whom they mentor or coach."))
    kind = serializers.ChoiceField(FeedbackKind.choices)
    text = serializers.CharField(max_length=_max(Feedback, "text"),
                                 help_text=_("What they did well, and the difference it made."))
    conversation = AuthorScopedField(
        Conversation, feedback_selectors.feedback_conversations, required=False,
        allow_null=True, help_text=_("A career conversation the caller had with the member."))


class FeedbackListQuerySerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        [("received", _("received")), ("given", _("given"))], required=False,
        default="received", help_text=_("Feedback the caller received (default) or gave."))


# --- Recommendations ----------------------------------------------------------------------------


class RecommendationSerializer(serializers.Serializer):
    """A recommendation, as its author, HR and leaders read it."""

    id = serializers.IntegerField(read_only=True)
    member = MemberRefSerializer(read_only=True, help_text=_("Whom it recommends."))
    author = MemberRefSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(RecommendationKind.choices, read_only=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    opportunity = serializers.CharField(read_only=True)
    description = serializers.SerializerMethodField(
        help_text=_("What the member is recommended for, in words."))
    rationale = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(RecommendationStatus.choices, read_only=True)
    decision_note = serializers.CharField(read_only=True)
    decided_by = MemberRefSerializer(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_description(self, recommendation: Recommendation) -> str:
        return describe(recommendation)


def _role_choices(*, organization, author):
    return skills_selectors.role_choices(organization=organization)


@extend_schema_serializer(component_name="Recommendation")
class RecommendationInputSerializer(serializers.Serializer):
    member = AuthorScopedField(
        Membership, recommendation_selectors.recommendation_candidates,
        help_text=_("Someone in the caller's reporting line."))
    kind = serializers.ChoiceField(RecommendationKind.choices)
    role = AuthorScopedField(
        RoleProfile, _role_choices, required=False, allow_null=True,
        help_text=_("An active role profile: required for a role, optional for a promotion, "
                    "ignored for an opportunity."))
    opportunity = serializers.CharField(
        max_length=_max(Recommendation, "opportunity"), required=False, allow_blank=True,
        default="", help_text=_("The opportunity's title: required for an opportunity, ignored "
                                "otherwise."))
    rationale = serializers.CharField(max_length=_max(Recommendation, "rationale"),
                                      help_text=_("Why: what they have shown."))


class RecommendationListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(RecommendationStatus.choices, required=False)
    mine = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Only the recommendations the caller wrote (HR and leaders otherwise read "
                    "every one, except those about themselves)."))


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(decision_choices())
    decision_note = serializers.CharField(
        max_length=_max(Recommendation, "decision_note"),
        help_text=_("For the manager who wrote it: what happens next, or why not now."))
