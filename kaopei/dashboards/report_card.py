"""The data of a PDF report card (one person, one cycle) as plain dataclasses.

:func:`report_cards_for` gathers the cards of many people of one cycle with a bounded number
of queries (the scorecards and their lines, the trend over past cycles, the grade policy,
the 360 rows of the cycle's round, the competencies and level expectations, the open
agreed actions) — not a query per person — so a batch of 1,000 cards costs the same dozen
queries as one. :func:`report_card_get_for_user` is the authorised lookup of one card (the
scorecard readers' rule: whoever may open the scorecard, others 404).

Names (metrics, competencies, units, levels, grade labels) are taken in the active
language: wrap calls in ``translation.override`` for a given language.

The 360 summary shows only what the person's own report displays (DESIGN.md §7: the rows
of :func:`kaopei.feedback.selectors.reports.round_report_rows`, which omit withheld
groups) and nothing at all while the round is not closed. Development goals do not exist
yet: the card lists the person's open agreed actions (interviews and review meetings)
from :func:`development_items_for`, which the development plans can extend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from kaopei.assessment import scoring as engine
from kaopei.assessment.explain import COUNT_UNITS, scorecard_items
from kaopei.assessment.models import Cycle, GradeBand, Scorecard, ScoreLine
from kaopei.assessment.selectors.access import PUBLISHED
from kaopei.assessment.selectors.scorecards import scorecard_get_for_user
from kaopei.core.i18n import localized, unit_label

# How many cycles (this one included) the trend shows at most.
TREND_CYCLES = 8
# The 360 groups a card prints: the person's own view and everyone else's together.
SELF_GROUP = "self"
ALL_GROUP = "all_raters"


@dataclass(frozen=True)
class CardLine:
    metric_code: str
    metric_name: str
    unit: str
    actual: Decimal | None
    target: Decimal | None
    attainment: Decimal | None  # a ratio: 1 is 100 %
    weight: Decimal
    points: Decimal | None
    has_data: bool


@dataclass(frozen=True)
class GapLine:
    """The single change of one metric's actual that reaches ``grade``."""

    metric_name: str
    grade: str
    actual: Decimal
    needed: Decimal
    delta: Decimal


@dataclass(frozen=True)
class TrendPoint:
    cycle_code: str
    end: date
    total: Decimal | None
    grade: str


@dataclass(frozen=True)
class FeedbackLine:
    """One competency of the 360 report as the person's report displays it."""

    competency: str
    self_mean: Decimal | None
    others_mean: Decimal | None  # all raters but self; None when withheld
    others_responses: int
    expected: int | None


@dataclass(frozen=True)
class DevelopmentItem:
    text: str
    due_on: date
    source_kind: str  # "interview" or "meeting"


@dataclass
class ReportCard:
    employee_id: int
    employee_no: str
    name: str
    unit: str
    level: str
    cycle_code: str
    cycle_start: date
    cycle_end: date
    final: bool  # the cycle is final; else the grade is provisional
    total: Decimal | None
    grade: str
    grade_label: str
    veto: str
    lines: list[CardLine] = field(default_factory=list)
    gaps: list[GapLine] = field(default_factory=list)
    next_grade: str = ""
    trend: list[TrendPoint] = field(default_factory=list)
    feedback_state: str = "none"  # "none": no round; "open": not closed; "shown"
    feedback: list[FeedbackLine] = field(default_factory=list)
    development: list[DevelopmentItem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.employee_no}-{self.cycle_code}.pdf"


# --- Lookups ---------------------------------------------------------------------------------


def report_card_get_for_user(*, user: Any, cycle_code: str, employee_no: str) -> ReportCard:
    """The report card of a scorecard ``user`` may read, or 404 (the scorecard rule)."""
    card = scorecard_get_for_user(user=user, cycle_code=cycle_code, employee_no=employee_no)
    return report_cards_for(cycle=card.cycle, employee_ids=[card.employee_id])[0]


def report_card_of(*, cycle: Cycle, employee_id: int) -> ReportCard | None:
    """The report card of one person (unscoped: commands and jobs), None if not scored."""
    cards = report_cards_for(cycle=cycle, employee_ids=[employee_id])
    return cards[0] if cards else None


def scored_employee_ids(*, cycle: Cycle, unit_ids: set[int] | None = None) -> list[int]:
    """Every person with a scorecard in ``cycle`` (of ``unit_ids`` only when given), by
    employee number."""
    qs = Scorecard.objects.filter(cycle=cycle)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    return list(qs.order_by("employee__employee_no").values_list("employee_id", flat=True))


# --- The set-based gathering -------------------------------------------------------------------


def report_cards_for(*, cycle: Cycle, employee_ids: Iterable[int]) -> list[ReportCard]:
    """The report cards of the people of ``employee_ids`` scored in ``cycle``, by employee
    number (people without a scorecard are left out). A bounded number of queries whatever
    the number of people."""
    ids = list(employee_ids)
    if not ids:
        return []
    cards = list(
        Scorecard.objects.filter(cycle=cycle, employee_id__in=ids)
        .select_related("employee", "org_unit", "level", "cycle")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ScoreLine.objects.select_related("metric").order_by("position", "pk"),
            )
        )
        .order_by("employee__employee_no")
    )
    if not cards:
        return []
    ids = [card.employee_id for card in cards]
    labels, policy = _grade_policy(cycle)
    trends = _trends(cycle, ids)
    state, feedback = _feedback(cycle, cards)
    development = development_items_for(ids)
    out = []
    for card in cards:
        employee = card.employee
        lines = [
            CardLine(
                metric_code=line.metric.code,
                metric_name=line.metric.name,
                unit=unit_label(line.metric.unit),
                actual=line.actual,
                target=line.target,
                attainment=line.attainment,
                weight=line.weight,
                points=line.points,
                has_data=line.has_data,
            )
            for line in card.lines.all()
        ]
        gaps = _gaps(card, policy)
        out.append(
            ReportCard(
                employee_id=employee.pk,
                employee_no=employee.employee_no,
                name=employee.name,
                unit=card.org_unit.local_name if card.org_unit_id else "",
                level=card.level.local_name if card.level_id else "",
                cycle_code=cycle.code,
                cycle_start=cycle.start,
                cycle_end=cycle.end,
                final=cycle.status == Cycle.Status.FINAL,
                total=card.total,
                grade=card.grade,
                grade_label=labels.get(card.grade, ""),
                veto=card.veto_reason,
                lines=lines,
                gaps=gaps,
                next_grade=gaps[0].grade if gaps else "",
                trend=trends.get(employee.pk, []),
                feedback_state=state,
                feedback=feedback.get(employee.pk, []),
                development=development.get(employee.pk, []),
            )
        )
    return out


def _grade_policy(cycle: Cycle) -> tuple[dict[str, str], engine.GradePolicy | None]:
    """The grade labels in the active language and the engine's policy (one query)."""
    query = GradeBand.objects.filter(
        **(
            {"policy_id": cycle.grade_policy_id}
            if cycle.grade_policy_id is not None
            else {"policy__is_default": True}
        )
    ).order_by("order")
    bands = list(query)
    labels = {band.grade: localized(band, "label") for band in bands}
    if not bands:
        return labels, None
    policy = engine.GradePolicy(
        bands=[
            engine.GradeBand(
                code=band.grade, min_total=band.min_total, label=band.grade, behaviour_examples=()
            )
            for band in bands
        ]
    )
    return labels, policy


def _gaps(card: Scorecard, policy: engine.GradePolicy | None) -> list[GapLine]:
    """What :func:`kaopei.assessment.explain.scorecard_gaps` says, with the policy given
    (no query per card)."""
    if policy is None:
        return []
    below_top = {band.code for band in policy.bands[1:]}
    if card.grade not in below_top and card.computed_grade not in below_top:
        return []
    items = scorecard_items(card)
    if not items:
        return []
    result = engine.score(items, policy)
    metrics = {line.metric.code: line.metric for line in card.lines.all()}
    out = []
    for gap in engine.gap_to_next_grade(result, items, policy):
        delta = gap.delta
        metric = metrics.get(gap.metric)
        if metric is not None and metric.unit in COUNT_UNITS:
            delta = engine.round_up_to(delta, Decimal(1))
        out.append(
            GapLine(
                metric_name=metric.name if metric is not None else gap.metric,
                grade=gap.grade,
                actual=gap.actual,
                needed=gap.actual + delta,
                delta=delta,
            )
        )
    return out


def _trends(cycle: Cycle, ids: list[int]) -> dict[int, list[TrendPoint]]:
    """Each person's totals in cycles of the same kind up to this one (published cycles
    only, this one always), oldest first, at most TREND_CYCLES (one query)."""
    trend: dict[int, list[TrendPoint]] = defaultdict(list)
    for employee_id, cycle_id, code, end, status, total, grade in (
        Scorecard.objects.filter(
            employee_id__in=ids, cycle__kind=cycle.kind, cycle__end__lte=cycle.end
        )
        .values_list(
            "employee_id",
            "cycle_id",
            "cycle__code",
            "cycle__end",
            "cycle__status",
            "total",
            "grade",
        )
        .order_by("employee_id", "cycle__end")
    ):
        if cycle_id != cycle.pk and status not in PUBLISHED:
            continue
        trend[employee_id].append(TrendPoint(code, end, total, grade))
    return {k: v[-TREND_CYCLES:] for k, v in trend.items()}


def _feedback(cycle: Cycle, cards: list[Scorecard]) -> tuple[str, dict[int, list[FeedbackLine]]]:
    """The 360 summary of the cycle's round for each person, as their report shows it."""
    from kaopei.feedback.models import FeedbackRound
    from kaopei.feedback.selectors.reports import round_report_rows
    from kaopei.org.models import Competency, LevelExpectation

    feedback_round = FeedbackRound.objects.filter(cycle_id=cycle.pk).first()
    if feedback_round is None:
        return "none", {}
    if feedback_round.status != FeedbackRound.Status.CLOSED:
        return "open", {}
    ids = [card.employee_id for card in cards]
    rows = round_report_rows(feedback_round.pk, ids)
    if not rows:
        return "shown", {}
    competency_ids = {row.competency_id for row in rows}
    competencies = Competency.objects.in_bulk(list(competency_ids))
    levels = {card.employee_id: card.employee.level_id for card in cards}
    expected: dict[tuple[int | None, int], int] = {
        (level_id, competency_id): value
        for level_id, competency_id, value in LevelExpectation.objects.filter(
            level_id__in={v for v in levels.values() if v is not None},
            competency_id__in=competency_ids,
        ).values_list("level_id", "competency_id", "expected")
    }
    grouped: dict[int, dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        grouped[row.subject_id][row.competency_id][row.group] = row
    out: dict[int, list[FeedbackLine]] = {}
    for subject_id, by_competency in grouped.items():
        lines = []
        for competency_id, by_group in by_competency.items():
            own = by_group.get(SELF_GROUP)
            everyone = by_group.get(ALL_GROUP)
            competency = competencies[competency_id]
            lines.append(
                (
                    (competency.category, competency.code),
                    FeedbackLine(
                        competency=competency.local_name,
                        self_mean=own.mean if own is not None else None,
                        others_mean=everyone.mean if everyone is not None else None,
                        others_responses=everyone.responses if everyone is not None else 0,
                        expected=expected.get((levels.get(subject_id), competency_id)),
                    ),
                )
            )
        lines.sort(key=lambda pair: pair[0])
        out[subject_id] = [line for _key, line in lines]
    return "shown", out


def development_items_for(employee_ids: Iterable[int]) -> dict[int, list[DevelopmentItem]]:
    """Each person's development goals and actions, by due date (one query).

    Today: the open actions agreed in interviews and review meetings (the same rows as
    :func:`kaopei.feedback.selectors.meetings.open_actions_for`). Development plans extend
    this function when they exist. Unscoped: the caller decides who may read it.
    """
    from kaopei.feedback.models import ActionItem

    out: dict[int, list[DevelopmentItem]] = defaultdict(list)
    for owner_id, text, due_on, interview_id in (
        ActionItem.objects.filter(owner_id__in=list(employee_ids), status=ActionItem.Status.OPEN)
        .order_by("owner_id", "due_on", "pk")
        .values_list("owner_id", "text", "due_on", "interview_id")
    ):
        kind = "interview" if interview_id is not None else "meeting"
        out[owner_id].append(DevelopmentItem(text=text, due_on=due_on, source_kind=kind))
    return dict(out)
