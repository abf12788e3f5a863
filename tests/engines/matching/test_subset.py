from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etabli.engines.matching import subset_sums


def test_exact_unique_combination():
    result = subset_sums([30000, 52050, 17950, 99999], 100000, 100000)
    assert result.count == 1
    assert result.solutions[0].indices == (0, 1, 2)


def test_several_combinations_are_counted():
    result = subset_sums([10000, 20000, 15000, 15000], 30000, 30000)
    assert result.count == 2  # 100+200 and 150+150
    assert {s.indices for s in result.solutions} == {(0, 1), (2, 3)}


def test_window_prefers_the_sum_closest_to_the_target():
    result = subset_sums([50000, 49000, 1500, 3500], 51000, 53000, target=51000)
    assert [s.total for s in result.solutions][:2] == [51500, 52500]


def test_negative_amounts_credit_notes():
    result = subset_sums([100000, 64000, -14000], 150000, 150000)
    assert result.solutions[0].indices == (0, 1, 2)


def test_size_limits():
    assert subset_sums([100, 200, 300], 300, 300, min_size=1).count == 2
    assert subset_sums([100, 200, 300], 300, 300, min_size=2).count == 1
    assert subset_sums([100, 100, 100, 100], 400, 400, max_size=3).count == 0


def test_bounded_input():
    with pytest.raises(ValueError):
        subset_sums(list(range(1, 30)), 10, 10)
    assert subset_sums([], 0, 10).count == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=-5000, max_value=50000), min_size=1, max_size=10),
    st.integers(min_value=-5000, max_value=120000),
    st.integers(min_value=0, max_value=3000),
)
def test_matches_brute_force(amounts, low, width):
    high = low + width
    expected = {
        combo
        for size in range(1, len(amounts) + 1)
        for combo in combinations(range(len(amounts)), size)
        if low <= sum(amounts[i] for i in combo) <= high
    }
    result = subset_sums(amounts, low, high, min_size=1, max_solutions=10_000)
    assert result.count == len(expected)
    assert {s.indices for s in result.solutions} == expected
