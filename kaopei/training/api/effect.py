"""Training API: the training effect (DESIGN.md §8 ⚑), as the ``training-effect`` export
but in JSON with numbers. Trainers, HR admins and executives.

- ``GET /training/effect/{cycle}``: every course's rows of the quarter;
- ``GET /training/effect/{cycle}/{course}``: one course's rows.

404 for an unknown cycle or course, 422 for a code that is not a quarter.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import PathEx, Router, Schema

from kaopei.core.api import ERRORS
from kaopei.core.api_params import text_param
from kaopei.training.effect import EffectRow
from kaopei.training.selectors import effect as sel

router = Router(tags=["training"])

CycleCode = PathEx[str, text_param(40, "A quarterly cycle code, e.g. 2026Q2.")]
CourseCode = PathEx[str, text_param(40, "A course code, e.g. SPIN-101.")]


class EffectRowOut(Schema):
    course: str
    level: str
    item: str | None
    trained: int
    comparison: int | None
    value: float | None


class EffectOut(Schema):
    cycle: str
    rows: list[EffectRowOut]


def _out(row: EffectRow) -> EffectRowOut:
    return EffectRowOut(
        course=row.course,
        level=row.level,
        item=row.item or None,
        trained=row.trained,
        comparison=row.comparison,
        value=None if row.value is None else float(row.value),
    )


@router.get("/training/effect/{cycle}", response={200: EffectOut, **ERRORS})
def effect_cycle(request: HttpRequest, cycle: CycleCode) -> EffectOut:
    """Every course's Kirkpatrick rows of a quarter."""
    sel.require_effect_reader(request.user)
    found = sel.effect_cycle(cycle)
    rows = sel.cycle_effect_rows(sel.effect_period(found.code))
    return EffectOut(cycle=found.code, rows=[_out(r) for r in rows])


@router.get("/training/effect/{cycle}/{course}", response={200: EffectOut, **ERRORS})
def effect_course(request: HttpRequest, cycle: CycleCode, course: CourseCode) -> EffectOut:
    """One course's Kirkpatrick rows of a quarter (none when nobody completed it then)."""
    sel.require_effect_reader(request.user)
    found = sel.effect_cycle(cycle)
    target = sel.course_for_effect(course)
    rows = sel.course_effect_rows(sel.effect_period(found.code), target)
    return EffectOut(cycle=found.code, rows=[_out(r) for r in rows])
