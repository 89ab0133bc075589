"""The 360 report rows of a round, from the database (DESIGN.md §7 ⚑).

One grouped query gives each subject × competency × relationship its number of responses
and the exact sum of their scores (as an integer number of 1/SCALE); the rule of what is
shown is applied by :mod:`kaopei.feedback.anonymity`, and every 360 figure anywhere is
built from the rows returned here.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from django.db.models import Count, F, IntegerField, Sum
from django.db.models.functions import Cast

from kaopei.feedback.anonymity import GROUP_OF, Row, report_rows
from kaopei.feedback.models import Answer, FeedbackRound
from kaopei.feedback.models.rounds import SCALE


def round_cells(
    round_id: int, subject_ids: Iterable[int] | None = None
) -> Iterable[tuple[int, int, str, int, Fraction]]:
    """``(subject_id, competency_id, group, responses, total)`` for one round."""
    qs = Answer.objects.filter(response__round_id=round_id)
    if subject_ids is not None:
        qs = qs.filter(response__subject_id__in=list(subject_ids))
    grouped = (
        qs.values_list("response__subject_id", "competency_id", "response__relationship")
        .annotate(
            n=Count("*"),
            scaled=Sum(Cast(F("total") * SCALE / F("items"), IntegerField())),
        )
        .order_by()
    )
    for subject_id, competency_id, relationship, n, scaled in grouped:
        yield subject_id, competency_id, GROUP_OF[relationship], n, Fraction(scaled, SCALE)


def round_report_rows(round_id: int, subject_ids: Iterable[int] | None = None) -> list[Row]:
    """The report rows of a round (of some subjects only when ``subject_ids`` is given)."""
    return report_rows(round_cells(round_id, subject_ids))


def cycle_round(cycle_id: int) -> FeedbackRound | None:
    return FeedbackRound.objects.filter(cycle_id=cycle_id).first()
