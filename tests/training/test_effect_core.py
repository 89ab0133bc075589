"""The pure training-effect core (kaopei/training/effect.py, DESIGN.md §8 ⚑) by hand examples,
one per rule, and by properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaopei.core.periods import parse_period
from kaopei.training.effect import (
    CourseInput,
    EffectInput,
    EnrolmentInput,
    NotQuarterly,
    around,
    effect_blocks,
    effect_rows,
    round_value,
)

P = parse_period("2026Q2")
IN_P = date(2026, 5, 10)
SPIN = CourseInput("SPIN-101", ("needs_discovery",), ("opportunity_win_rate",))


def enrol(person: int, on: date = IN_P, course: str = "SPIN-101", **kw: object) -> EnrolmentInput:
    return EnrolmentInput(course, person, on, **kw)  # type: ignore[arg-type]


def world(
    enrolments: list[EnrolmentInput],
    *,
    scored: set[int] = frozenset(),  # type: ignore[assignment]
    before: dict[tuple[int, str], object] | None = None,
    after: dict[tuple[int, str], object] | None = None,
    lines_before: dict[tuple[int, str], object] | None = None,
    lines_after: dict[tuple[int, str], object] | None = None,
    courses: tuple[CourseInput, ...] = (SPIN,),
) -> EffectInput:
    return EffectInput(
        period=P,
        courses=list(courses),
        enrolments=enrolments,
        scored_before=frozenset(scored),
        scored_after=frozenset(scored),
        report_before=before or {},  # type: ignore[arg-type]
        report_after=after or {},  # type: ignore[arg-type]
        lines_before=lines_before or {},  # type: ignore[arg-type]
        lines_after=lines_after or {},  # type: ignore[arg-type]
    )


def by_level(rows: list) -> dict[tuple[str, str], object]:  # type: ignore[type-arg]
    return {(r.level, r.item): r for r in rows}


def test_b_and_a_are_the_quarters_around_p_and_a_year_is_refused() -> None:
    before, after = around(P)
    assert (before.code, after.code) == ("2026Q1", "2026Q3")
    assert [p.code for p in around(parse_period("2026Q1"))] == ["2025Q4", "2026Q2"]
    assert [p.code for p in around(parse_period("2026Q4"))] == ["2026Q3", "2027Q1"]
    with pytest.raises(NotQuarterly):
        around(parse_period("2026"))


def test_value_is_rounded_half_up_to_four_decimals_and_never_minus_zero() -> None:
    assert round_value(Fraction(1, 3)) == Decimal("0.3333")
    assert round_value(Fraction(2, 3)) == Decimal("0.6667")
    assert round_value(Fraction(5, 100000)) == Decimal("0.0001")  # 0.00005 → up
    assert round_value(Fraction(-5, 100000)) == Decimal("-0.0001")  # away from zero
    assert str(round_value(Fraction(-4, 100000))) == "0.0000"
    assert str(round_value(Fraction(0))) == "0.0000"
    assert round_value(None) is None


def test_only_courses_completed_in_p_have_a_block_sorted_by_course_level_item() -> None:
    other = CourseInput("AML-101", ("risk_compliance", "ethics"), ("compliance_incidents",))
    idle = CourseInput("BI-101", ("digital",), ())
    rows = effect_rows(
        world(
            [
                enrol(1, reaction=4),
                enrol(2, course="AML-101"),
                enrol(3, date(2026, 2, 1), "BI-101"),
            ],
            courses=(SPIN, other, idle),
        )
    )
    assert [(r.course, r.level, r.item) for r in rows] == [
        ("AML-101", "L3", "ethics"),
        ("AML-101", "L3", "risk_compliance"),
        ("AML-101", "L4", "compliance_incidents"),
        ("SPIN-101", "L1", ""),
        ("SPIN-101", "L3", "needs_discovery"),
        ("SPIN-101", "L4", "opportunity_win_rate"),
    ]


def test_l1_counts_every_enrolment_with_a_reaction_a_person_twice_counts_twice() -> None:
    rows = by_level(
        effect_rows(
            world(
                [
                    enrol(1, date(2026, 4, 2), reaction=5),
                    enrol(1, date(2026, 6, 2), reaction=3),
                    enrol(2, reaction=4),
                    enrol(3),  # no reaction: not counted
                    enrol(4, date(2026, 3, 31), reaction=1),  # before P: not counted
                ]
            )
        )
    )
    l1 = rows[("L1", "")]
    assert (l1.trained, l1.comparison, l1.value) == (3, None, Decimal("4.0000"))  # type: ignore[attr-defined]


def test_no_l1_or_l2_row_without_a_reaction_or_a_pair_of_scores() -> None:
    rows = by_level(effect_rows(world([enrol(1, pre_score=50)])))
    assert ("L1", "") not in rows and ("L2", "") not in rows


def test_l2_takes_the_latest_enrolment_with_both_scores_of_each_person() -> None:
    rows = by_level(
        effect_rows(
            world(
                [
                    enrol(1, date(2026, 4, 2), pre_score=Decimal("40"), post_score=Decimal("50")),
                    enrol(1, date(2026, 6, 2), pre_score=Decimal("60"), post_score=Decimal("90")),
                    enrol(2, pre_score=Decimal("70"), post_score=Decimal("65.5")),
                    enrol(3, post_score=Decimal("99")),  # one score only
                ]
            )
        )
    )
    l2 = rows[("L2", "")]
    # person 1: 90 − 60 = 30 (the latest), person 2: −4.5 → mean 12.75
    assert (l2.trained, l2.value) == (2, Decimal("12.7500"))  # type: ignore[attr-defined]


def _three_and_three() -> EffectInput:
    # Trained 1, 2, 3; comparison 11, 12, 13 (scored in B and A, never trained).
    before = {(p, "needs_discovery"): Decimal("3.00") for p in (1, 2, 3, 11, 12, 13)}
    after = {
        (1, "needs_discovery"): Decimal("3.50"),
        (2, "needs_discovery"): Decimal("3.40"),
        (3, "needs_discovery"): Decimal("3.30"),
        (11, "needs_discovery"): Decimal("3.10"),
        (12, "needs_discovery"): Decimal("3.00"),
        (13, "needs_discovery"): Decimal("2.90"),
    }
    lines_b = {(p, "opportunity_win_rate"): Decimal("0.8") for p in (1, 2, 3, 11, 12, 13)}
    lines_a = {
        (1, "opportunity_win_rate"): Decimal("1.0"),
        (2, "opportunity_win_rate"): Decimal("1.6"),  # uncapped: above the 1.5 cap
        (3, "opportunity_win_rate"): Decimal("0.9"),
        (11, "opportunity_win_rate"): Decimal("0.8"),
        (12, "opportunity_win_rate"): Decimal("0.9"),
        (13, "opportunity_win_rate"): Decimal("0.7"),
    }
    return world(
        [enrol(1), enrol(2), enrol(3)],
        scored={1, 2, 3, 11, 12, 13},
        before=before,
        after=after,
        lines_before=lines_b,
        lines_after=lines_a,
    )


def test_l3_and_l4_are_differences_in_differences_of_the_two_groups() -> None:
    rows = by_level(effect_rows(_three_and_three()))
    l3 = rows[("L3", "needs_discovery")]
    # trained: +0.5, +0.4, +0.3 → 0.4; comparison: +0.1, 0, −0.1 → 0
    assert (l3.trained, l3.comparison, l3.value) == (3, 3, Decimal("0.4000"))  # type: ignore[attr-defined]
    l4 = rows[("L4", "opportunity_win_rate")]
    # trained: 0.2, 0.8, 0.1 → 1.1/3; comparison: 0, 0.1, −0.1 → 0
    assert (l4.trained, l4.comparison, l4.value) == (3, 3, Decimal("0.3667"))  # type: ignore[attr-defined]
    assert l4.exact == Fraction(11, 30)  # type: ignore[attr-defined]


def test_fewer_than_three_in_either_group_leaves_the_value_empty_but_keeps_the_row() -> None:
    data = _three_and_three()
    two_trained = EffectInput(**{**data.__dict__, "enrolments": [enrol(1), enrol(2)]})
    rows = by_level(effect_rows(two_trained))
    assert rows[("L3", "needs_discovery")].trained == 2  # type: ignore[attr-defined]
    assert rows[("L3", "needs_discovery")].value is None  # type: ignore[attr-defined]
    assert rows[("L3", "needs_discovery")].too_few  # type: ignore[attr-defined]
    two_compared = EffectInput(**{**data.__dict__, "scored_after": frozenset({1, 2, 3, 11, 12})})
    rows = by_level(effect_rows(two_compared))
    assert rows[("L4", "opportunity_win_rate")].comparison == 2  # type: ignore[attr-defined]
    assert rows[("L4", "opportunity_win_rate")].value is None  # type: ignore[attr-defined]


def test_l3_and_l4_rows_are_there_with_counts_of_zero() -> None:
    rows = by_level(effect_rows(world([enrol(1)])))
    assert rows[("L3", "needs_discovery")].trained == 0  # type: ignore[attr-defined]
    assert rows[("L4", "opportunity_win_rate")].comparison == 0  # type: ignore[attr-defined]
    assert rows[("L4", "opportunity_win_rate")].value is None  # type: ignore[attr-defined]


def test_a_member_needs_a_figure_in_both_quarters() -> None:
    data = _three_and_three()
    after = dict(data.report_after)
    del after[(3, "needs_discovery")]
    rows = by_level(effect_rows(EffectInput(**{**data.__dict__, "report_after": after})))
    assert rows[("L3", "needs_discovery")].trained == 2  # type: ignore[attr-defined]


def test_the_comparison_group_excludes_anyone_trained_up_to_the_end_of_a() -> None:
    data = _three_and_three()
    extra = [
        enrol(11, date(2026, 9, 30)),  # in A: out of U
        enrol(12, date(2025, 6, 1)),  # long before: out of U
        enrol(13, date(2026, 10, 1)),  # after A's end: stays in U
    ]
    blocks = effect_blocks(
        EffectInput(**{**data.__dict__, "enrolments": [*data.enrolments, *extra]})
    )
    assert (blocks[0].trained, blocks[0].comparison) == (3, 1)


def test_the_comparison_group_needs_a_scorecard_of_both_b_and_a() -> None:
    data = _three_and_three()
    only_b = EffectInput(**{**data.__dict__, "scored_after": frozenset({1, 2, 3, 11, 12})})
    assert effect_blocks(only_b)[0].comparison == 2


def test_trained_people_need_no_scorecard_for_their_group() -> None:
    data = _three_and_three()
    unscored = EffectInput(**{**data.__dict__, "scored_before": frozenset({11, 12, 13})})
    rows = by_level(effect_rows(unscored))
    assert rows[("L4", "opportunity_win_rate")].trained == 3  # type: ignore[attr-defined]


def test_a_value_that_rounds_to_zero_from_below_is_plain_zero() -> None:
    data = _three_and_three()
    after = dict(data.lines_after)
    # trained mean change = comparison mean change − 0.00001
    for p in (1, 2, 3):
        after[(p, "opportunity_win_rate")] = Decimal("0.8")
    after[(1, "opportunity_win_rate")] = Decimal("0.79997")
    rows = by_level(effect_rows(EffectInput(**{**data.__dict__, "lines_after": after})))
    assert str(rows[("L4", "opportunity_win_rate")].value) == "0.0000"  # type: ignore[attr-defined]


changes = st.lists(st.integers(-300, 300), min_size=3, max_size=8)


def _from_changes(t: list[int], u: list[int]) -> EffectInput:
    trained = list(range(1, len(t) + 1))
    compared = list(range(100, 100 + len(u)))
    before = {(p, "opportunity_win_rate"): Decimal(1) for p in trained + compared}
    after = {
        (p, "opportunity_win_rate"): Decimal(1) + Decimal(c) / 100
        for p, c in zip(trained + compared, t + u, strict=True)
    }
    return world(
        [enrol(p) for p in trained],
        scored=set(trained + compared),
        lines_before=before,
        lines_after=after,
        before={(p, "needs_discovery"): Decimal(3) for p in trained + compared},
        after={
            (p, "needs_discovery"): Decimal(3) + Decimal(c) / 100
            for p, c in zip(trained + compared, t + u, strict=True)
        },
    )


def _swapped(t: list[int], u: list[int]) -> EffectInput:
    return _from_changes(u, t)


@settings(max_examples=60, deadline=None)
@given(changes, changes)
def test_swapping_the_groups_negates_l3_and_l4(t: list[int], u: list[int]) -> None:
    one = by_level(effect_rows(_from_changes(t, u)))
    two = by_level(effect_rows(_swapped(t, u)))
    for key in (("L3", "needs_discovery"), ("L4", "opportunity_win_rate")):
        assert one[key].exact == -two[key].exact  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(changes, changes)
def test_adding_a_comparison_person_with_the_mean_change_leaves_the_value(
    t: list[int], u: list[int]
) -> None:
    data = _from_changes(t, u)
    base = by_level(effect_rows(data))[("L4", "opportunity_win_rate")]
    mean = Fraction(sum(u), len(u)) / 100
    newcomer = 999
    lines_b = {**data.lines_before, (newcomer, "opportunity_win_rate"): Decimal(1)}
    lines_a = {
        **data.lines_after,
        (newcomer, "opportunity_win_rate"): Fraction(1) + mean,
    }
    more = EffectInput(
        **{
            **data.__dict__,
            "scored_before": data.scored_before | {newcomer},
            "scored_after": data.scored_after | {newcomer},
            "lines_before": lines_b,
            "lines_after": lines_a,
        }
    )
    row = by_level(effect_rows(more))[("L4", "opportunity_win_rate")]
    assert row.comparison == base.comparison + 1  # type: ignore[attr-defined]
    assert row.exact == base.exact  # type: ignore[attr-defined]
