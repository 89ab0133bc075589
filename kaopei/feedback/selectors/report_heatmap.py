"""The organisation heatmap of a closed 360 round: org units × competencies (DESIGN.md §7 ⚑).

Each cell is the exact mean of the displayed ``all_raters`` scores of the people in the
unit's subtree — Σ row.total / Σ row.responses over their ``all_raters`` rows — so a cell is
a sum of figures every subject's own report shows and nothing withheld is in it: no cell
minus another tells a withheld score. Read by HR admins and executives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from kaopei.feedback import rules
from kaopei.feedback.anonymity import ALL_RATERS, round_half_up
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.report_pages import is_closed
from kaopei.feedback.selectors.reports import round_report_rows
from kaopei.org.models import Competency, Employee, OrgUnit

HEATMAP_KINDS = (OrgUnit.Kind.BRANCH, OrgUnit.Kind.TEAM)
# For readers who may not open individual reports (executives): no cell, and no difference
# between a unit's cell and its sub-units' cells, stands for fewer people than this.
MIN_PEOPLE = 3


@dataclass(frozen=True)
class HeatCell:
    people: int  # subjects with an all_raters row for the competency
    responses: int
    total: Fraction  # exact sum of the displayed scores behind the cell

    @property
    def mean(self) -> Decimal:
        return round_half_up(self.total / self.responses)


@dataclass(frozen=True)
class HeatRow:
    unit: OrgUnit
    depth: int
    cells: tuple[HeatCell | None, ...]  # in ``Heatmap.competencies`` order


@dataclass(frozen=True)
class Heatmap:
    available: bool
    competencies: tuple[Competency, ...]
    rows: tuple[HeatRow, ...]


def heatmap_min_people(user: Any) -> int:
    """The smallest group a heatmap cell may stand for, for ``user``: none for those who
    read every individual report anyway (HR admins), ``MIN_PEOPLE`` for the others."""
    return 0 if rules.reads_every_report(user) else MIN_PEOPLE


def heatmap_units() -> QuerySet[OrgUnit]:
    """The units a heatmap can be filtered by (branches and teams)."""
    return OrgUnit.objects.filter(kind__in=HEATMAP_KINDS).order_by("code")


def _tree() -> tuple[dict[int, int | None], dict[int | None, list[int]]]:
    parents: dict[int, int | None] = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in parents.items():
        children[parent].append(pk)
    return parents, children


def round_heatmap(
    *, feedback_round: FeedbackRound, unit: OrgUnit | None = None, min_people: int = 0
) -> Heatmap:
    """The heatmap of a round (empty until the round is closed): one row per branch and team
    (within ``unit``'s subtree when given, ``unit`` first), one column per competency with
    any displayed score. With ``min_people`` (``MIN_PEOPLE`` for readers who may not open
    individual reports) a cell is left empty when it, or its difference from the shown
    cells of the units below it, stands for fewer people. A few queries whatever the size
    of the organisation."""
    if not is_closed(feedback_round):
        return Heatmap(False, (), ())
    parents, children = _tree()
    # Per unit of a subject: per competency, (people, responses, total) of its own subjects.
    rows = [r for r in round_report_rows(feedback_round.pk) if r.group == ALL_RATERS]
    unit_of = dict(
        Employee.objects.filter(pk__in={r.subject_id for r in rows}).values_list(
            "pk", "org_unit_id"
        )
    )
    own: dict[int, dict[int, list[Any]]] = defaultdict(dict)
    for r in rows:
        bucket = own[unit_of[r.subject_id]].setdefault(r.competency_id, [0, 0, Fraction(0)])
        bucket[0] += 1
        bucket[1] += r.responses
        bucket[2] += r.total
    # Each unit's figures add up those of every unit at or below it.
    roll: dict[int, dict[int, list[Any]]] = defaultdict(dict)
    for unit_id, per_comp in own.items():
        seen: set[int] = set()
        at: int | None = unit_id
        while at is not None and at not in seen:
            seen.add(at)
            for cid, (people, n, total) in per_comp.items():
                b = roll[at].setdefault(cid, [0, 0, Fraction(0)])
                b[0] += people
                b[1] += n
                b[2] += total
            at = parents.get(at)
    competencies = tuple(
        Competency.objects.filter(pk__in={r.competency_id for r in rows}).order_by(
            "category", "code"
        )
    )
    kinds = dict(OrgUnit.objects.values_list("pk", "kind"))
    order: list[tuple[int, int]] = []

    def walk(pk: int, depth: int) -> None:
        if kinds.get(pk) in HEATMAP_KINDS or pk == (unit.pk if unit else None):
            order.append((pk, depth))
            depth += 1
        for child in sorted(children.get(pk, []), key=lambda c: codes.get(c, "")):
            walk(child, depth)

    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    roots = sorted(children.get(None, []), key=lambda c: codes.get(c, ""))
    starts = [unit.pk] if unit is not None else roots
    for start in starts:
        walk(start, 0)
    units = OrgUnit.objects.in_bulk([pk for pk, _d in order])
    hidden = _small_cells(order, roll, [c.pk for c in competencies], min_people)
    out = []
    for pk, depth in order:
        per_comp = roll.get(pk, {})
        cells = tuple(
            HeatCell(*per_comp[c.pk]) if c.pk in per_comp and (pk, c.pk) not in hidden else None
            for c in competencies
        )
        out.append(HeatRow(units[pk], depth, cells))
    return Heatmap(True, competencies, tuple(out))


def _small_cells(
    order: list[tuple[int, int]],
    roll: dict[int, dict[int, list[Any]]],
    competency_ids: list[int],
    min_people: int,
) -> set[tuple[int, int]]:
    """(unit, competency) cells to leave empty: those of fewer than ``min_people`` people,
    then — until nothing changes — any shown cell whose people minus those of the shown
    cells of its nearest shown sub-units are between 1 and ``min_people`` − 1 (a reader
    could subtract the sub-units and learn that small group)."""
    if min_people <= 1:
        return set()
    # The displayed tree: a row's parent is the nearest row above it one level up.
    children: dict[int, list[int]] = defaultdict(list)
    stack: list[tuple[int, int]] = []
    for pk, depth in order:
        while stack and stack[-1][1] >= depth:
            stack.pop()
        if stack:
            children[stack[-1][0]].append(pk)
        stack.append((pk, depth))

    def people(pk: int, cid: int) -> int:
        bucket = roll.get(pk, {}).get(cid)
        return int(bucket[0]) if bucket else 0

    hidden = {
        (pk, cid) for pk, _d in order for cid in competency_ids if 0 < people(pk, cid) < min_people
    }
    changed = True
    while changed:
        changed = False
        for pk, _d in reversed(order):
            for cid in competency_ids:
                if (pk, cid) in hidden or not people(pk, cid):
                    continue
                shown_below = sum(
                    people(child, cid) for child in children[pk] if (child, cid) not in hidden
                )
                if 0 < people(pk, cid) - shown_below < min_people:
                    hidden.add((pk, cid))
                    changed = True
    return hidden


def heatmap_chart(heatmap: Heatmap) -> dict[str, Any]:
    """ECharts options of the heatmap (a colour scale from 1 to 5); the page's table holds
    the same numbers with the people behind each cell."""
    data = [
        [x, y, float(cell.mean)]
        for y, row in enumerate(heatmap.rows)
        for x, cell in enumerate(row.cells)
        if cell is not None
    ]
    return {
        "tooltip": {"position": "top"},
        "grid": {"left": 10, "right": 10, "top": 10, "bottom": 80, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [c.local_name for c in heatmap.competencies],
            "axisLabel": {"rotate": 30},
        },
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [r.unit.local_name for r in heatmap.rows],
        },
        "visualMap": {
            "min": 1,
            "max": 5,
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "inRange": {"color": ["#d73027", "#fee08b", "#1a9850"]},
        },
        "series": [{"type": "heatmap", "data": data, "label": {"show": True}}],
    }


HEATMAP_COLUMNS = (
    "unit",
    "unit_name",
    "competency",
    "competency_name",
    "people",
    "responses",
    "mean",
)


def heatmap_table(heatmap: Heatmap) -> list[list[Any]]:
    """The heatmap as export rows (HEATMAP_COLUMNS): one per unit and competency with data."""
    out: list[list[Any]] = []
    for row in heatmap.rows:
        for competency, cell in zip(heatmap.competencies, row.cells, strict=True):
            if cell is None:
                continue
            out.append(
                [
                    row.unit.code,
                    row.unit.local_name,
                    competency.code,
                    competency.local_name,
                    cell.people,
                    cell.responses,
                    cell.mean,
                ]
            )
    return out
