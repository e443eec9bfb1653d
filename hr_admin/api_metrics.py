"""The leadership metrics in the API: dashboards, trends, team comparisons and goals.

Each view is parse → access → role → selector or service → serialise. Ids from the request (a
team in the query, a goal or a metric in the URL) are looked up through ``access_metrics`` before
the role is checked, so another organisation's id and an absent id are 404 for every role, and
only then is anyone but a leader or HR refused (403). Leaders alone set goals.

Everything is read from the nightly snapshots, in a fixed number of queries whatever the number
of members, teams or goals: a page of goals carries each goal's figure (the last stored figure
within its period) and its team's latest headcount as subqueries of the one query of the page.

Privacy follows the dashboards (``selectors.metrics``): a personal figure of a team smaller than
the organisation's anonymity threshold is not shown, in a card, a trend, a team comparison or a
goal's figure.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.models import Team
from organizations.pagination import Pagination
from organizations.services import audit

from . import metric_definitions as defs
from . import serializers_metrics as s
from . import tasks_metrics
from .access_metrics import access_goal, access_metric, access_team
from .selectors import metrics as selectors
from .services import metric_goals as services
from .services.metrics import organization_today

TAG = "hr: leadership metrics"

METRIC_PARAMETER = OpenApiParameter(
    "metric", OpenApiTypes.STR, OpenApiParameter.PATH, enum=defs.KEYS,
    description=str(_("The metric's key.")))


def _team_or_none(membership, team_id) -> Team | None:
    return None if team_id is None else access_team(membership=membership, team_id=team_id)


# --- Dashboards ----------------------------------------------------------------------------------


class DashboardView(ScopedAPIView):
    serializer_class = s.DashboardSerializer

    @extend_schema(operation_id="hr_metrics_dashboard", tags=[TAG],
                   parameters=[s.ScopeQuerySerializer],
                   responses={200: s.DashboardSerializer, **error_responses(400, 403)})
    def get(self, request, org_slug):
        """The organisation's dashboard, or a team's with ``team``: every metric with its
        definition, the latest stored figure, the change over four weeks and its goals
        (leaders and HR)."""
        query = self.parse(s.ScopeQuerySerializer, request.query_params)
        team = _team_or_none(self.membership, query.get("team"))
        services.require_viewer(self.membership)
        board = selectors.dashboard(organization=self.organization, team=team)
        return Response(s.DashboardSerializer(board).data)


class _OneMetricView(ScopedAPIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.metric = access_metric(kwargs["metric"])


class TrendView(_OneMetricView):
    serializer_class = s.TrendSerializer

    @extend_schema(operation_id="hr_metrics_trend", tags=[TAG],
                   parameters=[METRIC_PARAMETER, s.ScopeQuerySerializer],
                   responses={200: s.TrendSerializer, **error_responses(400, 403)})
    def get(self, request, org_slug, metric):
        """A year of the metric's stored figures for the organisation or a team, oldest first
        (leaders and HR). A personal metric of a team below the anonymity threshold has no
        points and ``hidden`` true."""
        query = self.parse(s.ScopeQuerySerializer, request.query_params)
        team = _team_or_none(self.membership, query.get("team"))
        services.require_viewer(self.membership)
        org = self.organization
        hidden = (team is not None and self.metric.personal
                  and selectors.withheld(org, self.metric, selectors.team_headcount(org, team)))
        rows = [] if hidden else selectors.trend_rows(organization=org, metric=self.metric,
                                                      team=team)
        data = {"metric": self.metric.key, "team": team, "hidden": hidden,
                "points": [{"day": day, "value": value} for day, value in rows]}
        return Response(s.TrendSerializer(data).data)


class TeamsView(_OneMetricView):
    serializer_class = s.TeamRowSerializer
    pagination_class = None

    @extend_schema(operation_id="hr_metrics_teams", tags=[TAG],
                   parameters=[METRIC_PARAMETER, s.TeamsQuerySerializer],
                   responses={200: s.TeamRowSerializer(many=True), **error_responses(400, 403)})
    def get(self, request, org_slug, metric):
        """The teams directly under ``parent`` (the top-level teams without it) side by side on
        the metric, from the latest snapshot (leaders and HR)."""
        query = self.parse(s.TeamsQuerySerializer, request.query_params)
        parent = _team_or_none(self.membership, query.get("parent"))
        services.require_viewer(self.membership)
        stamp = selectors.latest(self.organization)
        rows = selectors.team_comparison(organization=self.organization,
                                         day=stamp[0] if stamp else None, metric=self.metric,
                                         parent=parent)
        return Response(s.TeamRowSerializer(rows, many=True).data)


class RefreshView(ScopedAPIView):
    serializer_class = s.RefreshSerializer

    @extend_schema(operation_id="hr_metrics_refresh", tags=[TAG], request=None,
                   responses={202: s.RefreshSerializer, **error_responses(403)})
    def post(self, request, org_slug):
        """Take today's snapshot again now rather than tonight (leaders and HR); the figures
        change once the worker has run."""
        services.require_viewer(self.membership)
        org_id, day = self.organization.pk, organization_today(self.organization).isoformat()
        transaction.on_commit(lambda: tasks_metrics.metrics_snapshot.delay(org_id, day))
        audit(organization=self.organization, actor=self.membership,
              action="metrics.refreshed", day=day)
        return Response(s.RefreshSerializer({"queued": True}).data,
                        status=status.HTTP_202_ACCEPTED)


# --- Goals ---------------------------------------------------------------------------------------


class _GoalView(ScopedAPIView):
    serializer_class = s.GoalInputSerializer

    def _view_of(self, goal_id: int) -> selectors.GoalView:
        goal = selectors.goals_with_figures(self.organization).filter(pk=goal_id).first()
        if goal is None:
            raise Http404
        return selectors.goal_views(self.organization, [goal])[0]


class GoalListView(_GoalView):
    pagination_class = Pagination

    @extend_schema(operation_id="hr_metric_goals_list", tags=[TAG],
                   parameters=[s.GoalListQuerySerializer],
                   responses={200: s.GoalSerializer(many=True), **error_responses(400, 403)})
    def get(self, request, org_slug):
        """Every goal of the organisation, latest ending first, with its figure and status
        (leaders and HR); ``team`` for one team's."""
        query = self.parse(s.GoalListQuerySerializer, request.query_params)
        team = _team_or_none(self.membership, query.get("team"))
        services.require_viewer(self.membership)
        rows = selectors.goals_with_figures(self.organization)
        if team is not None:
            rows = rows.filter(team=team)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            s.GoalSerializer(selectors.goal_views(self.organization, page), many=True).data)

    @extend_schema(operation_id="hr_metric_goals_create", tags=[TAG],
                   request=s.GoalInputSerializer,
                   responses={201: s.GoalSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Set a goal for the organisation or a team (leaders)."""
        services.require_goal_setter(self.membership)
        data = self.parse(s.GoalInputSerializer, request.data)
        goal = services.goal_create(**self.service_context, **data)
        return Response(s.GoalSerializer(self._view_of(goal.pk)).data,
                        status=status.HTTP_201_CREATED)


class GoalDetailView(_GoalView):

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.goal = access_goal(membership=self.membership, goal_id=kwargs["metric_goal_id"])
        if self.goal.metric not in defs.BY_KEY:
            raise Http404

    @extend_schema(operation_id="hr_metric_goals_retrieve", tags=[TAG],
                   responses={200: s.GoalSerializer, **error_responses(403)})
    def get(self, request, org_slug, metric_goal_id):
        """A goal with its figure and status (leaders and HR)."""
        services.require_viewer(self.membership)
        return Response(s.GoalSerializer(self._view_of(self.goal.pk)).data)

    @extend_schema(operation_id="hr_metric_goals_update", tags=[TAG],
                   request=s.GoalInputSerializer,
                   responses={200: s.GoalSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, metric_goal_id):
        """Change a goal (leaders); the fields left out keep their values."""
        services.require_goal_setter(self.membership)
        data = self.parse(s.GoalInputSerializer, request.data, partial=True)
        services.goal_update(**self.service_context, goal=self.goal, **data)
        return Response(s.GoalSerializer(self._view_of(self.goal.pk)).data)

    @extend_schema(operation_id="hr_metric_goals_destroy", tags=[TAG],
                   responses={204: None, **error_responses(403)})
    def delete(self, request, org_slug, metric_goal_id):
        """Delete a goal (leaders)."""
        services.require_goal_setter(self.membership)
        services.goal_delete(**self.service_context, goal=self.goal)
        return Response(status=status.HTTP_204_NO_CONTENT)
