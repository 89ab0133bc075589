"""Reads of org-level targets and of their roll-up (issue 14: targets aligned with strategy).

- ``unit_target_list_visible_to`` / ``unit_target_get_for_user``: the unit targets pages
  (HR admins only).
- ``target_rollup_for_user``: per unit × metric, the unit's target against its people's
  targets and actuals rolled up (``kaopei.assessment.rollup``). HR admins and executives
  every unit; supervisors their own unit and below, counting only the people in their chain;
  others PermissionDenied. A fixed number of queries whatever the size of the tree.
- ``unit_target_warnings``: the unit targets of a cycle whose people's roll-up falls short
  of or overshoots them by more than the margin (shown after targets are set or imported).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kaopei.assessment import rollup
from kaopei.assessment.models import Cycle, Metric, ScoreLine, Target, UnitTarget
from kaopei.assessment.rules import (
    can_manage_unit_targets,
    can_see_target_rollup,
    scorecard_scope_ids,
)
from kaopei.core.rules import sees_everyone
from kaopei.org.models import Employee, OrgUnit
from kaopei.org.selectors import employee_for_user, unit_descendant_ids


def rollup_margin() -> Decimal:
    """The margin beyond which a roll-up is flagged (setting ``KAOPEI_TARGET_ROLLUP_MARGIN``)."""
    return Decimal(str(getattr(settings, "KAOPEI_TARGET_ROLLUP_MARGIN", rollup.DEFAULT_MARGIN)))


def unit_target_list_visible_to(
    *,
    user: Any,
    cycle: Cycle | None = None,
    unit_ids: set[int] | None = None,
    metric: Metric | None = None,
) -> QuerySet[UnitTarget]:
    """Unit targets, newest cycle first, filtered by cycle, units (ids) and metric; HR
    admins only (PermissionDenied for others)."""
    if not can_manage_unit_targets(user):
        raise PermissionDenied
    qs = UnitTarget.objects.select_related("unit", "cycle", "metric", "set_by").order_by(
        "-cycle__start", "cycle__code", "unit__code", "metric__code"
    )
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if metric is not None:
        qs = qs.filter(metric=metric)
    return qs


def unit_target_get_for_user(*, user: Any, pk: int) -> UnitTarget:
    """One unit target; PermissionDenied unless HR admin, 404 if there is none."""
    target = unit_target_list_visible_to(user=user).filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


def rollup_root_ids(user: Any) -> set[int] | None:
    """The units whose roll-up ``user`` may read: None for all (HR admins, executives), a
    supervisor's own unit and those below it; PermissionDenied for anyone else."""
    if not can_see_target_rollup(user):
        raise PermissionDenied
    if sees_everyone(user):
        return None
    me = employee_for_user(user)
    if me is None or me.org_unit_id is None:
        return set()
    return unit_descendant_ids(me.org_unit_id)


@dataclass(frozen=True)
class RollupRow:
    unit: OrgUnit
    metric: Metric
    result: rollup.Rollup
    note: str = ""


def _rollup_rows(
    *,
    cycle: Cycle,
    unit_targets: list[UnitTarget],
    people_ids: set[int] | None,
    margin: Decimal,
    overrides: dict[tuple[int, int], Decimal] | None = None,
) -> list[RollupRow]:
    if not unit_targets:
        return []
    if cycle.pk is None:
        return []
    metric_ids = {ut.metric_id for ut in unit_targets}
    parents: dict[int, int | None] = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    targets = Target.objects.filter(cycle=cycle, metric_id__in=metric_ids).order_by()
    lines = ScoreLine.objects.filter(
        scorecard__cycle=cycle,
        scorecard__eligible=True,
        metric_id__in=metric_ids,
        has_data=True,
        actual__isnull=False,
    ).order_by()
    if people_ids is not None:
        targets = targets.filter(employee_id__in=people_ids)
        lines = lines.filter(scorecard__employee_id__in=people_ids)
    current: dict[tuple[int, int], tuple[int, Decimal]] = {
        (emp, metric_id): (unit_id, value)
        for emp, unit_id, metric_id, value in targets.values_list(
            "employee_id", "employee__org_unit_id", "metric_id", "value"
        )
    }
    if overrides:  # targets about to be written (an import being checked)
        units_of = dict(
            Employee.objects.filter(pk__in={e for e, _m in overrides}).values_list(
                "pk", "org_unit_id"
            )
        )
        for (emp, metric_id), value in overrides.items():
            if metric_id in metric_ids and emp in units_of:
                current[(emp, metric_id)] = (units_of[emp], value)
    by_metric_targets: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for (_emp, metric_id), (unit_id, value) in current.items():
        by_metric_targets[metric_id].append((unit_id, value))
    by_metric_actuals: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for line_unit, line_metric, actual in lines.values_list(
        "scorecard__org_unit_id", "metric_id", "actual"
    ):
        if actual is not None:  # filtered above; the type checker cannot know
            by_metric_actuals[line_metric].append((line_unit, actual))
    target_buckets = {
        m: rollup.subtree_buckets(parents=parents, values=by_metric_targets[m]) for m in metric_ids
    }
    actual_buckets = {
        m: rollup.subtree_buckets(parents=parents, values=by_metric_actuals[m]) for m in metric_ids
    }
    rows = []
    for ut in unit_targets:
        metric = ut.metric
        rows.append(
            RollupRow(
                unit=ut.unit,
                metric=metric,
                note=ut.note,
                result=rollup.rollup(
                    unit_target=ut.value,
                    people_targets=target_buckets[ut.metric_id].get(ut.unit_id, []),
                    actuals=actual_buckets[ut.metric_id].get(ut.unit_id, []),
                    how=rollup.aggregation_for(unit=metric.unit, cumulative=metric.cumulative),
                    lower_is_better=metric.direction == Metric.Direction.LOWER,
                    margin=margin,
                ),
            )
        )
    return rows


def target_rollup_for_user(
    *, user: Any, cycle: Cycle, unit: OrgUnit | None = None, metric: Metric | None = None
) -> list[RollupRow]:
    """The unit targets of ``cycle`` in ``unit``'s subtree (all the reader may see when
    None), each with its people's roll-up. PermissionDenied for a role that may not read
    roll-ups, 404 for a unit outside a supervisor's subtree."""
    allowed = rollup_root_ids(user)
    unit_ids = unit_descendant_ids(unit.pk) if unit is not None else None
    if allowed is not None:
        if unit is not None and unit.pk not in allowed:
            raise Http404
        unit_ids = allowed if unit_ids is None else unit_ids & allowed
    qs = UnitTarget.objects.filter(cycle=cycle).select_related("unit", "metric")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if metric is not None:
        qs = qs.filter(metric=metric)
    people_ids = None if sees_everyone(user) else scorecard_scope_ids(user)
    return _rollup_rows(
        cycle=cycle,
        unit_targets=list(qs.order_by("unit__code", "metric__code")),
        people_ids=people_ids,
        margin=rollup_margin(),
    )


def unit_target_warnings(
    *,
    cycle: Cycle,
    metric_ids: set[int] | None = None,
    overrides: dict[tuple[int, int], Decimal] | None = None,
) -> list[RollupRow]:
    """The unit targets of ``cycle`` (of ``metric_ids`` when given) whose people's targets
    now roll up short of or over them by more than the margin — for whoever just set or
    imported people's targets (HR admins; no scope applies). ``overrides``
    ``{(employee_id, metric_id): value}`` are targets about to be written, counted instead
    of the stored ones (an import's check)."""
    qs = UnitTarget.objects.filter(cycle=cycle).select_related("unit", "metric")
    if metric_ids is not None:
        qs = qs.filter(metric_id__in=metric_ids)
    rows = _rollup_rows(
        cycle=cycle,
        unit_targets=list(qs.order_by("unit__code", "metric__code")),
        people_ids=None,
        margin=rollup_margin(),
        overrides=overrides,
    )
    return [r for r in rows if r.result.flag]
