"""Small-group and complementary suppression: worked examples and properties over generated
organisations (hypothesis)."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hr_admin import health_suppression as rules
from hr_admin.health_suppression import COMPLEMENT, SMALL, VISIBLE


def test_two_teams_of_5_and_2_hide_both_since_the_whole_minus_5_gives_the_2():
    reasons = rules.suppress_partition({"a": 5, "b": 2}, 5)
    assert reasons == {"a": COMPLEMENT, "b": SMALL}


def test_a_third_team_of_3_lets_the_team_of_5_be_shown():
    # Hidden: 2 + 3 = 5 people, no fewer than k = 5; the whole minus team a gives those 5.
    reasons = rules.suppress_partition({"a": 5, "b": 2, "c": 3}, 5)
    assert reasons == {"a": VISIBLE, "b": SMALL, "c": SMALL}


def test_the_smallest_visible_cell_is_the_one_hidden_for_the_complement():
    # 2 hidden; the 6-team is hidden next (not the 9): 2 + 6 = 8 ≥ 5.
    reasons = rules.suppress_partition({"big": 9, "mid": 6, "tiny": 2}, 5)
    assert reasons == {"big": VISIBLE, "mid": COMPLEMENT, "tiny": SMALL}


def test_a_whole_group_below_the_threshold_hides_everything():
    result = rules.suppress({"team": {"a": 3, "b": 1}, "tenure": {"lt1": 4}}, 5)
    assert result == {"overall": SMALL, "team": {"a": SMALL, "b": SMALL},
                      "tenure": {"lt1": SMALL}}


def test_cells_all_large_enough_are_all_shown():
    assert rules.suppress_partition({"a": 5, "b": 7, "none": 6}, 5) == {
        "a": VISIBLE, "b": VISIBLE, "none": VISIBLE}


def test_a_forced_cell_counts_as_hidden_for_the_complement():
    # "b" is hidden for another reason; alone it holds 6, so nothing else need go.
    assert rules.suppress_partition({"a": 5, "b": 6}, 5, forced=["b"]) == {
        "a": VISIBLE, "b": COMPLEMENT}
    # Forced "b" holds only 1 person: the next smallest visible cell goes with it.
    assert rules.suppress_partition({"a": 5, "b": 1, "c": 8}, 5, forced=["b"]) == {
        "a": COMPLEMENT, "b": SMALL, "c": VISIBLE}


def test_partitions_of_different_groups_are_refused():
    with pytest.raises(ValueError):
        rules.suppress({"team": {"a": 5}, "tenure": {"x": 6}}, 5)


def test_comments_need_a_visible_cell_of_the_comment_threshold():
    assert rules.comments_visible(10, VISIBLE, 10)
    assert not rules.comments_visible(9, VISIBLE, 10)
    assert not rules.comments_visible(12, COMPLEMENT, 10)


# --- Properties over generated organisations ----------------------------------------------------

respondent = st.tuples(st.sampled_from(["t1", "t2", "t3", "t4", "t5", "none"]),
                       st.sampled_from(["lt1", "1to3", "3to5", "gt5", "unknown"]),
                       st.integers(min_value=0, max_value=100))
organisations = st.tuples(st.lists(respondent, min_size=0, max_size=40),
                          st.integers(min_value=3, max_value=8))


def _partitions(people):
    partitions = {"team": {}, "tenure": {}}
    for team, band, _points in people:
        partitions["team"][team] = partitions["team"].get(team, 0) + 1
        partitions["tenure"][band] = partitions["tenure"].get(band, 0) + 1
    return partitions


@settings(max_examples=1500, deadline=None)
@given(organisations)
def test_no_visible_cell_is_small_and_the_hidden_cells_together_are_not_small(case):
    people, k = case
    result = rules.suppress(_partitions(people), k)
    for name, cells in _partitions(people).items():
        hidden = sum(n for cell, n in cells.items() if result[name][cell])
        # With the whole hidden too, nothing is left to subtract from.
        assert hidden == 0 or hidden >= k or result["overall"]
        for cell, n in cells.items():
            if not result[name][cell]:
                assert n >= k
            else:
                assert result[name][cell] in rules.REASONS
    if len(people) < k:
        assert result["overall"] == SMALL
        assert all(why for name in ("team", "tenure") for why in result[name].values())


@settings(max_examples=800, deadline=None)
@given(organisations)
def test_no_combination_of_visible_figures_isolates_fewer_than_k(case):
    """An observer knows every visible count and sum of points, of every partition and of the
    whole. Within a partition, the groups whose sums they can derive are the unions of cells
    whose indicator is a linear combination of the visible cells and the whole: brute force
    over every subset of cells and every integer combination (coefficients -1, 0, 1) of those
    known vectors."""
    people, k = case
    partitions = _partitions(people)
    result = rules.suppress(partitions, k)
    if result["overall"]:
        return
    for name, cells in partitions.items():
        order = sorted(cells)
        known = [tuple(1 for _ in order)]
        known += [tuple(int(c == cell) for c in order) for cell in order
                  if not result[name][cell]]
        derivable = set()
        for coefficients in itertools.product((-1, 0, 1), repeat=len(known)):
            vector = tuple(sum(c * v[i] for c, v in zip(coefficients, known, strict=True))
                           for i in range(len(order)))
            if all(x in (0, 1) for x in vector):
                derivable.add(vector)
        for vector in derivable:
            size = sum(cells[cell] for cell, x in zip(order, vector, strict=True) if x)
            assert size == 0 or size >= k, (name, cells, result[name], vector)
        # The helper the pages' documentation relies on names the same groups.
        for group in rules.derivable_groups(cells, result[name]):
            size = sum(cells[cell] for cell in group)
            assert size == 0 or size >= k


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=8),
       st.integers(3, 10), st.data())
def test_forced_cells_stay_hidden_and_the_rule_still_holds(cells, k, data):
    forced = data.draw(st.lists(st.sampled_from(sorted(cells)), unique=True)) if cells else []
    reasons = rules.suppress_partition(cells, k, forced=forced)
    assert all(reasons[cell] for cell in forced)
    hidden = sum(n for cell, n in cells.items() if reasons[cell])
    assert hidden == 0 or hidden >= k or all(reasons.values())
    assert all(cells[cell] >= k for cell, why in reasons.items() if not why)
    # Deterministic: the same counts always hide the same cells.
    assert rules.suppress_partition(dict(reversed(list(cells.items()))), k,
                                    forced=forced) == reasons
