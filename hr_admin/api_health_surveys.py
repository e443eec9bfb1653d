"""Health-check surveys in the API, under /api/v1/o/<org_slug>/hr/health-check/.

HR admins edit the question set and create, launch and close surveys; leaders read surveys and
participation (a write is 403); an invited member reads the questions and sends their answers
once. Anyone else, and any other organisation's id, gets 404. No endpoint returns an answer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination

from . import access_health as access
from . import serializers_health_surveys as s
from .models import HealthQuestionKind
from .selectors import health_surveys as selectors
from .services import health_surveys as services

TAG = "hr: health-check surveys"


def _raise(error: DjangoValidationError):
    detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors":
                                                                       error.messages}
    raise drf.ValidationError(detail)


class QuestionListView(ScopedAPIView):
    serializer_class = s.HealthQuestionCreateSerializer
    pagination_class = None  # the whole question set, as a plain list

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require_manager(self.membership)

    @extend_schema(operation_id="hr_health_questions_list", tags=[TAG],
                   responses={200: s.HealthQuestionSerializer(many=True),
                              **error_responses(403)})
    def get(self, request, org_slug):
        """The organisation's question set, in the order asked (retired ones included)."""
        rows = services.question_set(organization=self.organization)
        return Response(s.HealthQuestionSerializer(rows, many=True).data)

    @extend_schema(operation_id="hr_health_questions_create", tags=[TAG],
                   request=s.HealthQuestionCreateSerializer,
                   responses={201: s.HealthQuestionSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Add an agreement question (in a dimension) or a comment question."""
        data = self.parse(s.HealthQuestionCreateSerializer, request.data)
        try:
            question = services.question_create(**self.service_context, **data)
        except DjangoValidationError as e:
            _raise(e)
        return Response(s.HealthQuestionSerializer(question).data,
                        status=status.HTTP_201_CREATED)


class QuestionDetailView(ScopedAPIView):
    serializer_class = s.HealthQuestionUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.question = access.access_question_by_id(
            membership=self.membership, health_question_id=kwargs["health_question_id"])

    @extend_schema(operation_id="hr_health_questions_partial_update", tags=[TAG],
                   request=s.HealthQuestionUpdateSerializer,
                   responses={200: s.HealthQuestionSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, health_question_id):
        """Reword (``text``), retire or bring back (``is_active``), or move one place
        (``direction``: up or down)."""
        data = self.parse(s.HealthQuestionUpdateSerializer, request.data, partial=True)
        try:
            if "text" in data:
                services.question_update(**self.service_context, question=self.question,
                                         text=data["text"])
            if "is_active" in data:
                services.question_set_active(**self.service_context, question=self.question,
                                             is_active=data["is_active"])
            if "direction" in data:
                services.question_move(**self.service_context, question=self.question,
                                       direction=data["direction"])
        except DjangoValidationError as e:
            _raise(e)
        self.question.refresh_from_db()
        return Response(s.HealthQuestionSerializer(self.question).data)


class SurveyListView(ScopedAPIView):
    serializer_class = s.SurveyInputSerializer
    pagination_class = Pagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require_reader(self.membership)

    @extend_schema(operation_id="hr_health_surveys_list", tags=[TAG],
                   responses={200: s.SurveySerializer(many=True), **error_responses()})
    def get(self, request, org_slug):
        """Surveys so far, newest first (HR admins and leaders)."""
        rows = selectors.survey_list(organization=self.organization).prefetch_related("teams")
        return self.paginated(rows, s.SurveySerializer)

    @extend_schema(operation_id="hr_health_surveys_create", tags=[TAG],
                   request=s.SurveyInputSerializer,
                   responses={201: s.SurveySerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """A draft survey (HR admins). ``previous`` defaults to the last closed survey."""
        access.require_manager(self.membership)
        data = self.parse(s.SurveyInputSerializer, request.data)
        try:
            survey = services.survey_create(**self.service_context, **data)
        except DjangoValidationError as e:
            _raise(e)
        return Response(s.SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


class SurveyDetailView(ScopedAPIView):
    serializer_class = s.SurveyActionSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.survey = access.access_survey_by_id(membership=self.membership,
                                                 survey_id=kwargs["survey_id"])

    @extend_schema(operation_id="hr_health_surveys_retrieve", tags=[TAG],
                   responses={200: s.SurveySerializer, **error_responses()})
    def get(self, request, org_slug, survey_id):
        return Response(s.SurveySerializer(self.survey).data)

    @extend_schema(operation_id="hr_health_surveys_action", tags=[TAG],
                   request=s.SurveyActionSerializer,
                   responses={200: s.SurveySerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, survey_id):
        """``{"action": "launch"}`` or ``{"action": "close"}`` (HR admins)."""
        access.require_manager(self.membership)
        data = self.parse(s.SurveyActionSerializer, request.data)
        try:
            if data["action"] == "launch":
                survey = services.survey_launch(**self.service_context, survey=self.survey)
            else:
                survey = services.survey_close(**self.service_context, survey=self.survey)
        except DjangoValidationError as e:
            _raise(e)
        return Response(s.SurveySerializer(survey).data)


class ParticipationView(ScopedAPIView):
    serializer_class = s.ParticipationSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.survey = access.access_survey_by_id(membership=self.membership,
                                                 survey_id=kwargs["survey_id"])

    @extend_schema(operation_id="hr_health_surveys_participation", tags=[TAG],
                   responses={200: s.ParticipationSerializer, **error_responses()})
    def get(self, request, org_slug, survey_id):
        """Invited and answered, overall and per team; a team's count is null below the
        survey's smallest group. Never who answered."""
        data = selectors.participation(organization=self.organization, survey=self.survey)
        return Response(s.ParticipationSerializer(data).data)


class AnswerView(ScopedAPIView):
    serializer_class = s.HealthAnswersInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.participation = access.access_participation(membership=self.membership,
                                                         survey_id=kwargs["survey_id"])

    @extend_schema(operation_id="hr_health_answer_retrieve", tags=[TAG],
                   responses={200: s.HealthAnswerSheetSerializer, **error_responses()})
    def get(self, request, org_slug, survey_id):
        """The survey's questions for the invited member, and whether they have answered."""
        survey = self.participation.survey
        questions = selectors.answer_questions(organization=self.organization, survey=survey)
        return Response(s.HealthAnswerSheetSerializer({
            "survey": survey, "has_responded": self.participation.has_responded,
            "questions": questions["all"]}).data)

    @extend_schema(operation_id="hr_health_answer_create", tags=[TAG],
                   request=s.HealthAnswersInputSerializer,
                   responses={204: None, **error_responses(400)})
    def post(self, request, org_slug, survey_id):
        """Send the member's answers, once: ``value`` for agreement (1 to 5) and eNPS (0 to 10)
        questions, ``text`` for comment questions; unanswered questions left out."""
        data = self.parse(s.HealthAnswersInputSerializer, request.data)
        survey = self.participation.survey
        kinds = {q.pk: q.kind for q in selectors.answer_questions(
            organization=self.organization, survey=survey)["all"]}
        values, comments = {}, {}
        for item in data["answers"]:
            if kinds.get(item["question"]) == HealthQuestionKind.COMMENT:
                if item.get("text"):
                    comments[item["question"]] = item["text"]
            elif item.get("value") is not None:
                values[item["question"]] = item["value"]
            elif item["question"] not in kinds:
                # Let the service name the unknown question as a field error.
                values[item["question"]] = 0
        try:
            services.response_submit(organization=self.organization, member=self.membership,
                                     survey=survey, answers=values, comments=comments)
        except DjangoValidationError as e:
            _raise(e)
        return Response(status=status.HTTP_204_NO_CONTENT)
