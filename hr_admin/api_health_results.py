"""A health-check survey's results in the API, under
/api/v1/o/<org_slug>/hr/health-check/surveys/<survey_id>/results/.

HR admins and leaders only (anyone else: 404); only the stored, suppressed figures.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses

from . import serializers_health_results as s
from .selectors import health_results as selectors

TAG = "hr: health check"


class SurveyResultsView(ScopedAPIView):
    serializer_class = s.SurveyResultsSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.survey = selectors.survey_for_results(self.membership, kwargs["survey_id"])

    @extend_schema(operation_id="hr_health_survey_results", tags=[TAG], parameters=[
        OpenApiParameter("teams_page", int, description="Page of teams in the heatmap."),
        OpenApiParameter("teams_order", str, enum=["name", "lowest"],
                         description="Teams by name (default) or lowest index first."),
        OpenApiParameter("teams_q", str, description="Only teams whose name contains this."),
        OpenApiParameter("page", int, description="Page of comments."),
    ], responses={200: s.SurveyResultsSerializer, **error_responses()})
    def get(self, request, org_slug, survey_id):
        """Response rate, index, career eNPS, dimensions, the dimensions x teams heatmap (hidden
        cells with their reason), tenure bands, questions, trend and, once closed and when
        enough people answered, comments."""
        results = selectors.survey_results(
            self.survey, teams=selectors.TeamPage.from_query(request.query_params),
            comments_page=request.query_params.get("page") or 1)
        return Response(s.SurveyResultsSerializer(s.results_data(results)).data)
