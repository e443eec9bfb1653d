"""The quick self-assessment and the action plan in the API, under
/api/v1/o/<org_slug>/hr/health-check/ (HR admins and leaders; anyone else gets 404), and the
public quick check's submit at /health-check/api/submit/ (no account).

Answers are sent as ``{"answers": {question key: value, "comment": "…"}}``; a missing or
out-of-range answer is a 400 naming the question (``{"answers": {key: [message]}}``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.api_base import ScopedAPIView, error_responses
from organizations.models import Membership
from organizations.pagination import Pagination

from . import health_content as content
from .models import HealthAction
from .services import health_actions as actions
from .services import health_quick as quick

TAG = "hr: health check (quick)"


# --- Serializers --------------------------------------------------------------------------------


class QuickQuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    dimension = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()


class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Question key → value (Likert 1-5, eNPS 0-10), "
                                              "and an optional \"comment\".")

    def validate_answers(self, value):
        try:
            return quick.answers_clean(value)
        except DjangoValidationError as e:
            raise ValidationError({k: [str(m) for m in v] for k, v in e.message_dict.items()}
                                  ) from None


class QuickDimensionScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.SerializerMethodField()
    score = serializers.FloatField(allow_null=True)
    is_weak = serializers.BooleanField()
    strategies = serializers.SerializerMethodField()

    def get_title(self, obj) -> str:
        return str(obj.dimension.title)

    @extend_schema(responses=inline_serializer("QuickHealthStrategy", {
        "key": serializers.CharField(), "title": serializers.CharField(),
        "text": serializers.CharField()}))
    def get_strategies(self, obj) -> list[dict]:
        return [{"key": s.key, "title": str(s.title), "text": str(s.text)}
                for s in obj.strategies]


class QuickResultSerializer(serializers.Serializer):
    index = serializers.FloatField(allow_null=True)
    enps = serializers.FloatField(allow_null=True)
    dimensions = QuickDimensionScoreSerializer(many=True)
    strongest = serializers.SerializerMethodField()
    weakest = serializers.SerializerMethodField()
    weak = serializers.SerializerMethodField()

    def get_strongest(self, obj) -> list[str]:
        return [d.key for d in obj["strongest"]]

    def get_weakest(self, obj) -> list[str]:
        return [d.key for d in obj["weakest"]]

    def get_weak(self, obj) -> list[str]:
        return [d.key for d in obj["weak"]]


class QuickSurveySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="survey.pk")
    title = serializers.CharField(source="survey.title")
    created_at = serializers.DateTimeField(source="survey.created_at")
    index = serializers.FloatField(allow_null=True)
    enps = serializers.FloatField(allow_null=True)


class QuickSurveyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="survey.pk")
    title = serializers.CharField(source="survey.title")
    created_at = serializers.DateTimeField(source="survey.created_at")
    result = QuickResultSerializer()


class HealthActionSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.SerializerMethodField()
    survey = serializers.IntegerField(source="survey_id", allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = HealthAction
        fields = ["id", "title", "notes", "owner", "owner_name", "due_on", "is_done",
                  "is_overdue", "dimension", "strategy", "survey", "created_at"]

    def get_owner_name(self, obj) -> str:
        return obj.owner.display_name if obj.owner else ""

    def get_is_overdue(self, obj) -> bool:
        return actions.is_overdue(obj)


class HealthActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    dimension = serializers.ChoiceField(choices=[("", "")] + [(k, k) for k in
                                                              content.DIMENSION_KEYS],
                                        required=False, allow_blank=True, default="")
    strategy = serializers.ChoiceField(choices=[("", "")] + [(s.key, s.key) for s in
                                                             content.STRATEGIES],
                                       required=False, allow_blank=True, default="")
    survey = serializers.IntegerField(required=False, allow_null=True, default=None)
    is_done = serializers.BooleanField(required=False, default=False)

    def validate_owner(self, value):
        if value is None:
            return None
        member = (Membership.objects.for_org(self.context["organization"])
                  .select_related("user").filter(pk=value).first())
        if member is None:
            raise ValidationError(_("Choose a member of your organisation."))
        return member

    def validate_survey(self, value):
        if value is None:
            return None
        from .models import Survey

        survey = Survey.objects.for_org(self.context["organization"]).filter(pk=value).first()
        if survey is None:
            raise ValidationError(_("Choose one of your organisation's health checks."))
        return survey


def _service(call, **kwargs):
    """Run a service, turning its field errors into a 400."""
    try:
        return call(**kwargs)
    except DjangoValidationError as e:
        raise ValidationError(e.message_dict if hasattr(e, "error_dict") else
                              {"non_field_errors": e.messages}) from None


# --- The quick self-assessment ------------------------------------------------------------------


class _LeadView(ScopedAPIView):
    pagination_class = Pagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        quick.require_health_lead(self.membership)


class QuickQuestionsView(_LeadView):
    serializer_class = QuickQuestionSerializer
    pagination_class = None  # a plain list

    @extend_schema(operation_id="hr_health_quick_questions", tags=[TAG],
                   responses={200: QuickQuestionSerializer(many=True)})
    def get(self, request, org_slug):
        """The shipped questions, in the caller's language."""
        return Response([{"key": k, "dimension": d, "kind": kind, "text": str(t)}
                         for k, d, kind, t in content.QUESTIONS])


class QuickListView(_LeadView):
    serializer_class = AnswersInputSerializer
    pagination_class = None  # a plain list

    @extend_schema(operation_id="hr_health_quick_list", tags=[TAG],
                   responses={200: QuickSurveySerializer(many=True)})
    def get(self, request, org_slug):
        """The organisation's quick self-assessments, newest first, with index and eNPS."""
        history = quick.quick_history(organization=self.organization)
        return Response(QuickSurveySerializer(history, many=True).data)

    @extend_schema(operation_id="hr_health_quick_create", tags=[TAG],
                   request=AnswersInputSerializer,
                   responses={201: QuickSurveyResultSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Take the quick self-assessment; answers the scores."""
        data = self.parse(AnswersInputSerializer, request.data)
        survey = _service(quick.quick_assessment_create, **self.service_context,
                          answers=data["answers"])
        answers = quick.quick_answers(organization=self.organization, survey=survey)
        return Response(QuickSurveyResultSerializer(
            {"survey": survey, "result": quick.result(answers)}).data,
            status=status.HTTP_201_CREATED)


class QuickResultView(_LeadView):
    serializer_class = QuickSurveyResultSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.survey = quick.access_quick_survey_by_id(membership=self.membership,
                                                      survey_id=kwargs["survey_id"])

    @extend_schema(operation_id="hr_health_quick_result", tags=[TAG],
                   responses={200: QuickSurveyResultSerializer})
    def get(self, request, org_slug, survey_id):
        """A quick self-assessment's scores (computed with ``quick_scores``)."""
        answers = quick.quick_answers(organization=self.organization, survey=self.survey)
        return Response(QuickSurveyResultSerializer(
            {"survey": self.survey, "result": quick.result(answers)}).data)


# --- The action plan ----------------------------------------------------------------------------


class ActionListView(_LeadView):
    serializer_class = HealthActionInputSerializer

    @extend_schema(operation_id="hr_health_actions_list", tags=[TAG],
                   responses={200: HealthActionSerializer(many=True)})
    def get(self, request, org_slug):
        return self.paginated(actions.action_list(organization=self.organization),
                              HealthActionSerializer)

    @extend_schema(operation_id="hr_health_actions_create", tags=[TAG],
                   request=HealthActionInputSerializer,
                   responses={201: HealthActionSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Add an action; its owner is told in-app."""
        data = self.parse(HealthActionInputSerializer, request.data)
        data.pop("is_done", None)
        action = _service(actions.health_action_create, **self.service_context, **data)
        return Response(HealthActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetailView(_LeadView):
    serializer_class = HealthActionInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.action = actions.access_action_by_id(membership=self.membership,
                                                  health_action_id=kwargs["health_action_id"])

    @extend_schema(operation_id="hr_health_actions_read", tags=[TAG],
                   responses={200: HealthActionSerializer})
    def get(self, request, org_slug, health_action_id):
        return Response(HealthActionSerializer(self.action).data)

    @extend_schema(operation_id="hr_health_actions_update", tags=[TAG],
                   request=HealthActionInputSerializer,
                   responses={200: HealthActionSerializer, **error_responses(400)})
    def patch(self, request, org_slug, health_action_id):
        """Change an action (fields left out keep their value); a new owner is told."""
        data = self.parse(HealthActionInputSerializer, request.data, partial=True)
        a = self.action
        data.pop("survey", None)
        merged = {"title": a.title, "notes": a.notes, "owner": a.owner, "due_on": a.due_on,
                  "dimension": a.dimension, "strategy": a.strategy, "is_done": a.is_done,
                  **data}
        action = _service(actions.health_action_update, **self.service_context, action=a,
                          **merged)
        return Response(HealthActionSerializer(action).data)

    @extend_schema(operation_id="hr_health_actions_delete", tags=[TAG],
                   responses={204: None})
    def delete(self, request, org_slug, health_action_id):
        actions.health_action_delete(**self.service_context, action=self.action)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The public quick check ---------------------------------------------------------------------


class PublicSubmitView(APIView):
    """Take the quick check without an account: answers the scores (and keeps the check in the
    caller's session, so that creating an organisation afterwards keeps it)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="health_public_submit", tags=["health check (public)"],
                   request=AnswersInputSerializer,
                   responses={201: QuickResultSerializer, **error_responses(400)})
    def post(self, request):
        serializer = AnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _check, token = quick.public_check_submit(
            answers=serializer.validated_data["answers"],
            language=translation.get_language() or "en")
        request.session[quick.SESSION_KEY] = token
        return Response(QuickResultSerializer(quick.result(_check.answers)).data,
                        status=status.HTTP_201_CREATED)
