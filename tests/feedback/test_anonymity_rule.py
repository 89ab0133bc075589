"""The report rows of DESIGN.md §7, on the pure rule (kaopei.feedback.anonymity)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from kaopei.feedback.anonymity import (
    Cell,
    displayed_means,
    report_rows,
    round_half_up,
    rows_for,
)


def cells(**groups: list[int]) -> dict[str, Cell]:
    return {g: Cell(len(v), Fraction(sum(v))) for g, v in groups.items()}


def shown(rows: list) -> dict[str, tuple[int, Decimal]]:  # type: ignore[type-arg]
    return {r.group: (r.responses, r.mean) for r in rows}


def test_groups_of_three_are_shown_and_all_raters_counts_every_non_self_score() -> None:
    rows = rows_for(1, 1, cells(self=[5], supervisor=[4], peers=[3, 4, 4], customers=[5, 5, 4]))
    assert shown(rows) == {
        "self": (1, Decimal("5.00")),
        "supervisor": (1, Decimal("4.00")),
        "peers": (3, Decimal("3.67")),
        "customers": (3, Decimal("4.67")),
        "all_raters": (7, Decimal("4.14")),
    }
    assert [r.group for r in rows] == ["self", "supervisor", "peers", "customers", "all_raters"]


def test_small_groups_pool_into_others_when_the_pool_reaches_three() -> None:
    rows = rows_for(1, 1, cells(peers=[2, 3], subordinates=[5], customers=[4, 4, 4]))
    assert shown(rows) == {
        "customers": (3, Decimal("4.00")),
        "others": (3, Decimal("3.33")),
        "all_raters": (6, Decimal("3.67")),
    }


def test_a_pool_under_three_is_withheld_and_counts_nowhere() -> None:
    rows = rows_for(1, 1, cells(self=[1], peers=[1, 1], customers=[5, 5, 5]))
    assert shown(rows) == {
        "self": (1, Decimal("1.00")),
        "customers": (3, Decimal("5.00")),
        "all_raters": (3, Decimal("5.00")),
    }
    assert rows_for(1, 1, cells(peers=[1, 2])) == []


def test_self_alone_has_no_all_raters_row() -> None:
    assert shown(rows_for(1, 1, cells(self=[4]))) == {"self": (1, Decimal("4.00"))}


def test_means_round_half_up_from_unrounded_scores() -> None:
    assert round_half_up(Fraction(2125, 1000)) == Decimal("2.13")
    assert round_half_up(Fraction(10, 3)) == Decimal("3.33")
    # Scores that are means of items stay exact: (7/2 + 11/3 + 4) / 3 = 3.7222…
    row = rows_for(1, 1, {"peers": Cell(3, Fraction(7, 2) + Fraction(11, 3) + 4)})[0]
    assert row.mean == Decimal("3.72")


def test_report_rows_sort_and_the_displayed_mean_uses_all_raters_only() -> None:
    rows = report_rows(
        [
            (2, 1, "peers", 3, Fraction(9)),
            (1, 2, "self", 1, Fraction(5)),
            (1, 2, "supervisor", 1, Fraction(2)),
            (1, 1, "peers", 1, Fraction(1)),  # withheld
        ]
    )
    assert [(r.subject_id, r.competency_id, r.group) for r in rows] == [
        (1, 2, "self"),
        (1, 2, "supervisor"),
        (1, 2, "all_raters"),
        (2, 1, "peers"),
        (2, 1, "all_raters"),
    ]
    assert displayed_means(rows) == {1: Fraction(2), 2: Fraction(3)}
    assert displayed_means(rows, competency_ids={1}) == {2: Fraction(3)}
    assert displayed_means([]) == {}
