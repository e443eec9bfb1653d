"""REST API of the caller's own goals, options, criteria and development plan.

Each view is parse → access → service or selector → serialise. Everything here is the caller's
own: an object named in the URL is looked up in ``initial`` through ``careers.access_plan``,
filtered on the caller's organisation and on the caller being its member, before the method is
dispatched, so another organisation's id, a colleague's id and an absent id are all 404 whatever
the method. Ids in a request body are scoped fields: another organisation's id is a 400 with a
message on that field. Every write goes through ``careers.services.plan``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination

from .. import access_plan as access
from ..selectors import plan as selectors
from ..serializers import plan as s
from ..services import plan as services

GOALS_TAG = "career: goals & options"
PLAN_TAG = "career: development plan"

_errors = error_responses


class _PlanView(ScopedAPIView):
    pagination_class = Pagination

    @property
    def mine(self) -> dict:
        return {"organization": self.organization, "member": self.membership}


# --- Goals --------------------------------------------------------------------------------------


class GoalListView(_PlanView):
    serializer_class = s.GoalInputSerializer

    @extend_schema(operation_id="career_goals_list", tags=[GOALS_TAG],
                   responses={200: s.CareerGoalSerializer(many=True), **_errors()})
    def get(self, request, org_slug):
        """The caller's career goals, most relevant first (working towards it, exploring,
        achieved, set aside)."""
        return self.paginated(selectors.goal_list(**self.mine), s.CareerGoalSerializer)

    @extend_schema(operation_id="career_goals_create", tags=[GOALS_TAG],
                   request=s.GoalInputSerializer,
                   responses={201: s.CareerGoalSerializer, **_errors(400)})
    def post(self, request, org_slug):
        """Add a goal: an active role profile of the organisation (``target_role``), the
        caller's own words (``title``), or both."""
        data = self.parse(s.GoalInputSerializer, request.data)
        goal = services.goal_create(**self.service_context, **data)
        goal = access.access_goal_by_id(membership=self.membership, goal_id=goal.pk)
        return Response(s.CareerGoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalDetailView(_PlanView):
    serializer_class = s.GoalInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.goal = access.access_goal_by_id(membership=self.membership,
                                             goal_id=kwargs["goal_id"])

    @extend_schema(operation_id="career_goals_retrieve", tags=[GOALS_TAG],
                   responses={200: s.CareerGoalSerializer, **_errors()})
    def get(self, request, org_slug, goal_id):
        """One of the caller's goals."""
        return Response(s.CareerGoalSerializer(self.goal).data)

    @extend_schema(operation_id="career_goals_partial_update", tags=[GOALS_TAG],
                   request=s.GoalInputSerializer,
                   responses={200: s.CareerGoalSerializer, **_errors(400)})
    def patch(self, request, org_slug, goal_id):
        """Change a goal; only the fields sent change."""
        data = self.parse(s.GoalInputSerializer, request.data, partial=True)
        services.goal_update(goal=self.goal, **self.service_context, **data)
        goal = access.access_goal_by_id(membership=self.membership, goal_id=self.goal.pk)
        return Response(s.CareerGoalSerializer(goal).data)

    @extend_schema(operation_id="career_goals_destroy", tags=[GOALS_TAG],
                   responses={204: None, **_errors()})
    def delete(self, request, org_slug, goal_id):
        """Delete a goal."""
        services.goal_delete(goal=self.goal, **self.service_context)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Criteria -----------------------------------------------------------------------------------


class CriterionListView(_PlanView):
    serializer_class = s.CriterionInputSerializer

    @extend_schema(operation_id="career_criteria_list", tags=[GOALS_TAG],
                   responses={200: s.OptionCriterionSerializer(many=True), **_errors()})
    def get(self, request, org_slug):
        """What the caller weighs options against, in their order."""
        return self.paginated(selectors.criterion_list(**self.mine), s.OptionCriterionSerializer)

    @extend_schema(operation_id="career_criteria_create", tags=[GOALS_TAG],
                   request=s.CriterionInputSerializer,
                   responses={201: s.OptionCriterionSerializer, **_errors(400)})
    def post(self, request, org_slug):
        """Add a criterion (a value, a skill the caller enjoys, an interest …), weight 1 to 5.
        Names are unique per member, whatever their case."""
        data = self.parse(s.CriterionInputSerializer, request.data)
        data.pop("position", None)
        criterion = services.criterion_create(**self.service_context, **data)
        return Response(s.OptionCriterionSerializer(criterion).data,
                        status=status.HTTP_201_CREATED)


class CriterionDetailView(_PlanView):
    serializer_class = s.CriterionInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.criterion = access.access_criterion_by_id(membership=self.membership,
                                                       criterion_id=kwargs["criterion_id"])

    @extend_schema(operation_id="career_criteria_retrieve", tags=[GOALS_TAG],
                   responses={200: s.OptionCriterionSerializer, **_errors()})
    def get(self, request, org_slug, criterion_id):
        """One of the caller's criteria."""
        return Response(s.OptionCriterionSerializer(self.criterion).data)

    @extend_schema(operation_id="career_criteria_partial_update", tags=[GOALS_TAG],
                   request=s.CriterionInputSerializer,
                   responses={200: s.OptionCriterionSerializer, **_errors(400)})
    def patch(self, request, org_slug, criterion_id):
        """Rename, reweigh or move a criterion. Ratings against it stay and count with the new
        weight."""
        data = self.parse(s.CriterionInputSerializer, request.data, partial=True)
        criterion = services.criterion_update(criterion=self.criterion,
                                              **self.service_context, **data)
        return Response(s.OptionCriterionSerializer(criterion).data)

    @extend_schema(operation_id="career_criteria_destroy", tags=[GOALS_TAG],
                   responses={204: None, **_errors()})
    def delete(self, request, org_slug, criterion_id):
        """Delete a criterion and the ratings given against it."""
        services.criterion_delete(criterion=self.criterion, **self.service_context)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Options ------------------------------------------------------------------------------------


class OptionListView(_PlanView):
    serializer_class = s.OptionInputSerializer

    @extend_schema(operation_id="career_options_list", tags=[GOALS_TAG],
                   responses={200: s.CareerOptionSerializer(many=True), **_errors()})
    def get(self, request, org_slug):
        """The caller's options, newest first, each with its ratings and weighted score."""
        return self.paginated(selectors.option_list(**self.mine), s.CareerOptionSerializer)

    @extend_schema(operation_id="career_options_create", tags=[GOALS_TAG],
                   request=s.OptionInputSerializer,
                   responses={201: s.CareerOptionSerializer, **_errors(400)})
    def post(self, request, org_slug):
        """Add an option. The caller's first option also gives them the suggested criteria
        when they have none."""
        data = self.parse(s.OptionInputSerializer, request.data)
        option = services.option_create(**self.service_context, **data)
        option = access.access_option_by_id(membership=self.membership, option_id=option.pk)
        return Response(s.CareerOptionSerializer(option).data, status=status.HTTP_201_CREATED)


class _OptionObjectView(_PlanView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.option = access.access_option_by_id(membership=self.membership,
                                                 option_id=kwargs["option_id"])

    def _output(self) -> Response:
        option = access.access_option_by_id(membership=self.membership,
                                            option_id=self.option.pk)
        return Response(s.CareerOptionSerializer(option).data)


class OptionDetailView(_OptionObjectView):
    serializer_class = s.OptionInputSerializer

    @extend_schema(operation_id="career_options_retrieve", tags=[GOALS_TAG],
                   responses={200: s.CareerOptionSerializer, **_errors()})
    def get(self, request, org_slug, option_id):
        """One option with its ratings and score."""
        return Response(s.CareerOptionSerializer(self.option).data)

    @extend_schema(operation_id="career_options_partial_update", tags=[GOALS_TAG],
                   request=s.OptionInputSerializer,
                   responses={200: s.CareerOptionSerializer, **_errors(400)})
    def patch(self, request, org_slug, option_id):
        """Change an option: its pros and cons, the decision and why …"""
        data = self.parse(s.OptionInputSerializer, request.data, partial=True)
        services.option_update(option=self.option, **self.service_context, **data)
        return self._output()

    @extend_schema(operation_id="career_options_destroy", tags=[GOALS_TAG],
                   responses={204: None, **_errors()})
    def delete(self, request, org_slug, option_id):
        """Delete an option with its ratings."""
        services.option_delete(option=self.option, **self.service_context)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OptionRatingsView(_OptionObjectView):
    serializer_class = s.OptionScoresSerializer

    @extend_schema(operation_id="career_options_ratings_update", tags=[GOALS_TAG],
                   request=s.OptionScoresSerializer,
                   responses={200: s.CareerOptionSerializer, **_errors(400)})
    def put(self, request, org_slug, option_id):
        """Rate the option against the caller's criteria:
        ``{"scores": {"<criterion id>": 1..5 or null}}``. Null clears a rating; criteria not
        listed keep theirs. Answers the option with its new score."""
        data = self.parse(s.OptionScoresSerializer, request.data)
        services.option_rate(option=self.option, scores=data["scores"],
                             **self.service_context)
        return self._output()


# --- Actions ------------------------------------------------------------------------------------


class ActionListView(_PlanView):
    serializer_class = s.ActionInputSerializer

    @extend_schema(operation_id="career_actions_list", tags=[PLAN_TAG],
                   parameters=[s.ActionListQuerySerializer],
                   responses={200: s.DevelopmentActionSerializer(many=True), **_errors(400)})
    def get(self, request, org_slug):
        """The caller's development actions: in progress, planned, done, cancelled; by due
        date within each."""
        params = self.parse(s.ActionListQuerySerializer, request.query_params)
        actions = selectors.action_list(**self.mine, status=params.get("status") or None)
        if params.get("shared_with_manager") is not None:
            actions = actions.filter(shared_with_manager=params["shared_with_manager"])
        return self.paginated(actions, s.DevelopmentActionSerializer)

    @extend_schema(operation_id="career_actions_create", tags=[PLAN_TAG],
                   request=s.ActionInputSerializer,
                   responses={201: s.DevelopmentActionSerializer, **_errors(400)})
    def post(self, request, org_slug):
        """Add an action to the plan. A status of done records when (``completed_at``)."""
        data = self.parse(s.ActionInputSerializer, request.data)
        action = services.action_create(**self.service_context, **data)
        action = access.access_action_by_id(membership=self.membership, action_id=action.pk)
        return Response(s.DevelopmentActionSerializer(action).data,
                        status=status.HTTP_201_CREATED)


class ActionDetailView(_PlanView):
    serializer_class = s.ActionInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.action = access.access_action_by_id(membership=self.membership,
                                                 action_id=kwargs["action_id"])

    @extend_schema(operation_id="career_actions_retrieve", tags=[PLAN_TAG],
                   responses={200: s.DevelopmentActionSerializer, **_errors()})
    def get(self, request, org_slug, action_id):
        """One action of the caller's plan."""
        return Response(s.DevelopmentActionSerializer(self.action).data)

    @extend_schema(operation_id="career_actions_partial_update", tags=[PLAN_TAG],
                   request=s.ActionInputSerializer,
                   responses={200: s.DevelopmentActionSerializer, **_errors(400)})
    def patch(self, request, org_slug, action_id):
        """Change an action; only the fields sent change. Setting the status to done records
        when; reopening it clears that."""
        data = self.parse(s.ActionInputSerializer, request.data, partial=True)
        services.action_update(action=self.action, **self.service_context, **data)
        action = access.access_action_by_id(membership=self.membership,
                                            action_id=self.action.pk)
        return Response(s.DevelopmentActionSerializer(action).data)

    @extend_schema(operation_id="career_actions_destroy", tags=[PLAN_TAG],
                   responses={204: None, **_errors()})
    def delete(self, request, org_slug, action_id):
        """Delete an action."""
        services.action_delete(action=self.action, **self.service_context)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActionFromResourceView(_PlanView):
    serializer_class = s.FromResourceInputSerializer

    @extend_schema(operation_id="career_actions_from_resource", tags=[PLAN_TAG],
                   request=s.FromResourceInputSerializer,
                   responses={201: s.DevelopmentActionSerializer, **_errors(400)})
    def post(self, request, org_slug):
        """One click: a learning resource becomes a planned action with its title, hours and
        skill, and the kind that matches it (a course is training, a book reading …).

        400 on ``resource`` while the same resource is in an open action of the plan.
        """
        data = self.parse(s.FromResourceInputSerializer, request.data)
        action = services.action_from_resource(**self.service_context, **data)
        action = access.access_action_by_id(membership=self.membership, action_id=action.pk)
        return Response(s.DevelopmentActionSerializer(action).data,
                        status=status.HTTP_201_CREATED)


class SuggestionListView(_PlanView):
    serializer_class = s.GapSuggestionSerializer
    pagination_class = None

    @extend_schema(operation_id="career_plan_suggestions", tags=[PLAN_TAG],
                   responses={200: s.GapSuggestionSerializer(many=True), **_errors()})
    def get(self, request, org_slug):
        """Learning resources for the caller's skill gaps: those of their current role and of
        their open goals' target roles, leaving out resources already in an open action.
        Core skills first; at most six skills."""
        suggestions = selectors.gap_suggestions(**self.mine)
        return Response(s.GapSuggestionSerializer(suggestions, many=True).data)


class PlanSummaryView(_PlanView):
    serializer_class = s.PlanSummarySerializer

    @extend_schema(operation_id="career_plan_summary", tags=[PLAN_TAG],
                   responses={200: s.PlanSummarySerializer, **_errors()})
    def get(self, request, org_slug):
        """The caller's goals, options and plan progress at a glance, with their learning
        hours of the last 12 months."""
        return Response(s.PlanSummarySerializer(selectors.plan_summary(**self.mine)).data)
