"""The leadership metrics: one definition each, shown next to the figure wherever it appears.

The computation of each lives in ``services/metrics.py`` and follows the definition written
here word for word; a test per metric builds an organisation by hand and works the figure out.
"12 months" is always the 365 days up to and including the day of the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Unit:
    PERCENT = "percent"  # 0 to 100
    COUNT = "count"
    HOURS = "hours"
    RATING = "rating"  # 1 to 5
    SCORE = "score"  # 0 to 100
    ENPS = "enps"  # -100 to 100


class Source:
    ACTIVITY = "activity"  # counted from what members and managers do
    SURVEY = "survey"  # from the latest closed health-check survey, anonymity rules applied


@dataclass(frozen=True)
class Metric:
    key: str
    title: Promise
    definition: Promise
    unit: str
    higher_is_better: bool = True
    source: str = Source.ACTIVITY
    # Figures about what people do privately (reflect, plan, learn): for a team smaller than the
    # organisation's anonymity threshold, leaders see no figure.
    personal: bool = False
    # Whether a team's figure covers the team and everything under it (False: its own rows only).
    rolls_up: bool = True

    @property
    def is_percent(self) -> bool:
        return self.unit == Unit.PERCENT


METRICS: tuple[Metric, ...] = (
    Metric("conversation_coverage", _("Career conversation coverage"),
           _("Share of active members who held a career conversation within their cadence: "
             "on or after today minus their cadence (their own, else the organisation's)."),
           Unit.PERCENT),
    Metric("overdue_conversations", _("Overdue career conversations"),
           _("Active members with a manager whose last held conversation (else their start "
             "date, else the day they joined) is more than their cadence ago."),
           Unit.COUNT, higher_is_better=False),
    Metric("conversation_quality", _("Conversation quality"),
           _("Mean of the four outcome ratings (direction, self-insight, options, confidence; "
             "1 to 5) members gave conversations held in the last 12 months."),
           Unit.RATING, personal=True),
    Metric("reflection_participation", _("Reflection participation"),
           _("Share of active members who wrote at least one reflection answer in the last 12 "
             "months."),
           Unit.PERCENT, personal=True),
    Metric("plan_coverage", _("Development plan coverage"),
           _("Share of active members with a development action planned or in progress, or "
             "done in the last 12 months."),
           Unit.PERCENT, personal=True),
    Metric("training_hours", _("Training hours per member"),
           _("Hours of development actions done in the last 12 months, divided by the number "
             "of active members."),
           Unit.HOURS, personal=True),
    Metric("skills_validated", _("Skills validated"),
           _("Share of active members' skill ratings that a manager has validated."),
           Unit.PERCENT, personal=True),
    Metric("internal_fill_rate", _("Internal fill rate"),
           _("Share of role openings filled in the last 12 months that went to an internal "
             "candidate."),
           Unit.PERCENT),
    Metric("internal_promotion_rate", _("Internal promotion rate"),
           _("Promotions in the last 12 months as a share of active members."),
           Unit.PERCENT),
    Metric("internal_mobility", _("Internal mobility"),
           _("Lateral and cross-functional moves in the last 12 months as a share of active "
             "members."),
           Unit.PERCENT),
    Metric("bench_strength", _("Succession bench strength"),
           _("Share of active key positions with at least one active successor rated ready "
             "now."),
           Unit.PERCENT),
    Metric("regretted_leavers", _("Regretted leavers"),
           _("Exits in the last 12 months that HR marked as regretted. Empty while no exit of "
             "the period has been marked either way."),
           Unit.COUNT, higher_is_better=False),
    Metric("health_index", _("Health-check index"),
           _("Index of the latest closed health-check survey: the mean of its dimension "
             "scores (0 to 100). A team's figure is its own respondents', shown only where "
             "enough of them answered."),
           Unit.SCORE, source=Source.SURVEY, rolls_up=False),
    Metric("career_enps", _("Career eNPS"),
           _("From the latest closed survey: the share of 9 or 10 answers minus the share of "
             "0 to 6 answers to \"would you recommend this organisation as a place to grow "
             "your career\" (from -100 to 100)."),
           Unit.ENPS, source=Source.SURVEY, rolls_up=False),
    Metric("champions", _("Office Career Champions"),
           _("Active members who are confirmed Office Career Champions today."),
           Unit.COUNT),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
KEYS: list[str] = [m.key for m in METRICS]

UNIT_SUFFIX = {
    Unit.PERCENT: "%",
    Unit.HOURS: pgettext_lazy("unit: hours per member", "h"),
}

# The figure behind "active members" in a team: the denominator of coverage.
HEADCOUNT_METRIC = "conversation_coverage"


def metric_choices() -> list[tuple[str, Promise]]:
    return [(m.key, m.title) for m in METRICS]


def format_value(metric: Metric, value: float | None) -> str:
    """A figure as people read it: "42 %", "3.6", "12.5 h", "+18"."""
    if value is None:
        return "–"  # noqa: RUF001
    if metric.unit == Unit.PERCENT:
        return f"{number_format(half_up(value, 0), 0)}\u00a0%"
    if metric.unit == Unit.RATING:
        return number_format(half_up(value, 1), 1)
    if metric.unit == Unit.HOURS:
        return f"{number_format(half_up(value, 1), 1)}\u00a0{UNIT_SUFFIX[Unit.HOURS]}"
    if metric.unit == Unit.ENPS:
        whole = half_up(value, 0)
        return f"{'+' if whole > 0 else ''}{number_format(whole, 0)}"
    return number_format(half_up(value, 0), 0)


def half_up(value: float, places: int) -> Decimal:
    """Rounded as people round: 12.5 % reads 13 %, not the 12 % of round-half-to-even."""
    step = Decimal(1).scaleb(-places)
    return Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP)


def meets(metric_value: float | None, *, comparison: str, target: float) -> bool | None:
    if metric_value is None:
        return None
    if comparison == "at_most":
        return metric_value <= target
    return metric_value >= target
