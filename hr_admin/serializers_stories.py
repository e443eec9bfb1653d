"""Input and output serializers of the success stories API.

Output serializers read only what ``selectors.stories`` joined. Input serializers check shape;
``services.stories`` holds the rules. The member a story is about and its move are
``AuthorScopedField``s over selectors of the caller's organisation (the service then checks
that the move is the member's own), so another organisation's id is a field error that says
nothing about whether it exists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from conversations.serializers.feedback import AuthorScopedField
from organizations.models import Membership
from organizations.serializers import MemberRefSerializer

from .models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Move, MoveKind, StoryStatus
from .selectors import stories as selectors
from .serializers_champions import choice_field
from .services import stories as services


def _subjects(*, organization, author):
    return selectors.story_subjects(organization=organization, author=author)


def _moves(*, organization, author):
    return selectors.org_moves(organization=organization)


@extend_schema_serializer(component_name="SuccessStoryMove")
class StoryMoveSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = choice_field(MoveKind.choices, read_only=True)
    effective_on = serializers.DateField(read_only=True)
    description = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_description(self, move) -> str:
        return selectors.describe_move(move)


@extend_schema_serializer(component_name="SuccessStory")
class StorySerializer(serializers.Serializer):
    """A success story. Consent times are those of the member it is about."""

    id = serializers.IntegerField(read_only=True)
    subject = MemberRefSerializer(read_only=True, help_text=_("Whom it is about."))
    move = StoryMoveSerializer(read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    author = MemberRefSerializer(read_only=True, allow_null=True)
    status = choice_field(StoryStatus.choices, read_only=True)
    has_consent = serializers.SerializerMethodField(
        help_text=_("True while the member's consent to this version stands."))
    consent_requested_at = serializers.DateTimeField(read_only=True, allow_null=True)
    consent_given_at = serializers.DateTimeField(read_only=True, allow_null=True)
    consent_withdrawn_at = serializers.DateTimeField(
        read_only=True, allow_null=True,
        help_text=_("When the member last declined or withdrew consent."))
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.BooleanField())
    def get_has_consent(self, story) -> bool:
        return services.has_consent(story)


@extend_schema_serializer(component_name="SuccessStoryInput")
class StoryInputSerializer(serializers.Serializer):
    subject = AuthorScopedField(Membership, _subjects,
                                help_text=_("An active colleague (not the caller)."))
    move = AuthorScopedField(Move, _moves, required=False, allow_null=True, default=None,
                             help_text=_("One of the member's recorded moves, or null."))
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=TEXT_MAX_LENGTH)


@extend_schema_serializer(component_name="SuccessStoryUpdate")
class StoryUpdateSerializer(serializers.Serializer):
    move = AuthorScopedField(Move, _moves, required=False, allow_null=True,
                             help_text=_("One of the member's recorded moves, or null."))
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH, required=False)
    body = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False)


@extend_schema_serializer(component_name="SuccessStoryListQuery")
class StoryListQuerySerializer(serializers.Serializer):
    view = choice_field(
        [("published", _("published")), ("in_progress", _("in progress")),
         ("about_me", _("about me"))], required=False, default="published",
        help_text=_("Published stories (everyone), stories in progress (HR and leaders) or "
                    "the stories about the caller."))
    status = choice_field([(s, StoryStatus(s).label) for s in selectors.IN_PROGRESS],
                          required=False, help_text=_("With view=in_progress."))


@extend_schema_serializer(component_name="SuccessStoryConsentInput")
class ConsentInputSerializer(serializers.Serializer):
    answer = choice_field(
        [("give", _("give")), ("decline", _("decline")), ("withdraw", _("withdraw"))],
        help_text=_("The member's answer: give consent, decline, or withdraw consent given."))
