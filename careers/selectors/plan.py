"""Reads of the member's goals, options, criteria and development plan, shared by pages and API.

Every function takes the organisation and the member explicitly and filters on both. Lists run a
fixed number of queries whatever the number of rows: counts and sums are aggregated in SQL,
ratings are prefetched, and scores are worked out in Python from what was fetched.

Privacy: these functions return the member's own rows. ``plan_shared_with_manager`` is the one
read meant for someone else (the member's manager), and returns only what the member shared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.models import Membership, Organization
from organizations.personal_data import iso
from skills import selectors as skills_selectors
from skills.models import (
    Importance,
    LearningResource,
    MemberRole,
    RoleProfile,
    RoleRequirement,
    Skill,
)

from ..models import (
    ActionKind,
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalStatus,
    OptionCriterion,
    OptionRating,
)
from ..services.plan import OPEN_ACTION_STATUSES, RESOURCE_KIND_TO_ACTION_KIND, SCORE_MAX

#: Goals still being pursued.
OPEN_GOAL_STATUSES = (GoalStatus.ACTIVE, GoalStatus.EXPLORING)

#: How many goals' target roles the gap suggestions look at (besides the current role).
MAX_TARGET_ROLES = 3
#: Skills with suggestions, and resources per skill, that the plan page offers at most.
MAX_SUGGESTED_SKILLS = 6
RESOURCES_PER_SUGGESTED_SKILL = 3

#: Done hours within this many days count as "the last 12 months".
TRAINING_HOURS_DAYS = 365


# --- Orderings ----------------------------------------------------------------------------------


def _goal_relevance() -> Case:
    """Working towards it, then exploring, then achieved, then set aside."""
    return Case(
        When(status=GoalStatus.ACTIVE, then=Value(0)),
        When(status=GoalStatus.EXPLORING, then=Value(1)),
        When(status=GoalStatus.ACHIEVED, then=Value(2)),
        default=Value(3), output_field=IntegerField(),
    )


def _action_order() -> Case:
    """In progress, planned, done, cancelled."""
    return Case(
        When(status=ActionStatus.IN_PROGRESS, then=Value(0)),
        When(status=ActionStatus.PLANNED, then=Value(1)),
        When(status=ActionStatus.DONE, then=Value(2)),
        default=Value(3), output_field=IntegerField(),
    )


# --- Goals --------------------------------------------------------------------------------------


def goal_list(*, organization: Organization, member: Membership,
              status: str | Iterable[str] | None = None,
              shared_only: bool = False) -> QuerySet[CareerGoal]:
    """The member's goals, most relevant first (working towards it, exploring, achieved, set
    aside; then the nearest horizon; then the newest), with their target role."""
    qs = (CareerGoal.objects.for_org(organization).filter(member=member)
          .select_related("target_role")
          .annotate(relevance=_goal_relevance()))
    if isinstance(status, str):
        qs = qs.filter(status=status)
    elif status is not None:
        qs = qs.filter(status__in=list(status))
    if shared_only:
        qs = qs.filter(shared_with_manager=True)
    horizon = Case(When(horizon="6m", then=Value(0)), When(horizon="1y", then=Value(1)),
                   When(horizon="2y", then=Value(2)), default=Value(3),
                   output_field=IntegerField())
    return qs.order_by("relevance", horizon, "-created_at", "-pk")


def goal_get(*, organization: Organization, member: Membership,
             goal_id: int) -> CareerGoal | None:
    return goal_list(organization=organization, member=member).filter(pk=goal_id).first()


def goal_role_choices(*, organization: Organization,
                      include_id: int | None = None) -> QuerySet[RoleProfile]:
    """Role profiles a goal may aim for: the active ones, plus the one a goal already has (HR
    may have withdrawn it since), by title."""
    active = Q(is_active=True)
    if include_id is not None:
        active |= Q(pk=include_id)
    return (RoleProfile.objects.for_org(organization).filter(active)
            .select_related("framework").order_by("title", "pk"))


# --- Criteria and options -----------------------------------------------------------------------


def criterion_list(*, organization: Organization,
                   member: Membership) -> QuerySet[OptionCriterion]:
    """The member's criteria, in their order."""
    return (OptionCriterion.objects.for_org(organization).filter(member=member)
            .order_by("position", "name", "pk"))


def criterion_get(*, organization: Organization, member: Membership,
                  criterion_id: int) -> OptionCriterion | None:
    return criterion_list(organization=organization, member=member).filter(
        pk=criterion_id).first()


def weighted_score(pairs: Iterable[tuple[int, int]]) -> int | None:
    """An option's score, 0 to 100, from ``(weight, score)`` pairs of its rated criteria::

        score = 100 * sum(weight * score) / sum(weight * 5)

    rounded half up. Criteria not rated yet are left out; with none rated there is no score.
    """
    earned = possible = 0
    for weight, score in pairs:
        if score is None or not weight:
            continue
        earned += weight * score
        possible += weight * SCORE_MAX
    if not possible:
        return None
    return math.floor(Fraction(100 * earned, possible) + Fraction(1, 2))


def _with_scores(options: list[CareerOption]) -> list[CareerOption]:
    for option in options:
        ratings = option.rating_list
        option.score = weighted_score((r.criterion.weight, r.score) for r in ratings)
        option.rated_count = len(ratings)
        option.score_by_criterion = {r.criterion_id: r.score for r in ratings}
    return options


def _ratings(organization: Organization) -> QuerySet[OptionRating]:
    return (OptionRating.objects.for_org(organization).select_related("criterion")
            .order_by("criterion__position", "criterion__name", "pk"))


def option_list(*, organization: Organization, member: Membership,
                shared_only: bool = False,
                decision: str | None = None) -> list[CareerOption]:
    """The member's options, newest first, each with ``rating_list`` (ratings with their
    criterion), ``score`` (``weighted_score``, None when unrated), ``rated_count`` and
    ``score_by_criterion``. Two queries."""
    qs = (CareerOption.objects.for_org(organization).filter(member=member)
          .prefetch_related(Prefetch("ratings", queryset=_ratings(organization),
                                     to_attr="rating_list")))
    if shared_only:
        qs = qs.filter(shared_with_manager=True)
    if decision:
        qs = qs.filter(decision=decision)
    return _with_scores(list(qs.order_by("-created_at", "-pk")))


def option_get(*, organization: Organization, member: Membership,
               option_id: int) -> CareerOption | None:
    qs = (CareerOption.objects.for_org(organization).filter(member=member, pk=option_id)
          .prefetch_related(Prefetch("ratings", queryset=_ratings(organization),
                                     to_attr="rating_list")))
    options = _with_scores(list(qs))
    return options[0] if options else None


# --- Actions ------------------------------------------------------------------------------------


def action_list(*, organization: Organization, member: Membership,
                status: str | Iterable[str] | None = None,
                shared_only: bool = False) -> QuerySet[DevelopmentAction]:
    """The member's actions with their skill and resource: in progress, planned, done,
    cancelled; by due date (undated last) within each."""
    qs = (DevelopmentAction.objects.for_org(organization).filter(member=member)
          .select_related("skill", "resource"))
    if isinstance(status, str):
        qs = qs.filter(status=status)
    elif status is not None:
        qs = qs.filter(status__in=list(status))
    if shared_only:
        qs = qs.filter(shared_with_manager=True)
    return qs.order_by(_action_order(), F("due_date").asc(nulls_last=True), "pk")


def action_get(*, organization: Organization, member: Membership,
               action_id: int) -> DevelopmentAction | None:
    return action_list(organization=organization, member=member).filter(pk=action_id).first()


def plan_skill_choices(*, organization: Organization, member: Membership,
                       include_id: int | None = None) -> QuerySet[Skill]:
    """Skills an action may develop: the organisation's live skills (and the one an action
    already has), those the member's role and goals require first, each flagged ``relevant``."""
    role_ids = MemberRole.objects.for_org(organization).filter(
        member=member).values("role_id")
    goal_role_ids = CareerGoal.objects.for_org(organization).filter(
        member=member, target_role__isnull=False).values("target_role_id")
    required = RoleRequirement.objects.for_org(organization).filter(
        Q(role_id__in=role_ids) | Q(role_id__in=goal_role_ids), skill=OuterRef("pk"))
    live = Q(is_retired=False)
    if include_id is not None:
        live |= Q(pk=include_id)
    return (Skill.objects.for_org(organization).filter(live)
            .annotate(relevant=Exists(required))
            .order_by("-relevant", "name", "pk"))


# --- Suggestions from skill gaps ----------------------------------------------------------------


@dataclass
class GapSuggestion:
    """A skill the member is short of for a role that matters to them, and resources to close
    the gap that are not in an open action of their plan yet."""

    skill: Skill
    required_level: int
    effective_level: int
    gap: int
    importance: str
    roles: list[RoleProfile]
    for_current_role: bool
    resources: list[LearningResource] = field(default_factory=list)

    @property
    def is_core(self) -> bool:
        return self.importance == Importance.CORE

    def action_kind(self, resource: LearningResource) -> str:
        return RESOURCE_KIND_TO_ACTION_KIND.get(resource.kind, ActionKind.TRAINING)


def _target_roles(organization: Organization, member: Membership,
                  exclude_id: int | None) -> list[RoleProfile]:
    goals = (goal_list(organization=organization, member=member, status=OPEN_GOAL_STATUSES)
             .filter(target_role__isnull=False, target_role__is_active=True)
             [:MAX_TARGET_ROLES * 4])
    roles: dict[int, RoleProfile] = {}
    for goal in goals:
        if goal.target_role_id != exclude_id and goal.target_role_id not in roles:
            roles[goal.target_role_id] = goal.target_role
        if len(roles) == MAX_TARGET_ROLES:
            break
    return list(roles.values())


def gap_suggestions(*, organization: Organization, member: Membership) -> list[GapSuggestion]:
    """Learning resources for the member's skill gaps.

    The gaps are those of their current role (``skills.selectors.current_role``) and of the
    target roles of their open goals (working towards it or exploring; the first
    ``MAX_TARGET_ROLES``), worked out as ``skills.selectors.gap_analysis`` does: the required
    level minus the effective level (validated, else self-assessed, else 0). Resources already
    in an open action of the plan are left out, and so are gaps with nothing left to suggest.

    Core skills first, then the current role's, then the largest gaps. At most six queries,
    whatever the number of roles, requirements or actions.
    """
    current = skills_selectors.current_role(organization=organization, member=member)
    roles = ([current] if current is not None else []) + _target_roles(
        organization, member, exclude_id=current.pk if current is not None else None)
    if not roles:
        return []
    requirements = list(
        RoleRequirement.objects.for_org(organization)
        .filter(role_id__in=[r.pk for r in roles], skill__is_retired=False)
        .select_related("skill")
    )
    if not requirements:
        return []
    ratings = skills_selectors.ratings_by_skill(
        organization=organization, member=member, skill_ids={r.skill_id for r in requirements})
    role_by_id = {r.pk: r for r in roles}
    by_skill: dict[int, GapSuggestion] = {}
    for requirement in requirements:
        effective = skills_selectors.effective_level(ratings.get(requirement.skill_id))
        gap = max(0, requirement.min_level - effective)
        if not gap:
            continue
        role = role_by_id[requirement.role_id]
        is_current = current is not None and role.pk == current.pk
        found = by_skill.get(requirement.skill_id)
        if found is None:
            by_skill[requirement.skill_id] = GapSuggestion(
                skill=requirement.skill, required_level=requirement.min_level,
                effective_level=effective, gap=gap, importance=requirement.importance,
                roles=[role], for_current_role=is_current)
            continue
        found.roles.append(role)
        found.for_current_role = found.for_current_role or is_current
        if requirement.importance == Importance.CORE:
            found.importance = Importance.CORE
        if gap > found.gap:
            found.gap, found.required_level = gap, requirement.min_level
    if not by_skill:
        return []
    planned = set(
        DevelopmentAction.objects.for_org(organization)
        .filter(member=member, status__in=OPEN_ACTION_STATUSES, resource__isnull=False)
        .values_list("resource_id", flat=True)
    )
    resources = skills_selectors.resource_list_for_skills(organization=organization,
                                                          skill_ids=list(by_skill))
    suggestions = []
    for skill_id, suggestion in by_skill.items():
        left = [r for r in resources.get(skill_id, []) if r.pk not in planned]
        if not left:
            continue
        suggestion.resources = left[:RESOURCES_PER_SUGGESTED_SKILL]
        for role in suggestion.roles:
            role.is_current = current is not None and role.pk == current.pk
        suggestion.roles.sort(key=lambda r: (not r.is_current, r.title.lower(), r.pk))
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (not s.is_core, not s.for_current_role, -s.gap,
                                    s.skill.name.lower(), s.skill.pk))
    return suggestions[:MAX_SUGGESTED_SKILLS]


# --- Summary for the member's home and career record --------------------------------------------


@dataclass
class PlanSummary:
    """The member's goals, options and plan at a glance.

    Counts leave cancelled actions out: ``actions_total = actions_done + actions_open``.
    ``percent_done`` is ``round(100 * done / total)``, None with no actions.
    ``training_hours_12m`` sums the hours of actions done within the last 365 days.
    """

    goals: list[CareerGoal]
    goal_count: int
    open_goal_count: int
    option_count: int
    actions_total: int
    actions_done: int
    actions_open: int
    actions_overdue: int
    next_actions: list[DevelopmentAction]
    training_hours_12m: Decimal
    shared_goal_count: int
    shared_option_count: int
    shared_action_count: int
    percent_done: int | None

    @property
    def is_empty(self) -> bool:
        return not (self.goal_count or self.option_count or self.actions_total)

    @property
    def shared_count(self) -> int:
        return self.shared_goal_count + self.shared_option_count + self.shared_action_count


def _percent(part: int, whole: int) -> int | None:
    if not whole:
        return None
    return math.floor(Fraction(100 * part, whole) + Fraction(1, 2))


def plan_summary(*, organization: Organization, member: Membership) -> PlanSummary:
    """Goals, options and plan progress of ``member``: five queries, whatever the number of
    goals, options or actions (counts and sums are aggregated in SQL)."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=TRAINING_HOURS_DAYS)
    goals = goal_list(organization=organization, member=member)
    goal_counts = goals.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_GOAL_STATUSES)),
        shared=Count("pk", filter=Q(shared_with_manager=True)),
    )
    option_counts = (CareerOption.objects.for_org(organization).filter(member=member)
                     .aggregate(total=Count("pk"),
                                shared=Count("pk", filter=Q(shared_with_manager=True))))
    open_q = Q(status__in=OPEN_ACTION_STATUSES)
    action_counts = (
        DevelopmentAction.objects.for_org(organization).filter(member=member)
        .aggregate(
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=open_q & Q(due_date__lt=today)),
            shared=Count("pk", filter=Q(shared_with_manager=True)),
            hours=Coalesce(
                Sum("hours", filter=Q(status=ActionStatus.DONE, completed_at__gte=since)),
                Value(Decimal("0")), output_field=DecimalField(max_digits=12, decimal_places=1),
            ),
        )
    )
    total = action_counts["done"] + action_counts["open"]
    next_actions = list(
        action_list(organization=organization, member=member, status=OPEN_ACTION_STATUSES)
        .order_by(F("due_date").asc(nulls_last=True), _action_order(), "pk")[:3]
    )
    return PlanSummary(
        goals=list(goals.filter(status__in=OPEN_GOAL_STATUSES)[:3]),
        goal_count=goal_counts["total"],
        open_goal_count=goal_counts["open"],
        option_count=option_counts["total"],
        actions_total=total,
        actions_done=action_counts["done"],
        actions_open=action_counts["open"],
        actions_overdue=action_counts["overdue"],
        next_actions=next_actions,
        training_hours_12m=Decimal(action_counts["hours"]),
        shared_goal_count=goal_counts["shared"],
        shared_option_count=option_counts["shared"],
        shared_action_count=action_counts["shared"],
        percent_done=_percent(action_counts["done"], total),
    )


def plan_shared_with_manager(*, organization: Organization, member: Membership) -> dict:
    """What ``member`` shares with their manager: ``{"goals", "options", "actions"}``.

    Privacy invariant: only rows the member marked ``shared_with_manager`` are returned; an
    unshared goal, option or action never leaves this function. Options carry their ratings
    and score (the criteria's names and weights come with them). The caller checks that the
    viewer is the member's manager and audit-logs the read. Four queries.
    """
    return {
        "goals": list(goal_list(organization=organization, member=member, shared_only=True)),
        "options": option_list(organization=organization, member=member, shared_only=True),
        "actions": list(action_list(organization=organization, member=member,
                                    shared_only=True)),
    }


# --- The career record (personal data export) ---------------------------------------------------


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def goal_data(goal: CareerGoal) -> dict:
    return {
        "id": goal.pk,
        "title": goal.title,
        "target_role": ({"id": goal.target_role.pk, "title": goal.target_role.shown_title}
                        if goal.target_role is not None else None),
        "horizon": goal.horizon,
        "horizon_label": str(goal.get_horizon_display()),
        "motivation": goal.motivation,
        "status": goal.status,
        "status_label": str(goal.get_status_display()),
        "shared_with_manager": goal.shared_with_manager,
        "created_at": iso(goal.created_at),
        "updated_at": iso(goal.updated_at),
    }


def criterion_data(criterion: OptionCriterion) -> dict:
    return {"id": criterion.pk, "name": criterion.name, "weight": criterion.weight,
            "position": criterion.position}


def option_data(option: CareerOption) -> dict:
    return {
        "id": option.pk,
        "title": option.title,
        "description": option.description,
        "pros": option.pros,
        "cons": option.cons,
        "decision": option.decision,
        "decision_label": str(option.get_decision_display()),
        "decision_note": option.decision_note,
        "shared_with_manager": option.shared_with_manager,
        "score": option.score,
        "ratings": [{"criterion": r.criterion.name, "criterion_id": r.criterion_id,
                     "weight": r.criterion.weight, "score": r.score}
                    for r in option.rating_list],
        "created_at": iso(option.created_at),
    }


def action_data(action: DevelopmentAction) -> dict:
    return {
        "id": action.pk,
        "title": action.title,
        "kind": action.kind,
        "kind_label": str(action.get_kind_display()),
        "skill": ({"id": action.skill.pk, "name": action.skill.shown_name}
                  if action.skill is not None else None),
        "resource": ({"id": action.resource.pk, "title": action.resource.shown_title,
                      "url": action.resource.url} if action.resource is not None else None),
        "due_date": iso(action.due_date),
        "hours": _decimal(action.hours),
        "status": action.status,
        "status_label": str(action.get_status_display()),
        "evidence": action.evidence,
        "completed_at": iso(action.completed_at),
        "shared_with_manager": action.shared_with_manager,
        "created_at": iso(action.created_at),
    }


def plan_record(*, organization: Organization, member: Membership) -> dict:
    """Everything of ``member``'s goals, options (with ratings), criteria and plan, as
    JSON-serialisable data (ISO 8601 dates, hours as decimal strings). Five queries."""
    summary_hours = (
        DevelopmentAction.objects.for_org(organization)
        .filter(member=member, status=ActionStatus.DONE,
                completed_at__gte=timezone.now() - timedelta(days=TRAINING_HOURS_DAYS))
        .aggregate(hours=Sum("hours"))["hours"]
    )
    return {
        "goals": [goal_data(g) for g in goal_list(organization=organization, member=member)],
        "options": [option_data(o) for o in option_list(organization=organization,
                                                        member=member)],
        "criteria": [criterion_data(c) for c in criterion_list(organization=organization,
                                                               member=member)],
        "actions": [action_data(a) for a in action_list(organization=organization,
                                                        member=member)],
        "training_hours_12m": _decimal(summary_hours or Decimal("0")),
    }
