"""HR's recommendations queue in the API, under /api/v1/o/<org_slug>/hr/recommendations/.

HR admins and leaders read the queue (404 for anyone else: a manager reads what they wrote
through the conversations API); HR admins decide, and accepting a promotion or a role can record
the move. A recommendation is never readable by the member it is about. Reads are audit-logged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from . import serializers_recommendations as s
from .selectors import moves as move_selectors
from .selectors import recommendations as selectors
from .services.recommendation_decisions import recommendation_decide_with_move

TAG = "hr: recommendations"


class _View(ScopedAPIView):
    pagination_class = Pagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.reads_every_recommendation(self.membership):
            raise Http404


class QueueView(_View):
    @extend_schema(operation_id="hr_recommendations_list", tags=[TAG],
                   parameters=[s.QueueQuerySerializer],
                   responses={200: s.QueuedRecommendationSerializer(many=True),
                              **error_responses(400)})
    def get(self, request, org_slug):
        """The queue: pending recommendations, the longest-waiting first (or another status),
        with each member's current role profile."""
        query = self.parse(s.QueueQuerySerializer, request.query_params)
        rows = selectors.queue(organization=self.organization, viewer=self.membership,
                               status=query["status"] or None, kind=query.get("kind"))
        audit(organization=self.organization, actor=self.membership,
              action="hr.recommendations_listed", status=query["status"] or "all", via="api")
        return self.paginated(rows, s.QueuedRecommendationSerializer)


class _OneView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.recommendation = selectors.access_queued_recommendation(
            membership=self.membership, recommendation_id=kwargs["recommendation_id"])


class QueuedRecommendationView(_OneView):
    @extend_schema(operation_id="hr_recommendations_retrieve", tags=[TAG],
                   responses={200: s.QueuedRecommendationSerializer, **error_responses()})
    def get(self, request, org_slug, recommendation_id):
        """One recommendation of the queue."""
        audit(organization=self.organization, actor=self.membership,
              action="hr.recommendation_viewed", subject=self.recommendation.member,
              recommendation=self.recommendation.pk, via="api")
        return Response(s.QueuedRecommendationSerializer(self.recommendation).data)


class QueueDecideView(_OneView):
    serializer_class = s.QueueDecisionInputSerializer

    @extend_schema(operation_id="hr_recommendations_decide", tags=[TAG],
                   request=s.QueueDecisionInputSerializer,
                   responses={200: s.QueueDecisionSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, recommendation_id):
        """Accept or decline, with a note for the manager; accepting a promotion or a role
        with ``record_move`` also sets the role profile and records the move."""
        if not self.membership.is_hr_admin:
            raise PermissionDenied(_("Only HR admins decide recommendations."))
        data = self.parse(s.QueueDecisionInputSerializer, request.data)
        _decided, move = recommendation_decide_with_move(
            **self.service_context, recommendation=self.recommendation, **data)
        fresh = selectors.access_queued_recommendation(membership=self.membership,
                                                       recommendation_id=self.recommendation.pk)
        if move is not None:
            move = move_selectors.move_get(organization=self.organization, move_id=move.pk)
        return Response(s.QueueDecisionSerializer({"recommendation": fresh, "move": move}).data)
