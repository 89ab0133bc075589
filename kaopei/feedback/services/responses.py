"""Storing 360 answers (DESIGN.md §7 ⚑): the one writer of ``Response`` and ``Answer``,
used by the questionnaire pages and the customer page (:func:`response_store`) and by the
``feedback_answers`` import (:func:`responses_replace_imported`, its set-based form).

It stores exactly what §7 allows: for an anonymous relationship no rater, no invitation,
no time; it writes no audit history and logs nothing about the answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError
from kaopei.feedback.models import Answer, FeedbackRound, Relationship, Response
from kaopei.feedback.models.rounds import ATTRIBUTED, MAX_ITEMS


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Stored:
    """One response for :func:`responses_replace_imported`: the subject, the relationship,
    the rater (self and supervisor only) and the scores by competency id."""

    subject_id: int
    relationship: str
    rater_id: int | None
    scores: Mapping[int, Score]


def responses_replace_imported(
    *,
    feedback_round: FeedbackRound,
    subject_ids: Iterable[int],
    responses: Sequence[Stored],
    import_batch_id: int | None,
    chunk: int = 5000,
) -> int:
    """Replace the imported answers (``source`` import) of ``subject_ids`` in the round by
    ``responses`` — the set-based form of :func:`response_store` for the
    ``feedback_answers`` import, with the same guarantees: scores on the scale, a rater for
    self and supervisor only, no history, no time and no order of arrival (responses are
    written in random order with random keys). Answers given in Kaopei stay; an imported
    self or supervisor answer where Kaopei holds one is refused by the database's
    one-per-subject constraint (the loader reports it first). Returns the answers written.
    The caller holds the round's lock."""
    subjects = sorted(set(subject_ids))
    for stored in responses:
        if stored.relationship not in Relationship.values:
            raise ApplicationError(_("Unknown relationship “%(r)s”.") % {"r": stored.relationship})
        if (stored.relationship in ATTRIBUTED) != (stored.rater_id is not None):
            raise ValueError("only self and supervisor answers name their rater")
        if stored.subject_id not in subjects:
            raise ValueError("a response for a subject the import does not replace")
        _check_scores(stored.scores)
    order = list(responses)
    secrets.SystemRandom().shuffle(order)
    written = 0
    with transaction.atomic():
        for start in range(0, len(subjects), chunk):
            part = subjects[start : start + chunk]
            imported = Response.objects.filter(
                round=feedback_round, subject_id__in=part, source=Response.Source.IMPORT
            )
            Answer.objects.filter(response__in=imported).delete()
            imported.delete()
        for start in range(0, len(order), chunk):
            rows = [
                Response(
                    round=feedback_round,
                    subject_id=stored.subject_id,
                    relationship=stored.relationship,
                    rater_id=stored.rater_id,
                    source=Response.Source.IMPORT,
                    import_batch_id=import_batch_id,
                )
                for stored in order[start : start + chunk]
            ]
            Response.objects.bulk_create(rows)
            answers = [
                Answer(
                    response_id=response.pk,
                    competency_id=competency_id,
                    total=score.total,
                    items=score.items,
                    comment=score.comment.strip(),
                )
                for response, stored in zip(rows, order[start : start + chunk], strict=True)
                for competency_id, score in sorted(stored.scores.items())
            ]
            Answer.objects.bulk_create(answers, batch_size=chunk)
            written += len(answers)
    return written
