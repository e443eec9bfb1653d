"""Input and output serializers of the leadership metrics API.

Output serializers read the selectors' dataclasses (``Dashboard``, ``Card``, ``GoalView``,
``TeamRow``) and never query: a figure hidden for privacy is hidden here as a whole, value,
numerator and denominator alike, since the parts would give the figure away. Input serializers
check shape; ``services.metric_goals`` holds the rules (the target's range, the period). The team
of a goal is an ``AuthorScopedField`` over the caller's organisation's teams, so another
organisation's id is a field error that says nothing about whether it exists.

Choices are ``ChoiceField``s over the definitions' own choice sets (``metric_choices``,
``GoalComparison``, the lists below), so ``ENUM_NAME_OVERRIDES`` can name their enums. A card's
``key`` is a plain string: its choices are the ``metric`` of goals and trends, and one choice set
under two field names would be two names for one enum in the schema.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from conversations.serializers.feedback import AuthorScopedField
from organizations.models import Team
from organizations.serializers import TeamRefSerializer

from . import metric_definitions as defs
from .models import TEXT_MAX_LENGTH, GoalComparison
from .selectors.metrics import GoalStatus

UNIT_CHOICES = [(value, value) for value in (defs.Unit.PERCENT, defs.Unit.COUNT,
                                              defs.Unit.HOURS, defs.Unit.RATING,
                                              defs.Unit.SCORE, defs.Unit.ENPS)]
SOURCE_CHOICES = [(defs.Source.ACTIVITY, defs.Source.ACTIVITY),
                  (defs.Source.SURVEY, defs.Source.SURVEY)]
STATUS_CHOICES = list(GoalStatus.LABELS.items())


def _teams(*, organization, author):
    return Team.objects.for_org(organization)


# --- Goals ---------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="MetricGoal")
class GoalSerializer(serializers.Serializer):
    """A leader's goal with the figure it is measured against: the last stored figure within
    its period (null before the first one, and for a personal metric of a small team)."""

    id = serializers.IntegerField(source="goal.pk", read_only=True)
    metric = serializers.ChoiceField(defs.metric_choices(), source="goal.metric", read_only=True)
    metric_title = serializers.CharField(source="metric.title", read_only=True)
    team = TeamRefSerializer(source="goal.team", read_only=True, allow_null=True,
                             help_text=_("Leave empty for the whole organisation."))
    comparison = serializers.ChoiceField(GoalComparison.choices, source="goal.comparison",
                                         read_only=True)
    target = serializers.FloatField(source="goal.target", read_only=True)
    starts_on = serializers.DateField(source="goal.starts_on", read_only=True)
    ends_on = serializers.DateField(source="goal.ends_on", read_only=True)
    note = serializers.CharField(source="goal.note", read_only=True)
    actual = serializers.FloatField(read_only=True, allow_null=True)
    actual_display = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(STATUS_CHOICES, read_only=True)
    status_label = serializers.CharField(read_only=True)


@extend_schema_serializer(component_name="MetricGoalInput")
class GoalInputSerializer(serializers.Serializer):
    """A goal to set, or (partially, with PATCH) the changes to one."""

    metric = serializers.ChoiceField(defs.metric_choices())
    comparison = serializers.ChoiceField(GoalComparison.choices, required=False,
                                         default=GoalComparison.AT_LEAST)
    target = serializers.FloatField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    team = AuthorScopedField(
        Team, _teams, required=False, allow_null=True, default=None,
        help_text=_("Leave empty for the whole organisation."),
        error_messages={"does_not_exist": _("Choose a team of this organisation.")})
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True,
                                 default="")


@extend_schema_serializer(component_name="MetricGoalListQuery")
class GoalListQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1,
                                    help_text=_("Only this team's goals."))


# --- Dashboards ----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="MetricScopeQuery")
class ScopeQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1,
                                    help_text=_("A team (and everything under it); the whole "
                                                "organisation without it."))


@extend_schema_serializer(component_name="MetricCard")
class CardSerializer(serializers.Serializer):
    """One metric of a dashboard: its definition, the stored figure and its goals."""

    key = serializers.CharField(
        source="metric.key", read_only=True,
        help_text=_("The metric's key, as goals and the trend name it."))
    title = serializers.CharField(source="metric.title", read_only=True)
    definition = serializers.CharField(source="metric.definition", read_only=True)
    unit = serializers.ChoiceField(UNIT_CHOICES, source="metric.unit", read_only=True)
    higher_is_better = serializers.BooleanField(source="metric.higher_is_better",
                                                read_only=True)
    source = serializers.ChoiceField(SOURCE_CHOICES, source="metric.source", read_only=True)
    value = serializers.FloatField(read_only=True, allow_null=True)
    display = serializers.CharField(read_only=True)
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(
        read_only=True,
        help_text=_("True when the figure is withheld: a personal figure of a team smaller "
                    "than the organisation's anonymity threshold."))
    change = serializers.FloatField(read_only=True, allow_null=True,
                                    help_text=_("Since four weeks ago."))
    goals = GoalSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_numerator(self, card) -> float | None:
        return None if card.hidden else card.figure.numerator

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_denominator(self, card) -> float | None:
        return None if card.hidden else card.figure.denominator


@extend_schema_serializer(component_name="MetricDashboard")
class DashboardSerializer(serializers.Serializer):
    """The scope's figures from its latest snapshot (``day`` null before the first one)."""

    day = serializers.DateField(read_only=True, allow_null=True)
    computed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    headcount = serializers.IntegerField(read_only=True, allow_null=True)
    small_team = serializers.BooleanField(read_only=True)
    metrics = CardSerializer(source="cards", many=True, read_only=True)


@extend_schema_serializer(component_name="MetricTrendPoint")
class TrendPointSerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    value = serializers.FloatField(read_only=True, allow_null=True)


@extend_schema_serializer(component_name="MetricTrend")
class TrendSerializer(serializers.Serializer):
    """A year of one metric's stored figures for the scope, oldest first."""

    metric = serializers.ChoiceField(defs.metric_choices(), read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    hidden = serializers.BooleanField(read_only=True)
    points = TrendPointSerializer(many=True, read_only=True)


@extend_schema_serializer(component_name="MetricTeamsQuery")
class TeamsQuerySerializer(serializers.Serializer):
    parent = serializers.IntegerField(required=False, min_value=1,
                                      help_text=_("The teams directly under this one; the "
                                                  "top-level teams without it."))


@extend_schema_serializer(component_name="MetricTeamRow")
class TeamRowSerializer(serializers.Serializer):
    team = TeamRefSerializer(read_only=True)
    value = serializers.FloatField(read_only=True, allow_null=True)
    display = serializers.CharField(read_only=True)
    headcount = serializers.IntegerField(read_only=True)
    hidden = serializers.BooleanField(read_only=True)


@extend_schema_serializer(component_name="MetricsRefreshQueued")
class RefreshSerializer(serializers.Serializer):
    queued = serializers.BooleanField(read_only=True)
