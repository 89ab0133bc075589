"""Feedback API: reports. Every operation applies the same visibility rules as the pages.

- ``GET /feedback/reports/{cycle}``: the round's subjects whose reports the caller may read,
  with whether each report has figures (never before the round closes).
- ``GET /feedback/reports/{cycle}/{employee_no}``: one report's rows in the §7 shape
  (competency code, group, responses, mean as a string with 2 decimals), the level's
  expectation per competency and the comments of shown groups (random order, no date, no
  rater).
- ``GET /feedback/heatmap/{cycle}``: the unit heatmap (HR admins and executives).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import PathEx, QueryEx, Router, Schema

from kaopei.core.api import ERRORS
from kaopei.core.api_params import text_param
from kaopei.feedback import rules
from kaopei.feedback.anonymity import GROUP_ORDER
from kaopei.feedback.selectors import report_heatmap
from kaopei.feedback.selectors import report_pages as pages

router = Router(tags=["feedback"])

CycleCode = PathEx[str, text_param(40, "A cycle code: 2026Q1 or 2026.")]
EmployeeNo = PathEx[str, text_param(40, "An employee number.")]


class ReportSubjectOut(Schema):
    employee_no: str
    name: str
    org_unit: str
    available: bool


class ReportListOut(Schema):
    cycle: str
    round_status: str
    available: bool
    subjects: list[ReportSubjectOut]


class RowOut(Schema):
    competency: str
    group: str
    responses: int
    mean: str


class ExpectedOut(Schema):
    competency: str
    expected: int


class CommentOut(Schema):
    competency: str
    group: str
    text: str


class ReportOut(Schema):
    cycle: str
    employee_no: str
    name: str
    available: bool
    rows: list[RowOut]
    expected: list[ExpectedOut]
    comments: list[CommentOut]


class HeatCellOut(Schema):
    unit: str
    competency: str
    people: int
    responses: int
    mean: str


class HeatmapOut(Schema):
    cycle: str
    available: bool
    units: list[str]
    competencies: list[str]
    cells: list[HeatCellOut]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@router.get("/feedback/reports/{code}", response={200: ReportListOut, **ERRORS})
def report_list(request: HttpRequest, code: CycleCode) -> ReportListOut:
    """The subjects of the cycle's round whose 360 reports the caller may read."""
    _require(rules.can_open_reports(request.user))
    feedback_round = pages.round_of_cycle_or_404(code)
    subjects = pages.report_subjects_visible_to(user=request.user, feedback_round=feedback_round)
    return ReportListOut(
        cycle=feedback_round.cycle.code,
        round_status=feedback_round.status,
        available=pages.is_closed(feedback_round),
        subjects=[
            ReportSubjectOut(
                employee_no=s.employee_no, name=s.name, org_unit=s.org_unit.code, available=ok
            )
            for s, ok in pages.subject_availability(feedback_round, subjects)
        ],
    )


@router.get("/feedback/reports/{code}/{employee_no}", response={200: ReportOut, **ERRORS})
def report_detail(request: HttpRequest, code: CycleCode, employee_no: EmployeeNo) -> ReportOut:
    """One subject's 360 report: rows, expectations and comments of shown groups."""
    feedback_round = pages.round_of_cycle_or_404(code)
    subject = pages.report_subject_get_for_user(
        user=request.user, feedback_round=feedback_round, employee_no=employee_no
    )
    report = pages.subject_report(feedback_round=feedback_round, subject=subject)
    codes = {b.competency.pk: b.competency.code for b in report.competencies}
    rows = sorted(report.rows, key=lambda r: (codes[r.competency_id], GROUP_ORDER[r.group]))
    return ReportOut(
        cycle=feedback_round.cycle.code,
        employee_no=subject.employee_no,
        name=subject.name,
        available=report.available,
        rows=[
            RowOut(
                competency=codes[r.competency_id],
                group=r.group,
                responses=r.responses,
                mean=pages.mean_text(r.mean),
            )
            for r in rows
        ],
        expected=[
            ExpectedOut(competency=b.competency.code, expected=b.expected)
            for b in sorted(report.competencies, key=lambda b: b.competency.code)
            if b.expected is not None
        ],
        comments=[
            CommentOut(competency=c.competency.code, group=c.group, text=c.text)
            for c in report.comments
        ],
    )


@router.get("/feedback/heatmap/{code}", response={200: HeatmapOut, **ERRORS})
def heatmap(
    request: HttpRequest,
    code: CycleCode,
    unit: QueryEx[str, text_param(40, "A branch or team code: its subtree only.")] = "",
) -> HeatmapOut:
    """The unit heatmap of the cycle's round (HR admins and executives): per branch or team
    and competency, the displayed all-raters mean of the unit's people."""
    _require(rules.can_see_heatmap(request.user))
    feedback_round = pages.round_of_cycle_or_404(code)
    within = None
    if unit.strip():
        within = report_heatmap.heatmap_units().filter(code=unit.strip()).first()
        if within is None:
            raise Http404
    hm = report_heatmap.round_heatmap(
        feedback_round=feedback_round,
        unit=within,
        min_people=report_heatmap.heatmap_min_people(request.user),
    )
    cells = [
        HeatCellOut(
            unit=row.unit.code,
            competency=competency.code,
            people=cell.people,
            responses=cell.responses,
            mean=pages.mean_text(cell.mean),
        )
        for row in hm.rows
        for competency, cell in zip(hm.competencies, row.cells, strict=True)
        if cell is not None
    ]
    return HeatmapOut(
        cycle=feedback_round.cycle.code,
        available=hm.available,
        units=[row.unit.code for row in hm.rows],
        competencies=[c.code for c in hm.competencies],
        cells=cells,
    )
