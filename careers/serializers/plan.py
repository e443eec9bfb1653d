"""Input and output serializers of the goals, options, criteria and development plan API.

Output serializers read only what the selectors of ``careers.selectors.plan`` have joined,
prefetched or computed, so a page of rows costs no query per row. Input serializers check shape;
the services enforce the rules. Every foreign key a client may send is a
``ScopedPrimaryKeyRelatedField`` whose choices are the caller's organisation's rows, so another
organisation's id is a field error and never reaches a service.

Request bodies share a component name with the object they create (``CareerGoal`` …), so each
set of choices (a goal's status, an action's kind …) belongs to one schema component.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from organizations.serializers import ScopedPrimaryKeyRelatedField
from skills.models import Importance, LearningResource, RoleProfile, Skill
from skills.serializers import (
    LearningResourceSerializer,
    RoleProfileRefSerializer,
    SkillRefSerializer,
)

from ..models import (
    ActionKind,
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalHorizon,
    GoalStatus,
    OptionCriterion,
    OptionDecision,
)
from ..services.plan import OPEN_ACTION_STATUSES, SCORE_MAX, SCORE_MIN


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# --- Choices for foreign keys: always the caller's organisation's rows --------------------------


def role_choices(*, organization):
    return RoleProfile.objects.for_org(organization)


def skill_choices(*, organization):
    return Skill.objects.for_org(organization)


def resource_choices(*, organization):
    return LearningResource.objects.for_org(organization).select_related("skill")


# --- Output -------------------------------------------------------------------------------------


class CareerGoalSerializer(serializers.Serializer):
    """A career goal: a target role profile, the member's own words, or both."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    target_role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    horizon = serializers.ChoiceField(GoalHorizon.choices, read_only=True)
    motivation = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(GoalStatus.choices, read_only=True)
    shared_with_manager = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class OptionCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    weight = serializers.IntegerField(read_only=True, help_text=_("1 to 5."))
    position = serializers.IntegerField(read_only=True)


class OptionRatingSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id", read_only=True,
                                         help_text=_("The criterion's id."))
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    weight = serializers.IntegerField(source="criterion.weight", read_only=True)
    score = serializers.IntegerField(read_only=True, help_text=_("1 to 5."))


class CareerOptionSerializer(serializers.Serializer):
    """An option with its ratings against the member's criteria and its weighted score."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    pros = serializers.CharField(read_only=True)
    cons = serializers.CharField(read_only=True)
    decision = serializers.ChoiceField(OptionDecision.choices, read_only=True)
    decision_note = serializers.CharField(read_only=True)
    shared_with_manager = serializers.BooleanField(read_only=True)
    score = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text=_("0 to 100: 100 * sum(weight * score) / sum(weight * 5) over the rated "
                    "criteria; null while none is rated."),
    )
    rated_count = serializers.IntegerField(read_only=True)
    ratings = OptionRatingSerializer(source="rating_list", many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DevelopmentActionSerializer(serializers.Serializer):
    """An action of the development plan."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(ActionKind.choices, read_only=True)
    skill = SkillRefSerializer(read_only=True, allow_null=True)
    resource = LearningResourceSerializer(read_only=True, allow_null=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True,
                                     allow_null=True)
    status = serializers.ChoiceField(ActionStatus.choices, read_only=True)
    evidence = serializers.CharField(read_only=True)
    completed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When it was marked done."))
    shared_with_manager = serializers.BooleanField(read_only=True)
    is_overdue = serializers.SerializerMethodField(
        help_text=_("Not done yet and past its due date."))
    created_at = serializers.DateTimeField(read_only=True)

    def get_is_overdue(self, action) -> bool:
        return bool(action.status in OPEN_ACTION_STATUSES and action.due_date
                    and action.due_date < timezone.localdate())


class SuggestedRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(
        read_only=True, help_text=_("The member's current role (else a goal's target role)."))


class SuggestedResourceSerializer(serializers.Serializer):
    resource = LearningResourceSerializer(read_only=True)
    action_kind = serializers.SerializerMethodField(
        help_text=_("The kind of action it becomes when added to the plan: training, "
                    "mentoring, on_the_job, conference or reading."))

    def get_action_kind(self, pair) -> str:
        return pair["action_kind"]


class GapSuggestionSerializer(serializers.Serializer):
    """A skill gap of a role that matters to the member, with resources to close it that are
    not in an open action of the plan yet."""

    skill = SkillRefSerializer(read_only=True)
    required_level = serializers.IntegerField(read_only=True)
    effective_level = serializers.IntegerField(
        read_only=True, help_text=_("The validated level, else the self level, else 0."))
    gap = serializers.IntegerField(read_only=True)
    importance = serializers.ChoiceField(Importance.choices, read_only=True)
    for_current_role = serializers.BooleanField(read_only=True)
    roles = SuggestedRoleSerializer(many=True, read_only=True)
    resources = serializers.SerializerMethodField()

    @extend_schema_field(SuggestedResourceSerializer(many=True))
    def get_resources(self, suggestion) -> list[dict]:
        pairs = [{"resource": r, "action_kind": str(suggestion.action_kind(r))}
                 for r in suggestion.resources]
        return SuggestedResourceSerializer(pairs, many=True).data


class PlanSummarySerializer(serializers.Serializer):
    """Goals, options and plan progress at a glance. Cancelled actions are left out of the
    counts."""

    goals = CareerGoalSerializer(many=True, read_only=True,
                                 help_text=_("Up to three open goals, most relevant first."))
    goal_count = serializers.IntegerField(read_only=True)
    open_goal_count = serializers.IntegerField(read_only=True)
    option_count = serializers.IntegerField(read_only=True)
    actions_total = serializers.IntegerField(read_only=True)
    actions_done = serializers.IntegerField(read_only=True)
    actions_open = serializers.IntegerField(read_only=True)
    actions_overdue = serializers.IntegerField(read_only=True)
    next_actions = DevelopmentActionSerializer(
        many=True, read_only=True, help_text=_("Up to three open actions, by due date."))
    training_hours_12m = serializers.DecimalField(
        max_digits=12, decimal_places=1, read_only=True,
        help_text=_("Hours of actions done within the last 365 days."))
    shared_goal_count = serializers.IntegerField(read_only=True)
    shared_option_count = serializers.IntegerField(read_only=True)
    shared_action_count = serializers.IntegerField(read_only=True)
    percent_done = serializers.IntegerField(read_only=True, allow_null=True)


# --- Input --------------------------------------------------------------------------------------
# Labels match the forms of the pages, so they share their translations.


@extend_schema_serializer(component_name="CareerGoal")
class GoalInputSerializer(serializers.Serializer):
    target_role = ScopedPrimaryKeyRelatedField(
        RoleProfile, role_choices, label=_("Role I am aiming for"), required=False,
        allow_null=True, help_text=_("An active role profile of the organisation (an id)."))
    title = serializers.CharField(label=_("My goal in my own words"), required=False,
                                  allow_blank=True, max_length=_max(CareerGoal, "title"),
                                  help_text=_("Needed when there is no target role."))
    horizon = serializers.ChoiceField(GoalHorizon.choices, label=_("When"), required=False)
    motivation = serializers.CharField(label=_("Why it matters to me"), required=False,
                                       allow_blank=True,
                                       max_length=_max(CareerGoal, "motivation"))
    status = serializers.ChoiceField(GoalStatus.choices, label=_("Status"), required=False)
    shared_with_manager = serializers.BooleanField(label=_("Share with my manager"),
                                                   required=False)


@extend_schema_serializer(component_name="CareerOption")
class OptionInputSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("Option"), max_length=_max(CareerOption, "title"))
    description = serializers.CharField(label=_("What it would involve"), required=False,
                                        allow_blank=True,
                                        max_length=_max(CareerOption, "description"))
    pros = serializers.CharField(label=_("Pros"), required=False, allow_blank=True,
                                 max_length=_max(CareerOption, "pros"))
    cons = serializers.CharField(label=_("Cons"), required=False, allow_blank=True,
                                 max_length=_max(CareerOption, "cons"))
    decision = serializers.ChoiceField(OptionDecision.choices, label=_("Decision"),
                                       required=False)
    decision_note = serializers.CharField(label=_("What I decided and why"), required=False,
                                          allow_blank=True,
                                          max_length=_max(CareerOption, "decision_note"))
    shared_with_manager = serializers.BooleanField(label=_("Share with my manager"),
                                                   required=False)


class OptionScoresSerializer(serializers.Serializer):
    """``{"scores": {"<criterion id>": 1..5 or null}}``; null clears a rating, criteria not
    listed keep theirs."""

    scores = serializers.DictField(
        label=_("scores"),
        child=serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX,
                                       allow_null=True),
        allow_empty=False,
        help_text=_("Score from 1 to 5 by criterion id; null clears a rating."),
    )

    def validate_scores(self, value: dict) -> dict[int, int | None]:
        parsed = {}
        for key, score in value.items():
            try:
                parsed[int(key)] = score
            except (TypeError, ValueError):
                raise serializers.ValidationError(
                    _("“%(key)s” is not a criterion id.") % {"key": key}) from None
        return parsed


@extend_schema_serializer(component_name="OptionCriterion")
class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("Criterion"), max_length=_max(OptionCriterion, "name"))
    weight = serializers.IntegerField(label=_("How much it matters"), min_value=1, max_value=5,
                                      required=False, help_text=_("1 to 5; 3 when left out."))
    position = serializers.IntegerField(label=_("position"), min_value=0, max_value=32767,
                                        required=False)


@extend_schema_serializer(component_name="DevelopmentAction")
class ActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("Action"), max_length=_max(DevelopmentAction, "title"))
    kind = serializers.ChoiceField(ActionKind.choices, label=_("Kind of action"),
                                   required=False)
    skill = ScopedPrimaryKeyRelatedField(Skill, skill_choices, label=_("Skill it develops"),
                                         required=False, allow_null=True)
    resource = ScopedPrimaryKeyRelatedField(
        LearningResource, resource_choices, label=_("learning resource"), required=False,
        allow_null=True, help_text=_("A learning resource of the organisation (an id)."))
    due_date = serializers.DateField(label=_("Due date"), required=False, allow_null=True,
                                     input_formats=["%Y-%m-%d"],
                                     help_text=_("YYYY-MM-DD."))
    hours = serializers.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1,
                                     min_value=0, required=False, allow_null=True)
    status = serializers.ChoiceField(ActionStatus.choices, label=_("Status"), required=False)
    evidence = serializers.CharField(label=_("Evidence"), required=False, allow_blank=True,
                                     max_length=_max(DevelopmentAction, "evidence"))
    shared_with_manager = serializers.BooleanField(label=_("Share with my manager"),
                                                   required=False)


class FromResourceInputSerializer(serializers.Serializer):
    resource = ScopedPrimaryKeyRelatedField(
        LearningResource, resource_choices, label=_("learning resource"),
        help_text=_("The learning resource to plan (an id), e.g. one of the suggestions."))
    due_date = serializers.DateField(label=_("Due date"), required=False, allow_null=True,
                                     input_formats=["%Y-%m-%d"], help_text=_("YYYY-MM-DD."))


class ActionListQuerySerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(
        choices=ActionStatus.choices, label=_("Status"), required=False,
        help_text=_("Only actions of these statuses (repeat the parameter for several)."))
    shared_with_manager = serializers.BooleanField(label=_("Share with my manager"),
                                                   required=False, allow_null=True,
                                                   default=None)
