"""The 360 report rows and what may be shown (DESIGN.md §7 ⚑) — the one place the rule lives.

Pure Python, no database: the selectors feed it the answers of one subject and competency
grouped by relationship (each group as its number of responses and the exact sum of their
scores), and every figure Kaopei shows about 360 answers — reports, comments, heatmaps,
exports, charts, the API, the ``competency_360`` and ``team_collaboration`` metrics and
the training effect — is computed from the rows this module returns, and from nothing
else.

- ``self`` and ``supervisor``: a row when the answer exists.
- ``peers``, ``subordinates``, ``customers``: a row only with at least ``THRESHOLD``
  responses.
- ``others``: the anonymous groups with 1 or 2 responses, pooled; a row only when the pool
  has at least ``THRESHOLD`` responses. Otherwise those scores are withheld.
- ``all_raters``: every score in the non-self rows (supervisor, shown groups, ``others``
  when shown); no row when there is none.
- ``mean`` is rounded half-up to 2 decimals from the unrounded scores.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

THRESHOLD = 3

# Report groups in the order of the export (§4.1).
SELF = "self"
SUPERVISOR = "supervisor"
PEERS = "peers"
SUBORDINATES = "subordinates"
CUSTOMERS = "customers"
OTHERS = "others"
ALL_RATERS = "all_raters"
GROUPS = (SELF, SUPERVISOR, PEERS, SUBORDINATES, CUSTOMERS, OTHERS, ALL_RATERS)
GROUP_ORDER = {g: i for i, g in enumerate(GROUPS)}

# The relationship of a response (models.Relationship values) → its report group.
GROUP_OF = {
    "self": SELF,
    "supervisor": SUPERVISOR,
    "peer": PEERS,
    "subordinate": SUBORDINATES,
    "customer": CUSTOMERS,
}
ANONYMOUS_GROUPS = (PEERS, SUBORDINATES, CUSTOMERS)
# The groups whose scores count in all_raters and the metrics (every non-self row).
NON_SELF = (SUPERVISOR, PEERS, SUBORDINATES, CUSTOMERS, OTHERS)

CENT = Decimal("0.01")


class Cell(NamedTuple):
    """The responses of one group for one subject and competency: how many, and the exact
    sum of their scores (each score is the mean of a response's items, unrounded)."""

    responses: int
    total: Fraction

    def __add__(self, other: object) -> Cell:  # type: ignore[override]
        assert isinstance(other, Cell)
        return Cell(self.responses + other.responses, self.total + other.total)


EMPTY = Cell(0, Fraction(0))


def round_half_up(value: Fraction, places: Decimal = CENT) -> Decimal:
    """A non-negative exact fraction rounded half-up (to 2 decimals by default)."""
    scaled = value / Fraction(places)
    whole = math.floor(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole) * places).quantize(places)


@dataclass(frozen=True, slots=True)
class Row:
    """One report row: a shown group's figures for a subject and competency."""

    subject_id: int
    competency_id: int
    group: str
    responses: int
    total: Fraction  # the exact sum of the scores behind the row

    @property
    def exact_mean(self) -> Fraction:
        return self.total / self.responses

    @property
    def mean(self) -> Decimal:
        return round_half_up(self.total / self.responses)


@functools.lru_cache(maxsize=4096)
def placement(counts: tuple[int, int, int, int, int]) -> tuple[tuple[int, str], ...]:
    """The rule on the numbers of responses alone: ``counts`` are the responses of
    (self, supervisor, peers, subordinates, customers); the result pairs the index of each
    group whose scores are displayed with a row they appear in — its own row or ``others``,
    and ``all_raters`` for every displayed non-self group — in the export's row order.
    Totals only ever add up along these pairs (see :func:`rows_for`)."""
    self_n, supervisor_n, *anonymous = counts
    pairs: list[tuple[int, str]] = []
    if self_n:
        pairs.append((0, SELF))
    if supervisor_n:
        pairs.append((1, SUPERVISOR))
    shown: list[int] = [1] if supervisor_n else []
    for i, n in enumerate(anonymous, start=2):
        if n >= THRESHOLD:
            pairs.append((i, ANONYMOUS_GROUPS[i - 2]))
            shown.append(i)
    small = [i for i, n in enumerate(anonymous, start=2) if 0 < n < THRESHOLD]
    if sum(counts[i] for i in small) >= THRESHOLD:
        pairs.extend((i, OTHERS) for i in small)
        shown.extend(small)
    pairs.extend((i, ALL_RATERS) for i in sorted(shown))
    return tuple(sorted(pairs, key=lambda pair: GROUP_ORDER[pair[1]]))


REPORTED = (SELF, SUPERVISOR, PEERS, SUBORDINATES, CUSTOMERS)  # the order of ``counts``


def shown_groups(cells: Mapping[str, Cell]) -> dict[str, tuple[str, ...]]:
    """Which shown row each group's scores appear in: ``{group: (row, …)}`` for the groups
    whose scores are displayed (a withheld group is absent). ``cells`` maps report groups
    (``self``, ``supervisor``, ``peers``, ``subordinates``, ``customers``) to their cell."""
    counts = tuple(cells.get(g, EMPTY).responses for g in REPORTED)
    out: dict[str, tuple[str, ...]] = {}
    for i, row in placement(counts):  # type: ignore[arg-type]
        if row != ALL_RATERS:
            out[REPORTED[i]] = (row,)
    return out


def rows_for(subject_id: int, competency_id: int, cells: Mapping[str, Cell]) -> list[Row]:
    """The report rows of one subject and competency, in the export's group order."""
    parts = [cells.get(g, EMPTY) for g in REPORTED]
    by_row: dict[str, Cell] = {}
    for i, row in placement(tuple(c.responses for c in parts)):  # type: ignore[arg-type]
        by_row[row] = by_row.get(row, EMPTY) + parts[i]
    return [
        Row(subject_id, competency_id, group, cell.responses, cell.total)
        for group, cell in by_row.items()
    ]


def mean_cents(total: int, responses: int, scale: int) -> int:
    """The mean of ``responses`` scores summing to ``total``/``scale``, in hundredths,
    rounded half-up — :func:`round_half_up` in integers (a fast path; tests compare them)."""
    return (200 * total + responses * scale) // (2 * responses * scale)


def report_rows(
    cells: Iterable[tuple[int, int, str, int, Fraction]],
) -> list[Row]:
    """Every report row from ``(subject_id, competency_id, group, responses, total)`` cells
    (one per subject, competency and report group with responses), sorted by subject,
    competency and group. Callers sort by employee number and competency code themselves."""
    grouped: dict[tuple[int, int], dict[str, Cell]] = {}
    for subject_id, competency_id, group, responses, total in cells:
        key = (subject_id, competency_id)
        bucket = grouped.setdefault(key, {})
        bucket[group] = bucket.get(group, EMPTY) + Cell(responses, total)
    out: list[Row] = []
    for (subject_id, competency_id), bucket in sorted(grouped.items()):
        out.extend(rows_for(subject_id, competency_id, bucket))
    return out


def displayed_means(
    rows: Iterable[Row], *, competency_ids: set[int] | None = None
) -> dict[int, Fraction]:
    """Each subject's exact mean of the individual scores behind their ``all_raters`` rows
    (of ``competency_ids`` only, when given): the ``competency_360`` figure (§5), and the
    9-box's competency axis."""
    sums: dict[int, tuple[Fraction, int]] = {}
    for row in rows:
        if row.group != ALL_RATERS or (
            competency_ids is not None and row.competency_id not in competency_ids
        ):
            continue
        total, n = sums.get(row.subject_id, (Fraction(0), 0))
        sums[row.subject_id] = (total + row.total, n + row.responses)
    return {subject: total / n for subject, (total, n) in sums.items()}
