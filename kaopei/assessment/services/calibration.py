"""Calibration (grade moves with reasons), acknowledgement and appeals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Appeal, Calibration, Cycle, Scorecard
from kaopei.assessment.services import notifications
from kaopei.assessment.services.cycles import cycle_lock, ensure_not_final
from kaopei.assessment.services.scoring import policy_for
from kaopei.core.errors import ApplicationError, ConflictError


@transaction.atomic
def scorecard_calibrate(
    *, scorecard: Scorecard, to_grade: str, reason: str, user: Any
) -> Calibration:
    """Move a scorecard's grade during calibration, with a mandatory reason.

    Only while the cycle is scored or calibrating; never away from or to UNQUALIFIED (the
    compliance veto) or INSUFFICIENT; the move is recorded and shown on the scorecard.
    """
    cycle = cycle_lock(pk=scorecard.cycle_id)  # the cycle first, then its card
    card = Scorecard.objects.select_for_update().select_related("employee").get(pk=scorecard.pk)
    ensure_not_final(cycle)
    if cycle.status not in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING):
        raise ConflictError(_("Grades can be calibrated only once the cycle is scored."))
    if card.employee.user_id is not None and card.employee.user_id == getattr(user, "pk", None):
        raise ApplicationError(_("Nobody calibrates their own scorecard."), status=403)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ApplicationError(_("Give the reason for the change (at least 5 characters)."))
    if not card.eligible:
        raise ConflictError(
            _("This scorecard is kept for the record: its owner is no longer eligible.")
        )
    policy = policy_for(cycle)
    if policy.band(card.grade) is None or policy.band(card.computed_grade) is None:
        raise ApplicationError(
            _("A %(grade)s scorecard cannot be calibrated: the veto and missing data decide it.")
            % {"grade": card.grade}
        )
    if policy.band(to_grade) is None:
        raise ApplicationError(
            _("Choose one of the grades %(grades)s.")
            % {"grades": ", ".join(band.code for band in policy.bands)}
        )
    if to_grade == card.grade:
        raise ApplicationError(
            _("The scorecard already has grade %(grade)s.") % {"grade": to_grade}
        )
    calibration = Calibration(
        scorecard=card, from_grade=card.grade, to_grade=to_grade, reason=reason, by=user
    )
    calibration._history_user = user  # type: ignore[attr-defined]
    calibration.save()
    card.grade = to_grade
    card._history_user = user  # type: ignore[attr-defined]
    card.save(update_fields=["grade", "updated_at"])
    if cycle.status == Cycle.Status.SCORED:
        cycle.status = Cycle.Status.CALIBRATING
        cycle._history_user = user  # type: ignore[attr-defined]
        cycle.save(update_fields=["status", "updated_at"])
    notifications.notify_calibrated(calibration=calibration)
    return calibration


@transaction.atomic
def scorecard_acknowledge(*, scorecard: Scorecard, user: Any) -> Scorecard:
    """The account manager signs off (签字确认) their final scorecard."""
    if scorecard.employee.user_id != getattr(user, "pk", None):
        raise ApplicationError(_("Only the scorecard's owner can acknowledge it."), status=403)
    if not scorecard.cycle.is_final:
        raise ConflictError(_("A scorecard can be acknowledged once the cycle is final."))
    if scorecard.acknowledged_at is None:
        scorecard.acknowledged_at = timezone.now()
        scorecard._history_user = user  # type: ignore[attr-defined]
        scorecard.save(update_fields=["acknowledged_at", "updated_at"])
    return scorecard


@transaction.atomic
def appeal_create(*, scorecard: Scorecard, metric_code: str, reason: str, user: Any) -> Appeal:
    """The owner disputes one line of their provisional scorecard, before the cycle's appeal
    deadline. Appeals close when the cycle is final (finalising waits for open appeals), so
    an accepted appeal can still correct the data and re-score."""
    if scorecard.employee.user_id != getattr(user, "pk", None):
        raise ApplicationError(_("Only the scorecard's owner can appeal it."), status=403)
    # Locked, so the cycle cannot become final between this check and the commit (a final
    # cycle has no open appeals).
    cycle = cycle_lock(pk=scorecard.cycle_id)
    if cycle.status not in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING):
        raise ConflictError(_("This cycle is not open for appeals."))
    if cycle.appeal_deadline and timezone.localdate() > cycle.appeal_deadline:
        raise ConflictError(
            _("The appeal deadline (%(date)s) has passed.") % {"date": cycle.appeal_deadline}
        )
    if not scorecard.eligible:
        raise ConflictError(
            _(
                "This scorecard is kept for the record only: its owner is no longer assessed in %(cycle)s."
            )
            % {"cycle": cycle.code}
        )
    line = scorecard.lines.filter(metric__code=metric_code).select_related("metric").first()
    if line is None:
        raise ApplicationError(_("This scorecard has no line for that metric."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ApplicationError(_("Explain what is wrong (at least 5 characters)."))
    appeal = Appeal(scorecard=scorecard, metric=line.metric, reason=reason, raised_by=user)
    appeal._history_user = user  # type: ignore[attr-defined]
    try:
        # One open appeal per line is a database constraint (``one_open_appeal_per_line``):
        # of simultaneous appeals one is saved, the others land here.
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        if not Appeal.objects.filter(
            scorecard=scorecard, metric=line.metric, status=Appeal.Status.OPEN
        ).exists():
            raise
        raise ConflictError(_("There is already an open appeal on this line.")) from None
    notifications.notify_appeal_filed(appeal=appeal)
    return appeal


@transaction.atomic
def appeal_resolve(
    *,
    appeal: Appeal,
    accept: bool,
    answer: str,
    user: Any,
    override: Decimal | None = None,
    rescore: bool = True,
) -> Appeal:
    """Accept or reject an appeal with an answer for the account manager.

    Rejecting needs the answer (the reason). Accepting needs something corrected behind the
    line first (a record voided, corrected or added, or the target: ``services/corrections``)
    or, with ``override``, the line's actual value overridden — the answer is its reason. The
    line and card as they are now are kept as the appeal's "before"; the cycle is re-scored
    by a job once this commits, and the job records the "after".
    """
    from kaopei.assessment.services.corrections import appeal_line_override, line_snapshot

    # The cycle first (scoring locks it, then writes cards), then the appeal: of two people
    # answering at once, the second sees the first one's answer.
    cycle_id = Appeal.objects.filter(pk=appeal.pk).values_list("scorecard__cycle_id", flat=True)
    cycle = cycle_lock(pk=cycle_id.get())
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise ConflictError(
            _("This appeal has already been answered (%(status)s); your answer was not saved.")
            % {"status": appeal.get_status_display()}
        )
    if appeal.raised_by_id is not None and appeal.raised_by_id == getattr(user, "pk", None):
        raise ApplicationError(_("Nobody resolves their own appeal."), status=403)
    answer = (answer or "").strip()
    if len(answer) < 2:
        raise ApplicationError(
            _("Write an answer for the account manager.")
            if accept
            else _("Give the reason for rejecting the appeal.")
        )
    if accept and override is not None:
        if len(answer) < 5:
            raise ApplicationError(
                _("Give the reason for the override in the answer (at least 5 characters).")
            )
        appeal_line_override(appeal=appeal, value=override, reason=answer, user=user)
    if accept and not appeal.corrections.exists():
        raise ApplicationError(
            _(
                "Nothing behind this line was corrected yet: void, correct or add a record, "
                "correct the target, or override the line with a reason, then accept."
            )
        )
    appeal.status = Appeal.Status.ACCEPTED if accept else Appeal.Status.REJECTED
    appeal.resolution = answer
    appeal.resolved_by = user
    appeal.resolved_at = timezone.now()
    fields = ["status", "resolution", "resolved_by", "resolved_at", "updated_at"]
    if accept:
        appeal.before = line_snapshot(appeal)
        fields.append("before")
        if rescore and not cycle.is_final:
            from kaopei.assessment.tasks import score_cycle_enqueue

            # The job starts once this transaction commits (job_create), so it sees the
            # corrections and the answer.
            appeal.rescore_job = score_cycle_enqueue(
                code=cycle.code, user=user, join_running=False
            ).job
            fields.append("rescore_job")
    appeal._history_user = user  # type: ignore[attr-defined]
    appeal.save(update_fields=fields)
    notifications.notify_appeal_answered(appeal=appeal)
    return appeal
