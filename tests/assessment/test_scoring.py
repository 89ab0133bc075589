"""The scoring engine (DESIGN.md §6 ⚑): pure Decimal arithmetic, no database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st

from kaopei.assessment import scoring as engine
from kaopei.assessment.grades import default_policy
from kaopei.assessment.scoring import (
    GRADE_INSUFFICIENT,
    GRADE_UNQUALIFIED,
    WARNING_NO_DATA,
    WARNING_TARGET_MISSING,
    EmployeeValues,
    GradeBand,
    GradePolicy,
    ItemInput,
    MetricSpec,
    TemplateLine,
    Veto,
    project_run_rate,
    round_up_to,
)

# The default policy (grades.DEFAULT_POLICY) unless a test passes another.
DEFAULT_POLICY = default_policy()


def score(items: Any, policy: GradePolicy = DEFAULT_POLICY, veto: Veto | None = None) -> Any:
    return engine.score(items, policy, veto)


def score_many(lines: Any, employees: Any, policy: GradePolicy = DEFAULT_POLICY) -> Any:
    return engine.score_many(lines, employees, policy)


def gap_to_next_grade(result: Any, items: Any, policy: GradePolicy = DEFAULT_POLICY) -> Any:
    return engine.gap_to_next_grade(result, items, policy)


SALES = MetricSpec(code="sales_amount", direction="higher", mode="ratio", value_min=D(0))
RESPONSE = MetricSpec(code="response_hours", direction="lower", mode="ratio", value_min=D(0))
NPS = MetricSpec(
    code="nps", direction="higher", mode="band", floor=D(-100), value_min=D(-100), value_max=D(100)
)
INCIDENTS = MetricSpec(
    code="compliance_incidents", direction="lower", mode="band", ceiling=D(3), value_min=D(0)
)
WIN_RATE = MetricSpec(
    code="opportunity_win_rate", direction="higher", mode="ratio", value_min=D(0), value_max=D(100)
)
DSO = MetricSpec(code="collection_days", direction="lower", mode="ratio", value_min=D(0))
AVERAGE = MetricSpec(code="quarterly_average", direction="higher", mode="direct")
VISITS = MetricSpec(code="visit_count", direction="higher", mode="ratio", value_min=D(0))
SPECS = (SALES, RESPONSE, NPS, INCIDENTS, AVERAGE)


def line(
    metric: MetricSpec,
    weight: str | int,
    actual: str | int | None,
    target: str | int | None = None,
    *,
    has_data: bool = True,
    cap: str = "1.50",
) -> ItemInput:
    return ItemInput(
        metric=metric,
        weight=D(weight),
        actual=None if actual is None else D(actual),
        target=None if target is None else D(target),
        has_data=has_data,
        cap=D(cap),
    )


def direct_card(*totals: str) -> list[ItemInput]:
    """Equal-weight direct lines whose points are ``totals`` (actual/100 × 100)."""
    return [
        line(MetricSpec(code=f"m{i}", direction="higher", mode="direct"), 1, total)
        for i, total in enumerate(totals)
    ]


# --- strategies -------------------------------------------------------------------------------


def decimals(low: str, high: str, places: int = 4) -> st.SearchStrategy[D]:
    return st.decimals(D(low), D(high), places=places, allow_nan=False, allow_infinity=False)


# Plausible, usable (target, actual) ranges per metric; actuals of lower-is-better ratio
# metrics are never negative (hours, days).
TARGETS = {
    SALES.code: decimals("1", "10000"),
    RESPONSE.code: decimals("0.5", "100"),
    NPS.code: decimals("-99", "100"),
    INCIDENTS.code: decimals("0", "2.9", 1),
    AVERAGE.code: st.none(),
}
ACTUALS = {
    SALES.code: decimals("0", "20000"),
    RESPONSE.code: decimals("0", "200"),
    NPS.code: decimals("-100", "100"),
    INCIDENTS.code: st.integers(0, 6).map(D),
    AVERAGE.code: decimals("0", "200", 2),
}


@st.composite
def items(draw: st.DrawFn, spec: MetricSpec, *, data: bool | None = None) -> ItemInput:
    return ItemInput(
        metric=spec,
        weight=draw(decimals("0", "60", 2)),
        actual=draw(ACTUALS[spec.code]),
        target=draw(TARGETS[spec.code]),
        has_data=draw(st.booleans()) if data is None else data,
        cap=draw(st.sampled_from([D("1.50"), D("1.2"), D("2")])),
    )


@st.composite
def cards(draw: st.DrawFn, *, data: bool | None = None) -> list[ItemInput]:
    specs = draw(st.lists(st.sampled_from(SPECS), min_size=1, unique_by=lambda s: s.code))
    return [draw(items(spec, data=data)) for spec in specs]


# --- the hand-computed example ----------------------------------------------------------------


def hand_example() -> list[ItemInput]:
    return [
        line(SALES, 30, 900000, 1000000),
        line(RESPONSE, 20, "4.5", 4),
        line(NPS, 20, 40, 50),
        line(INCIDENTS, 10, 1, 0),
        line(WIN_RATE, 20, None, 60, has_data=False),
    ]


def test_it_scores_the_hand_computed_example_to_the_cent() -> None:
    """A five-line template (weights 30/20/20/10/20), default cap 1.50 and grade policy.

    sales_amount (ratio, higher), actual 900 000, target 1 000 000:
        attainment 900000 / 1000000 = 0.9                  → points 90.00
    response_hours (ratio, lower), actual 4.5, target 4:
        attainment 4 / 4.5 = 0.888…                        → 88.888… → points 88.89
    nps (band, higher, floor −100), actual 40, target 50:
        attainment (40 + 100) / (50 + 100) = 140/150 = 0.933…  → points 93.33
    compliance_incidents (band, lower, ceiling 3), actual 1, target 0:
        attainment (3 − 1) / (3 − 0) = 2/3 = 0.666…        → points 66.67
    opportunity_win_rate: no opportunity closed → no data, its 20 spread over the rest.

    weight with data = 30 + 20 + 20 + 10 = 80 ≥ 100 / 2, so the card is graded.
    Σ w × points = 30×90.00 + 20×88.89 + 20×93.33 + 10×66.67
                 = 2700.00 + 1777.80 + 1866.60 + 666.70 = 7011.10
    total = 7011.10 / 80 = 87.63875 → 87.64 → grade C (below 100).

    Gap to B (total ≥ 100.00, i.e. unrounded ≥ 99.995, so Σ w × points ≥ 80 × 99.995 = 7999.60):
    sales_amount: points ≥ (7999.60 − 4311.10) / 30 = 122.95 → attainment ≥ 1.22945
        (122.945 rounds half-up to 122.95) → actual ≥ 1.22945 × 1 000 000 = 1 229 450,
        a rise of 329 450; total then (4311.10 + 30 × 122.95) / 80 = 99.995 → 100.00, B.
    response_hours: points ≥ (7999.60 − 5233.30) / 20 = 138.315 → 138.32 → attainment
        ≥ 1.38315 → actual ≤ 4 / 1.38315 = 2.89195… → 2.8919 h, a cut of 1.6081 h.
    nps: points ≥ (7999.60 − 5144.50) / 20 = 142.755 → 142.76 → actual ≥ −100 + 1.42755
        × 150 = 114.1325, above the NPS maximum of 100: no path.
    compliance_incidents: points ≥ (7999.60 − 6344.40) / 10 = 165.52 > the cap's 150: no path.
    """
    cards_items = hand_example()
    result = score(cards_items)

    assert [(x.metric, x.points) for x in result.lines] == [
        ("sales_amount", D("90.00")),
        ("response_hours", D("88.89")),
        ("nps", D("93.33")),
        ("compliance_incidents", D("66.67")),
        ("opportunity_win_rate", None),
    ]
    assert result.lines[0].attainment == D("0.9")
    assert result.lines[4].warning == WARNING_NO_DATA
    assert result.weight_with_data == D(80)
    assert result.weight_total == D(100)
    assert result.renormalised is True
    assert result.total == D("87.64")
    assert result.grade == "C"
    assert result.veto_reason == ""

    gaps = {gap.metric: gap for gap in gap_to_next_grade(result, cards_items)}
    assert set(gaps) == {"sales_amount", "response_hours"}
    assert gaps["sales_amount"].grade == "B"
    assert gaps["sales_amount"].points_needed == D("122.95")
    assert gaps["sales_amount"].needed_actual == D(1229450)
    assert gaps["sales_amount"].delta == D(329450)
    assert gaps["response_hours"].points_needed == D("138.32")
    assert gaps["response_hours"].needed_actual == D("2.8919")
    assert gaps["response_hours"].delta == D("-1.6081")


# --- attainment and points --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "attainment", "points"),
    [
        (line(SALES, 1, 120, 100), D("1.2"), D("120.00")),
        (line(RESPONSE, 1, 8, 4), D("0.5"), D("50.00")),
        (line(NPS, 1, 20, 60), D("0.75"), D("75.00")),
        (line(INCIDENTS, 1, 2, 1), D("0.5"), D("50.00")),
        (line(INCIDENTS, 1, 5, 1), D("-1"), D("0.00")),
        (line(AVERAGE, 1, "105.5"), D("1.055"), D("105.50")),
        (line(SALES, 1, 300, 100), D(3), D("150.00")),
        (line(SALES, 1, 300, 100, cap="1.2"), D(3), D("120.00")),
    ],
)
def test_it_computes_attainment_and_points_per_scoring_mode(
    item: ItemInput, attainment: D, points: D
) -> None:
    result = score([item])

    assert result.lines[0].attainment == attainment
    assert result.lines[0].points == points


def test_a_lower_is_better_ratio_at_zero_attains_the_cap() -> None:
    result = score([line(RESPONSE, 1, 0, 4, cap="1.8")])

    assert result.lines[0].attainment == D("1.8")
    assert result.lines[0].points == D("180.00")


def test_it_rounds_points_half_up() -> None:
    # 1.23455 → 123.455 points, which half-even would round to 123.46 as well; 0.12345 is the
    # telling case: 12.345 → 12.35 half-up, 12.34 half-even.
    assert score([line(AVERAGE, 1, "12.345")]).lines[0].points == D("12.35")
    assert score([line(SALES, 1, "12.345", 100)]).lines[0].points == D("12.35")


def test_the_total_is_computed_from_rounded_points() -> None:
    # 100.005 → 100.01 points; (100.01 + 100.00) / 2 = 100.005 → 100.01.
    # From unrounded points it would be 100.0025 → 100.00.
    assert score(direct_card("100.005", "100")).total == D("100.01")


def test_a_band_item_can_override_the_metrics_floor() -> None:
    item = replace(line(NPS, 1, 20, 60), floor=D(0))

    assert score([item]).lines[0].attainment == D(20) / D(60)


@pytest.mark.parametrize(
    "item",
    [
        line(SALES, 1, 100, None),
        line(SALES, 1, 100, 0),
        line(SALES, 1, 100, -5),
        line(RESPONSE, 1, 3, 0),
        line(NPS, 1, 20, -100),
        line(NPS, 1, 20, -120),
        line(INCIDENTS, 1, 0, 3),
        line(INCIDENTS, 1, 0, 4),
        line(INCIDENTS, 1, 0, None),
        line(SALES, 1, None, None, has_data=False),
    ],
)
def test_a_missing_or_unusable_target_leaves_the_line_without_data(item: ItemInput) -> None:
    result = score([item, line(VISITS, 1, 10, 10)])

    assert result.lines[0].has_data is False
    assert result.lines[0].points is None
    assert result.lines[0].attainment is None
    assert result.lines[0].warning == WARNING_TARGET_MISSING


def test_a_direct_metric_needs_no_target() -> None:
    assert score([line(AVERAGE, 1, 90)]).lines[0].has_data is True


def test_a_line_with_data_and_an_empty_actual_scores_zero() -> None:
    # collection_days: receivables outstanding with nothing invoiced (DESIGN.md §5).
    result = score([line(DSO, 50, None, 60), line(VISITS, 50, 12, 10)])

    dso = result.lines[0]
    assert (dso.has_data, dso.actual, dso.attainment, dso.points) == (True, None, D(0), D("0.00"))
    assert result.total == D("60.00")


@settings(max_examples=300)
@given(
    spec=st.sampled_from(SPECS),
    actual=decimals("-1000", "100000"),
    target=st.none() | decimals("-200", "10000"),
    cap=decimals("0.01", "3", 2),
)
def test_points_are_never_outside_0_and_the_cap(
    spec: MetricSpec, actual: D, target: D | None, cap: D
) -> None:
    item = ItemInput(metric=spec, weight=D(1), actual=actual, target=target, has_data=True, cap=cap)
    points = score([item]).lines[0].points

    assert points is None or D(0) <= points <= cap * 100


# --- monotonicity -----------------------------------------------------------------------------


@settings(max_examples=300)
@given(card=cards(), data=st.data(), more=decimals("0", "10000"))
def test_a_better_actual_never_lowers_the_points_or_the_total(
    card: list[ItemInput], data: st.DataObject, more: D
) -> None:
    """More of a higher-is-better metric, or less of a lower-is-better one (not below 0 for
    ratios, which measure hours or days), never lowers the line's points or the total."""
    index = data.draw(st.integers(0, len(card) - 1))
    item = card[index]
    assert item.actual is not None
    if item.metric.direction == "higher":
        better = item.actual + more
    else:
        better = item.actual - more
        if item.metric.mode == "ratio":
            better = max(better, D(0))
    improved = list(card)
    improved[index] = replace(item, actual=better)

    before, after = score(card), score(improved)

    points_before, points_after = before.lines[index].points, after.lines[index].points
    if points_before is not None:
        assert points_after is not None
        assert points_after >= points_before
    if before.total is not None:
        assert after.total is not None
        assert after.total >= before.total


# --- grades -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("150", "A"),
        ("120.00", "A"),
        ("119.99", "B"),
        ("100.00", "B"),
        ("99.99", "C"),
        ("0", "C"),
    ],
)
def test_it_grades_at_the_policy_boundaries(total: str, grade: str) -> None:
    result = score(direct_card(total))

    assert result.total == D(total)
    assert result.grade == grade


def test_it_grades_a_at_exactly_120() -> None:
    assert score(direct_card("120")).grade == "A"


def test_it_grades_from_the_rounded_total() -> None:
    # (119.99 + 120.00) / 2 = 119.995 → 120.00 → A; (99.99 + 100.00) / 2 → 100.00 → B.
    assert score(direct_card("119.99", "120")).total == D("120.00")
    assert score(direct_card("119.99", "120")).grade == "A"
    assert score(direct_card("99.99", "100")).grade == "B"
    assert score(direct_card("119.98", "120")).grade == "B"


@settings(max_examples=300)
@given(card=cards())
def test_the_grade_follows_the_rounded_total_and_the_weight_with_data(
    card: list[ItemInput],
) -> None:
    result = score(card)

    if result.total is None or 2 * result.weight_with_data < result.weight_total:
        assert result.grade == GRADE_INSUFFICIENT
    elif result.total >= 120:
        assert result.grade == "A"
    elif result.total >= 100:
        assert result.grade == "B"
    else:
        assert result.grade == "C"


def test_a_custom_grade_policy_is_data() -> None:
    policy = GradePolicy(
        bands=[
            GradeBand(code="S", min_total=D(130)),
            GradeBand(code="A", min_total=D("110.5")),
            GradeBand(code="B", min_total=D(90)),
            GradeBand(code="D", min_total=None),
        ]
    )

    assert [score(direct_card(t), policy).grade for t in ("130", "110.5", "110.49", "89")] == [
        "S",
        "A",
        "B",
        "D",
    ]


@pytest.mark.parametrize(
    "bands",
    [
        [],
        [GradeBand(code="A", min_total=D(100))],
        [GradeBand(code="A", min_total=D(100)), GradeBand(code="A", min_total=None)],
        [
            GradeBand(code="A", min_total=D(100)),
            GradeBand(code="B", min_total=D(100)),
            GradeBand(code="C", min_total=None),
        ],
        [GradeBand(code="A", min_total=None), GradeBand(code="C", min_total=None)],
        [GradeBand(code="INSUFFICIENT", min_total=D(1)), GradeBand(code="C", min_total=None)],
    ],
)
def test_it_refuses_a_grade_policy_that_could_not_grade_every_total(
    bands: list[GradeBand],
) -> None:
    with pytest.raises(ValueError):
        GradePolicy(bands=bands)


def test_the_default_policy_is_a_at_120_b_at_100_and_c_below_with_examples() -> None:
    assert [(band.code, band.min_total) for band in DEFAULT_POLICY.bands] == [
        ("A", D(120)),
        ("B", D(100)),
        ("C", None),
    ]
    assert all(band.label and band.behaviour_examples for band in DEFAULT_POLICY.bands)


# --- missing data -----------------------------------------------------------------------------


def test_it_spreads_the_weight_of_lines_without_data_proportionally() -> None:
    # 30 × 120 + 20 × 90 over 50: the missing 50 is spread 3:2, as if weights were 60 and 40.
    result = score(
        [
            line(SALES, 30, 120, 100),
            line(VISITS, 20, 9, 10),
            line(WIN_RATE, 50, None, 60, has_data=False),
        ]
    )

    assert result.total == D("108.00")
    assert result.renormalised is True
    assert result.weight_with_data == D(50)


@given(card=cards())
def test_lines_without_data_change_nothing_but_the_spread(card: list[ItemInput]) -> None:
    with_data = [item for item in card if item.has_data]
    result = score(card)

    if with_data:
        assert result.total == score(with_data).total
    else:
        assert result.total is None
    missing_weight = sum((i.weight for i in card if not i.has_data), D(0))
    assert result.renormalised == (result.total is not None and missing_weight > 0)


def test_exactly_half_of_the_weight_with_data_is_enough() -> None:
    result = score([line(SALES, 50, 100, 100), line(WIN_RATE, 50, None, 60, has_data=False)])

    assert result.grade == "B"
    assert result.total == D("100.00")


def test_less_than_half_of_the_weight_with_data_is_insufficient_but_keeps_the_total() -> None:
    result = score(
        [line(SALES, "49.99", 100, 100), line(WIN_RATE, "50.01", None, 60, has_data=False)]
    )

    assert result.grade == GRADE_INSUFFICIENT
    assert result.total == D("100.00")


def test_a_card_with_no_data_at_all_is_insufficient_without_a_total() -> None:
    result = score([line(WIN_RATE, 100, None, 60, has_data=False)])

    assert (result.total, result.grade, result.renormalised) == (None, GRADE_INSUFFICIENT, False)


# --- veto -------------------------------------------------------------------------------------


@given(card=cards())
def test_a_confirmed_incident_makes_any_card_unqualified(card: list[ItemInput]) -> None:
    plain = score(card)
    vetoed = score(card, veto=Veto("INC-7", "bribery"))

    assert vetoed.grade == GRADE_UNQUALIFIED
    assert vetoed.veto_reason == "INC-7 bribery"
    assert vetoed.total == plain.total
    assert vetoed.lines == plain.lines


def test_the_veto_overrides_insufficient_data() -> None:
    result = score([line(WIN_RATE, 100, None, 60, has_data=False)], veto=Veto("INC-1", "aml"))

    assert result.grade == GRADE_UNQUALIFIED


# --- reproducibility --------------------------------------------------------------------------


@given(card=cards(), data=st.data())
def test_the_same_inputs_give_the_same_hash(card: list[ItemInput], data: st.DataObject) -> None:
    # Equal values written differently (1.5 / 1.5000) and another order hash the same.
    rewritten = [
        replace(
            item,
            weight=item.weight.quantize(D("0.0001")),
            actual=None if item.actual is None else item.actual.quantize(D("0.000001")),
        )
        for item in data.draw(st.permutations(card))
    ]

    assert score(rewritten).inputs_hash == score(card).inputs_hash


@given(card=cards(), data=st.data())
def test_a_changed_target_changes_the_hash(card: list[ItemInput], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(card) - 1))
    changed = list(card)
    changed[index] = replace(card[index], target=(card[index].target or D(0)) + 1)

    assert score(changed).inputs_hash != score(card).inputs_hash


def test_the_hash_covers_the_veto_and_the_policy() -> None:
    card = hand_example()
    stricter = GradePolicy(
        bands=[GradeBand(code="A", min_total=D(125)), GradeBand(code="C", min_total=None)]
    )

    hashes = {
        score(card).inputs_hash,
        score(card, veto=Veto("INC-1", "aml")).inputs_hash,
        score(card, stricter).inputs_hash,
    }
    assert len(hashes) == 3


# --- gap to the next grade --------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(card=cards(data=True))
def test_each_gap_reaches_the_next_grade_and_a_step_less_does_not(card: list[ItemInput]) -> None:
    result = score(card)
    assume(result.grade in ("B", "C"))
    goal = {"B": "A", "C": "B"}[result.grade]
    gaps = gap_to_next_grade(result, card)
    event(f"{len(gaps)} gap(s)")

    for gap in gaps:
        note(repr(gap))
        item = next(i for i in card if i.metric.code == gap.metric)
        higher = item.metric.direction == "higher"
        assert gap.grade == goal
        assert (gap.delta > 0) if higher else (gap.delta < 0)
        assert gap.points_needed <= item.cap * 100

        def grade_with(actual: D, code: str = gap.metric) -> str:
            return score(
                [replace(i, actual=actual) if i.metric.code == code else i for i in card]
            ).grade

        reached = grade_with(gap.needed_actual)
        assert DEFAULT_POLICY.rank(reached) <= DEFAULT_POLICY.rank(goal)  # type: ignore[operator]
        step = D("0.0001") if higher else D("-0.0001")
        assert grade_with(gap.needed_actual - step) == result.grade


def test_a_line_whose_capped_points_fall_short_offers_no_path() -> None:
    card = [line(SALES, 10, 50, 100), line(VISITS, 90, 5, 10)]
    result = score(card)  # 10 × 50 + 90 × 50 = 5000 / 100 = 50.00, C

    # B needs Σ w × points ≥ 100 × 99.995 = 9999.50. Sales would need (9999.50 − 4500) / 10
    # = 549.95 points, far above the cap; visits need (9999.50 − 500) / 90 = 105.55.
    assert [gap.metric for gap in gap_to_next_grade(result, card)] == ["visit_count"]


def test_there_is_no_gap_above_the_top_grade_or_for_ungraded_cards() -> None:
    assert gap_to_next_grade(score(direct_card("130")), direct_card("130")) == []
    insufficient = [line(SALES, 10, 50, 100), line(WIN_RATE, 90, None, 60, has_data=False)]
    assert gap_to_next_grade(score(insufficient), insufficient) == []
    card = hand_example()
    assert gap_to_next_grade(score(card, veto=Veto("INC-1", "aml")), card) == []


def test_a_gap_needs_the_result_of_the_same_items() -> None:
    card = hand_example()
    with pytest.raises(ValueError):
        gap_to_next_grade(score(card), card[:4])


def test_a_gap_in_whole_counts_is_rounded_away_from_zero() -> None:
    assert round_up_to(D("2.3"), D(1)) == D(3)
    assert round_up_to(D("-0.4"), D(1)) == D(-1)
    assert round_up_to(D(5), D(1)) == D(5)
    assert round_up_to(D("1.2"), D("0.5")) == D("1.5")


# --- run-rate ---------------------------------------------------------------------------------


def test_it_projects_a_cumulative_metric_over_the_whole_cycle() -> None:
    assert project_run_rate(D(45), D("0.5")) == D(90)
    assert project_run_rate(D(45), D(1)) == D(45)
    assert project_run_rate(D(45), D(0)) is None
    assert project_run_rate(None, D("0.5")) is None
    with pytest.raises(ValueError):
        project_run_rate(D(45), D("1.1"))


# --- many employees on one template ------------------------------------------------------------


@st.composite
def templates_with_employees(
    draw: st.DrawFn,
) -> tuple[list[TemplateLine], list[EmployeeValues]]:
    specs = draw(st.lists(st.sampled_from(SPECS), min_size=1, unique_by=lambda s: s.code))
    lines = [
        TemplateLine(
            metric=spec,
            weight=draw(decimals("0", "60", 2)),
            cap=draw(st.sampled_from([D("1.50"), D("1.2"), D("2")])),
        )
        for spec in specs
    ]
    employees = []
    for _ in range(draw(st.integers(0, 4))):
        employees.append(
            EmployeeValues(
                values=[
                    (draw(st.none() | ACTUALS[spec.code]), draw(st.booleans())) for spec in specs
                ],
                targets=[draw(TARGETS[spec.code]) for spec in specs],
                veto=draw(st.none() | st.just(Veto("INC-9", "aml"))),
            )
        )
    return lines, employees


@settings(max_examples=200)
@given(case=templates_with_employees())
def test_scoring_many_employees_equals_scoring_each_alone(
    case: tuple[list[TemplateLine], list[EmployeeValues]],
) -> None:
    lines, employees = case
    many = list(score_many(lines, employees))
    assert len(many) == len(employees)
    for values, result in zip(employees, many, strict=True):
        items = [
            ItemInput(
                metric=line.metric,
                weight=line.weight,
                cap=line.cap,
                actual=actual,
                has_data=with_data,
                target=target,
            )
            for line, (actual, with_data), target in zip(
                lines, values.values, values.targets, strict=True
            )
        ]
        assert result == score(items, veto=values.veto)


def test_the_inputs_hash_of_a_card_does_not_change_between_releases() -> None:
    # Stored scorecards carry this hash: a change of its text marks every card as changed.
    assert score(hand_example()).inputs_hash == (
        "9373f21eba2fa762661e89986cc3c8be31ff67c5758dc7e9bc1bbc63fde5380d"
    )


def test_scoring_many_refuses_values_that_do_not_fit_the_template() -> None:
    lines = [TemplateLine(metric=SALES, weight=D(50)), TemplateLine(metric=NPS, weight=D(50))]
    with pytest.raises(ValueError):
        list(score_many(lines, [EmployeeValues([(D(1), True)], [D(1)])]))
    with pytest.raises(TypeError):
        list(score_many(lines, [EmployeeValues([(D(1), True), (2.5, True)], [D(1), D(1)])]))  # type: ignore[list-item]
    with pytest.raises(ValueError):
        TemplateLine(metric=SALES, weight=D(-1))
    with pytest.raises(ValueError):
        list(score_many([lines[0], lines[0]], []))


# --- bad input --------------------------------------------------------------------------------


def test_it_refuses_a_metric_twice_floats_and_incomplete_band_metrics() -> None:
    with pytest.raises(ValueError):
        score([line(SALES, 50, 1, 1), line(SALES, 50, 1, 1)])
    with pytest.raises(TypeError):
        ItemInput(metric=SALES, weight=0.5, actual=D(1), target=D(1), has_data=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        line(MetricSpec(code="x", direction="higher", mode="band"), 1, 1, 1)
    with pytest.raises(ValueError):
        line(SALES, -1, 1, 1)
    with pytest.raises(ValueError):
        line(SALES, 1, 1, 1, cap="0")
    with pytest.raises(ValueError):
        MetricSpec(code="x", direction="lower", mode="direct")
