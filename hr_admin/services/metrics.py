"""Computing the leadership metrics and writing the nightly snapshots.

Every figure is counted by the database: one grouped query per metric (or per pair of metrics
that share their rows) returns, for each team, what its members contribute; the team tree is then
walked once, in Python, to add each team's figure to its parents (a loop over teams, never over
members). ``compute_figures`` answers the same queries for any population, so a manager's
dashboard reads their reports' figures live with the same definitions.

The definitions are in ``metric_definitions.py``; this module follows them word for word.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from careers.models import ActionStatus, DevelopmentAction, ReflectionAnswer
from conversations.models import Conversation, ConversationStatus, MemberCadence, Outcome
from conversations.selectors.conversations import organization_zone
from organizations.models import Membership, Organization, Team
from skills.models import SkillRating

from .. import metric_definitions as defs
from ..models import (
    Champion,
    KeyPosition,
    MetricSnapshot,
    Move,
    MoveKind,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Readiness,
    ScoreSlice,
    SuccessorNomination,
    Survey,
    SurveyMode,
    SurveyScore,
    SurveyStatus,
)

WINDOW_DAYS = 365
NO_TEAM = None  # the key of members without a team (they count in the organisation only)
ORGANIZATION = "organization"  # the key of the whole organisation's figures


@dataclass
class Tally:
    """What a metric's figure is worked out from, added up over teams."""

    numerator: float = 0.0
    denominator: float = 0.0

    def add(self, other: Tally) -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator


@dataclass(frozen=True)
class Figure:
    value: float | None
    numerator: float | None
    denominator: float | None


@dataclass(frozen=True)
class Window:
    """The day of the figures and the instants around it, in the organisation's time zone."""

    day: date
    end: datetime  # the first instant after the day
    start: datetime  # the first instant of the 12 months ending with the day

    @classmethod
    def of(cls, organization: Organization, day: date) -> Window:
        zone = organization_zone(organization)
        return cls(day=day,
                   end=datetime.combine(day + timedelta(days=1), time.min, zone),
                   start=datetime.combine(day - timedelta(days=WINDOW_DAYS - 1), time.min, zone))

    @property
    def first_day(self) -> date:
        return self.day - timedelta(days=WINDOW_DAYS - 1)


def organization_today(organization: Organization) -> date:
    return timezone.localtime(timezone.now(), organization_zone(organization)).date()


# --- Populations ---------------------------------------------------------------------------------


def active_members(organization: Organization, window: Window) -> QuerySet[Membership]:
    """Active members on the day: active now, with an active account, who had joined by then."""
    return (Membership.objects.for_org(organization)
            .filter(is_active=True, user__is_active=True, created_at__lt=window.end))


def _grouped(rows: Iterable[dict], key: str, numerator: str, denominator: str) -> dict:
    out: dict = {}
    for row in rows:
        out[row[key]] = Tally(float(row[numerator] or 0), float(row[denominator] or 0))
    return out


# --- The activity metrics: contributions by team ------------------------------------------------


def with_conversation_state(organization: Organization, window: Window,
                            members: QuerySet[Membership]) -> QuerySet[Membership]:
    """Members annotated with ``is_covered`` and ``is_overdue`` (1 or 0) on the window's day,
    ``counted_from`` and ``last_held``: the definitions of coverage and overdue conversations."""
    zone = organization_zone(organization)
    default_days = organization.conversation_cadence_days or 90
    overrides = sorted(set(MemberCadence.objects.for_org(organization)
                           .values_list("days", flat=True)))

    def since(days: int) -> date:
        return window.day - timedelta(days=days)

    def instant(days: int) -> datetime:
        return datetime.combine(since(days), time.min, zone)

    cutoff = Case(*[When(cadence__days=d, then=Value(instant(d))) for d in overrides],
                  default=Value(instant(default_days)), output_field=DateTimeField())
    cutoff_day = Case(*[When(cadence__days=d, then=Value(since(d))) for d in overrides],
                      default=Value(since(default_days)), output_field=DateField())
    # One correlated lookup per member (the conversation index by member): the last held
    # conversation decides both whether they are covered and whether they are overdue.
    held = Conversation.objects.for_org(organization).filter(
        member=OuterRef("pk"), status=ConversationStatus.HELD, held_at__isnull=False,
        held_at__lt=window.end)
    recent = Q(last_held__gte=F("cutoff"))
    not_recent = Q(last_held__isnull=True) | Q(last_held__lt=F("cutoff"))
    return (
        members
        .annotate(cutoff=cutoff, cutoff_day=cutoff_day,
                  counted_from=Coalesce("started_on", TruncDate("created_at", tzinfo=zone)),
                  last_held=Subquery(held.order_by("-held_at").values("held_at")[:1]))
        .annotate(
            is_covered=Case(When(recent, then=Value(1)), default=Value(0),
                            output_field=IntegerField()),
            is_overdue=Case(
                When(Q(manager__isnull=False, manager__is_active=True) & not_recent
                     & (Q(last_held__isnull=False) | Q(counted_from__lt=F("cutoff_day"))),
                     then=Value(1)),
                default=Value(0), output_field=IntegerField()),
        )
    )


def _conversation_tallies(organization, window, members) -> dict[str, dict]:
    """Coverage and overdue conversations, in one pass over the members."""
    rows = list(
        with_conversation_state(organization, window, members)
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"), covered=Sum("is_covered"), overdue=Sum("is_overdue"))
    )
    return {
        "conversation_coverage": _grouped(rows, "team_id", "covered", "n"),
        # A count: the denominator is the headcount it was counted among.
        "overdue_conversations": _grouped(rows, "team_id", "overdue", "n"),
    }


def _quality(organization, window, members) -> dict:
    ratings = ("direction", "self_insight", "options", "confidence")
    rows = (Outcome.objects.for_org(organization)
            .filter(conversation__status=ConversationStatus.HELD,
                    conversation__held_at__gte=window.start,
                    conversation__held_at__lt=window.end,
                    conversation__member__in=members)
            .order_by()
            .values("conversation__member__team_id")
            .annotate(**{f"s_{r}": Sum(r) for r in ratings},
                      **{f"c_{r}": Count(r) for r in ratings}))
    out = {}
    for row in rows:
        out[row["conversation__member__team_id"]] = Tally(
            float(sum(row[f"s_{r}"] or 0 for r in ratings)),
            float(sum(row[f"c_{r}"] for r in ratings)))
    return out


def _member_share(members, condition) -> dict:
    rows = (members.annotate(hit=Case(When(condition, then=Value(1)), default=Value(0),
                                      output_field=IntegerField()))
            .order_by().values("team_id").annotate(n=Count("pk"), hits=Sum("hit")))
    return _grouped(rows, "team_id", "hits", "n")


def _reflection(organization, window, members) -> dict:
    wrote = (ReflectionAnswer.objects.for_org(organization)
             .filter(reflection__member=OuterRef("pk"), updated_at__gte=window.start,
                     updated_at__lt=window.end)
             .exclude(text=""))
    return _member_share(members.annotate(wrote=Exists(wrote)), Q(wrote=True))


def _plan(organization, window, members) -> dict:
    actions = DevelopmentAction.objects.for_org(organization).filter(
        Q(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
        | Q(status=ActionStatus.DONE, completed_at__gte=window.start,
            completed_at__lt=window.end),
        member=OuterRef("pk"), created_at__lt=window.end)
    return _member_share(members.annotate(has_plan=Exists(actions)), Q(has_plan=True))


def _per_member(members, contributions: dict) -> dict:
    """A total per team divided by the team's active members (who may have contributed 0)."""
    out = {}
    for row in members.order_by().values("team_id").annotate(n=Count("pk")):
        out[row["team_id"]] = Tally(contributions.get(row["team_id"], 0.0), float(row["n"]))
    return out


def _member_counts(rows, key: str = "member__team_id") -> dict:
    return {row[key]: float(row["n"] or 0) for row in rows}


def _training(organization, window, members) -> dict:
    hours = (DevelopmentAction.objects.for_org(organization)
             .filter(status=ActionStatus.DONE, completed_at__gte=window.start,
                     completed_at__lt=window.end, hours__isnull=False, member__in=members)
             .order_by().values("member__team_id").annotate(n=Sum("hours")))
    return _per_member(members, _member_counts(hours))


def _skills(organization, window, members) -> dict:
    rows = (SkillRating.objects.for_org(organization)
            .filter(member__in=members)
            .filter(Q(self_level__isnull=False) | Q(validated_level__isnull=False))
            .order_by().values("member__team_id")
            .annotate(n=Count("pk"),
                      validated=Count("pk", filter=Q(validated_level__isnull=False))))
    return _grouped(rows, "member__team_id", "validated", "n")


def _fill_rate(organization, window, members) -> dict:
    rows = (Opportunity.objects.for_org(organization)
            .filter(kind=OpportunityKind.ROLE, status=OpportunityStatus.FILLED,
                    filled_at__gte=window.start, filled_at__lt=window.end)
            .order_by().values("team_id")
            .annotate(n=Count("pk"), internal=Count("pk", filter=Q(filled_internally=True))))
    return _grouped(rows, "team_id", "internal", "n")


def _moves_per_member(organization, window, members, kinds) -> dict:
    rows = (Move.objects.for_org(organization)
            .filter(kind__in=kinds, effective_on__gte=window.first_day,
                    effective_on__lte=window.day)
            .order_by().values("member__team_id").annotate(n=Count("pk")))
    return _per_member(members, _member_counts(rows))


def _promotions(organization, window, members) -> dict:
    return _moves_per_member(organization, window, members, [MoveKind.PROMOTION])


def _mobility(organization, window, members) -> dict:
    return _moves_per_member(organization, window, members,
                             [MoveKind.LATERAL, MoveKind.CROSS_FUNCTIONAL])


def _bench(organization, window, members) -> dict:
    ready = SuccessorNomination.objects.for_org(organization).filter(
        position=OuterRef("pk"), readiness=Readiness.READY_NOW, candidate__is_active=True)
    rows = (KeyPosition.objects.for_org(organization)
            .filter(is_active=True, created_at__lt=window.end)
            .annotate(has_ready=Exists(ready))
            .order_by().values("team_id")
            .annotate(n=Count("pk"), ready=Count("pk", filter=Q(has_ready=True))))
    return _grouped(rows, "team_id", "ready", "n")


def _regretted(organization, window, members) -> dict:
    rows = (Move.objects.for_org(organization)
            .filter(kind=MoveKind.EXIT, effective_on__gte=window.first_day,
                    effective_on__lte=window.day, regretted__isnull=False)
            .order_by().values("member__team_id")
            .annotate(n=Count("pk"), regretted_n=Count("pk", filter=Q(regretted=True))))
    return _grouped(rows, "member__team_id", "regretted_n", "n")


def _champions(organization, window, members) -> dict:
    rows = (Champion.objects.for_org(organization)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=window.end),
                    since__lte=window.day, member__in=members)
            .order_by().values("member__team_id").annotate(n=Count("pk")))
    return {team: Tally(n, n) for team, n in _member_counts(rows).items()}


ACTIVITY = {
    "conversation_quality": _quality,
    "reflection_participation": _reflection,
    "plan_coverage": _plan,
    "training_hours": _training,
    "skills_validated": _skills,
    "internal_fill_rate": _fill_rate,
    "internal_promotion_rate": _promotions,
    "internal_mobility": _mobility,
    "bench_strength": _bench,
    "regretted_leavers": _regretted,
    "champions": _champions,
}


def _value(metric: defs.Metric, tally: Tally) -> float | None:
    unit = metric.unit
    if metric.key == "regretted_leavers":
        return tally.numerator if tally.denominator else None
    if unit == defs.Unit.COUNT:
        return tally.numerator
    if not tally.denominator:
        return None
    ratio = tally.numerator / tally.denominator
    return ratio * 100 if unit == defs.Unit.PERCENT else ratio


def _figure(metric: defs.Metric, tally: Tally | None) -> Figure:
    if tally is None:
        tally = Tally()
    return Figure(_value(metric, tally), tally.numerator, tally.denominator)


# --- Survey metrics ------------------------------------------------------------------------------


def latest_closed_survey(organization: Organization, window: Window) -> Survey | None:
    return (Survey.objects.for_org(organization)
            .filter(mode=SurveyMode.SURVEY, status=SurveyStatus.CLOSED,
                    closed_at__lt=window.end, scores__is_final=True)
            .order_by("-closed_at", "-pk").distinct().first())


def _survey_figures(organization, window, team_ids: set | None) -> dict:
    """{(scope, metric key): Figure} from the latest closed survey's final scores; a suppressed
    figure is no figure. ``scope`` is ORGANIZATION or a team id."""
    survey = latest_closed_survey(organization, window)
    if survey is None:
        return {}
    measures = {"index": "health_index", "enps": "career_enps"}
    rows = (SurveyScore.objects.for_org(organization)
            .filter(survey=survey, is_final=True, measure__in=list(measures),
                    slice_kind__in=[ScoreSlice.OVERALL, ScoreSlice.TEAM])
            .values_list("slice_kind", "slice_key", "measure", "value", "respondents"))
    out = {}
    for kind, key, measure, value, respondents in rows:
        if kind == ScoreSlice.OVERALL:
            scope = ORGANIZATION
        else:
            try:
                scope = int(key)
            except ValueError:
                continue
            if team_ids is not None and scope not in team_ids:
                continue
        out[(scope, measures[measure])] = Figure(
            value, value, float(respondents) if respondents is not None else None)
    return out


# --- All figures ---------------------------------------------------------------------------------


def _contributions(organization, window, members) -> dict[str, dict]:
    by_metric = _conversation_tallies(organization, window, members)
    for key, compute in ACTIVITY.items():
        by_metric[key] = compute(organization, window, members)
    return by_metric


def _subtree_totals(contributions: dict, teams: list[tuple[int, int | None]]) -> dict:
    """Each team's tally with all its descendants', and the organisation's (every key)."""
    children = defaultdict(list)
    for pk, parent in teams:
        children[parent].append(pk)
    totals: dict = {}
    # Depth-first, children before parents, without recursion (a tree can be deep).
    order, stack, seen = [], list(children[None]), set()
    known = {pk for pk, _parent in teams}
    # Teams whose parent is missing (should not happen) are treated as roots.
    stack += [pk for pk, parent in teams if parent is not None and parent not in known]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(children[node])
    for node in reversed(order):
        tally = Tally()
        own = contributions.get(node)
        if own is not None:
            tally.add(own)
        for child in children[node]:
            tally.add(totals[child])
        totals[node] = tally
    whole = Tally()
    for tally in contributions.values():
        whole.add(tally)
    totals[ORGANIZATION] = whole
    return totals


def compute_figures(*, organization: Organization, day: date,
                    members: QuerySet[Membership] | None = None,
                    by_team: bool = True) -> dict[tuple, Figure]:
    """{(scope, metric key): Figure} for the day: the organisation's (scope ORGANIZATION) and,
    with ``by_team``, every team's (its subtree; survey figures its own respondents').

    ``members`` narrows the population (a manager's reports); survey figures then are left out,
    since a survey's figures are only ever published for whole slices."""
    window = Window.of(organization, day)
    population = active_members(organization, window)
    narrowed = members is not None
    if narrowed:
        population = population.filter(pk__in=members.values("pk"))
    contributions = _contributions(organization, window, population)
    teams = (list(Team.objects.for_org(organization).values_list("pk", "parent_id"))
             if by_team else [])
    figures: dict[tuple, Figure] = {}
    for metric in defs.METRICS:
        if metric.source == defs.Source.SURVEY:
            continue
        totals = _subtree_totals(contributions.get(metric.key, {}), teams)
        for scope, tally in totals.items():
            figures[(scope, metric.key)] = _figure(metric, tally)
    if not narrowed:
        survey = _survey_figures(organization, window,
                                 {pk for pk, _p in teams} if by_team else set())
        for metric in defs.METRICS:
            if metric.source == defs.Source.SURVEY:
                figures[(ORGANIZATION, metric.key)] = survey.get(
                    (ORGANIZATION, metric.key), Figure(None, None, None))
        figures.update({k: v for k, v in survey.items() if k[0] != ORGANIZATION})
    return figures


# --- Snapshots -----------------------------------------------------------------------------------


def snapshot_take(*, organization: Organization, day: date) -> int:
    """Write the day's figures for the organisation and every team; returns the rows written.

    Idempotent: the day's rows are replaced whole, under a lock on the organisation's row, so a
    second run (or two workers racing) leaves one snapshot per metric, scope and day.
    """
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        figures = compute_figures(organization=organization, day=day)
        now = timezone.now()
        rows = [MetricSnapshot(organization=organization, day=day,
                               team_id=None if scope == ORGANIZATION else scope, metric=key,
                               value=figure.value, numerator=figure.numerator,
                               denominator=figure.denominator, computed_at=now)
                for (scope, key), figure in figures.items()]
        MetricSnapshot.objects.for_org(organization).filter(day=day).delete()
        MetricSnapshot.objects.for_org(organization).bulk_create(rows, batch_size=2000)
    return len(rows)
