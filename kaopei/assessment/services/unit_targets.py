"""Org-level targets per unit, cycle and metric (issue 14: targets aligned with strategy).

Every write takes the cycle's lock first (``cycle_lock``): two HR admins setting the same
unit target at once are serialised, so there is one row and the second sees the first's.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle, Metric, UnitTarget
from kaopei.assessment.services.cycles import cycle_lock, ensure_not_final
from kaopei.assessment.services.scoring import OPEN_ENDED, VALUE_RANGES
from kaopei.core.errors import ApplicationError
from kaopei.org.models import OrgUnit


def _refusal(message: Any, field: str) -> ApplicationError:
    return ApplicationError(message, errors=[{"field": field, "message": message}])


def unit_target_validate_value(*, metric: Metric, value: Decimal | None) -> None:
    """ApplicationError (naming the field ``value``) unless ``value`` is a number the metric
    can take: not negative where the metric forbids it, within 0–100 for a rate, and so on
    (the ranges of ``services.scoring.VALUE_RANGES``)."""
    if value is None or not value.is_finite():
        raise _refusal(_("A target must be a number."), "value")
    if metric.code in OPEN_ENDED:
        return
    low, high = VALUE_RANGES.get(metric.unit, (None, None))
    if low is not None and value < low:
        if low == 0:
            raise _refusal(
                _("A target of %(metric)s cannot be negative.") % {"metric": metric.code}, "value"
            )
        raise _refusal(
            _("A target of %(metric)s cannot be below %(low)s.")
            % {"metric": metric.code, "low": low},
            "value",
        )
    if high is not None and value > high:
        raise _refusal(
            _("A target of %(metric)s cannot be above %(high)s.")
            % {"metric": metric.code, "high": high},
            "value",
        )


@transaction.atomic
def unit_target_set(
    *,
    unit: OrgUnit,
    cycle: Cycle,
    metric: Metric,
    value: Decimal,
    note: str = "",
    user: Any = None,
    create_only: bool = False,
) -> tuple[UnitTarget, bool]:
    """Set the target of ``unit`` for ``cycle`` and ``metric`` (created or replaced), with
    history. Returns (the target, created).

    Refuses a final cycle (ConflictError), a value the metric cannot take, and — with
    ``create_only`` (the "new unit target" page) — a target that already exists.
    """
    unit_target_validate_value(metric=metric, value=value)
    cycle = cycle_lock(pk=cycle.pk)
    ensure_not_final(cycle)
    existing = (
        UnitTarget.objects.select_for_update().filter(unit=unit, cycle=cycle, metric=metric).first()
    )
    if existing is None:
        target = UnitTarget(unit=unit, cycle=cycle, metric=metric, value=value, note=note)
        target.set_by = user
        target._history_user = user  # type: ignore[attr-defined]
        target.save()
        return target, True
    if create_only:
        raise _refusal(
            _("%(unit)s already has a target for %(metric)s in %(cycle)s; edit that one.")
            % {"unit": unit.code, "metric": metric.code, "cycle": cycle.code},
            "metric",
        )
    if existing.value != value or existing.note != note:
        existing.value = value
        existing.note = note
        existing.set_by = user
        existing._history_user = user  # type: ignore[attr-defined]
        existing.save()
    return existing, False


@transaction.atomic
def unit_target_update(
    *, target: UnitTarget, value: Decimal, note: str = "", user: Any = None
) -> UnitTarget:
    """Change the value and note of an existing unit target (same refusals as setting)."""
    result, _created = unit_target_set(
        unit=target.unit,
        cycle=target.cycle,
        metric=target.metric,
        value=value,
        note=note,
        user=user,
    )
    return result


def rollup_warning_messages(rows: Iterable[Any]) -> list[str]:
    """One sentence per flagged roll-up row (``selectors.unit_targets.RollupRow``): the unit,
    the metric, the people's roll-up against the unit target and by how much."""
    out = []
    for row in rows:
        r = row.result
        params = {
            "unit": row.unit.local_name,
            "code": row.unit.code,
            "metric": row.metric.name,
            "people": f"{r.people:,.2f}" if r.people is not None else "—",
            "target": f"{r.unit_target:,.2f}",
            "pct": f"{abs(r.difference) * 100:.1f}" if r.difference is not None else "—",
        }
        if r.flag == "short":
            text = _(
                "%(unit)s (%(code)s): the people's %(metric)s targets roll up to %(people)s, "
                "%(pct)s %% short of the unit target %(target)s."
            )
        else:
            text = _(
                "%(unit)s (%(code)s): the people's %(metric)s targets roll up to %(people)s, "
                "%(pct)s %% over the unit target %(target)s."
            )
        out.append(str(text % params))
    return out


@transaction.atomic
def unit_target_delete(*, target: UnitTarget, user: Any = None) -> None:
    """Remove a unit target (recorded in its history); refuses a final cycle."""
    cycle = cycle_lock(pk=target.cycle_id)
    ensure_not_final(cycle)
    target._history_user = user  # type: ignore[attr-defined]
    target.delete()
