"""The calibration board (scope, units, grade distribution, cards) and appeals."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from kaopei.assessment.models import Appeal, Cycle, Scorecard
from kaopei.assessment.rules import can_answer_appeal, can_resolve_appeal, sees_every_card
from kaopei.assessment.selectors.access import (
    PUBLISHED,
    can_calibrate,
    scorecard_scope_ids,
)
from kaopei.core.rules import is_supervisor
from kaopei.org.selectors import employee_for_user, subordinate_ids


def calibration_scope(*, user: Any, cycle: Cycle) -> QuerySet[Scorecard]:
    """The cards a user calibrates (or, for executives, counts): HR and executives every card
    of the cycle; a supervisor everyone below them, not their own card. Cards of people no
    longer eligible are not calibrated nor counted."""
    qs = Scorecard.objects.filter(cycle=cycle, eligible=True)
    if sees_every_card(user):
        return qs
    if not is_supervisor(user) or cycle.status not in PUBLISHED:
        return qs.none()
    me = employee_for_user(user)
    if me is None:
        return qs.none()
    return qs.filter(employee_id__in=subordinate_ids(me.pk))


def calibration_units(*, user: Any, cycle: Cycle) -> QuerySet[Any]:
    """Units to choose on the board: any unit for HR and executives; for a supervisor the
    units of the cards in their scope and their own unit."""
    from kaopei.org.models import OrgUnit

    if sees_every_card(user):
        return OrgUnit.objects.order_by("code")
    ids = set(calibration_scope(user=user, cycle=cycle).values_list("org_unit_id", flat=True))
    me = employee_for_user(user)
    if me is not None and ids:
        ids.add(me.org_unit_id)
    return OrgUnit.objects.filter(pk__in=ids).order_by("code")


def calibration_distribution(
    *, user: Any, cycle: Cycle, unit: Any = None
) -> list[tuple[int, dict[str, int]]]:
    """Grade counts per org unit ``[(unit_id, {grade: n})]`` over the user's calibration
    scope, within ``unit`` and every unit below it when given. One grouped query."""
    from kaopei.org.selectors import unit_descendant_ids

    qs = calibration_scope(user=user, cycle=cycle)
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    per_unit: dict[int, dict[str, int]] = {}
    for unit_id, grade, n in (
        qs.order_by().values_list("org_unit_id", "grade").annotate(n=Count("pk"))
    ):
        per_unit.setdefault(unit_id, {})[grade] = n
    return sorted(per_unit.items())


def calibration_cards(*, user: Any, cycle: Cycle, unit: Any = None) -> QuerySet[Scorecard]:
    """The individual cards on the board (not for executives), best total first."""
    from kaopei.org.selectors import unit_descendant_ids

    if not can_calibrate(user):
        return Scorecard.objects.none()
    qs = calibration_scope(user=user, cycle=cycle).select_related(
        "employee", "org_unit", "level", "cycle"
    )
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    return qs.order_by("-total", "employee__employee_no")


def appeals_visible_to(*, user: Any) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related("scorecard__cycle", "scorecard__employee", "metric")
    ids = scorecard_scope_ids(user)
    return qs if ids is None else qs.filter(scorecard__employee_id__in=ids)


def appeal_get_for_user(*, user: Any, pk: int) -> Appeal:
    """One appeal, or 404 when it does not exist or its scorecard is outside the scope."""
    appeal = (
        appeals_visible_to(user=user)
        .select_related("raised_by__employee", "resolved_by__employee", "scorecard__org_unit")
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


__all__ = [
    "appeal_get_for_user",
    "appeals_visible_to",
    "calibration_cards",
    "calibration_distribution",
    "calibration_scope",
    "calibration_units",
    "can_answer_appeal",
    "can_resolve_appeal",
]
