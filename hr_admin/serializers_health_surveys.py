"""Input and output serializers of the health-check surveys API.

No serializer here carries an answer: participation is counts, questions are questions. Every
id a client sends (teams, the survey to compare with) is scoped to the caller's organisation.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import Team
from organizations.serializers import ScopedPrimaryKeyRelatedField, TeamRefSerializer

from .health_content import DIMENSION_KEYS, shipped_question_text
from .models import HealthQuestion, HealthQuestionKind, Survey
from .selectors import health_surveys as selectors
from .services.health_surveys import COMMENT_MAX_LENGTH

TEXT_MAX = HealthQuestion._meta.get_field("text").max_length


def _teams(*, organization):
    return Team.objects.for_org(organization)


def _closed_surveys(*, organization):
    return selectors.closed_surveys(organization=organization)


class HealthQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.CharField(read_only=True)
    dimension = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    text = serializers.SerializerMethodField()
    position = serializers.IntegerField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_text(self, obj) -> str:
        return shipped_question_text(obj.text)


class HealthQuestionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[HealthQuestionKind.LIKERT,
                                            HealthQuestionKind.COMMENT])
    dimension = serializers.ChoiceField(choices=DIMENSION_KEYS, required=False,
                                        allow_blank=True, default="")
    text = serializers.CharField(max_length=TEXT_MAX)


class HealthQuestionUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, required=False)
    is_active = serializers.BooleanField(required=False)
    direction = serializers.ChoiceField(choices=["up", "down"], required=False)


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.SerializerMethodField()
    teams = TeamRefSerializer(many=True, read_only=True)
    opens_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closes_at = serializers.DateTimeField(read_only=True, allow_null=True)
    previous_id = serializers.IntegerField(read_only=True, allow_null=True)
    min_group_size = serializers.IntegerField(read_only=True)
    comment_min_group_size = serializers.IntegerField(read_only=True)
    invited_count = serializers.IntegerField(read_only=True)
    response_count = serializers.IntegerField(read_only=True)
    response_rate = serializers.SerializerMethodField()
    launched_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(serializers.CharField(
        help_text="draft, scheduled (launched, opens later), open or closed"))
    def get_status(self, obj) -> str:
        return selectors.survey_state(obj)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_response_rate(self, obj) -> int | None:
        return selectors.rate(obj.response_count, obj.invited_count)


class SurveyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=Survey._meta.get_field("title").max_length)
    teams = ScopedPrimaryKeyRelatedField(Team, _teams, many=True, required=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    previous = ScopedPrimaryKeyRelatedField(Survey, _closed_surveys, required=False,
                                            allow_null=True)


class SurveyActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["launch", "close"])


class TeamParticipationSerializer(serializers.Serializer):
    team_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    invited = serializers.IntegerField()
    answered = serializers.IntegerField(allow_null=True,
                                        help_text="null: fewer than min_group_size answered")
    rate = serializers.IntegerField(allow_null=True)


class ParticipationSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    answered = serializers.IntegerField(allow_null=True)
    rate = serializers.IntegerField(allow_null=True)
    min_group_size = serializers.IntegerField()
    teams = TeamParticipationSerializer(many=True)


class SurveyQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    dimension = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField(source="display_text")
    position = serializers.IntegerField()


class HealthAnswerSheetSerializer(serializers.Serializer):
    survey = SurveySerializer()
    has_responded = serializers.BooleanField()
    questions = SurveyQuestionSerializer(many=True)


class HealthAnswerItemSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    value = serializers.IntegerField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_blank=True,
                                 max_length=COMMENT_MAX_LENGTH)


class HealthAnswersInputSerializer(serializers.Serializer):
    answers = HealthAnswerItemSerializer(many=True)
