"""Correcting what is behind a scorecard line: the records (void, correct, add), the target,
or — when the data is right but the line must still change — an explicit override of the
line's actual value with a reason.

Who: HR admins for any record; a supervisor for the records of the people below them, and
only while answering an open appeal of that person (``rules.can_correct_records_of``). When:
while the cycle is not final, and never a record dated inside a final cycle (its cards would
no longer show what they were computed from).

Every service takes the cycle's lock first (the order of ``cycle_lock``), then the appeal,
then the record. Nothing here re-scores: accepting the appeal does, as a job
(``calibration.appeal_resolve``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Appeal, AppealCorrection, Cycle, LineOverride, Target
from kaopei.assessment.rules import can_correct_records_of
from kaopei.assessment.services.cycles import cycle_lock, ensure_not_final
from kaopei.assessment.services.targets import targets_set
from kaopei.core.decimals import decimal_text
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.facts import corrections as facts
from kaopei.facts.models import FactModel, RecordCorrection
from kaopei.org.models import Employee


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ApplicationError(_("Give the reason (at least 5 characters)."))
    return reason


def _lock_open_appeal(appeal: Appeal, user: Any) -> tuple[Cycle, Appeal]:
    """The appeal's cycle (locked, not final), then the appeal (locked, still open), with
    the user allowed to correct the appellant's records."""
    cycle_id = Appeal.objects.filter(pk=appeal.pk).values_list("scorecard__cycle_id", flat=True)
    cycle = cycle_lock(pk=cycle_id.get())
    ensure_not_final(cycle)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("scorecard__employee", "scorecard__cycle", "metric")
        .get(pk=appeal.pk)
    )
    if appeal.status != Appeal.Status.OPEN:
        raise ConflictError(
            _("This appeal has already been answered (%(status)s): nothing was changed.")
            % {"status": appeal.get_status_display()}
        )
    if appeal.raised_by_id is not None and appeal.raised_by_id == getattr(user, "pk", None):
        raise ApplicationError(_("Nobody corrects the records of their own appeal."), status=403)
    if not can_correct_records_of(user, appeal.scorecard.employee):
        raise ApplicationError(_("You may not correct this person's records."), status=403)
    return cycle, appeal


def ensure_dates_open(days: list[date]) -> None:
    """Refuse a record dated inside a final cycle (ConflictError naming the cycle)."""
    if not days:
        return
    q = Q()
    for day in days:
        q |= Q(start__lte=day, end__gte=day)
    final = Cycle.objects.filter(q, status=Cycle.Status.FINAL).order_by("start").first()
    if final is not None:
        raise ConflictError(
            _("Cycle %(code)s is final and counts this record: it cannot be changed.")
            % {"code": final.code}
        )


def _record_of_appellant(appeal: Appeal, kind: str, record_id: int) -> FactModel:
    record = facts.record_get(kind=kind, pk=record_id)
    if facts.record_owner_id(record) != appeal.scorecard.employee_id:
        raise ApplicationError(
            _("This record is not %(name)s's: only the appellant's records can be corrected.")
            % {"name": appeal.scorecard.employee.name}
        )
    return record


def _link(
    appeal: Appeal, action: str, summary: str, reason: str, user: Any, **extra: Any
) -> AppealCorrection:
    return AppealCorrection.objects.create(
        appeal=appeal,
        action=action,
        summary=summary[:300],
        reason=reason,
        by=user if getattr(user, "pk", None) else None,
        **extra,
    )


def _summary(change: RecordCorrection) -> str:
    """What the appeal's trail names next to the action (the page shows the action itself)."""
    return change.record_key


@transaction.atomic
def appeal_record_void(
    *, appeal: Appeal, kind: str, record_id: int, reason: str, user: Any
) -> AppealCorrection:
    """Void one of the appellant's records while answering their appeal."""
    reason = _reason(reason)
    _cycle, appeal = _lock_open_appeal(appeal, user)
    record = _record_of_appellant(appeal, kind, record_id)
    ensure_dates_open(facts.record_dates(record))
    change = facts.record_void(record=record, reason=reason, user=user)
    return _link(
        appeal, AppealCorrection.Action.VOID, _summary(change), reason, user, record=change
    )


@transaction.atomic
def appeal_record_correct(
    *, appeal: Appeal, kind: str, record_id: int, changes: dict[str, Any], reason: str, user: Any
) -> AppealCorrection:
    """Correct the values of one of the appellant's records (a new version; the previous
    values are kept in the record's correction trail)."""
    reason = _reason(reason)
    _cycle, appeal = _lock_open_appeal(appeal, user)
    record = _record_of_appellant(appeal, kind, record_id)
    old_dates = facts.record_dates(record)
    ensure_dates_open(old_dates)
    change = facts.record_correct(record=record, changes=changes, reason=reason, user=user)
    record.refresh_from_db()
    ensure_dates_open(facts.record_dates(record))
    return _link(
        appeal,
        AppealCorrection.Action.CORRECT,
        _summary(change),
        reason,
        user,
        record=change,
        before=change.before,
        after=change.after,
    )


@transaction.atomic
def appeal_record_add(
    *, appeal: Appeal, kind: str, values: dict[str, Any], reason: str, user: Any
) -> AppealCorrection:
    """Add a record missing from the appellant's data (no import batch; who and why kept)."""
    reason = _reason(reason)
    _cycle, appeal = _lock_open_appeal(appeal, user)
    employee = appeal.scorecard.employee
    record, change = facts.record_add(
        kind=kind, employee=employee, values=values, reason=reason, user=user
    )
    ensure_dates_open(facts.record_dates(record))
    return _link(
        appeal,
        AppealCorrection.Action.ADD,
        _summary(change),
        reason,
        user,
        record=change,
        after=change.after,
    )


@transaction.atomic
def appeal_target_correct(
    *, appeal: Appeal, value: Decimal, reason: str, user: Any
) -> AppealCorrection:
    """Correct the appellant's target of the appealed line (kept in the target's history)."""
    reason = _reason(reason)
    cycle, appeal = _lock_open_appeal(appeal, user)
    if value is None or value < 0:
        raise ApplicationError(_("A target is a number of zero or more."))
    employee_id, metric = appeal.scorecard.employee_id, appeal.metric
    current = Target.objects.filter(cycle=cycle, employee_id=employee_id, metric=metric).first()
    before = current.value if current is not None else None
    if before is not None and before == value:
        raise ApplicationError(
            _("Nothing was changed: the target is already %(value)s.")
            % {"value": decimal_text(value)}
        )
    targets_set(cycle=cycle, values={(employee_id, metric.pk): value}, user=user)
    return _link(
        appeal,
        AppealCorrection.Action.TARGET,
        f"{metric.name}: {decimal_text(before) if before is not None else '—'} → "
        f"{decimal_text(value)}",
        reason,
        user,
        before={"target": decimal_text(before) if before is not None else None},
        after={"target": decimal_text(value)},
    )


@transaction.atomic
def appeal_line_override(*, appeal: Appeal, value: Decimal, reason: str, user: Any) -> LineOverride:
    """Override the actual value of the appealed line with a reason: scoring uses it instead
    of the computed value (the line's target, cap and weight still apply). Kept with its
    history and shown on the card with who set it and why."""
    reason = _reason(reason)
    cycle, appeal = _lock_open_appeal(appeal, user)
    if value is None:
        raise ApplicationError(_("Give the value the line should count."))
    override, _created = LineOverride.objects.select_for_update().get_or_create(
        cycle=cycle,
        employee_id=appeal.scorecard.employee_id,
        metric=appeal.metric,
        defaults={"value": value, "reason": reason, "by": user, "appeal": appeal},
    )
    before = None if _created else decimal_text(override.value)
    if not _created:
        override.value, override.reason, override.by, override.appeal = value, reason, user, appeal
        override._history_user = user  # type: ignore[attr-defined]
        override.save()
    _link(
        appeal,
        AppealCorrection.Action.OVERRIDE,
        f"{appeal.metric.name}: {decimal_text(value)}",
        reason,
        user,
        before={"override": before},
        after={"override": decimal_text(value)},
    )
    return override


# --- HR, from the evidence page ------------------------------------------------------------


def _hr_lock(cycle: Cycle, user: Any, employee: Employee) -> Cycle:
    cycle = cycle_lock(pk=cycle.pk)
    ensure_not_final(cycle)
    if not can_correct_records_of(user, employee) or not _is_hr(user):
        raise ApplicationError(_("Only HR corrects records outside an appeal."), status=403)
    return cycle


def _is_hr(user: Any) -> bool:
    from kaopei.core.rules import is_hr_admin

    return bool(is_hr_admin(user))


@transaction.atomic
def record_void_for_cycle(
    *, cycle: Cycle, kind: str, record_id: int, reason: str, user: Any
) -> RecordCorrection:
    """HR voids a record behind a line of a cycle that is not final (re-score afterwards)."""
    reason = _reason(reason)
    record = facts.record_get(kind=kind, pk=record_id)
    employee = Employee.objects.get(pk=facts.record_owner_id(record))
    _hr_lock(cycle, user, employee)
    ensure_dates_open(facts.record_dates(record))
    return facts.record_void(record=record, reason=reason, user=user)


@transaction.atomic
def record_correct_for_cycle(
    *, cycle: Cycle, kind: str, record_id: int, changes: dict[str, Any], reason: str, user: Any
) -> RecordCorrection:
    """HR corrects a record behind a line of a cycle that is not final."""
    reason = _reason(reason)
    record = facts.record_get(kind=kind, pk=record_id)
    employee = Employee.objects.get(pk=facts.record_owner_id(record))
    _hr_lock(cycle, user, employee)
    ensure_dates_open(facts.record_dates(record))
    change = facts.record_correct(record=record, changes=changes, reason=reason, user=user)
    record.refresh_from_db()
    ensure_dates_open(facts.record_dates(record))
    return change


# --- Before and after ------------------------------------------------------------------------


def line_snapshot(appeal: Appeal) -> dict[str, str]:
    """The appealed line and its card as they are now, as text ("" for none)."""
    from kaopei.assessment.models import Scorecard, ScoreLine

    card = Scorecard.objects.filter(pk=appeal.scorecard_id).first()
    line = ScoreLine.objects.filter(scorecard_id=appeal.scorecard_id, metric=appeal.metric).first()

    def text(value: Decimal | None, places: int = 2) -> str:
        if value is None:
            return ""
        return decimal_text(value.quantize(Decimal(1).scaleb(-places))) or ""

    return {
        "actual": text(line.actual) if line else "",
        "attainment": text(line.attainment * 100, 1)
        if line and line.attainment is not None
        else "",
        "points": text(line.points) if line else "",
        "total": text(card.total) if card else "",
        "grade": card.grade if card else "",
    }


def appeals_record_after(*, cycle_code: str) -> int:
    """Once a scoring run of the cycle is done: the "after" of its accepted appeals that wait
    for one. Returns how many were recorded."""
    waiting = Appeal.objects.filter(
        scorecard__cycle__code=cycle_code, status=Appeal.Status.ACCEPTED, after={}
    ).exclude(before={})
    n = 0
    for appeal in waiting:
        Appeal.objects.filter(pk=appeal.pk).update(after=line_snapshot(appeal))
        n += 1
    return n
