"""The metrics fed by 360 feedback (DESIGN.md §5 ⚑): ``competency_360`` and
``team_collaboration``, computed from the displayed report rows only (§7) of the cycle's
round once it is closed. Registered as metric sources in ``FeedbackConfig.ready``."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from decimal import Decimal
from typing import Any

COLLABORATION = "collaboration"


# The rows of the context being scored (one scoring run asks for both metrics with the
# same context object): the round's rows are computed once per run, not once per metric,
# and let go when the run's context is.
_last_rows: tuple[weakref.ref[Any], list[Any]] | None = None


def _forget() -> None:
    global _last_rows
    _last_rows = None


def _closed_round_rows(c: Any) -> list[Any]:
    """The report rows of the cycle's round when it is closed, else none."""
    global _last_rows
    last = _last_rows
    if last is not None and last[0]() is c:
        return last[1]
    from kaopei.feedback.selectors.reports import cycle_round, round_report_rows

    rows: list[Any] = []
    feedback_round = cycle_round(c.cycle_id) if c.cycle_id is not None else None
    # Only a closed round counts: while answers still arrive, a value that moved with one
    # more answer would tell that answer (§7).
    if feedback_round is not None and feedback_round.status == feedback_round.Status.CLOSED:
        rows = round_report_rows(feedback_round.pk)
    _last_rows = (weakref.ref(c), rows)
    weakref.finalize(c, _forget)
    return rows


def _means(c: Any, *, category: str | None) -> dict[int, Any]:
    from kaopei.assessment.metrics import MetricValue
    from kaopei.feedback.anonymity import displayed_means
    from kaopei.org.models import Competency

    rows = _closed_round_rows(c)
    if not rows:
        return {}
    wanted: set[int] | None = None
    if category is not None:
        wanted = set(Competency.objects.filter(category=category).values_list("pk", flat=True))
    return {
        emp: MetricValue(Decimal(mean.numerator) / Decimal(mean.denominator), True)
        for emp, mean in displayed_means(rows, competency_ids=wanted).items()
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
