"""Training effectiveness, the Kirkpatrick figures (DESIGN.md §8 ⚑): the pure core.

Plain data in, rows out; no database. For a quarterly cycle P (``period``), B the quarter
just before and A the one just after:

- T (trained) — everyone with a completed enrolment in the course dated in P;
- U (comparison) — everyone scored in both B and A (a scorecard of each, whatever its grade)
  with no completed enrolment in the course dated on or before A's end;
- L1 — completed enrolments of T in the course dated in P that have a reaction (a person with
  two counts twice): mean reaction;
- L2 — members of T with a completed enrolment in the course dated in P that has both scores
  (with several, the latest of those): mean of post − pre;
- L3 — per competency the course names: difference in differences of the ``all_raters`` means
  as the 360 reports show them (rounded to 2 decimals, §7), over the members of each group
  with such a row in both B's and A's reports;
- L4 — per metric the course names: difference in differences of the line's attainment (§6,
  uncapped, unrounded), over the members of each group with the metric on a line with data in
  both B and A.

Means are exact fractions; only ``value`` is rounded, half-up to 4 decimals, never
``-0.0000``. An L3/L4 value is empty when either group has fewer than :data:`MIN_GROUP`
members; its row is there anyway. L1/L2 rows only when ``trained`` ≥ 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

from kaopei.core.periods import QUARTERLY, Period, period_containing, previous_period

MIN_GROUP = 3
LEVELS = ("L1", "L2", "L3", "L4")
FOUR_PLACES = Decimal("0.0001")

Number = Decimal | Fraction | int


@dataclass(frozen=True)
class CourseInput:
    """A course and the competency and metric codes it names."""

    code: str
    competencies: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()


class EnrolmentInput(NamedTuple):
    """A completed enrolment (only completed ones are given to the core)."""

    course: str
    person: int
    session_on: date
    reaction: int | None = None
    pre_score: Number | None = None
    post_score: Number | None = None


@dataclass(frozen=True)
class EffectInput:
    """Everything the figures of one cycle need.

    ``scored_before``/``scored_after``: the people with a scorecard of B / A.
    ``report_before``/``report_after``: ``(person, competency code) → all_raters mean`` as the
    closed round's report shows it (2 decimals); empty when the round is not closed.
    ``lines_before``/``lines_after``: ``(person, metric code) → attainment`` of the lines with
    data."""

    period: Period
    courses: Sequence[CourseInput]
    enrolments: Sequence[EnrolmentInput]
    scored_before: frozenset[int] = frozenset()
    scored_after: frozenset[int] = frozenset()
    report_before: Mapping[tuple[int, str], Number] = field(default_factory=dict)
    report_after: Mapping[tuple[int, str], Number] = field(default_factory=dict)
    lines_before: Mapping[tuple[int, str], Number] = field(default_factory=dict)
    lines_after: Mapping[tuple[int, str], Number] = field(default_factory=dict)


@dataclass(frozen=True)
class EffectRow:
    """One row of the export: ``exact`` is the unrounded figure, ``value`` the rounded one
    (both ``None`` when empty); ``comparison`` is ``None`` for L1 and L2."""

    course: str
    level: str
    item: str
    trained: int
    comparison: int | None
    exact: Fraction | None
    value: Decimal | None

    @property
    def too_few(self) -> bool:
        return self.level in ("L3", "L4") and self.value is None


class NotQuarterly(ValueError):
    """The training effect is defined for quarterly cycles only."""


def next_quarter(p: Period) -> Period:
    """The quarter just after ``p``."""
    if p.kind != QUARTERLY:
        raise NotQuarterly(p.code)
    day = p.end.toordinal() + 1
    return period_containing(date.fromordinal(day), QUARTERLY)


def around(p: Period) -> tuple[Period, Period]:
    """(B, A): the quarters just before and just after the quarter ``p``."""
    if p.kind != QUARTERLY:
        raise NotQuarterly(p.code)
    return previous_period(p), next_quarter(p)


def round_value(value: Fraction | None) -> Decimal | None:
    """Half-up to 4 decimals, never ``-0.0000``."""
    if value is None:
        return None
    scaled = value * 10_000
    # half-up means away from zero on a tie (as Decimal's ROUND_HALF_UP)
    magnitude = abs(scaled)
    whole = int(magnitude + Fraction(1, 2))
    if scaled < 0:
        whole = -whole
    out = Decimal(whole).scaleb(-4).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return out.copy_abs() if out.is_zero() else out


# Decimal arithmetic at this precision is exact for the figures the core gets (scores and
# report means in hundredths, attainments to 8 decimals, sums of millions of them); it is
# much faster than Fraction, which is kept for inputs that are not decimals.
EXACT = 120


def _diff(a: Number, b: Number) -> Number:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        with localcontext(prec=EXACT):
            return a - b
    return Fraction(a) - Fraction(b)


def _total(values: Sequence[Number]) -> Fraction:
    """The exact sum."""
    try:
        with localcontext(prec=EXACT):
            return Fraction(sum(values, Decimal(0)))
    except TypeError:  # a Fraction among them
        return sum((Fraction(v) for v in values), Fraction(0))


def _mean(values: Sequence[Number]) -> Fraction:
    return _total(values) / len(values)


def _changes(
    people: Iterable[int],
    item: str,
    before: Mapping[tuple[int, str], Number],
    after: Mapping[tuple[int, str], Number],
) -> list[Number]:
    out = []
    for person in people:
        b = before.get((person, item))
        a = after.get((person, item))
        if b is not None and a is not None:
            out.append(_diff(a, b))
    return out


def diff_in_diff(trained: Sequence[Number], comparison: Sequence[Number]) -> Fraction | None:
    """mean_T − mean_U of the changes; ``None`` when either group has fewer than 3."""
    if len(trained) < MIN_GROUP or len(comparison) < MIN_GROUP:
        return None
    return _mean(trained) - _mean(comparison)


@dataclass(frozen=True)
class CourseBlock:
    """One course's rows with the sizes of its whole groups T and U."""

    course: str
    trained: int
    comparison: int
    rows: list[EffectRow]


def effect_rows(data: EffectInput) -> list[EffectRow]:
    """Every row of the cycle, sorted by course, level, item: one block per course with a
    completed enrolment dated in P."""
    return [row for block in effect_blocks(data) for row in block.rows]


def effect_blocks(data: EffectInput) -> list[CourseBlock]:
    """One block per course with a completed enrolment dated in P, by course code."""
    p = data.period
    _before, after = around(p)
    by_course: dict[str, list[EnrolmentInput]] = {}
    for e in data.enrolments:
        by_course.setdefault(e.course, []).append(e)
    scored_both = data.scored_before & data.scored_after
    pools = _Pools(scored_both, data)
    blocks: list[CourseBlock] = []
    for course in sorted(data.courses, key=lambda c: c.code):
        enrolments = by_course.get(course.code, [])
        in_p = [e for e in enrolments if p.start <= e.session_on <= p.end]
        if not in_p:
            continue
        trained = sorted({e.person for e in in_p})
        ever = {e.person for e in enrolments if e.session_on <= after.end}
        excluded = ever & scored_both
        comparison = len(scored_both) - len(excluded)
        rows = _course_rows(course, in_p, trained, excluded, pools, data)
        blocks.append(CourseBlock(course.code, len(trained), comparison, rows))
    return blocks


class _Pools:
    """Per item, the change of everyone scored in B and A who has the item in both
    quarters, and their exact sum: U's figures are these minus the course's trained-ever
    people (so a cycle's courses share one pass over the comparison pool)."""

    def __init__(self, scored_both: frozenset[int], data: EffectInput) -> None:
        self.scored_both = scored_both
        self.data = data
        self._cache: dict[tuple[str, str], tuple[dict[int, Number], Fraction]] = {}

    def sources(self, level: str) -> tuple[Mapping[tuple[int, str], Number], ...]:
        if level == "L3":
            return self.data.report_before, self.data.report_after
        return self.data.lines_before, self.data.lines_after

    def pool(self, level: str, item: str) -> tuple[dict[int, Number], Fraction]:
        key = (level, item)
        found = self._cache.get(key)
        if found is None:
            before, after = self.sources(level)
            changes: dict[int, Number] = {}
            for person in self.scored_both:
                b = before.get((person, item))
                if b is None:
                    continue
                a = after.get((person, item))
                if a is not None:
                    changes[person] = _diff(a, b)
            found = self._cache[key] = (changes, _total(list(changes.values())))
        return found


def _course_rows(
    course: CourseInput,
    in_p: list[EnrolmentInput],
    trained: list[int],
    excluded: set[int],
    pools: _Pools,
    data: EffectInput,
) -> list[EffectRow]:
    out: list[EffectRow] = []
    reactions = [e.reaction for e in in_p if e.reaction is not None]
    if reactions:
        exact = Fraction(sum(reactions), len(reactions))
        out.append(
            EffectRow(course.code, "L1", "", len(reactions), None, exact, round_value(exact))
        )
    latest: dict[int, EnrolmentInput] = {}
    for e in in_p:
        if e.pre_score is None or e.post_score is None:
            continue
        seen = latest.get(e.person)
        if seen is None or e.session_on > seen.session_on:
            latest[e.person] = e
    if latest:
        gains = [_diff(e.post_score, e.pre_score) for e in latest.values()]  # type: ignore[arg-type]
        exact = _mean(gains)
        out.append(EffectRow(course.code, "L2", "", len(gains), None, exact, round_value(exact)))
    for level, items in (("L3", course.competencies), ("L4", course.metrics)):
        before, after = pools.sources(level)
        for item in sorted(set(items)):
            t = _changes(trained, item, before, after)
            changes, total = pools.pool(level, item)
            gone = [changes[p] for p in excluded if p in changes]
            n_u = len(changes) - len(gone)
            did = None
            if len(t) >= MIN_GROUP and n_u >= MIN_GROUP:
                did = _mean(t) - (total - _total(gone)) / n_u
            out.append(EffectRow(course.code, level, item, len(t), n_u, did, round_value(did)))
    return out


__all__ = [
    "LEVELS",
    "MIN_GROUP",
    "CourseInput",
    "CourseBlock",
    "EffectInput",
    "EffectRow",
    "EnrolmentInput",
    "NotQuarterly",
    "around",
    "diff_in_diff",
    "effect_blocks",
    "effect_rows",
    "next_quarter",
    "round_value",
]
