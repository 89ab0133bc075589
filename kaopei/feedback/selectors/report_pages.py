"""What a 360 report shows, and to whom (DESIGN.md §7 ⚑).

Every figure here is built from :func:`kaopei.feedback.selectors.reports.round_report_rows`
of a CLOSED round — never from answers directly. Comments are the one thing read from the
answers, and they pass the same rule: a comment is shown only when its response's group is
displayed for that competency (``anonymity.shown_groups``), labelled with the row it is
displayed in (``others`` for a pooled group), in random order, with no date and no rater.

Who sees an individual report: the subject, their supervisor chain and HR admins; anyone
else gets a 404 (existence does not leak). Executives and trainers read aggregates only.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaopei.assessment.models import Cycle
from kaopei.core.rules import has_a_role, is_hr_admin
from kaopei.feedback.anonymity import (
    ALL_RATERS,
    CUSTOMERS,
    GROUP_OF,
    OTHERS,
    PEERS,
    SELF,
    SUBORDINATES,
    SUPERVISOR,
    Cell,
    Row,
    shown_groups,
)
from kaopei.feedback.models import Answer, FeedbackRound, Response, RoundSubject
from kaopei.feedback.selectors.reports import round_cells, round_report_rows
from kaopei.org.models import Competency, Employee, LevelExpectation
from kaopei.org.selectors import employee_for_user, subordinate_ids

GROUP_LABELS: dict[str, str | Promise] = {
    SELF: pgettext_lazy("360 group", "Self"),
    SUPERVISOR: pgettext_lazy("360 group", "Supervisor"),
    PEERS: pgettext_lazy("360 group", "Peers"),
    SUBORDINATES: pgettext_lazy("360 group", "Subordinates"),
    CUSTOMERS: pgettext_lazy("360 group", "Customers"),
    OTHERS: pgettext_lazy("360 group", "Other raters"),
    ALL_RATERS: pgettext_lazy("360 group", "All raters"),
}
# The rows compared with self on a report, in the export's order (self is its own column).
RATER_GROUPS = (SUPERVISOR, PEERS, SUBORDINATES, CUSTOMERS, OTHERS, ALL_RATERS)
# How many competencies a report names as strengths and as development areas (at most).
HIGHLIGHTS = 3

Shuffle = Callable[[list[Any]], None]


def shuffle_comments(items: list[Any]) -> None:
    """Comments in random order, from the system's source of randomness (not seedable)."""
    random.SystemRandom().shuffle(items)


# --- Which round, and who may read whose report ------------------------------------------------


def cycle_by_code_or_404(code: str) -> Cycle:
    cycle = Cycle.objects.filter(code=(code or "").strip().upper()).first()
    if cycle is None:
        raise Http404
    return cycle


def round_of_cycle_or_404(code: str) -> FeedbackRound:
    """The 360 round of a cycle (any status), or 404 when the cycle or its round is missing."""
    feedback_round = (
        FeedbackRound.objects.select_related("cycle")
        .filter(cycle__code=(code or "").strip().upper())
        .first()
    )
    if feedback_round is None:
        raise Http404
    return feedback_round


def is_closed(feedback_round: FeedbackRound) -> bool:
    return feedback_round.status == FeedbackRound.Status.CLOSED


def report_scope_ids(user: Any) -> set[int] | None:
    """Employee ids whose individual reports ``user`` may read; None means everyone (HR
    admins, superusers included). Others: themself and everyone below them in the
    supervisor chain (nobody below an account manager, so: themself)."""
    if is_hr_admin(user):
        return None
    if not has_a_role(user):
        return set()
    me = employee_for_user(user)
    if me is None:
        return set()
    return {me.pk} | subordinate_ids(me.pk)


def round_subject_ids(feedback_round: FeedbackRound) -> set[int]:
    """The people a round gives feedback on: its subjects and anyone answers are about
    (imported answers may name people the round did not list)."""
    ids = set(
        RoundSubject.objects.filter(round=feedback_round).values_list("employee_id", flat=True)
    )
    ids |= set(
        Response.objects.filter(round=feedback_round)
        .order_by()
        .values_list("subject_id", flat=True)
        .distinct()
    )
    return ids


def report_subjects_visible_to(
    *, user: Any, feedback_round: FeedbackRound, only_self: bool = False
) -> QuerySet[Employee]:
    """The round's subjects whose reports ``user`` may read (only their own with
    ``only_self``), by employee number."""
    ids = round_subject_ids(feedback_round)
    scope = report_scope_ids(user)
    if scope is not None:
        ids &= scope
    if only_self:
        me = employee_for_user(user)
        ids &= {me.pk} if me is not None else set()
    return (
        Employee.objects.filter(pk__in=ids)
        .select_related("org_unit", "level")
        .order_by("employee_no")
    )


def report_subject_get_for_user(
    *, user: Any, feedback_round: FeedbackRound, employee_no: str
) -> Employee:
    """A subject of the round whose report ``user`` may read, or 404."""
    subject = (
        report_subjects_visible_to(user=user, feedback_round=feedback_round)
        .filter(employee_no=employee_no)
        .first()
    )
    if subject is None:
        raise Http404
    return subject


def my_report_rounds(*, user: Any) -> list[FeedbackRound]:
    """Every round with a report about the signed-in person, newest cycle first."""
    me = employee_for_user(user)
    if me is None:
        return []
    round_ids = set(
        Response.objects.filter(subject=me).order_by().values_list("round_id", flat=True)
    )
    round_ids |= set(RoundSubject.objects.filter(employee=me).values_list("round_id", flat=True))
    return list(
        FeedbackRound.objects.filter(pk__in=round_ids)
        .select_related("cycle")
        .order_by("-cycle__start")
    )


# --- The report of one subject ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigure:
    group: str
    label: str | Promise
    responses: int
    mean: Decimal


@dataclass(frozen=True)
class CompetencyReport:
    competency: Competency
    self_mean: Decimal | None
    groups: tuple[GroupFigure, ...]  # the displayed rater rows, all_raters last
    all_raters: GroupFigure | None
    expected: int | None
    gap: Decimal | None  # all_raters mean − expected
    exact_all: Fraction | None  # for ranking only (never shown)

    @property
    def below_expectation(self) -> bool:
        return self.gap is not None and self.gap < 0

    @property
    def name(self) -> str:
        return self.competency.local_name


@dataclass(frozen=True)
class Comment:
    competency: Competency
    group: str
    label: str | Promise
    text: str


@dataclass
class SubjectReport:
    """One subject's report in a round: ``available`` is False until the round is closed
    (and then nothing else is filled in)."""

    subject: Employee
    feedback_round: FeedbackRound
    available: bool
    competencies: list[CompetencyReport] = field(default_factory=list)
    strengths: list[CompetencyReport] = field(default_factory=list)
    development: list[CompetencyReport] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    something_withheld: bool = False

    @property
    def has_figures(self) -> bool:
        return bool(self.rows)


def _cells_by_competency(
    feedback_round: FeedbackRound, subject_id: int
) -> dict[int, dict[str, Cell]]:
    cells: dict[int, dict[str, Cell]] = defaultdict(dict)
    for _subject, competency_id, group, responses, total in round_cells(
        feedback_round.pk, [subject_id]
    ):
        cells[competency_id][group] = cells[competency_id].get(group, Cell(0, Fraction(0))) + Cell(
            responses, total
        )
    return cells


def shown_comments(
    feedback_round: FeedbackRound,
    subject_id: int,
    cells: dict[int, dict[str, Cell]] | None = None,
) -> list[tuple[int, str, str]]:
    """``(competency_id, displayed row, text)`` of every comment of a subject whose
    response's group is displayed for that competency, in no meaningful order."""
    if cells is None:
        cells = _cells_by_competency(feedback_round, subject_id)
    shown = {cid: shown_groups(by_group) for cid, by_group in cells.items()}
    out = []
    for competency_id, relationship, text in (
        Answer.objects.filter(response__round=feedback_round, response__subject_id=subject_id)
        .exclude(comment="")
        .order_by()
        .values_list("competency_id", "response__relationship", "comment")
    ):
        where = shown.get(competency_id, {}).get(GROUP_OF[relationship])
        if where:
            out.append((competency_id, where[0], text))
    return out


def _figure(row: Row) -> GroupFigure:
    return GroupFigure(row.group, GROUP_LABELS[row.group], row.responses, row.mean)


def subject_report(
    *, feedback_round: FeedbackRound, subject: Employee, shuffle: Shuffle | None = None
) -> SubjectReport:
    """The report of one subject (already authorised by the caller through
    :func:`report_subject_get_for_user`). Comments come in random order
    (:func:`shuffle_comments` unless ``shuffle`` is given)."""
    report = SubjectReport(subject=subject, feedback_round=feedback_round, available=False)
    if not is_closed(feedback_round):
        return report
    report.available = True
    rows = round_report_rows(feedback_round.pk, [subject.pk])
    report.rows = rows
    cells = _cells_by_competency(feedback_round, subject.pk)
    report.something_withheld = any(
        group not in shown_groups(by_group) for by_group in cells.values() for group in by_group
    )
    by_competency: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_competency[row.competency_id].append(row)
    competencies = Competency.objects.in_bulk(list(by_competency))
    expected: dict[int, int] = {}
    if subject.level_id is not None:
        expected = dict(
            LevelExpectation.objects.filter(
                level_id=subject.level_id, competency_id__in=list(by_competency)
            ).values_list("competency_id", "expected")
        )
    blocks = []
    for competency_id, its_rows in by_competency.items():
        by_group = {r.group: r for r in its_rows}
        everyone = by_group.get(ALL_RATERS)
        wanted = expected.get(competency_id)
        blocks.append(
            CompetencyReport(
                competency=competencies[competency_id],
                self_mean=by_group[SELF].mean if SELF in by_group else None,
                groups=tuple(_figure(by_group[g]) for g in RATER_GROUPS if g in by_group),
                all_raters=_figure(everyone) if everyone else None,
                expected=wanted,
                gap=(everyone.mean - wanted) if everyone and wanted is not None else None,
                exact_all=everyone.exact_mean if everyone else None,
            )
        )
    blocks.sort(key=lambda b: (b.competency.category, b.competency.code))
    report.competencies = blocks
    report.strengths, report.development = highlights(blocks)
    comments = [
        Comment(competencies[cid], group, GROUP_LABELS[group], text)
        for cid, group, text in shown_comments(feedback_round, subject.pk, cells)
        if cid in competencies
    ]
    (shuffle or shuffle_comments)(comments)
    report.comments = comments
    return report


def highlights(
    blocks: Sequence[CompetencyReport],
) -> tuple[list[CompetencyReport], list[CompetencyReport]]:
    """Strengths: the (at most 3) competencies with the highest all-raters mean. Development
    areas: the (at most 3) with the lowest, and any competency below the level's
    expectation. With fewer than two rated competencies there is nothing to compare: only
    the expectation decides."""
    ranked = sorted(
        (b for b in blocks if b.exact_all is not None),
        key=lambda b: (-(b.exact_all or 0), b.competency.code),
    )
    k = min(HIGHLIGHTS, len(ranked) // 2)
    strengths = ranked[:k]
    development = list(reversed(ranked[len(ranked) - k :])) if k else []
    for block in ranked:
        if block.below_expectation and block not in development and block not in strengths:
            development.append(block)
    return strengths, development


def report_chart(report: SubjectReport) -> dict[str, Any]:
    """The report's bars (ECharts options): self, all raters and the expectation per
    competency. The same numbers are in the page's table."""

    def num(value: Decimal | int | None) -> float | None:
        return None if value is None else float(value)

    names = [b.name for b in report.competencies]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"left": 40, "right": 20, "bottom": 60, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": names,
            "axisLabel": {"rotate": 30 if len(names) > 4 else 0},
        },
        "yAxis": {"type": "value", "min": 0, "max": 5, "interval": 1},
        "series": [
            {
                "name": str(GROUP_LABELS[SELF]),
                "type": "bar",
                "data": [num(b.self_mean) for b in report.competencies],
            },
            {
                "name": str(GROUP_LABELS[ALL_RATERS]),
                "type": "bar",
                "data": [
                    num(b.all_raters.mean if b.all_raters else None) for b in report.competencies
                ],
            },
            {
                "name": str(_("Expected")),
                "type": "line",
                "data": [num(b.expected) for b in report.competencies],
            },
        ],
    }


def mean_text(value: Decimal) -> str:
    """A mean as every report shows it: 2 decimals."""
    return f"{value:.2f}"


def subject_availability(
    feedback_round: FeedbackRound, subjects: Iterable[Employee]
) -> list[tuple[Employee, bool]]:
    """Whether each subject's report has figures: only once the round is closed, and only
    when any row is displayed (one query for them all)."""
    people = list(subjects)
    if not is_closed(feedback_round):
        return [(s, False) for s in people]
    with_rows = {r.subject_id for r in round_report_rows(feedback_round.pk, [s.pk for s in people])}
    return [(s, s.pk in with_rows) for s in people]
