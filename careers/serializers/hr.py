"""Input and output serializers of the reflection template and participation API.

Output serializers read only what the selectors have prefetched or annotated, so a response
costs no query per row. Participation serializers carry counts only: no field of theirs can hold
anything a member wrote. Input serializers check shape; ``careers.services.templates`` checks
lengths and rules and says what to fix, by field.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.serializers import MemberRefSerializer, TeamRefSerializer

from ..selectors.participation import Status
from ..services.templates import DIRECTIONS

# --- The template -------------------------------------------------------------------------------


class TemplatePromptSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.CharField(
        read_only=True,
        help_text=_("Stays the same across versions when the question is reworded."))
    text = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True)


class TemplateAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.CharField(read_only=True,
                                help_text=_("Stays the same across versions."))
    title = serializers.CharField(read_only=True)
    intro = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    prompts = TemplatePromptSerializer(many=True, read_only=True, source="prompt_list")


class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    areas = TemplateAreaSerializer(many=True, read_only=True, source="area_list")


class TemplateVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    created_by = MemberRefSerializer(read_only=True, allow_null=True)
    reflection_count = serializers.IntegerField(
        read_only=True, help_text=_("Reflections written against this version."))
    area_count = serializers.IntegerField(read_only=True)
    prompt_count = serializers.IntegerField(read_only=True)


class TemplateChangeSerializer(serializers.Serializer):
    """The result of a change: the current template after it and what was changed in it."""

    template = TemplateSerializer(read_only=True)
    area = TemplateAreaSerializer(read_only=True, allow_null=True)
    prompt = TemplatePromptSerializer(read_only=True, allow_null=True)
    new_version = serializers.BooleanField(
        read_only=True,
        help_text=_("True when the change made a new version, because reflections had been "
                    "written against the previous one; ids of areas and questions then differ."))
    changed = serializers.BooleanField(read_only=True)


# --- Input --------------------------------------------------------------------------------------


class TemplateAreaInputSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    intro = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class TemplatePromptInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    help_text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class TemplateMoveInputSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=DIRECTIONS)


# --- Participation ------------------------------------------------------------------------------


class ParticipationMemberSerializer(serializers.Serializer):
    """One member's completion, from their latest reflection. Counts only."""

    member = MemberRefSerializer(read_only=True, source="*")
    team = TeamRefSerializer(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Status.CHOICES, read_only=True,
                                     source="participation")
    reflection_count = serializers.IntegerField(read_only=True)
    areas_answered = serializers.IntegerField(
        read_only=True, help_text=_("Areas with at least one answer in the latest reflection."))
    areas_total = serializers.IntegerField(read_only=True)
    prompts_answered = serializers.IntegerField(read_only=True)
    prompts_total = serializers.IntegerField(read_only=True)
    last_updated_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                                source="latest_updated_at")


class ParticipationBucketSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    share = serializers.IntegerField(read_only=True, help_text=_("Per cent of active members."))


class ParticipationGroupSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    is_other = serializers.BooleanField(
        read_only=True, help_text=_("Small teams counted together."))
    members = serializers.IntegerField(read_only=True)
    started = serializers.IntegerField(read_only=True)
    started_share = serializers.IntegerField(read_only=True)
    half = serializers.IntegerField(read_only=True)
    half_share = serializers.IntegerField(read_only=True)


class ParticipationSummarySerializer(serializers.Serializer):
    members = serializers.IntegerField(read_only=True, help_text=_("Active members."))
    too_few = serializers.BooleanField(
        read_only=True,
        help_text=_("True when there are too few active members to show any figure."))
    min_group_size = serializers.IntegerField(read_only=True)
    started = serializers.IntegerField(read_only=True)
    started_share = serializers.IntegerField(read_only=True)
    half = serializers.IntegerField(
        read_only=True, help_text=_("Members with at least half the areas answered."))
    half_share = serializers.IntegerField(read_only=True)
    complete = serializers.IntegerField(read_only=True)
    complete_share = serializers.IntegerField(read_only=True)
    last_activity = serializers.DateTimeField(read_only=True, allow_null=True)
    buckets = ParticipationBucketSerializer(many=True, read_only=True)
    groups = ParticipationGroupSerializer(many=True, read_only=True)


class ParticipationQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text=_("Words of a name, an email or a job title."))
    status = serializers.ChoiceField(required=False, allow_blank=True, choices=Status.CHOICES)
