"""The 360 report rows of a round, from the database (DESIGN.md §7 ⚑).

One grouped query gives each subject × competency × relationship its number of responses
and the exact sum of their scores as an integer number of 1/SCALE (every score is
``total / items`` with at most MAX_ITEMS items, so ``total * SCALE / items`` is exact); what
is shown is decided by :mod:`kaopei.feedback.anonymity` (its ``placement`` of the counts),
and every 360 figure anywhere is built from the rows returned here.

Two paths, one rule:

- the plain path, the reference: :func:`round_cells` → :func:`anonymity.report_rows`, in
  exact fractions;
- the fast path: :func:`report_table_rows` streams the same query ordered as the caller
  needs and sums integers (scaled by SCALE), with the means rounded in integers
  (:func:`anonymity.mean_cents`) — used by :func:`round_report_rows` and the export. A test
  checks both give the same rows on random rounds (tests/feedback/test_export_feedback.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from django.db.models import Count, F, IntegerField, Sum
from django.db.models.functions import Cast

from kaopei.feedback.anonymity import (
    GROUP_OF,
    REPORTED,
    Row,
    mean_cents,
    placement,
    report_rows,
)
from kaopei.feedback.models import Answer, FeedbackRound
from kaopei.feedback.models.rounds import SCALE

# The index of each relationship's report group in ``placement``'s counts.
INDEX_OF = {relationship: REPORTED.index(group) for relationship, group in GROUP_OF.items()}
# Order name → (extra fields to group by, ordering).
ORDERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ids": ((), ("response__subject_id", "competency_id")),
    "codes": (
        ("response__subject__employee_no", "competency__code"),
        ("response__subject__employee_no", "competency__code"),
    ),
}


def _grouped(  # type: ignore[no-untyped-def]
    round_id: int,
    subject_ids: Iterable[int] | None,
    extra: tuple[str, ...] = (),
    order: tuple[str, ...] = (),
):
    qs = Answer.objects.filter(response__round_id=round_id)
    if subject_ids is not None:
        qs = qs.filter(response__subject_id__in=list(subject_ids))
    return (
        qs.values_list("response__subject_id", "competency_id", "response__relationship", *extra)
        .annotate(
            n=Count("*"),
            scaled=Sum(Cast(F("total") * SCALE / F("items"), IntegerField())),
        )
        .order_by(*order)
    )


def round_cells(
    round_id: int, subject_ids: Iterable[int] | None = None
) -> Iterable[tuple[int, int, str, int, Fraction]]:
    """``(subject_id, competency_id, group, responses, total)`` for one round."""
    for subject_id, competency_id, relationship, n, scaled in _grouped(round_id, subject_ids):
        yield subject_id, competency_id, GROUP_OF[relationship], n, Fraction(scaled, SCALE)


def report_rows_reference(round_id: int, subject_ids: Iterable[int] | None = None) -> list[Row]:
    """The plain path: the report rows in exact fractions (the reference of the fast path)."""
    return report_rows(round_cells(round_id, subject_ids))


def report_table_rows(
    round_id: int, subject_ids: Iterable[int] | None = None, *, order: str = "ids"
) -> Iterator[tuple[int, int, str, int, int, int]]:
    """The fast path: every report row as ``(subject_id, competency_id, group, responses,
    scaled total, mean in hundredths)``, streamed in ``order`` — ``ids`` (subject id,
    competency id) or ``codes`` (employee number, competency code) — then group order."""
    extra, sort = ORDERS[order]
    query = _grouped(round_id, subject_ids, extra, sort)
    current: tuple[int, int] | None = None
    counts = [0, 0, 0, 0, 0]
    totals = [0, 0, 0, 0, 0]
    for subject_id, competency_id, relationship, *_sort, n, scaled in query.iterator(
        chunk_size=20_000
    ):
        key = (subject_id, competency_id)
        if key != current:
            if current is not None:
                yield from _emit(current, counts, totals)
                counts = [0, 0, 0, 0, 0]
                totals = [0, 0, 0, 0, 0]
            current = key
        i = INDEX_OF[relationship]
        counts[i] += n
        totals[i] += scaled
    if current is not None:
        yield from _emit(current, counts, totals)


def _emit(
    key: tuple[int, int], counts: list[int], totals: list[int]
) -> Iterator[tuple[int, int, str, int, int, int]]:
    subject_id, competency_id = key
    sums: dict[str, list[int]] = {}
    for i, row in placement(tuple(counts)):  # type: ignore[arg-type]
        acc = sums.get(row)
        if acc is None:
            sums[row] = [counts[i], totals[i]]
        else:
            acc[0] += counts[i]
            acc[1] += totals[i]
    for group, (n, total) in sums.items():
        yield subject_id, competency_id, group, n, total, mean_cents(total, n, SCALE)


_FRACTIONS: dict[int, Fraction] = {}


def _fraction(scaled: int) -> Fraction:
    found = _FRACTIONS.get(scaled)
    if found is None:
        if len(_FRACTIONS) > 100_000:
            _FRACTIONS.clear()
        found = _FRACTIONS[scaled] = Fraction(scaled, SCALE)
    return found


def round_report_rows(round_id: int, subject_ids: Iterable[int] | None = None) -> list[Row]:
    """The report rows of a round (of some subjects only when ``subject_ids`` is given),
    sorted by subject, competency and group."""
    return [
        Row(subject_id, competency_id, group, n, _fraction(total))
        for subject_id, competency_id, group, n, total, _cents in report_table_rows(
            round_id, subject_ids
        )
    ]


def cycle_round(cycle_id: int) -> FeedbackRound | None:
    return FeedbackRound.objects.filter(cycle_id=cycle_id).first()
