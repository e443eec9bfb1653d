"""Which health-check figures may be shown: small-group and complementary suppression.

Pure functions over plain dicts (no ORM), so that property tests can drive them.

Results are offered one filter at a time: everybody, by team, or by tenure band. Each filter is
a *partition* of the respondents into cells (every respondent in exactly one cell; "no team" is a
cell of its own). For each partition:

1. a cell with fewer than ``k`` respondents (none included) is suppressed ("small");
2. then, while the suppressed cells together hold more than 0 but fewer than ``k`` respondents,
   the smallest visible cell is suppressed too ("complement"): otherwise the overall figure minus
   the visible cells would give the figure of fewer than ``k`` people;
3. if the whole group is below ``k``, everything is suppressed.

A count of respondents is a figure too: a suppressed cell shows no count.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

VISIBLE = ""
SMALL = "small"
COMPLEMENT = "complement"
REASONS = (SMALL, COMPLEMENT)


def _order(counts: Mapping[Hashable, int]):
    # Smallest first; ties broken by the key's text so that the same answers always hide the
    # same cells.
    return sorted(counts, key=lambda key: (counts[key], str(key)))


def suppress_partition(counts: Mapping[Hashable, int], k: int, *,
                       forced: Iterable[Hashable] = ()) -> dict[Hashable, str]:
    """The reason each cell of one partition is hidden ("" when shown).

    ``counts`` maps each cell to how many respondents it holds. ``forced`` cells are hidden
    whatever their size (e.g. cells already hidden for every respondent, when deciding about
    one question that not everybody answered); they count as suppressed for the complement
    rule, under the reason "complement" unless they are also small.
    """
    if k < 1:
        raise ValueError("the smallest group shown must be at least 1")
    total = sum(counts.values())
    if total < k:
        return {cell: SMALL for cell in counts}
    reasons = {cell: (SMALL if n < k else VISIBLE) for cell, n in counts.items()}
    for cell in forced:
        if cell in reasons and not reasons[cell]:
            reasons[cell] = SMALL if counts[cell] < k else COMPLEMENT
    hidden = sum(counts[cell] for cell, why in reasons.items() if why)
    for cell in _order(counts):
        if not 0 < hidden < k:
            break
        if reasons[cell]:
            continue
        reasons[cell] = COMPLEMENT
        hidden += counts[cell]
    return reasons


def suppress(partitions: Mapping[str, Mapping[Hashable, int]], k: int) -> dict:
    """Suppression for the overall group and every partition offered.

    ``partitions`` maps a filter name ("team", "tenure") to its cell counts; each must add up to
    the same total. Returns ``{"overall": reason, "<filter>": {cell: reason}}``.
    """
    totals = {sum(cells.values()) for cells in partitions.values()}
    if len(totals) > 1:
        raise ValueError(f"partitions of different groups: totals {sorted(totals)}")
    total = totals.pop() if totals else 0
    result: dict = {"overall": SMALL if total < k else VISIBLE}
    for name, cells in partitions.items():
        result[name] = suppress_partition(cells, k)
    return result


def comments_visible(count: int, reason: str, comment_k: int) -> bool:
    """Comments of a cell are shown only for a visible cell of at least ``comment_k`` people."""
    return not reason and count >= comment_k


def derivable_groups(counts: Mapping[Hashable, int],
                     reasons: Mapping[Hashable, str]) -> list[frozenset]:
    """The groups of cells an observer can work out the figures of from what is shown of one
    partition and the overall: each visible cell, the whole, and the whole minus the visible
    cells (all hidden cells together). Used by the tests to check what suppression promises."""
    cells = frozenset(counts)
    visible = [cell for cell in counts if not reasons[cell]]
    groups = [frozenset([cell]) for cell in visible] + [cells]
    groups.append(cells - frozenset(visible))
    return groups
