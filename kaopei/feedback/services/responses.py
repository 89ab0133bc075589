"""Storing 360 answers (DESIGN.md §7 ⚑): the one writer of ``Response`` and ``Answer``,
used by the questionnaire pages, the customer page and the ``feedback_answers`` import.

It stores exactly what §7 allows: for an anonymous relationship no rater, no invitation,
no time; it writes no audit history and logs nothing about the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError
from kaopei.feedback.models import Answer, FeedbackRound, Relationship, Response
from kaopei.feedback.models.rounds import ATTRIBUTED, MAX_ITEMS


@dataclass(frozen=True)
class Score:
    """One competency's answer: the sum of its item scores (each 1–5), the number of
    items, and the rater's optional comment."""

    total: int
    items: int = 1
    comment: str = ""


def _check_scores(scores: Mapping[int, Score]) -> None:
    if not scores:
        raise ApplicationError(_("A response needs at least one score."))
    for score in scores.values():
        if not 1 <= score.items <= MAX_ITEMS:
            raise ApplicationError(_("A competency has at most %(n)d items.") % {"n": MAX_ITEMS})
        if not score.items <= score.total <= 5 * score.items:
            raise ApplicationError(_("Every score is on the 1–5 scale."))


def response_store(
    *,
    feedback_round: FeedbackRound,
    subject_id: int,
    relationship: str,
    rater_id: int | None,
    scores: Mapping[int, Score],
    source: str = Response.Source.KAOPEI,
    import_batch_id: int | None = None,
) -> Response:
    """Store one rater's answers about one subject: ``scores`` maps competency ids to their
    score. ``rater_id`` is required for ``self`` and ``supervisor`` and must be None for
    the anonymous relationships (a programming error otherwise). An attributed answer
    replaces the earlier one of the same relationship (one self and one supervisor answer
    per subject). The caller holds the lock that makes the answer single-use."""
    if relationship not in Relationship.values:
        raise ApplicationError(_("Unknown relationship “%(r)s”.") % {"r": relationship})
    attributed = relationship in ATTRIBUTED
    if attributed != (rater_id is not None):
        raise ValueError("only self and supervisor answers name their rater")
    _check_scores(scores)
    with transaction.atomic():
        if attributed:
            Response.objects.filter(
                round=feedback_round, subject_id=subject_id, relationship=relationship
            ).delete()
        response = Response.objects.create(
            round=feedback_round,
            subject_id=subject_id,
            relationship=relationship,
            rater_id=rater_id,
            source=source,
            import_batch_id=import_batch_id,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=response,
                    competency_id=competency_id,
                    total=score.total,
                    items=score.items,
                    comment=score.comment.strip(),
                )
                for competency_id, score in sorted(scores.items())
            ]
        )
    return response
