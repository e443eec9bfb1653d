"""What the dashboards show: stored figures, goals against them, trends and team comparisons.

Leaders' and HR's dashboards read the nightly snapshots only, in a fixed number of queries
whatever the number of members, teams or days (the trend is one query for the year's rows of
one scope). A manager's dashboard counts their reports live, with the same definitions
(``services.metrics.compute_figures``), since their population is small and theirs to see.

Privacy: figures about what people do privately (reflection, plans, training, skills, the
quality ratings they give) are not shown for a team smaller than the organisation's anonymity
threshold; survey figures are stored already suppressed by the health check's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Case, F, FloatField, OuterRef, QuerySet, Subquery, When
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization, Team

from .. import metric_definitions as defs
from ..models import GoalComparison, MetricGoal, MetricSnapshot
from ..services.metrics import (
    ORGANIZATION,
    WINDOW_DAYS,
    Figure,
    compute_figures,
    organization_today,
)

TREND_DAYS = WINDOW_DAYS
CHANGE_DAYS = 28  # "since four weeks ago"


class GoalStatus:
    UPCOMING = "upcoming"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    MISSED = "missed"
    NO_DATA = "no_data"

    LABELS = {
        UPCOMING: _("Not started"),
        ON_TRACK: _("On track"),
        BEHIND: _("Behind"),
        ACHIEVED: _("Achieved"),
        MISSED: _("Missed"),
        NO_DATA: _("No figure yet"),
    }
    TONES = {UPCOMING: "neutral", ON_TRACK: "good", BEHIND: "warn", ACHIEVED: "good",
             MISSED: "bad", NO_DATA: "neutral"}


@dataclass
class GoalView:
    goal: MetricGoal
    metric: defs.Metric
    actual: float | None
    status: str

    @property
    def status_label(self) -> str:
        return str(GoalStatus.LABELS[self.status])

    @property
    def tone(self) -> str:
        return GoalStatus.TONES[self.status]

    @property
    def actual_display(self) -> str:
        return defs.format_value(self.metric, self.actual)

    @property
    def target_display(self) -> str:
        return defs.format_value(self.metric, self.goal.target)

    @property
    def period_label(self) -> str:
        """"2027", "Q2 2027", or the two dates."""
        start, end = self.goal.starts_on, self.goal.ends_on
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) \
                and start.year == end.year:
            return str(start.year)
        quarter = (start.month - 1) // 3 + 1
        if start.year == end.year and start.day == 1 and start.month == 3 * quarter - 2 \
                and end.month == 3 * quarter and end == _month_end(end):
            return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": start.year}
        first, last = (date_format(d, "SHORT_DATE_FORMAT") for d in (start, end))
        return f"{first} \u2013 {last}"

    @property
    def comparison_symbol(self) -> str:
        return "≤" if self.goal.comparison == GoalComparison.AT_MOST else "≥"


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass
class Card:
    metric: defs.Metric
    figure: Figure
    hidden: bool = False  # a personal figure of a team below the anonymity threshold
    trend: list[tuple[date, float]] = field(default_factory=list)
    change: float | None = None
    goals: list[GoalView] = field(default_factory=list)

    @property
    def value(self) -> float | None:
        return None if self.hidden else self.figure.value

    @property
    def open_goal(self) -> GoalView | None:
        """The goal to draw with the trend: one not yet judged (in progress or to come)."""
        return next((g for g in self.goals
                     if g.status not in (GoalStatus.ACHIEVED, GoalStatus.MISSED)), None)

    @property
    def display(self) -> str:
        return defs.format_value(self.metric, self.value)

    @property
    def change_display(self) -> str:
        if self.change is None:
            return ""
        if abs(self.change) < 0.05:
            return "±0"
        sign = "+" if self.change > 0 else ""
        if self.metric.unit in (defs.Unit.RATING, defs.Unit.HOURS):
            return f"{sign}{self.change:.1f}"
        return f"{sign}{self.change:.0f}"

    @property
    def change_tone(self) -> str:
        if self.change is None or abs(self.change) < 0.05:
            return "neutral"
        better = (self.change > 0) == self.metric.higher_is_better
        return "good" if better else "bad"


@dataclass
class Dashboard:
    day: date | None
    computed_at: datetime | None
    team: Team | None
    cards: list[Card]
    goals: list[GoalView]
    headcount: int | None
    small_team: bool
    upcoming: int = 0  # goals whose period has not started

    @property
    def current_goals(self) -> list[GoalView]:
        return [g for g in self.goals if g.status != GoalStatus.UPCOMING]

    @property
    def by_key(self) -> dict[str, Card]:
        return {card.metric.key: card for card in self.cards}


def too_few(organization: Organization, headcount) -> bool:
    """Whether a group is smaller than the organisation's anonymity threshold."""
    return int(headcount or 0) < organization.survey_anonymity_threshold


def withheld(organization: Organization, metric: defs.Metric, headcount) -> bool:
    """The privacy rule of every dashboard, export and API: a personal figure (what people do
    privately) of a group smaller than the anonymity threshold is not shown."""
    return metric.personal and too_few(organization, headcount)


def team_headcount(organization: Organization, team: Team) -> int:
    """The team's active members in its latest snapshot (0 before its first)."""
    size = (MetricSnapshot.objects.for_org(organization)
            .filter(team=team, metric=defs.HEADCOUNT_METRIC)
            .order_by("-day").values_list("denominator", flat=True).first())
    return int(size or 0)


def _scope(queryset, team: Team | None):
    return queryset.filter(team=team) if team is not None else queryset.filter(
        team__isnull=True)


def latest(organization: Organization, team: Team | None = None) -> tuple[date, datetime] | None:
    """The day and time of the scope's latest snapshot."""
    row = (_scope(MetricSnapshot.objects.for_org(organization), team)
           .order_by("-day").values_list("day", "computed_at").first())
    return row


def goal_status(goal: MetricGoal, actual: float | None, *, today: date) -> str:
    if today < goal.starts_on:
        return GoalStatus.UPCOMING
    if actual is None:
        return GoalStatus.NO_DATA
    met = defs.meets(actual, comparison=goal.comparison, target=goal.target)
    if today > goal.ends_on:
        return GoalStatus.ACHIEVED if met else GoalStatus.MISSED
    return GoalStatus.ON_TRACK if met else GoalStatus.BEHIND


def _actual(rows: list[tuple[date, float | None]], goal: MetricGoal) -> float | None:
    """The last figure within the goal's period."""
    inside = [value for day, value in rows if goal.starts_on <= day <= goal.ends_on]
    return inside[-1] if inside else None


def scope_goals(organization: Organization, team: Team | None = None, *,
                since: date | None = None) -> list[MetricGoal]:
    rows = _scope(MetricGoal.objects.for_org(organization), team).select_related("team")
    if since is not None:
        rows = rows.filter(ends_on__gte=since)
    return [goal for goal in rows if goal.metric in defs.BY_KEY]


def dashboard(*, organization: Organization, team: Team | None = None) -> Dashboard:
    """The scope's cards from stored figures, with a year's trend and its goals. Four
    queries."""
    stamp = latest(organization, team)
    today = organization_today(organization)
    if stamp is None:
        cards = [Card(metric=m, figure=Figure(None, None, None)) for m in defs.METRICS]
        goals = [GoalView(goal=g, metric=defs.BY_KEY[g.metric], actual=None,
                          status=goal_status(g, None, today=today))
                 for g in scope_goals(organization, team, since=today - timedelta(TREND_DAYS))]
        return Dashboard(day=None, computed_at=None, team=team, cards=cards, goals=goals,
                         headcount=None, small_team=False)
    day, computed_at = stamp
    first = day - timedelta(days=TREND_DAYS - 1)
    series: dict[str, list[tuple[date, float | None]]] = {key: [] for key in defs.KEYS}
    figures: dict[str, Figure] = {}
    for key, at, value, numerator, denominator in (
            _scope(MetricSnapshot.objects.for_org(organization), team)
            .filter(day__gte=first, day__lte=day, metric__in=defs.KEYS)
            .order_by("day").values_list("metric", "day", "value", "numerator", "denominator")):
        series[key].append((at, value))
        if at == day:
            figures[key] = Figure(value, numerator, denominator)
    headcount_figure = figures.get(defs.HEADCOUNT_METRIC)
    headcount = int(headcount_figure.denominator or 0) if headcount_figure else 0
    small = team is not None and too_few(organization, headcount)
    goals = []
    by_metric: dict[str, list[GoalView]] = {}
    for goal in scope_goals(organization, team, since=first):
        metric = defs.BY_KEY[goal.metric]
        actual = None if (small and metric.personal) else _actual(series[goal.metric], goal)
        view = GoalView(goal=goal, metric=metric, actual=actual,
                        status=goal_status(goal, actual, today=today))
        goals.append(view)
        by_metric.setdefault(goal.metric, []).append(view)
    cards = []
    for metric in defs.METRICS:
        hidden = small and metric.personal
        points = [] if hidden else [(at, v) for at, v in series[metric.key] if v is not None]
        card = Card(metric=metric, figure=figures.get(metric.key, Figure(None, None, None)),
                    hidden=hidden, trend=points, goals=by_metric.get(metric.key, []))
        card.change = _change(points, day, card.value)
        cards.append(card)
    return Dashboard(day=day, computed_at=computed_at, team=team, cards=cards, goals=goals,
                     headcount=headcount, small_team=small,
                     upcoming=sum(g.status == GoalStatus.UPCOMING for g in goals))


def _change(points: list[tuple[date, float]], day: date, value: float | None) -> float | None:
    if value is None:
        return None
    before = [v for at, v in points if at <= day - timedelta(days=CHANGE_DAYS)]
    return value - before[-1] if before else None


@dataclass
class TeamRow:
    team: Team
    value: float | None
    display: str
    headcount: int
    hidden: bool
    share: float  # of the largest value shown, for the bar (0 to 100)


def team_comparison(*, organization: Organization, day: date | None, metric: defs.Metric,
                    parent: Team | None = None) -> list[TeamRow]:
    """The teams directly under ``parent`` (top-level teams without one) on one metric, from
    the day's snapshot. Two queries."""
    teams = list(Team.objects.for_org(organization).filter(parent=parent).order_by("name"))
    if not teams or day is None:
        return []
    values: dict[tuple[int, str], MetricSnapshot] = {}
    for row in (MetricSnapshot.objects.for_org(organization)
                .filter(day=day, team__in=teams,
                        metric__in={metric.key, defs.HEADCOUNT_METRIC})
                .only("team_id", "metric", "value", "denominator")):
        values[(row.team_id, row.metric)] = row
    out = []
    for team in teams:
        size_row = values.get((team.pk, defs.HEADCOUNT_METRIC))
        size = int(size_row.denominator or 0) if size_row else 0
        row = values.get((team.pk, metric.key))
        hidden = withheld(organization, metric, size)
        value = None if (hidden or row is None) else row.value
        out.append(TeamRow(team=team, value=value, display=defs.format_value(metric, value),
                           headcount=size, hidden=hidden, share=0.0))
    # Shares against the whole 100 %; other figures against the largest shown.
    top = 100.0 if metric.is_percent else max(
        (abs(r.value) for r in out if r.value is not None), default=0)
    for r in out:
        if r.value is not None and top:
            r.share = round(abs(r.value) / top * 100, 1)
    return out


def team_path(team: Team) -> list[Team]:
    """The team's ancestors, top first (a query per level: team trees are a few levels
    deep)."""
    path, node, seen = [], team.parent, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        path.insert(0, node)
        node = node.parent
    return path


def export_rows(*, organization: Organization, day: date | None) -> list[dict]:
    """Every stored figure of the day, organisation first then teams by name, for CSV."""
    if day is None:
        return []
    rows = (MetricSnapshot.objects.for_org(organization).filter(day=day)
            .select_related("team").order_by(F("team__name").asc(nulls_first=True), "pk"))
    sizes = {r.team_id: r.denominator or 0 for r in rows if r.metric == defs.HEADCOUNT_METRIC}
    out = []
    for row in rows:
        metric = defs.BY_KEY.get(row.metric)
        if metric is None:
            continue
        hidden = row.team_id is not None and withheld(organization, metric,
                                                      sizes.get(row.team_id))
        out.append({"row": row, "metric": metric, "hidden": hidden})
    return out


def trend_rows(*, organization: Organization, metric: defs.Metric, team: Team | None = None,
               days: int = TREND_DAYS) -> list[tuple[date, float | None]]:
    stamp = latest(organization, team)
    if stamp is None:
        return []
    day = stamp[0]
    return list(_scope(MetricSnapshot.objects.for_org(organization), team)
                .filter(metric=metric.key, day__gt=day - timedelta(days=days), day__lte=day)
                .order_by("day").values_list("day", "value"))


def manager_figures(*, organization: Organization, manager: Membership) -> list[Card]:
    """A manager's direct reports today, counted live (activity metrics only). What reports
    do privately (reflect, plan, learn) is shown only for at least the anonymity threshold of
    reports: a manager sees the items a report shares, not aggregates that single one out."""
    reports = Membership.objects.for_org(organization).filter(manager=manager)
    figures = compute_figures(organization=organization, day=organization_today(organization),
                              members=reports, by_team=False)
    size = figures[(ORGANIZATION, defs.HEADCOUNT_METRIC)].denominator or 0
    return [Card(metric=m, figure=figures[(ORGANIZATION, m.key)],
                 hidden=withheld(organization, m, size))
            for m in defs.METRICS if m.key in MANAGER_METRICS]


MANAGER_METRICS = ("conversation_coverage", "overdue_conversations", "conversation_quality",
                   "reflection_participation", "plan_coverage", "training_hours",
                   "skills_validated", "internal_promotion_rate", "internal_mobility")


def goals_with_figures(organization: Organization) -> QuerySet[MetricGoal]:
    """The organisation's goals of known metrics, each annotated with ``figure`` (the last
    stored figure of its scope and metric within its period) and ``team_size`` (its team's
    active members in the team's latest snapshot). One query for any number of goals."""
    snapshots = MetricSnapshot.objects.for_org(organization)
    in_period = snapshots.filter(metric=OuterRef("metric"), day__gte=OuterRef("starts_on"),
                                 day__lte=OuterRef("ends_on")).order_by("-day")
    return (
        MetricGoal.objects.for_org(organization)
        .filter(metric__in=defs.KEYS)
        .select_related("team")
        .annotate(
            figure=Case(
                When(team__isnull=True,
                     then=Subquery(in_period.filter(team__isnull=True).values("value")[:1])),
                default=Subquery(in_period.filter(team=OuterRef("team_id"))
                                 .values("value")[:1]),
                output_field=FloatField()),
            team_size=Subquery(snapshots.filter(team=OuterRef("team_id"),
                                                metric=defs.HEADCOUNT_METRIC)
                               .order_by("-day").values("denominator")[:1]),
        )
        .order_by("-ends_on", "metric", "pk")
    )


def goal_views(organization: Organization, goals) -> list[GoalView]:
    """Goals from ``goals_with_figures`` as the dashboards show them: figure and status. A
    personal metric's figure of a team below the anonymity threshold is withheld."""
    today = organization_today(organization)
    views = []
    for goal in goals:
        metric = defs.BY_KEY[goal.metric]
        hidden = goal.team_id is not None and withheld(organization, metric, goal.team_size)
        actual = None if hidden else goal.figure
        views.append(GoalView(goal=goal, metric=metric, actual=actual,
                              status=goal_status(goal, actual, today=today)))
    return views


# --- Operational lists (HR and managers) --------------------------------------------------------


#: The organisation-wide overdue list is kept this long at most; any saved change to what it
#: depends on (conversations, memberships, cadences, accounts, the organisation) drops it at once.
OVERDUE_CACHE_SECONDS = 300


def _overdue_version_key(organization_id: int) -> str:
    return f"hr:overdue:version:{organization_id}"


def overdue_changed(organization_id: int) -> None:
    """Forget the organisation's cached overdue list (``overdue_members``)."""
    cache.delete(_overdue_version_key(organization_id))


def overdue_members(*, organization: Organization, manager: Membership | None = None,
                    limit: int = 25) -> tuple[int, list[Membership]]:
    """Active members overdue for a career conversation today (of one manager's reports, or
    all), longest overdue first: the count and the first ``limit``.

    One query over the members (and one for the cadence overrides). The whole organisation's
    answer is a pass over every member, so it is cached (ids, count) until the day changes,
    something it depends on is saved (``overdue_changed``, from signals) or
    ``OVERDUE_CACHE_SECONDS`` pass; then one query for the members shown."""
    if manager is not None:
        return _overdue(organization, manager, limit)
    today = organization_today(organization)
    version = cache.get_or_set(_overdue_version_key(organization.pk), uuid4().hex,
                               OVERDUE_CACHE_SECONDS)
    key = f"hr:overdue:{organization.pk}:{today.isoformat()}:{limit}:{version}"
    found = cache.get(key)
    if found is None:
        total, rows = _overdue(organization, None, limit)
        cache.set(key, (total, [(m.pk, m.last_held, m.counted_from) for m in rows]),
                  OVERDUE_CACHE_SECONDS)
        return total, rows
    total, picked = found
    members = (Membership.objects.for_org(organization).filter(pk__in=[pk for pk, *_ in picked])
               .select_related("user", "team", "manager__user").in_bulk())
    rows = []
    for pk, last_held, counted_from in picked:
        if pk in members:
            member = members[pk]
            member.last_held, member.counted_from = last_held, counted_from
            rows.append(member)
    return total, rows


def _overdue(organization, manager, limit) -> tuple[int, list[Membership]]:
    from django.db.models import Count, Window
    from django.db.models.functions import Coalesce, TruncDate

    from ..services.metrics import Window as Day
    from ..services.metrics import active_members, with_conversation_state

    window = Day.of(organization, organization_today(organization))
    members = active_members(organization, window)
    if manager is not None:
        members = members.filter(manager=manager)
    # The count rides along as a window over the same rows: one pass over the members.
    rows = list(with_conversation_state(organization, window, members).filter(is_overdue=1)
                .select_related("user", "team", "manager__user")
                .annotate(since=Coalesce(TruncDate("last_held"), "counted_from"),
                          overdue_total=Window(Count("pk")))
                .order_by("since", "pk")[:limit])
    return (rows[0].overdue_total if rows else 0), rows


def validation_queue(*, organization: Organization, manager: Membership | None = None,
                     limit: int = 10):
    """Skills check-ins waiting for a manager's validation, oldest first: count and rows."""
    from skills.models import CheckIn, CheckInStatus

    rows = (CheckIn.objects.for_org(organization)
            .filter(status=CheckInStatus.SUBMITTED, member__is_active=True))
    if manager is not None:
        rows = rows.filter(member__manager=manager)
    total = rows.count()
    return total, list(rows.select_related("member__user", "member__manager__user")
                       .order_by("submitted_at", "pk")[:limit])


def recent_imports(*, organization: Organization, limit: int = 5):
    from ..models import PeopleImport

    return list(PeopleImport.objects.for_org(organization).select_related("uploaded_by__user")
                .order_by("-created_at")[:limit])
