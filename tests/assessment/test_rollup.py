"""The roll-up core: plain numbers, no database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kaopei.assessment import rollup

D = Decimal
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


def test_it_sums_amounts_and_counts_and_averages_rates() -> None:
    assert rollup.aggregation_for(unit="元", cumulative=True) == "sum"
    assert rollup.aggregation_for(unit="count", cumulative=False) == "sum"
    assert rollup.aggregation_for(unit="hours", cumulative=True) == "sum"
    assert rollup.aggregation_for(unit="hours", cumulative=False) == "mean"
    for unit in ("%", "0–100", "1–5", "days", "points"):
        assert rollup.aggregation_for(unit=unit, cumulative=False) == "mean"


def test_it_flags_people_targets_short_of_the_unit_target_beyond_the_margin() -> None:
    r = rollup.rollup(
        unit_target=D(300),
        people_targets=[D(100), D(150)],
        actuals=[D(120), D(150)],
        how="sum",
        margin=D("0.05"),
    )
    assert r.people == D(250)
    assert r.difference == (D(250) - D(300)) / D(300)
    assert r.flag == "short"
    assert r.actual == D(270)
    assert r.attainment == D(270) / D(300)


def test_it_flags_an_overshoot_and_keeps_quiet_within_the_margin() -> None:
    over = rollup.rollup(unit_target=D(100), people_targets=[D(120)], actuals=[], how="sum")
    assert over.flag == "over" and over.actual is None and over.attainment is None
    near = rollup.rollup(unit_target=D(100), people_targets=[D(104)], actuals=[], how="sum")
    assert near.flag == ""
    edge = rollup.rollup(unit_target=D(100), people_targets=[D(95)], actuals=[], how="sum")
    assert edge.flag == ""  # exactly the margin is not beyond it


def test_rates_roll_up_as_the_mean_and_lower_is_better_inverts_attainment() -> None:
    r = rollup.rollup(
        unit_target=D(90),
        people_targets=[D(80), D(100)],
        actuals=[D(45), D(45)],
        how="mean",
        lower_is_better=True,
    )
    assert r.people == D(90) and r.flag == ""
    assert r.attainment == D(2)


def test_no_people_and_a_zero_target_give_no_difference() -> None:
    assert (
        rollup.rollup(unit_target=D(100), people_targets=[], actuals=[], how="sum").people is None
    )
    assert rollup.difference(D(5), D(0)) is None
    assert rollup.flag_for(None, D("0.05")) == ""


def test_subtree_buckets_count_a_value_in_its_unit_and_every_unit_above() -> None:
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 2}
    buckets = rollup.subtree_buckets(parents=parents, values=[(4, D(1)), (3, D(2))])
    assert buckets == {4: [D(1)], 2: [D(1)], 1: [D(1), D(2)], 3: [D(2)]}


@given(st.lists(st.tuples(st.sampled_from([2, 3, 4, 5]), amounts), max_size=40))
def test_for_sums_the_whole_equals_the_sum_of_its_parts(values: list[tuple[int, Decimal]]) -> None:
    # 1 ← {2, 3}; 2 ← {4, 5}
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 2, 5: 2}
    buckets = rollup.subtree_buckets(parents=parents, values=values)

    def total(unit: int) -> Decimal:
        return rollup.aggregate(buckets.get(unit, []), "sum") or D(0)

    assert total(1) == total(2) + total(3)
    assert total(2) == total(4) + total(5) + sum((v for u, v in values if u == 2), D(0))
    assert total(1) == sum((v for _u, v in values), D(0))


def test_a_cycle_in_the_tree_does_not_loop() -> None:
    buckets = rollup.subtree_buckets(parents={1: 2, 2: 1}, values=[(1, D(3))])
    assert buckets == {1: [D(3)], 2: [D(3)]}
