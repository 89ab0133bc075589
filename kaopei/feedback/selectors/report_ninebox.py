"""The 9-box of a cycle: performance (the scorecard) against competency (the 360).

- Performance, by grade: the policy's best grade is high, its lowest grade and a
  compliance veto (Unqualified) are low, the grades between are medium; a card without a
  grade (Insufficient) is not placed.
- Competency: the person's mean of the displayed ``all_raters`` scores over every
  competency of the cycle's closed round — the ``competency_360`` figure
  (``anonymity.displayed_means``): below 3 low, from 3 to below 4 medium, 4 and above high;
  without a displayed score (or before the round closes) the person is not placed.

Scope: the cycle's calibration scope (assessment): HR and executives every card, a
supervisor their chain. Executives see the counts only, never the names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kaopei.assessment.grades import UNQUALIFIED
from kaopei.assessment.models import Calibration, Cycle, Scorecard
from kaopei.assessment.selectors import calibration_scope, grade_scale_for
from kaopei.feedback.anonymity import displayed_means, round_half_up
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.report_pages import is_closed
from kaopei.feedback.selectors.reports import round_report_rows

LOW, MEDIUM, HIGH = 0, 1, 2
LEVELS = (HIGH, MEDIUM, LOW)  # rows top to bottom, columns right to left
COMPETENCY_MEDIUM = Fraction(3)
COMPETENCY_HIGH = Fraction(4)
NAMES_PER_BOX = 12


def competency_means(feedback_round: FeedbackRound | None) -> dict[int, Fraction]:
    """Each subject's displayed all-raters mean over every competency (closed rounds only):
    the competency_360 figure, exact."""
    if feedback_round is None or not is_closed(feedback_round):
        return {}
    return displayed_means(round_report_rows(feedback_round.pk))


def competency_level(mean: Fraction) -> int:
    if mean >= COMPETENCY_HIGH:
        return HIGH
    if mean >= COMPETENCY_MEDIUM:
        return MEDIUM
    return LOW


def performance_level(grade: str, bands: tuple[str, ...]) -> int | None:
    if grade == UNQUALIFIED:
        return LOW
    if grade not in bands:
        return None
    if grade == bands[0]:
        return HIGH
    if grade == bands[-1]:
        return LOW
    return MEDIUM


@dataclass
class Placed:
    card: Scorecard
    competency: Decimal


@dataclass
class Box:
    performance: int
    competency: int
    people: list[Placed] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def shown(self) -> list[Placed]:
        return self.people[:NAMES_PER_BOX]

    @property
    def more(self) -> int:
        return max(0, self.count - NAMES_PER_BOX)


@dataclass
class NineBox:
    grid: list[list[Box]]  # rows: performance high → low; columns: competency low → high
    not_placed: int
    bands: tuple[str, ...]
    round_closed: bool


def nine_box(*, user: Any, cycle: Cycle, unit: Any = None) -> NineBox:
    """The 9-box of the cards in ``user``'s calibration scope (within ``unit``'s subtree
    when given)."""
    from kaopei.org.selectors import unit_descendant_ids

    feedback_round = FeedbackRound.objects.filter(cycle=cycle).first()
    means = competency_means(feedback_round)
    bands = grade_scale_for(cycle).bands
    cards = calibration_scope(user=user, cycle=cycle).select_related(
        "employee", "org_unit", "cycle"
    )
    if unit is not None:
        cards = cards.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    grid = [[Box(p, c) for c in (LOW, MEDIUM, HIGH)] for p in LEVELS]
    not_placed = 0
    for card in cards.order_by("-total", "employee__employee_no"):
        perf = performance_level(card.grade, bands)
        mean = means.get(card.employee_id)
        if perf is None or mean is None:
            not_placed += 1
            continue
        comp = competency_level(mean)
        grid[LEVELS.index(perf)][comp].people.append(Placed(card, round_half_up(mean)))
    return NineBox(
        grid=grid,
        not_placed=not_placed,
        bands=bands,
        round_closed=feedback_round is not None and is_closed(feedback_round),
    )


def calibration_moves(*, user: Any, cycle: Cycle) -> list[Calibration]:
    """The cycle's grade moves within ``user``'s calibration scope, newest first."""
    scope = calibration_scope(user=user, cycle=cycle).values("pk")
    return list(
        Calibration.objects.filter(scorecard__in=scope)
        .select_related("scorecard__employee", "by__employee")
        .order_by("-at", "-pk")[:200]
    )
