"""Reading the training effect (DESIGN.md §8 ⚑) of one cycle from the database.

:func:`effect_input` gathers everything the pure core (:mod:`kaopei.training.effect`) needs
for one quarterly cycle and all its courses in a fixed number of queries — never one per
course or per person:

1. the courses with a completed enrolment dated in P;
2. their competency codes, 3. their metric codes;
4. every completed enrolment in those courses dated on or before A's end;
5.–6. the people scored in B and in A (eligible scorecards, whatever the grade, as the
   exports count them);
7.–8. the 360 rounds of B and A — only a **closed** round has a report, as on the report
   pages — and for each closed round its report rows (one grouped query, the same rows the
   reports and the feedback export show) and the competency codes;
9.–10. the lines with data of B and A for the metrics those courses name, with the stored
   attainment: the scoring engine stores it **uncapped** (the cap only bounds points) and to
   8 decimals, so it is §6's attainment as the scorecards keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle, Scorecard, ScoreLine
from kaopei.core.errors import ApplicationError
from kaopei.core.periods import QUARTERLY, Period, PeriodCodeError, parse_period
from kaopei.feedback.anonymity import ALL_RATERS
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.reports import cycle_round, report_table_rows
from kaopei.org.models import Competency
from kaopei.training import rules
from kaopei.training.effect import (
    CourseBlock,
    CourseInput,
    EffectInput,
    EffectRow,
    EnrolmentInput,
    around,
    effect_blocks,
    effect_rows,
)
from kaopei.training.models import Course, Enrolment


class EffectCycleError(ApplicationError):
    """A cycle code the training effect cannot use: not a code (422), not a quarter (422),
    or no such cycle (404)."""


def effect_period(code: str) -> Period:
    """The quarter a cycle code names; EffectCycleError (422) for a bad or yearly code."""
    try:
        period = parse_period(code)
    except PeriodCodeError as exc:
        raise EffectCycleError(exc.args[0], status=422) from exc
    if period.kind != QUARTERLY:
        raise EffectCycleError(
            _(
                "The training effect is measured over a quarter: %(code)s is a year. "
                "Choose a quarterly cycle such as %(code)sQ2."
            )
            % {"code": period.code},
            status=422,
        )
    return period


def effect_cycle(code: str) -> Cycle:
    """The quarterly cycle named ``code``: 422 for a bad or yearly code, 404 when unknown."""
    period = effect_period(code)
    cycle = Cycle.objects.filter(code=period.code).first()
    if cycle is None:
        raise EffectCycleError(
            _("Cycle %(code)s does not exist.") % {"code": period.code}, status=404
        )
    return cycle


def require_effect_reader(user: Any) -> None:
    if not rules.can_see_effect(user):
        raise PermissionDenied


def _completed() -> Any:
    return Enrolment.objects.filter(completed=True)


def _closed_report(period: Period) -> dict[tuple[int, str], Decimal]:
    cycle = Cycle.objects.filter(code=period.code).only("pk").first()
    if cycle is None:
        return {}
    found = cycle_round(cycle.pk)
    if found is None or found.status != FeedbackRound.Status.CLOSED:
        return {}
    rows = [
        (subject_id, competency_id, cents)
        for subject_id, competency_id, group, _n, _total, cents in report_table_rows(found.pk)
        if group == ALL_RATERS
    ]
    codes = dict(Competency.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "code"))
    return {(s, codes[c]): Decimal(cents).scaleb(-2) for s, c, cents in rows}


def _scored(period: Period) -> frozenset[int]:
    return frozenset(
        Scorecard.objects.filter(cycle__code=period.code, eligible=True).values_list(
            "employee_id", flat=True
        )
    )


def _lines(period: Period, metrics: set[str]) -> dict[tuple[int, str], Decimal]:
    if not metrics:
        return {}
    rows = ScoreLine.objects.filter(
        scorecard__cycle__code=period.code,
        scorecard__eligible=True,
        has_data=True,
        attainment__isnull=False,
        metric__code__in=metrics,
    ).values_list("scorecard__employee_id", "metric__code", "attainment")
    return {
        (person, code): att
        for person, code, att in rows.iterator(chunk_size=20_000)
        if att is not None
    }


def effect_input(period: Period, *, course_code: str | None = None) -> EffectInput:
    """Everything the core needs for ``period`` (of one course only with ``course_code``)."""
    before, after = around(period)
    in_p = _completed().filter(
        course=OuterRef("pk"), session_on__gte=period.start, session_on__lte=period.end
    )
    courses_qs = Course.objects.filter(Exists(in_p))
    if course_code is not None:
        courses_qs = courses_qs.filter(code=course_code)
    courses = dict(courses_qs.values_list("pk", "code"))
    competencies: dict[int, list[str]] = {}
    for course_id, code in Course.competencies.through.objects.filter(
        course_id__in=courses
    ).values_list("course_id", "competency__code"):
        competencies.setdefault(course_id, []).append(code)
    metrics: dict[int, list[str]] = {}
    for course_id, code in Course.metrics.through.objects.filter(course_id__in=courses).values_list(
        "course_id", "metric__code"
    ):
        metrics.setdefault(course_id, []).append(code)
    enrolments = [
        EnrolmentInput(courses[c], person, on, reaction, pre, post)
        for c, person, on, reaction, pre, post in _completed()
        .filter(course_id__in=courses, session_on__lte=after.end)
        .values_list(
            "course_id", "employee_id", "session_on", "reaction", "pre_score", "post_score"
        )
        .iterator(chunk_size=20_000)
    ]
    named_metrics = {code for codes in metrics.values() for code in codes}
    return EffectInput(
        period=period,
        courses=[
            CourseInput(code, tuple(competencies.get(pk, ())), tuple(metrics.get(pk, ())))
            for pk, code in courses.items()
        ],
        enrolments=enrolments,
        scored_before=_scored(before),
        scored_after=_scored(after),
        report_before=_closed_report(before),
        report_after=_closed_report(after),
        lines_before=_lines(before, named_metrics),
        lines_after=_lines(after, named_metrics),
    )


def cycle_effect_rows(period: Period) -> list[EffectRow]:
    """Every course's rows of ``period`` (the export's rows)."""
    return effect_rows(effect_input(period))


def course_effect_rows(period: Period, course: Course) -> list[EffectRow]:
    return effect_rows(effect_input(period, course_code=course.code))


@dataclass(frozen=True)
class CourseEffect:
    """One course's block of a cycle with the course object, for the pages."""

    course: Course
    block: CourseBlock

    @property
    def rows(self) -> list[EffectRow]:
        return self.block.rows

    def level(self, level: str) -> list[EffectRow]:
        return [r for r in self.block.rows if r.level == level]


def effect_by_course(period: Period, *, course: Course | None = None) -> list[CourseEffect]:
    """The blocks of ``period`` (of one course with ``course``) with the course objects."""
    blocks = effect_blocks(effect_input(period, course_code=course.code if course else None))
    by_code = {c.code: c for c in Course.objects.filter(code__in=[b.course for b in blocks])}
    return [CourseEffect(by_code[b.course], b) for b in blocks]


def trained_counts(period: Period) -> dict[str, int]:
    """course code → number of people with a completed enrolment in it dated in ``period``."""
    from django.db.models import Count

    return dict(
        _completed()
        .filter(session_on__gte=period.start, session_on__lte=period.end)
        .values_list("course__code")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("course__code", "n")
    )


def module_trained_counts(period: Period) -> dict[str, int]:
    """module → number of distinct people who completed a course of it dated in ``period``."""
    from django.db.models import Count

    return dict(
        _completed()
        .filter(session_on__gte=period.start, session_on__lte=period.end)
        .values_list("course__module")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("course__module", "n")
    )


def effect_cycles() -> list[Cycle]:
    """Quarterly cycles with a completed enrolment dated in them, newest first."""
    dated = _completed().filter(session_on__gte=OuterRef("start"), session_on__lte=OuterRef("end"))
    return list(
        Cycle.objects.filter(kind=Cycle.Kind.QUARTERLY).filter(Exists(dated)).order_by("-start")
    )


def latest_effect_cycle(course: Course) -> Cycle | None:
    """The latest quarterly cycle with a completed enrolment in ``course`` dated in it."""
    dated = _completed().filter(
        course=course, session_on__gte=OuterRef("start"), session_on__lte=OuterRef("end")
    )
    return (
        Cycle.objects.filter(kind=Cycle.Kind.QUARTERLY)
        .filter(Exists(dated))
        .order_by("-start")
        .first()
    )


def course_for_effect(code: str) -> Course:
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise EffectCycleError(_("There is no course %(code)s.") % {"code": code}, status=404)
    return course


# --- the ``training-effect`` export (DESIGN.md §4.1 ⚑) -------------------------------------

EFFECT_COLUMNS = ("course", "level", "item", "trained", "comparison", "value")


def export_row(row: EffectRow) -> list[str | Decimal | None]:
    """One export row: codes, integer counts as text, ``value`` to 4 decimals or empty."""
    return [
        row.course,
        row.level,
        row.item or None,
        str(row.trained),
        None if row.comparison is None else str(row.comparison),
        row.value,
    ]


def effect_export_rows(cycle: Cycle) -> list[list[str | Decimal | None]]:
    """The rows of ``kaopei export training-effect CYCLE``; ApplicationError (before anything
    is written) for a cycle that is not a quarter."""
    period = effect_period(cycle.code)
    return [export_row(r) for r in cycle_effect_rows(period)]
