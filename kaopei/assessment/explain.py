"""Explanations computed on demand from a stored scorecard: the gap to the next grade.

A scorecard's lines keep everything the engine needs (actual, target, weight, cap,
has_data) and the metric keeps direction, mode and bounds, so the gap is recomputed exactly
when someone looks, instead of for everyone at scoring time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kaopei.assessment import scoring as engine
from kaopei.core.decimals import decimal_text

if TYPE_CHECKING:
    from kaopei.assessment.models import Scorecard

COUNT_UNITS = {"count"}


def scorecard_items(card: Scorecard) -> list[engine.ItemInput]:
    """The engine inputs a scorecard was scored from (lines in their stored order)."""
    from kaopei.assessment.services.scoring import metric_spec

    items = []
    for line in card.lines.all():
        higher = line.metric.direction == "higher"
        items.append(
            engine.ItemInput(
                metric=metric_spec(line.metric),
                weight=line.weight,
                actual=line.actual,
                has_data=line.has_data,
                target=line.target,
                cap=line.cap,
                floor=line.bound if higher else None,
                ceiling=None if higher else line.bound,
            )
        )
    return items


def scorecard_gaps(card: Scorecard) -> list[dict[str, Any]]:
    """For a graded card below the top grade: per metric, the single change of its actual
    (all else equal) that reaches the next grade. Counts are rounded up to whole numbers.

    Returns dicts ``{metric, grade, actual, needed, delta}`` (decimals as strings).
    """
    from kaopei.assessment.services.scoring import policy_for

    policy = policy_for(card.cycle)
    below_top = {band.code for band in policy.bands[1:]}
    if card.grade not in below_top and card.computed_grade not in below_top:
        return []
    items = scorecard_items(card)
    if not items:
        return []
    result = engine.score(items, policy)
    units = {line.metric.code: line.metric.unit for line in card.lines.all()}
    out = []
    for gap in engine.gap_to_next_grade(result, items, policy):
        delta = gap.delta
        if units.get(gap.metric) in COUNT_UNITS:
            delta = engine.round_up_to(delta, Decimal(1))
        out.append(
            {
                "metric": gap.metric,
                "grade": gap.grade,
                "actual": decimal_text(gap.actual),
                "needed": decimal_text(gap.actual + delta),
                "delta": decimal_text(delta),
            }
        )
    return out
