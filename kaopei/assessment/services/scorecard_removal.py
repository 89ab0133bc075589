"""Removing the scorecard of someone no longer eligible, with what was written on it.

Re-scoring never deletes a card (``scorecard_writes``): it marks it no longer eligible. Only
HR removes such a card, after a confirmation page that lists what goes with it
(``selectors.scorecard_removal_preview``). Every removed row leaves a "deleted" entry in its
audit history, by that HR user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Scorecard, ScoreLine
from kaopei.assessment.services.cycles import cycle_lock, ensure_not_final
from kaopei.core.errors import ConflictError


@dataclass(frozen=True)
class RemovedCard:
    employee_no: str
    cycle: str
    calibrations: int
    appeals: int
    acknowledged: bool


@transaction.atomic
def scorecard_remove(*, scorecard: Scorecard, user: Any) -> RemovedCard:
    """Delete ``scorecard`` with its lines, calibrations and appeals (each audited).

    Raises ConflictError, having written nothing, when the card's owner is eligible (their
    card is re-scored, not removed) or the cycle is final.
    """
    cycle = cycle_lock(pk=scorecard.cycle_id)  # the cycle first, then its card
    card = Scorecard.objects.select_for_update().select_related("employee").get(pk=scorecard.pk)
    ensure_not_final(cycle)
    if card.eligible:
        raise ConflictError(
            _(
                "Only the scorecard of someone no longer eligible can be removed; "
                "this one is scored with the cycle."
            )
        )
    calibrations = list(card.calibrations.all())
    appeals = list(card.appeals.all())
    reason = f"removed by HR: {card.ineligible_reason}"
    for obj in [*calibrations, *appeals, card]:
        obj._history_user = user  # type: ignore[attr-defined]
        obj._change_reason = reason  # type: ignore[attr-defined]
    for obj in [*calibrations, *appeals]:
        obj.delete()
    ScoreLine.objects.filter(scorecard=card).delete()
    removed = RemovedCard(
        employee_no=card.employee.employee_no,
        cycle=cycle.code,
        calibrations=len(calibrations),
        appeals=len(appeals),
        acknowledged=card.acknowledged_at is not None,
    )
    card.delete()
    return removed
