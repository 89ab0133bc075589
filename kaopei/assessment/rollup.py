"""How the people's targets and results roll up against their unit's target (issue 14).

Pure functions on plain data (``Decimal``), no database: the selector gathers the values,
these decide what they add up to.

The stated aggregation, by the metric's unit:

- **sum** for amounts (元) and counts, and for hours that accumulate through the cycle
  (training hours): a branch's sales target is the sum of its people's;
- **mean** for everything else — rates (%), scores (0–100, 1–5, points), days, and hours
  that are a median per person (response time): the unit's figure is compared with the
  plain mean of its people's figures (each person counts once).

Attainment rolls up the same way: the sum (or mean) of the people's actuals against the
unit's target — actual / target when higher is better, target / actual when lower is better.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Aggregation = Literal["sum", "mean"]
Flag = Literal["", "short", "over"]

SUM_UNITS = frozenset({"元", "count"})
DEFAULT_MARGIN = Decimal("0.05")


def aggregation_for(*, unit: str, cumulative: bool) -> Aggregation:
    """``sum`` for amounts and counts (and cumulative hours), ``mean`` otherwise."""
    if unit in SUM_UNITS or (unit == "hours" and cumulative):
        return "sum"
    return "mean"


def aggregate(values: Iterable[Decimal], how: Aggregation) -> Decimal | None:
    """The sum or mean of ``values``; None when there are none."""
    items = list(values)
    if not items:
        return None
    total = sum(items, Decimal(0))
    return total if how == "sum" else total / len(items)


def difference(people: Decimal | None, unit_target: Decimal | None) -> Decimal | None:
    """How far the people's roll-up is from the unit's target, as a fraction of the target
    (−0.1 = 10 % short); None when either is missing or the target is 0."""
    if people is None or unit_target is None or unit_target == 0:
        return None
    return (people - unit_target) / abs(unit_target)


def flag_for(diff: Decimal | None, margin: Decimal) -> Flag:
    """``short`` or ``over`` when ``diff`` is beyond ``margin`` either way, else ``""``."""
    if diff is None:
        return ""
    if diff < -margin:
        return "short"
    if diff > margin:
        return "over"
    return ""


def attainment(
    actual: Decimal | None, target: Decimal | None, *, lower_is_better: bool
) -> Decimal | None:
    """actual / target (target / actual when lower is better); None when not computable."""
    if actual is None or target is None:
        return None
    if lower_is_better:
        return None if actual <= 0 else target / actual
    return None if target <= 0 else actual / target


@dataclass(frozen=True)
class Rollup:
    aggregation: Aggregation
    unit_target: Decimal | None
    people: Decimal | None  # the people's targets rolled up
    n_people: int
    difference: Decimal | None  # people vs unit target, a fraction
    flag: Flag
    actual: Decimal | None  # the people's actuals rolled up
    n_actuals: int
    attainment: Decimal | None  # actual roll-up vs the unit target, a fraction


def rollup(
    *,
    unit_target: Decimal | None,
    people_targets: Sequence[Decimal],
    actuals: Sequence[Decimal],
    how: Aggregation,
    lower_is_better: bool = False,
    margin: Decimal = DEFAULT_MARGIN,
) -> Rollup:
    """One unit × metric: the people's targets and actuals against the unit's target."""
    people = aggregate(people_targets, how)
    actual = aggregate(actuals, how)
    diff = difference(people, unit_target)
    return Rollup(
        aggregation=how,
        unit_target=unit_target,
        people=people,
        n_people=len(people_targets),
        difference=diff,
        flag=flag_for(diff, margin),
        actual=actual,
        n_actuals=len(actuals),
        attainment=attainment(actual, unit_target, lower_is_better=lower_is_better),
    )


def subtree_buckets(
    *,
    parents: Mapping[int, int | None],
    values: Iterable[tuple[int, Decimal]],
) -> dict[int, list[Decimal]]:
    """Each ``(unit_id, value)`` counted in its unit and every unit above it: for every unit,
    the values of its whole subtree. ``parents`` maps a unit to its parent (cycles are cut)."""
    out: dict[int, list[Decimal]] = {}
    for unit_id, value in values:
        seen: set[int] = set()
        uid: int | None = unit_id
        while uid is not None and uid not in seen:
            seen.add(uid)
            out.setdefault(uid, []).append(value)
            uid = parents.get(uid)
    return out
