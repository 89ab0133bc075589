"""Scoring (DESIGN.md §6 ⚑): a template's items and an employee's values in, score lines,
the total and the grade out; also the run-rate projection."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.translation import gettext_lazy as _

from kaopei.assessment.grades import INSUFFICIENT as GRADE_INSUFFICIENT
from kaopei.assessment.grades import UNQUALIFIED as GRADE_UNQUALIFIED
from kaopei.assessment.scoring.hash import (
    _canonical,
    _hash,
    _policy_text,
)
from kaopei.assessment.scoring.types import (
    _CENT,
    _CONTEXT,
    _HUNDRED,
    _MISSING,
    _NO_DATA,
    _WIDE,
    _ZERO,
    EmployeeValues,
    GradePolicy,
    ItemInput,
    ScoreResult,
    TemplateLine,
    Veto,
    _check_decimal,
    _new_line,
    _Prepared,
    _Static,
)


def score(items: Sequence[ItemInput], policy: GradePolicy, veto: Veto | None = None) -> ScoreResult:
    """Score one employee's template items for one cycle (rules in the module docstring).

    Metric codes must be distinct (``ValueError`` otherwise). Lines keep the items' order.
    """
    prepared = _prepare(items)
    return _score_prepared(
        prepared,
        [(item.actual, item.has_data) for item in items],
        [item.target for item in items],
        policy,
        _policy_text(policy),
        veto,
    )


def score_many(
    lines: Sequence[TemplateLine],
    employees: Iterable[EmployeeValues],
    policy: GradePolicy,
) -> Iterator[ScoreResult]:
    """:func:`score` for many employees on one template, checking the template once.

    Each result equals ``score(items, policy, veto)`` with the items built from ``lines``
    and that employee's values (a property test holds the two together).
    """
    prepared = _prepare(lines)
    policy_text = _policy_text(policy)
    size = len(prepared.lines)
    for values, targets, veto in employees:
        if not len(values) == len(targets) == size:
            raise ValueError("score_many(): values do not match the template lines")
        for actual, _with_data in values:
            if actual is not None and (type(actual) is not Decimal or not actual.is_finite()):
                _check_decimal("actual", actual, optional=True)
        for target in targets:
            if target is not None and (type(target) is not Decimal or not target.is_finite()):
                _check_decimal("target", target, optional=True)
        yield _score_prepared(prepared, values, targets, policy, policy_text, veto)


def round_up_to(value: Decimal, unit: Decimal) -> Decimal:
    """``value`` rounded away from zero to a multiple of ``unit`` (a gap of 2.3 or −0.4
    visits becomes 3 or −1), so a rounded gap still reaches the grade."""
    if unit <= 0:
        raise ValueError("round_up_to(): unit must be above 0")
    with decimal.localcontext(_WIDE):
        return (value / unit).to_integral_value(rounding=ROUND_UP) * unit


def project_run_rate(actual: Decimal | None, elapsed_fraction: Decimal) -> Decimal | None:
    """A sum or count projected to the whole cycle: actual / elapsed fraction (0 < f ≤ 1).

    ``None`` when there is no actual or nothing has elapsed yet. Unrounded.
    """
    if not 0 <= elapsed_fraction <= 1:
        raise ValueError("project_run_rate(): elapsed_fraction must be between 0 and 1")
    if actual is None or elapsed_fraction == 0:
        return None
    with decimal.localcontext(_CONTEXT):
        return actual / elapsed_fraction


def _prepare(items: Sequence[ItemInput] | Sequence[TemplateLine]) -> _Prepared:
    codes = [item.metric.code for item in items]
    if len(set(codes)) != len(codes):
        raise ValueError(_("A template lists the same metric twice."))
    statics = tuple(
        _Static(
            code=item.metric.code,
            direction=item.metric.direction,
            mode=item.metric.mode,
            weight=item.weight,
            cap=item.cap,
            bound=item.bound,
            hash_head=f"{item.metric.code};{item.metric.direction};{item.metric.mode};"
            f"{_canonical(item.weight)};{_canonical(item.cap)};",
            hash_tail=f";{_canonical(item.bound)}",
        )
        for item in items
    )
    with decimal.localcontext(_CONTEXT):
        weight_total = sum((item.weight for item in items), Decimal(0))
    order = tuple(sorted(range(len(codes)), key=codes.__getitem__))
    return _Prepared(lines=statics, hash_order=order, weight_total=weight_total)


def _target_usable(line: _Static, target: Decimal | None) -> bool:
    """Whether the target allows scoring (direct metrics need none)."""
    if line.mode == "direct":
        return True
    if target is None:
        return False
    if line.mode == "ratio":
        return target > 0
    assert line.bound is not None  # checked with the template item
    return target > line.bound if line.direction == "higher" else target < line.bound


def _score_prepared(
    prepared: _Prepared,
    values: Sequence[tuple[Decimal | None, bool]],
    targets: Sequence[Decimal | None],
    policy: GradePolicy,
    policy_text: str,
    veto: Veto | None,
) -> ScoreResult:
    lines = []
    weight_with_data = weighted_points = _ZERO
    total = None
    new_line = _new_line
    with decimal.localcontext(_CONTEXT):
        for line, (actual, with_data), target in zip(prepared.lines, values, targets, strict=True):
            # A missing target is reported even when the metric has no data: it is the
            # fixable one.
            if not _target_usable(line, target):
                lines.append(
                    new_line((line.code, actual, target, None, None, line.weight, False, _MISSING))
                )
            elif not with_data:
                lines.append(
                    new_line((line.code, actual, target, None, None, line.weight, False, _NO_DATA))
                )
            else:
                attainment = _ZERO if actual is None else _attainment(line, actual, target)
                points = (min(max(attainment, _ZERO), line.cap) * _HUNDRED).quantize(
                    _CENT, rounding=ROUND_HALF_UP
                )
                weight = line.weight
                weight_with_data += weight
                weighted_points += weight * points
                lines.append(
                    new_line((line.code, actual, target, attainment, points, weight, True, None))
                )
        if weight_with_data > 0:
            total = (weighted_points / weight_with_data).quantize(_CENT, rounding=ROUND_HALF_UP)
    weight_total = prepared.weight_total
    if veto is not None:
        grade = GRADE_UNQUALIFIED
    elif total is None or 2 * weight_with_data < weight_total:
        grade = GRADE_INSUFFICIENT
    else:
        grade = policy.grade_for(total).code
    return ScoreResult(
        lines=tuple(lines),
        total=total,
        grade=grade,
        veto_reason=veto.reason if veto is not None else "",
        renormalised=total is not None and weight_with_data < weight_total,
        weight_with_data=weight_with_data,
        weight_total=weight_total,
        inputs_hash=_hash(prepared, values, targets, policy_text, veto),
    )


def _attainment(line: _Static, actual: Decimal, target: Decimal | None) -> Decimal:
    bound = line.bound
    if line.mode == "direct":
        return actual / _HUNDRED
    assert target is not None
    if line.mode == "ratio":
        if line.direction == "higher":
            return actual / target
        return line.cap if actual == 0 else target / actual
    assert bound is not None
    if line.direction == "higher":
        return (actual - bound) / (target - bound)
    return (bound - actual) / (bound - target)


def _inputs_hash(items: Sequence[ItemInput], policy: GradePolicy, veto: Veto | None) -> str:
    """The inputs hash :func:`score` gives these items, policy and veto."""
    return _hash(
        _prepare(items),
        [(item.actual, item.has_data) for item in items],
        [item.target for item in items],
        _policy_text(policy),
        veto,
    )
