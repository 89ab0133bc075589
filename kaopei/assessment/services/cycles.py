"""Cycles and their life cycle: draft → open → scored → calibrating → final."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle, GradePolicy
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.periods import PeriodCodeError, parse_period

S = Cycle.Status
# Which status may follow which (besides re-scoring, which keeps scored/calibrating).
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.OPEN},
    S.OPEN: {S.DRAFT},
    S.SCORED: {S.CALIBRATING, S.OPEN},
    S.CALIBRATING: {S.FINAL, S.SCORED},
    S.FINAL: set(),
}


def cycle_get_or_create(*, code: str) -> Cycle:
    """The cycle with this code, created as a draft if it does not exist yet.

    Raises ApplicationError for a code that is not ``YYYY`` or ``YYYYQn``.
    """
    try:
        period = parse_period(code)
    except PeriodCodeError as exc:
        raise ApplicationError(exc.args[0]) from exc
    cycle = Cycle.objects.filter(code=period.code).first()
    if cycle is not None:
        return cycle
    policy = GradePolicy.objects.filter(is_default=True).first()
    cycle, _created = Cycle.objects.get_or_create(
        code=period.code,
        defaults={
            "kind": period.kind,
            "start": period.start,
            "end": period.end,
            "grade_policy": policy,
        },
    )
    return cycle


def cycle_lock(*, pk: int) -> Cycle:
    """The cycle, read afresh and locked (``SELECT … FOR UPDATE``) until the surrounding
    transaction ends.

    Every change of a cycle's state and every scoring run takes this lock first, then
    checks what it found: so finalising and scoring one cycle never interleave (one waits
    for the other), and a check such as :func:`ensure_not_final` holds until the commit.
    Take it before locking the cycle's scorecards or appeals (one lock order: no deadlock).
    """
    return Cycle.objects.select_for_update().get(pk=pk)


def ensure_not_final(cycle: Cycle) -> None:
    if cycle.is_final:
        raise ConflictError(
            _("Cycle %(code)s is final: nothing that feeds it can change any more.")
            % {"code": cycle.code}
        )


@transaction.atomic
def cycle_set_status(*, cycle: Cycle, status: str, user: Any = None) -> Cycle:
    """Move a cycle along its life cycle; refuses jumps the life cycle does not allow.

    Works on the cycle as locked and read afresh (:func:`cycle_lock`), not on the caller's
    copy, and saves only the fields it owns.
    """
    cycle = cycle_lock(pk=cycle.pk)
    if status not in TRANSITIONS.get(cycle.status, set()):
        raise ConflictError(
            _("A cycle cannot go from “%(from)s” to “%(to)s”.")
            % {"from": cycle.get_status_display(), "to": Cycle.Status(status).label}
        )
    if status == S.FINAL:
        from kaopei.assessment.models import Appeal

        if Appeal.objects.filter(scorecard__cycle=cycle, status=Appeal.Status.OPEN).exists():
            raise ConflictError(_("Resolve the open appeals before finalising the cycle."))
    fields = ["status", "updated_at"]
    if status == S.FINAL:
        cycle.finalised_at = timezone.now()
        cycle.finalised_by = user
        fields += ["finalised_at", "finalised_by"]
    if status == S.OPEN and cycle.opened_at is None:
        cycle.opened_at = timezone.now()
        fields.append("opened_at")
    cycle.status = status
    cycle._history_user = user  # type: ignore[attr-defined]
    cycle.save(update_fields=fields)  # the history row records the whole (fresh) cycle
    from kaopei.assessment.services import notifications

    notifications.notify_cycle_status(cycle=cycle, opened_now="opened_at" in fields)
    return cycle


@transaction.atomic
def cycle_update_settings(*, cycle: Cycle, user: Any = None, **fields: Any) -> Cycle:
    """Change a cycle's appeal deadline, grade policy or calibration guideline.

    Locks the cycle and checks it afresh (the caller's copy may be stale: the cycle may have
    become final since), then saves these fields only.
    """
    cycle = cycle_lock(pk=cycle.pk)
    ensure_not_final(cycle)
    allowed = {"appeal_deadline", "grade_policy", "max_a_share"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(
            _("These settings cannot be changed: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle._history_user = user  # type: ignore[attr-defined]
    cycle.save(update_fields=[*sorted(fields), "updated_at"])
    return cycle
