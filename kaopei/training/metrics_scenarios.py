"""``scenario_score`` (DESIGN.md §5 ⚑, 情景模拟): the mean of E's role-play results (the
weighted rubric total as % of its maximum, averaged over assessors) and decision-sandbox
results (% of the scenario's maximum) completed in the period; no data if none.

The two halves and what "completed in the period" means for each:

- role-plays, ``selectors.roleplays.performance_results``: a performance dated in the
  period with at least one submitted score; its result is the mean over the submitted
  score sheets of Σ wᵢ·vᵢ / (Σ wᵢ · scale maximum) × 100;
- the sandbox, ``metrics_sandbox.sandbox_results_in_period``: a run finished on a day of
  the period (organisation time zone), counting for every member of a group run; its
  result is points / the scenario's maximum × 100.

Each performance and each run counts once in the mean. Four grouped queries per scoring
run, whatever the headcount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def scenario_score(c: Any) -> dict[int, Any]:
    from kaopei.assessment.metrics import MetricValue
    from kaopei.training.metrics_sandbox import sandbox_results_in_period
    from kaopei.training.selectors.roleplays import performance_results

    results: dict[int, list[Decimal]] = {}
    for emp, dated in performance_results(start=c.period.start, end=c.period.end).items():
        results.setdefault(emp, []).extend(result for _, result in dated)
    for emp, runs in sandbox_results_in_period(start=c.period.start, end=c.period.end).items():
        results.setdefault(emp, []).extend(runs)
    return {
        emp: MetricValue(sum(values, Decimal(0)) / len(values), True)
        for emp, values in results.items()
        if values
    }
