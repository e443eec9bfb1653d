"""Input and output shapes of the reflections API. Outputs read the selectors' views."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.serializers import MemberRefSerializer

from ..models import ANSWER_MAX_LENGTH
from ..services.reflections import TITLE_MAX_LENGTH


class ReflectionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH, required=False, allow_blank=True,
                                  help_text=_("Optional; the reflection is dated anyway."))


class AnswerInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=ANSWER_MAX_LENGTH, allow_blank=True,
                                 trim_whitespace=False,
                                 help_text=_("The answer; an empty text removes it."))


class ReflectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    label = serializers.CharField(source="display_title",
                                  help_text=_("The title, else the day it was started."))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    template_version = serializers.IntegerField(source="template.version")
    answered_count = serializers.IntegerField()
    prompt_count = serializers.IntegerField()
    shared_count = serializers.IntegerField(help_text=_("Areas shared with the manager."))


class PromptViewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="prompt.pk")
    key = serializers.CharField(source="prompt.key")
    text = serializers.CharField(source="prompt.text")
    help_text = serializers.CharField(source="prompt.help_text")
    answer = serializers.CharField(source="text")
    answered_at = serializers.DateTimeField(source="updated_at", allow_null=True)


class AreaViewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="area.pk")
    key = serializers.CharField(source="area.key")
    title = serializers.CharField(source="area.title")
    intro = serializers.CharField(source="area.intro")
    shared = serializers.BooleanField(source="is_shared")
    shared_at = serializers.DateTimeField(allow_null=True)
    answered_count = serializers.IntegerField()
    prompt_count = serializers.IntegerField()
    complete = serializers.BooleanField(source="is_complete")
    prompts = PromptViewSerializer(many=True)


class ReflectionDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="reflection.pk")
    title = serializers.CharField(source="reflection.title")
    label = serializers.CharField(source="reflection.display_title")
    created_at = serializers.DateTimeField(source="reflection.created_at")
    updated_at = serializers.DateTimeField(source="reflection.updated_at")
    template_version = serializers.IntegerField(source="reflection.template.version")
    answered_count = serializers.IntegerField()
    prompt_count = serializers.IntegerField()
    percent = serializers.IntegerField()
    areas = AreaViewSerializer(many=True)


class AnswerSerializer(serializers.Serializer):
    prompt_id = serializers.IntegerField()
    answer = serializers.CharField()
    area_answered_count = serializers.IntegerField()
    area_prompt_count = serializers.IntegerField()
    reflection_percent = serializers.IntegerField()


class ShareSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    shared = serializers.BooleanField()
    shared_at = serializers.DateTimeField(allow_null=True)


class ReflectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    created_at = serializers.DateTimeField()


class CompareRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField(help_text=_("The question, in the newer reflection's wording."))
    before = serializers.CharField()
    after = serializers.CharField()
    changed = serializers.BooleanField()


class CompareAreaSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    changed_count = serializers.IntegerField()
    rows = CompareRowSerializer(many=True)


class CompareSerializer(serializers.Serializer):
    before = ReflectionRefSerializer()
    after = ReflectionRefSerializer()
    areas = CompareAreaSerializer(many=True)


class ReportSharingSerializer(serializers.Serializer):
    member = MemberRefSerializer()
    shared_areas = serializers.IntegerField()
    last_shared_at = serializers.DateTimeField(allow_null=True)


class SharedAreaSerializer(serializers.Serializer):
    reflection = ReflectionRefSerializer()
    area = AreaViewSerializer()


class SharedWorkSerializer(serializers.Serializer):
    member = MemberRefSerializer()
    areas = SharedAreaSerializer(many=True)
    goals = serializers.ListField(child=serializers.DictField())
    options = serializers.ListField(child=serializers.DictField())
    actions = serializers.ListField(child=serializers.DictField())
