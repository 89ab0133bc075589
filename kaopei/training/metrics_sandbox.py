"""The decision sandbox's share of ``scenario_score`` (DESIGN.md §5 ⚑): each member's
results of the runs finished in a period. A finished run's result for each member is
``points / max_points × 100``, dated by ``finished_at`` in the organisation time zone.
The metric source itself (combined with the role-play results) is registered where both
halves meet; this gives the sandbox half in one query, whatever the headcount."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone


def sandbox_results_in_period(*, start: date, end: date) -> dict[int, list[Decimal]]:
    """Employee id → the results (0–100, unrounded) of every finished sandbox run they
    played in that finished on a day from ``start`` to ``end`` inclusive."""
    from kaopei.training.models import SandboxRun, SandboxRunMember

    tz = timezone.get_default_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
    out: dict[int, list[Decimal]] = {}
    for emp, points, max_points in SandboxRunMember.objects.filter(
        run__status=SandboxRun.Status.FINISHED,
        run__finished_at__gte=lo,
        run__finished_at__lt=hi,
    ).values_list("employee_id", "run__points", "run__max_points"):
        out.setdefault(emp, []).append(Decimal(points) * 100 / Decimal(max_points))
    return out
