"""The metrics fed by 360 feedback (DESIGN.md §5 ⚑): ``competency_360`` and
``team_collaboration``, computed from the displayed report rows only (§7), of the cycle's round once it is closed. Registered as
metric sources in ``FeedbackConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kaopei.feedback.anonymity import ALL_RATERS

COLLABORATION = "collaboration"


def _means(c: Any, *, category: str | None) -> dict[int, Any]:
    from kaopei.assessment.metrics import MetricValue
    from kaopei.feedback.selectors.reports import cycle_round, round_report_rows
    from kaopei.org.models import Competency

    if c.cycle_id is None:
        return {}
    feedback_round = cycle_round(c.cycle_id)
    # Only a closed round counts: while answers still arrive, a value that moved with one
    # more answer would tell that answer (§7).
    if feedback_round is None or feedback_round.status != feedback_round.Status.CLOSED:
        return {}
    wanted: set[int] | None = None
    if category is not None:
        wanted = set(Competency.objects.filter(category=category).values_list("pk", flat=True))
    sums: dict[int, tuple[Fraction, int]] = {}
    for row in round_report_rows(feedback_round.pk):
        if row.group != ALL_RATERS or (wanted is not None and row.competency_id not in wanted):
            continue
        total, n = sums.get(row.subject_id, (Fraction(0), 0))
        sums[row.subject_id] = (total + row.total, n + row.responses)
    return {
        emp: MetricValue(Decimal(total.numerator) / Decimal(total.denominator * n), True)
        for emp, (total, n) in sums.items()
    }


def competency_360(c: Any) -> dict[int, Any]:
    """Mean of the individual scores behind the subject's displayed non-self rows."""
    return _means(c, category=None)


def team_collaboration(c: Any) -> dict[int, Any]:
    """As competency_360, over the competencies of category ``collaboration`` only."""
    return _means(c, category=COLLABORATION)


FORMULAS: dict[str, Callable[[Any], dict[int, Any]]] = {
    "competency_360": competency_360,
    "team_collaboration": team_collaboration,
}
