"""Positive feedback and recommendations in the API.

Each view is parse → access → service or selector → serialise. An object named in the URL is
looked up in ``initial`` (``access_feedback_by_id``, ``access_recommendation_by_id``,
``access_member_by_id``), filtered on the caller's organisation and on the caller being allowed
to read it, before the method runs: another organisation's id, an id the caller may not read and
an absent id are all 404 whatever the method. A recommendation is never readable by the member
it is about. Writes go through ``services.feedback`` and ``services.recommendations``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.access import access_member_by_id
from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from ..selectors import feedback as feedback_selectors
from ..selectors import recommendations as selectors
from ..serializers import feedback as s
from ..services import feedback as feedback_services
from ..services import recommendations as services

FEEDBACK_TAG = "conversations: feedback"
RECOMMENDATIONS_TAG = "conversations: recommendations"


class _View(ScopedAPIView):
    pagination_class = Pagination


# --- Feedback -----------------------------------------------------------------------------------


class FeedbackListView(_View):
    serializer_class = s.FeedbackInputSerializer

    @extend_schema(operation_id="conversations_feedback_list", tags=[FEEDBACK_TAG],
                   parameters=[s.FeedbackListQuerySerializer],
                   responses={200: s.FeedbackSerializer(many=True), **error_responses(400)})
    def get(self, request, org_slug):
        """Feedback I received (``direction=received``, the default) or gave, newest first."""
        query = self.parse(s.FeedbackListQuerySerializer, request.query_params)
        if query["direction"] == "given":
            rows = feedback_selectors.feedback_given(organization=self.organization,
                                                     author=self.membership)
        else:
            rows = feedback_selectors.feedback_received(organization=self.organization,
                                                        member=self.membership)
        return self.paginated(rows, s.FeedbackSerializer)

    @extend_schema(operation_id="conversations_feedback_create", tags=[FEEDBACK_TAG],
                   request=s.FeedbackInputSerializer,
                   responses={201: s.FeedbackSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Spotlight a strength, attribute or achievement of someone in my reporting line, or
        whom I mentor or coach. They are told in-app."""
        data = self.parse(s.FeedbackInputSerializer, request.data)
        given = feedback_services.feedback_give(**self.service_context, **data)
        given = feedback_selectors.access_feedback_by_id(membership=self.membership,
                                                         feedback_id=given.pk)
        return Response(s.FeedbackSerializer(given, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class FeedbackDetailView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.feedback = feedback_selectors.access_feedback_by_id(
            membership=self.membership, feedback_id=kwargs["feedback_id"])

    @extend_schema(operation_id="conversations_feedback_retrieve", tags=[FEEDBACK_TAG],
                   responses={200: s.FeedbackSerializer, **error_responses()})
    def get(self, request, org_slug, feedback_id):
        """One piece of feedback: for the member it is about, its author and the member's line
        manager."""
        return Response(s.FeedbackSerializer(self.feedback,
                                             context=self.get_serializer_context()).data)

    @extend_schema(operation_id="conversations_feedback_destroy", tags=[FEEDBACK_TAG],
                   responses={204: None, **error_responses(400, 403)})
    def delete(self, request, org_slug, feedback_id):
        """Withdraw feedback I gave, within a day of giving it."""
        feedback_services.feedback_withdraw(**self.service_context, feedback=self.feedback)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberFeedbackView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.member = access_member_by_id(membership=self.membership,
                                          member_id=kwargs["member_id"])

    @extend_schema(operation_id="conversations_member_feedback_list", tags=[FEEDBACK_TAG],
                   responses={200: s.FeedbackSerializer(many=True), **error_responses()})
    def get(self, request, org_slug, member_id):
        """The feedback a member received, as far as I may read it: all of it for the member
        and their line manager, what I gave for anyone else (nothing, for HR and leaders)."""
        rows = feedback_selectors.feedback_about(organization=self.organization,
                                                 member=self.member, viewer=self.membership)
        if self.member.manager_id == self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="conversations.feedback_viewed", subject=self.member, via="api")
        return self.paginated(rows, s.FeedbackSerializer)


# --- Recommendations ----------------------------------------------------------------------------


class RecommendationListView(_View):
    serializer_class = s.RecommendationInputSerializer

    @extend_schema(operation_id="conversations_recommendations_list",
                   tags=[RECOMMENDATIONS_TAG], parameters=[s.RecommendationListQuerySerializer],
                   responses={200: s.RecommendationSerializer(many=True),
                              **error_responses(400)})
    def get(self, request, org_slug):
        """The recommendations I may read: those I wrote and, for HR and leaders, every other
        one except those about me. Pending ones oldest first when ``status=pending``."""
        query = self.parse(s.RecommendationListQuerySerializer, request.query_params)
        org, me = self.organization, self.membership
        status_ = query.get("status")
        if query["mine"] or not selectors.reads_every_recommendation(me):
            rows = selectors.recommendations_written(organization=org, author=me,
                                                     status=status_)
        else:
            rows = selectors.recommendation_queue(organization=org, viewer=me, status=status_)
            audit(organization=org, actor=me, action="conversations.recommendations_listed",
                  status=status_ or "all", via="api")
        return self.paginated(rows, s.RecommendationSerializer)

    @extend_schema(operation_id="conversations_recommendations_create",
                   tags=[RECOMMENDATIONS_TAG], request=s.RecommendationInputSerializer,
                   responses={201: s.RecommendationSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Recommend someone in my reporting line for a promotion, a role or an opportunity.
        HR admins are told; the person recommended never sees it."""
        data = self.parse(s.RecommendationInputSerializer, request.data)
        made = services.recommendation_create(**self.service_context, **data)
        made = selectors.access_recommendation_by_id(membership=self.membership,
                                                     recommendation_id=made.pk)
        return Response(s.RecommendationSerializer(made).data, status=status.HTTP_201_CREATED)


class _OneRecommendationView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.recommendation = selectors.access_recommendation_by_id(
            membership=self.membership, recommendation_id=kwargs["recommendation_id"])

    def answer(self) -> Response:
        fresh = selectors.access_recommendation_by_id(membership=self.membership,
                                                      recommendation_id=self.recommendation.pk)
        return Response(s.RecommendationSerializer(fresh).data)


class RecommendationDetailView(_OneRecommendationView):
    @extend_schema(operation_id="conversations_recommendations_retrieve",
                   tags=[RECOMMENDATIONS_TAG],
                   responses={200: s.RecommendationSerializer, **error_responses()})
    def get(self, request, org_slug, recommendation_id):
        """One recommendation: for its author, HR and leaders."""
        if self.recommendation.author_id != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="conversations.recommendation_viewed",
                  subject=self.recommendation.member, recommendation=self.recommendation.pk,
                  via="api")
        return Response(s.RecommendationSerializer(self.recommendation).data)


class RecommendationWithdrawView(_OneRecommendationView):
    @extend_schema(operation_id="conversations_recommendations_withdraw",
                   tags=[RECOMMENDATIONS_TAG], request=None,
                   responses={200: s.RecommendationSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, recommendation_id):
        """Withdraw a recommendation I wrote, while it waits for HR."""
        services.recommendation_withdraw(**self.service_context,
                                         recommendation=self.recommendation)
        return self.answer()


class RecommendationDecideView(_OneRecommendationView):
    serializer_class = s.DecisionInputSerializer

    @extend_schema(operation_id="conversations_recommendations_decide",
                   tags=[RECOMMENDATIONS_TAG], request=s.DecisionInputSerializer,
                   responses={200: s.RecommendationSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, recommendation_id):
        """Accept or decline a pending recommendation, with a note for the manager who wrote
        it (HR admins; never one about themselves or one they wrote)."""
        if not self.membership.is_hr_admin:
            raise PermissionDenied(_("Only HR admins decide recommendations."))
        data = self.parse(s.DecisionInputSerializer, request.data)
        services.recommendation_decide(**self.service_context,
                                       recommendation=self.recommendation, **data)
        return self.answer()

