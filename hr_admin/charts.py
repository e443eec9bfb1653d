"""Line charts of the metric trends, drawn as SVG on the server.

A chart is a few numbers the template turns into ``<polyline>`` and ``<line>`` elements: no
JavaScript, prints well, and screen readers get the data table that always sits beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from . import metric_definitions as defs

# The natural range of each unit; counts, hours and unbounded figures scale to their data.
UNIT_RANGES = {
    defs.Unit.PERCENT: (0.0, 100.0),
    defs.Unit.SCORE: (0.0, 100.0),
    defs.Unit.RATING: (1.0, 5.0),
    defs.Unit.ENPS: (-100.0, 100.0),
}


@dataclass
class Chart:
    width: int
    height: int
    points: str = ""  # "x,y x,y …" for a polyline
    area: str = ""  # the polygon under the line
    last: tuple[float, float] | None = None  # the latest point, drawn as a dot
    goal_y: float | None = None
    low: float = 0.0
    high: float = 0.0
    first_day: date | None = None
    last_day: date | None = None
    ticks: list[tuple[float, str, float]] = field(default_factory=list)  # (y, label, text y)

    @property
    def empty(self) -> bool:
        return not self.points


def _nice_ceiling(value: float) -> float:
    """10, 20, 25, 50 … at or above ``value``: a scale people read at a glance."""
    step = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _bounds(metric: defs.Metric, values: list[float], goal: float | None) -> tuple[float, float]:
    seen = values + ([goal] if goal is not None else [])
    if metric.unit == defs.Unit.PERCENT:
        # Shares are mostly far below 100 %: scale to the data (and the goal), up to 100 %.
        return 0.0, min(100.0, _nice_ceiling(max(seen, default=0) * 1.15 or 10.0))
    if metric.unit in UNIT_RANGES:
        return UNIT_RANGES[metric.unit]
    high = max(seen, default=1.0)
    low = min(0.0, min(seen, default=0.0))
    return low, (high * 1.15 if high > 0 else 1.0)


def line_chart(metric: defs.Metric, series: list[tuple[date, float]], *, width: int = 640,
               height: int = 200, goal: float | None = None, pad: int = 6,
               ticks: bool = False) -> Chart:
    """Place ``series`` (day, value), oldest first, in a ``width`` by ``height`` box: days along
    x by date (gaps in the data stay gaps in time), values along y in the unit's range."""
    chart = Chart(width=width, height=height)
    values = [v for _d, v in series]
    low, high = _bounds(metric, values, goal)
    chart.low, chart.high = low, high
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return round(pad + (height - 2 * pad) * (1 - (value - low) / span), 1)

    if goal is not None and low <= goal <= high:
        chart.goal_y = y_of(goal)
    if ticks:
        chart.ticks = [(y_of(v), defs.format_value(metric, v), max(y_of(v) - 4, 11))
                       for v in (low, (low + high) / 2, high)]
    if not series:
        return chart
    first, last = series[0][0], series[-1][0]
    days = max((last - first).days, 1)
    coords = []
    for day, value in series:
        x = round(pad + (width - 2 * pad) * ((day - first).days / days), 1)
        if len(series) == 1:
            x = float(width - pad)
        coords.append((x, y_of(value)))
    chart.points = " ".join(f"{x},{y}" for x, y in coords)
    base = height - pad
    chart.area = (f"{coords[0][0]},{base} " + chart.points + f" {coords[-1][0]},{base}")
    chart.last = coords[-1]
    chart.first_day, chart.last_day = first, last
    return chart


def monthly(metric: defs.Metric, series: list[tuple[date, float]]) -> list[tuple[date, str]]:
    """The last point of each month as it reads, for the data table beside a chart."""
    by_month: dict[tuple[int, int], tuple[date, float]] = {}
    for day, value in series:
        by_month[(day.year, day.month)] = (day, value)
    return [(by_month[key][0], defs.format_value(metric, by_month[key][1]))
            for key in sorted(by_month)]
