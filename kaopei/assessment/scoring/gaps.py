"""The gap to the next grade: for a graded card below the top grade, the single change
of one metric's actual (all else equal) that reaches the next grade, checked by rescoring."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from kaopei.assessment.scoring.engine import (
    _inputs_hash,
    score,
)
from kaopei.assessment.scoring.types import (
    _CENT,
    _GAP_STEP,
    _HALF_CENT,
    _HUNDRED,
    _WIDE,
    Gap,
    GradePolicy,
    ItemInput,
    ScoreResult,
)


def gap_to_next_grade(
    result: ScoreResult, items: Sequence[ItemInput], policy: GradePolicy
) -> list[Gap]:
    """For a graded card below the top grade, how far each single metric must move.

    ``result`` must be ``score(items, policy)`` (``ValueError`` otherwise). For each line
    with data, an actual and weight, the change of that one actual, all else equal, that
    lifts the total to the next band's minimum; a line offers no path when even its capped
    points fall short or the needed value is outside the metric's ``value_min``/``value_max``.
    Every returned gap is checked by rescoring. Empty for UNQUALIFIED, INSUFFICIENT and the
    top grade. Rounding a count to a whole number is the caller's (see ``round_up_to``).
    """
    rank = policy.rank(result.grade)
    if not rank or result.total is None:  # top grade (0), UNQUALIFIED or INSUFFICIENT (None)
        return []
    if _inputs_hash(items, policy, None) != result.inputs_hash:
        raise ValueError("gap_to_next_grade(): result was not scored from these items and policy")
    goal = policy.bands[rank - 1]
    assert goal.min_total is not None  # only the last band lacks a minimum
    gaps = []
    with decimal.localcontext(_WIDE) as ctx:
        # round(x) ≥ goal  ⇔  x ≥ goal rounded up to a cent − 0.005 (half-up rounding).
        threshold = goal.min_total.quantize(_CENT, rounding=ROUND_CEILING) - _HALF_CENT
        weighted = sum(
            (line.weight * line.points for line in result.lines if line.points is not None),
            Decimal(0),
        )
        for item, line in zip(items, result.lines, strict=True):
            if line.points is None or item.actual is None or item.weight == 0:
                continue
            others = weighted - line.weight * line.points
            ctx.rounding = ROUND_CEILING
            need = (result.weight_with_data * threshold - others) / item.weight
            points = need.quantize(_CENT, rounding=ROUND_CEILING)
            ctx.rounding = ROUND_HALF_EVEN
            if points > item.cap * _HUNDRED or points <= line.points:
                continue
            # points = round_half_up(attainment × 100) ≥ points  ⇔  attainment ≥ this:
            needed = _actual_for(item, (points - _HALF_CENT) / _HUNDRED)
            spec = item.metric
            if (spec.value_min is not None and needed < spec.value_min) or (
                spec.value_max is not None and needed > spec.value_max
            ):
                continue
            # A safety net, so that a gap is never a false promise: rescore with it.
            changed = [replace(i, actual=needed) if i is item else i for i in items]
            reached = policy.rank(score(changed, policy).grade)
            if reached is None or reached >= rank:
                continue
            gaps.append(
                Gap(
                    metric=spec.code,
                    grade=goal.code,
                    actual=item.actual,
                    needed_actual=needed,
                    delta=needed - item.actual,
                    points_needed=points,
                )
            )
    return gaps


def _actual_for(item: ItemInput, attainment: Decimal) -> Decimal:
    """The least (higher is better) or greatest (lower) actual whose attainment reaches
    ``attainment`` > 0, to 4 decimals; every step rounds towards the better side."""
    spec, target, bound = item.metric, item.target, item.bound
    rounding = ROUND_CEILING if spec.direction == "higher" else ROUND_FLOOR
    with decimal.localcontext(_WIDE, rounding=rounding):
        if spec.mode == "direct":
            value = attainment * _HUNDRED
        elif spec.mode == "ratio":
            assert target is not None
            value = attainment * target if spec.direction == "higher" else target / attainment
        else:
            assert target is not None and bound is not None
            # floor + A(target − floor), and ceiling − A(ceiling − target) for lower is better
            value = bound + attainment * (target - bound)
        return value.quantize(_GAP_STEP, rounding=rounding)
