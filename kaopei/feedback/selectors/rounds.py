"""Reading 360 rounds, scoped to what the person may see (DESIGN.md §1, §7)."""

from __future__ import annotations

from datetime import date

from kaopei.feedback.models import FeedbackRound


def round_accepts_answers(feedback_round: FeedbackRound, today: date) -> bool:
    """Whether answers may still be given: the round is open and its deadline (if any)
    has not passed (the deadline day itself still counts)."""
    if feedback_round.status != FeedbackRound.Status.OPEN:
        return False
    return feedback_round.deadline is None or today <= feedback_round.deadline
