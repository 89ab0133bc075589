"""Targets per cycle, employee and metric, with guardrails (DESIGN.md §3; issue: Assessment)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaopei.assessment.models import Cycle, Metric, Target, Template
from kaopei.assessment.services.cycles import cycle_lock, ensure_not_final
from kaopei.core.errors import ApplicationError
from kaopei.org.models import Employee


@dataclass(frozen=True)
class TargetWarning:
    employee_no: str
    metric: str
    code: str  # outside_template | non_sales_role | after_open
    message: str


def target_warnings(
    *, cycle: Cycle, rows: Iterable[tuple[Employee, Metric]]
) -> list[TargetWarning]:
    """Guardrails drawn from regulators' findings: a target for a metric outside the
    employee's template, a sales target for a non-sales role, and changes after opening."""
    templates: dict[int, set[str]] = {}
    for t in Template.objects.filter(cycle_kind=cycle.kind, current=True).prefetch_related(
        "items__metric"
    ):
        templates[t.level_id] = {i.metric.code for i in t.items.all()}
    out: list[TargetWarning] = []
    changed_after_open = cycle.status != Cycle.Status.DRAFT
    for emp, metric in rows:
        if emp.level is not None and not emp.level.is_sales:
            out.append(
                TargetWarning(
                    emp.employee_no,
                    metric.code,
                    "non_sales_role",
                    str(
                        _(
                            "%(no)s holds a non-sales level; sales targets for such roles invite "
                            "mis-selling."
                        )
                        % {"no": emp.employee_no}
                    ),
                )
            )
        elif metric.code not in templates.get(emp.level_id or 0, set()):
            out.append(
                TargetWarning(
                    emp.employee_no,
                    metric.code,
                    "outside_template",
                    str(
                        _(
                            "%(metric)s is not in the %(cycle)s template of %(no)s's level; the target "
                            "will not be scored."
                        )
                        % {"metric": metric.code, "cycle": cycle.code, "no": emp.employee_no}
                    ),
                )
            )
        if changed_after_open:
            out.append(
                TargetWarning(
                    emp.employee_no,
                    metric.code,
                    "after_open",
                    str(
                        _(
                            "Cycle %(cycle)s is already %(status)s: changing targets now is recorded and "
                            "visible to auditors."
                        )
                        % {"cycle": cycle.code, "status": cycle.get_status_display()}
                    ),
                )
            )
    return out


@transaction.atomic
def targets_set(
    *,
    cycle: Cycle,
    values: dict[tuple[int, int], Decimal],
    user: Any = None,
    import_batch: Any = None,
) -> tuple[int, int, int]:
    """Set targets ``{(employee_id, metric_id): value}`` in bulk, with history.

    Returns (created, updated, unchanged). Refuses a final cycle and values that are not
    numbers. A target of 0 or below is allowed (compliance_incidents 0, an NPS of −10);
    the engine marks a target it cannot use as "target missing" (DESIGN.md §6).
    """
    cycle = cycle_lock(pk=cycle.pk)  # not final now, nor before this commits
    ensure_not_final(cycle)
    if any(v is None or not v.is_finite() for v in values.values()):
        raise ApplicationError(_("A target must be a number."))
    existing = {(t.employee_id, t.metric_id): t for t in Target.objects.filter(cycle=cycle)}
    create, update, unchanged = [], [], 0
    for (emp, metric), value in values.items():
        t = existing.get((emp, metric))
        if t is None:
            create.append(
                Target(
                    cycle=cycle,
                    employee_id=emp,
                    metric_id=metric,
                    value=value,
                    import_batch=import_batch,
                )
            )
        elif t.value != value:
            t.value = value
            t.import_batch = import_batch
            update.append(t)
        else:
            unchanged += 1
    if create:
        bulk_create_with_history(create, Target, batch_size=2000, default_user=user)
    if update:
        bulk_update_with_history(
            update, Target, ["value", "import_batch"], batch_size=2000, default_user=user
        )
    return len(create), len(update), unchanged


@transaction.atomic
def targets_copy_from_previous(
    *, cycle: Cycle, source: Cycle, growth: Decimal, user: Any = None
) -> int:
    """Copy every target of ``source`` into ``cycle`` multiplied by ``growth`` (1.1 = +10%).

    Lower-is-better metrics are divided by the growth factor instead (a better target)."""
    if growth <= 0:
        raise ApplicationError(_("The growth factor must be above 0."))
    values: dict[tuple[int, int], Decimal] = {}
    for t in Target.objects.filter(cycle=source).select_related("metric"):
        factor = growth if t.metric.direction == Metric.Direction.HIGHER else 1 / growth
        values[(t.employee_id, t.metric_id)] = (t.value * factor).quantize(Decimal("0.0001"))
    created, updated, _u = targets_set(cycle=cycle, values=values, user=user)
    return created + updated
