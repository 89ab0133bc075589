"""The agreement core: spreads per criterion, ICC(1) across performances, weighted totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaopei.training.agreement import (
    EXCELLENT,
    GOOD,
    MODERATE,
    POOR,
    band,
    icc1,
    spread,
    weighted_percent,
)

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges; ICC(1,1) = 0.17.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_it_reproduces_shrout_and_fleiss_icc_1_1() -> None:
    result = icc1(SHROUT_FLEISS)
    assert result.coefficient is not None
    assert round(result.coefficient, 2) == 0.17
    # Their mean squares: BMS 11.24, WMS 6.26.
    assert result.msb == pytest.approx(11.24, abs=0.01)
    assert result.msw == pytest.approx(6.26, abs=0.01)
    assert result.k0 == pytest.approx(4)
    assert result.band == POOR


def test_it_needs_three_performances_with_two_assessors_each() -> None:
    result = icc1([[1, 2], [3, 4], [5]])
    assert result.coefficient is None
    assert result.performances == 2


def test_unequal_group_sizes_use_the_adjusted_mean_number_of_raters() -> None:
    result = icc1([[1, 2, 1], [4, 5], [7, 8, 7, 8]])
    assert result.k0 == pytest.approx((9 - (9 + 4 + 16) / 9) / 2)
    assert result.coefficient is not None and result.coefficient > 0.9


def test_every_rating_equal_gives_no_coefficient() -> None:
    assert icc1([[3, 3], [3, 3], [3, 3]]).coefficient is None


@pytest.mark.parametrize(
    ("icc", "expected"),
    [(0.49, POOR), (0.5, MODERATE), (0.74, MODERATE), (0.75, GOOD), (0.9, GOOD), (0.91, EXCELLENT)],
)
def test_bands_follow_koo_and_li(icc: float, expected: str) -> None:
    assert band(icc) == expected


groups = st.lists(
    st.lists(st.integers(min_value=0, max_value=100), min_size=2, max_size=4),
    min_size=3,
    max_size=8,
)


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(2, 4)), min_size=3, max_size=8))
def test_perfect_agreement_gives_one(targets: list[tuple[int, int]]) -> None:
    data = [[value] * k for value, k in targets]
    result = icc1(data)
    if len({value for value, _k in targets}) > 1:
        assert result.coefficient == pytest.approx(1.0)
    else:
        assert result.coefficient is None


@given(groups, st.integers(min_value=-50, max_value=50))
def test_adding_a_constant_changes_nothing(data: list[list[int]], shift: int) -> None:
    base = icc1(data)
    moved = icc1([[x + shift for x in g] for g in data])
    if base.coefficient is None:
        assert moved.coefficient is None
    else:
        assert moved.coefficient == pytest.approx(base.coefficient, abs=1e-9)


@given(groups)
def test_icc_is_at_most_one(data: list[list[int]]) -> None:
    result = icc1(data)
    assert result.coefficient is None or result.coefficient <= 1 + 1e-9


def test_a_criterion_is_flagged_only_beyond_the_threshold() -> None:
    at = spread([Decimal(2), Decimal("3.5")], Decimal("1.5"))
    beyond = spread([Decimal(2), Decimal(4)], Decimal("1.5"))
    assert at.range == Decimal("1.5") and not at.flagged
    assert beyond.range == 2 and beyond.flagged
    assert beyond.std_dev == pytest.approx(1.0)
    assert not spread([Decimal(5)], Decimal("0.5")).flagged


def test_the_weighted_total_is_a_share_of_the_maximum() -> None:
    weights = {1: Decimal(60), 2: Decimal(40)}
    assert weighted_percent({1: Decimal(5), 2: Decimal(5)}, weights, 5) == 100
    assert weighted_percent({1: Decimal(4), 2: Decimal(2)}, weights, 5) == Decimal(64)
    # The scale's minimum is not 0 %: all ones on 1–5 is 20 %.
    assert weighted_percent({1: Decimal(1), 2: Decimal(1)}, weights, 5) == 20
