"""Unit targets and their roll-up over the API (issue 14), with the pages' visibility:
HR admins list and set unit targets; HR admins, executives and supervisors (their subtree)
read the roll-up; everyone else 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import QueryEx, Router, Schema
from ninja.responses import Status

from kaopei.assessment.models import Cycle, Metric, UnitTarget
from kaopei.assessment.selectors import (
    RollupRow,
    rollup_root_ids,
    target_rollup_for_user,
    unit_target_list_visible_to,
)
from kaopei.assessment.services.unit_targets import unit_target_set
from kaopei.core.api import ERRORS
from kaopei.core.api_params import limit_param, offset_param, text_param
from kaopei.core.errors import ApplicationError
from kaopei.org.models import OrgUnit
from kaopei.org.selectors import unit_descendant_ids

router = Router(tags=["assessment"])
Code = QueryEx[str, text_param(40, "A code (cycle, org unit or metric).")]


class UnitTargetOut(Schema):
    id: int
    cycle: str
    unit: str
    metric: str
    value: float
    note: str


class UnitTargetPage(Schema):
    count: int
    items: list[UnitTargetOut]


class UnitTargetIn(Schema):
    cycle: str
    unit: str
    metric: str
    value: Decimal
    note: str = ""


class RollupOut(Schema):
    unit: str
    metric: str
    aggregation: str
    unit_target: float | None
    people: float | None
    n_people: int
    difference: float | None
    flag: str
    actual: float | None
    attainment: float | None


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 6))


def _out(t: UnitTarget) -> UnitTargetOut:
    return UnitTargetOut(
        id=t.pk,
        cycle=t.cycle.code,
        unit=t.unit.code,
        metric=t.metric.code,
        value=float(t.value),
        note=t.note,
    )


def _by_code(model: Any, code: str, field: str, message: str) -> Any:
    found = model.objects.filter(code=code).first() if code else None
    if found is None:
        raise ApplicationError(message, errors=[{"field": field, "message": message}])
    return found


@router.get("/unit-targets", response={200: UnitTargetPage, **ERRORS})
def unit_targets(
    request: HttpRequest,
    cycle: Code = "",
    unit: Code = "",
    metric: Code = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> UnitTargetPage:
    """HR admins: unit targets, filtered by cycle, unit (and the units below) and metric."""
    qs = unit_target_list_visible_to(user=request.user)
    if cycle:
        qs = qs.filter(cycle__code=cycle.upper())
    if unit:
        found = OrgUnit.objects.filter(code=unit).first()
        qs = qs.filter(unit_id__in=unit_descendant_ids(found.pk)) if found else qs.none()
    if metric:
        qs = qs.filter(metric__code=metric)
    return UnitTargetPage(count=qs.count(), items=[_out(t) for t in qs[offset : offset + limit]])


@router.post("/unit-targets", response={200: UnitTargetOut, 201: UnitTargetOut, **ERRORS})
def unit_target_put(request: HttpRequest, payload: UnitTargetIn) -> Any:
    """HR admins: set a unit target (201 when created, 200 when replaced). 400 for an
    unknown cycle, unit or metric or a value the metric cannot take; 409 for a final cycle."""
    unit_target_list_visible_to(user=request.user)  # 403 unless HR admin
    cycle = _by_code(Cycle, payload.cycle.strip().upper(), "cycle", _("Unknown cycle."))
    unit = _by_code(OrgUnit, payload.unit.strip(), "unit", _("Unknown org unit."))
    metric = _by_code(Metric, payload.metric.strip(), "metric", _("Unknown metric."))
    target, created = unit_target_set(
        unit=unit,
        cycle=cycle,
        metric=metric,
        value=payload.value,
        note=payload.note[:200],
        user=request.user,
    )
    return Status(201 if created else 200, _out(target))


def _rollup_out(row: RollupRow) -> RollupOut:
    r = row.result
    return RollupOut(
        unit=row.unit.code,
        metric=row.metric.code,
        aggregation=r.aggregation,
        unit_target=_f(r.unit_target),
        people=_f(r.people),
        n_people=r.n_people,
        difference=_f(r.difference),
        flag=r.flag,
        actual=_f(r.actual),
        attainment=_f(r.attainment),
    )


@router.get("/target-rollup", response={200: list[RollupOut], **ERRORS})
def target_rollup(request: HttpRequest, cycle: Code = "", unit: Code = "") -> list[RollupOut]:
    """Per unit × metric of ``cycle`` (the latest when empty; in ``unit``'s subtree): the
    unit target against the people's targets and actuals rolled up (sum for amounts and
    counts, mean for rates). HR admins, executives, supervisors (their subtree); 404 for an
    unknown cycle or unit."""
    rollup_root_ids(request.user)  # 403 first for those who may not read roll-ups
    cycles = Cycle.objects.order_by("-start")
    found_cycle = (cycles.filter(code=cycle.strip().upper()) if cycle else cycles).first()
    if found_cycle is None:
        raise Http404
    found_unit = None
    if unit:
        found_unit = OrgUnit.objects.filter(code=unit.strip()).first()
        if found_unit is None:
            raise Http404
    rows = target_rollup_for_user(user=request.user, cycle=found_cycle, unit=found_unit)
    return [_rollup_out(r) for r in rows]
