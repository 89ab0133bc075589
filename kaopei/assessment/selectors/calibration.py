"""The calibration board (scope, units, grade distribution, cards) and appeals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from kaopei.assessment.grades import GradeScale
from kaopei.assessment.models import Appeal, Cycle, Scorecard
from kaopei.assessment.rules import can_answer_appeal, can_resolve_appeal, sees_every_card
from kaopei.assessment.selectors.access import (
    PUBLISHED,
    can_calibrate,
    scorecard_scope_ids,
)
from kaopei.core.rules import is_hr_admin, is_supervisor
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


@dataclass(frozen=True)
class UnitRow:
    """One org unit's line on the board: cards per grade (in ``CalibrationBoard.grades``
    order) and the share of the top grade, in %."""

    unit: Any
    counts: list[int]
    n: int
    top_share: Decimal
    over: bool


@dataclass(frozen=True)
class CalibrationBoard:
    """What the calibration board shows of a cycle to one user, within a unit if given."""

    scale: GradeScale
    rows: list[UnitRow]
    totals: list[int]
    n_all: int
    top_share: Decimal  # % of the top grade over every row
    limit: Decimal  # the cycle's guideline, in %
    open_appeals: int  # HR only (0 for others)

    @property
    def grades(self) -> tuple[str, ...]:
        return self.scale.codes

    @property
    def over(self) -> bool:
        return self.top_share > self.limit


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part * 100) / whole if whole else Decimal(0)


def calibration_board(*, user: Any, cycle: Cycle, unit: Any = None) -> CalibrationBoard:
    """The board's figures over the user's calibration scope (within ``unit`` and the units
    below it when given): grade counts per unit against the cycle's guideline on the share
    of the policy's top grade, and (for HR) the cycle's open appeals. A few queries,
    whatever the number of cards."""
    from kaopei.assessment.selectors.scorecards import grade_scale_for
    from kaopei.org.models import OrgUnit

    per_unit = calibration_distribution(user=user, cycle=cycle, unit=unit)
    scale = grade_scale_for(cycle)
    grades, top = scale.codes, scale.top or ""
    names = OrgUnit.objects.in_bulk([uid for uid, _c in per_unit])
    limit = cycle.max_a_share * 100
    rows = []
    for uid, counts in per_unit:
        n = sum(counts.values())
        share = _share(counts.get(top, 0), n)
        row = [counts.get(g, 0) for g in grades]
        rows.append(
            UnitRow(unit=names.get(uid), counts=row, n=n, top_share=share, over=share > limit)
        )
    totals = [sum(r.counts[i] for r in rows) for i in range(len(grades))]
    n_all = sum(totals)
    open_appeals = 0
    if is_hr_admin(user):
        open_appeals = Appeal.objects.filter(
            scorecard__cycle=cycle, status=Appeal.Status.OPEN
        ).count()
    return CalibrationBoard(
        scale=scale,
        rows=rows,
        totals=totals,
        n_all=n_all,
        top_share=_share(totals[grades.index(top)] if top in grades else 0, n_all),
        limit=limit,
        open_appeals=open_appeals,
    )


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
    "CalibrationBoard",
    "UnitRow",
    "appeal_get_for_user",
    "appeals_visible_to",
    "calibration_board",
    "calibration_cards",
    "calibration_distribution",
    "calibration_scope",
    "calibration_units",
    "can_answer_appeal",
    "can_resolve_appeal",
]
