"""The ``training_hours`` metric (DESIGN.md §5 ⚑): Σ hours of E's completed enrolments with
the session date in the period, attended in Kaopei or imported. One grouped query per
scoring run; a person with no such enrolment has 0 hours, with data (a sum over no records),
as the other sum metrics (``kaopei.assessment.metrics.ZERO_WHEN_EMPTY``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum


def training_hours(c: Any) -> dict[int, Any]:
    from kaopei.assessment.metrics import ZERO, MetricValue
    from kaopei.training.models import Enrolment

    rows = (
        Enrolment.objects.filter(
            completed=True,
            status=Enrolment.Status.ENROLLED,
            session_on__range=(c.period.start, c.period.end),
        )
        .values("employee_id")
        .annotate(v=Sum("hours"))
        .values_list("employee_id", "v")
        .order_by()
    )
    return {emp: MetricValue(v or ZERO, True) for emp, v in rows}
