"""360 report pages: the reports index, a cycle's reports, one subject's report, the unit
heatmap (and its export), rater bias and the 9-box.

Thin: each view authorises through a selector (404 for a report one may not read), builds
the page's figures with the report selectors (displayed rows of a closed round only) and
renders.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaopei.assessment.forms import CalibrateForm
from kaopei.assessment.rules import can_calibrate
from kaopei.assessment.selectors import cycle_get_for_user, grade_scale_for
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.rules import is_hr_admin, is_supervisor
from kaopei.core.spreadsheets import csv_text_cell, xlsx_cell
from kaopei.feedback import rules
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors import report_bias, report_heatmap, report_ninebox
from kaopei.feedback.selectors import report_pages as pages
from kaopei.org.models import OrgUnit

PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _unit_param(request: HttpRequest) -> OrgUnit | None:
    """``?unit=<code>`` among the heatmap's units; an unknown code is a 404."""
    code = request.GET.get("unit", "").strip()
    if not code:
        return None
    unit = report_heatmap.heatmap_units().filter(code=code[:40]).first()
    if unit is None:
        raise Http404
    return unit


@require_GET
def reports_index(request: HttpRequest) -> HttpResponse:
    """The 360 rounds: one's own reports, and for supervisors, HR and executives each
    round's pages they may open."""
    user = request.user
    _require(rules.can_open_reports(user) or rules.can_see_heatmap(user))
    mine = {r.pk for r in pages.my_report_rounds(user=user)}
    sees_rounds = bool(rules.can_see_heatmap(user) or is_supervisor(user) or is_hr_admin(user))
    rounds = FeedbackRound.objects.select_related("cycle").order_by("-cycle__start")
    if not sees_rounds:
        rounds = rounds.filter(pk__in=mine)
    return render(
        request,
        "feedback/reports/index.html",
        {
            "rounds": [(r, r.pk in mine) for r in rounds],
            "sees_rounds": sees_rounds,
            "may_list": bool(is_supervisor(user) or is_hr_admin(user)),
            "may_heatmap": bool(rules.can_see_heatmap(user)),
            "may_bias": bool(rules.can_see_rater_bias(user)),
            "may_ninebox": bool(rules.can_see_nine_box(user)),
            "me": pages.employee_for_user(user),
        },
    )


@require_GET
def cycle_reports(request: HttpRequest, code: str) -> HttpResponse:
    """The reports of a round the user may read: HR every subject, a supervisor their chain,
    an account manager their own; searchable by name or number."""
    user = request.user
    _require(rules.can_open_reports(user))
    feedback_round = pages.round_of_cycle_or_404(code)
    subjects = pages.report_subjects_visible_to(user=user, feedback_round=feedback_round)
    q = request.GET.get("q", "").strip()[:80]
    if q:
        subjects = subjects.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    page_obj = paginate(request, subjects, PER_PAGE)
    rows = pages.subject_availability(feedback_round, page_obj.object_list)
    return render_list(
        request,
        "feedback/reports/cycle_reports.html",
        {
            "round": feedback_round,
            "cycle": feedback_round.cycle,
            "closed": pages.is_closed(feedback_round),
            "page_obj": page_obj,
            "rows": rows,
            "q": q,
            "query_string": list_filters(request)[0],
            "filtered": bool(q),
        },
    )


@require_GET
def report_detail(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """One subject's 360 report (the subject, their supervisor chain, HR admins; 404 for
    anyone else). Before the round closes: only that it is not available yet."""
    feedback_round = pages.round_of_cycle_or_404(code)
    subject = pages.report_subject_get_for_user(
        user=request.user, feedback_round=feedback_round, employee_no=employee_no
    )
    report = pages.subject_report(feedback_round=feedback_round, subject=subject)
    return render(
        request,
        "feedback/reports/report.html",
        {
            "report": report,
            "cycle": feedback_round.cycle,
            "subject": subject,
            "chart": pages.report_chart(report) if report.has_figures else None,
            "is_me": subject.user_id == request.user.pk,
        },
    )


def _heatmap_for(request: HttpRequest, code: str) -> tuple[FeedbackRound, Any, Any]:
    _require(rules.can_see_heatmap(request.user))
    feedback_round = pages.round_of_cycle_or_404(code)
    unit = _unit_param(request)
    return (
        feedback_round,
        unit,
        report_heatmap.round_heatmap(
            feedback_round=feedback_round,
            unit=unit,
            min_people=report_heatmap.heatmap_min_people(request.user),
        ),
    )


@require_GET
def heatmap(request: HttpRequest, code: str) -> HttpResponse:
    """Org units × competencies: the mean of the displayed all-raters scores of each unit's
    people (HR admins and executives)."""
    feedback_round, unit, hm = _heatmap_for(request, code)
    return render(
        request,
        "feedback/reports/heatmap.html",
        {
            "round": feedback_round,
            "cycle": feedback_round.cycle,
            "heatmap": hm,
            "unit": unit,
            "units": report_heatmap.heatmap_units(),
            "chart": report_heatmap.heatmap_chart(hm) if hm.rows and hm.competencies else None,
            "unit_query": f"?unit={unit.code}" if unit else "",
        },
    )


@require_GET
def heatmap_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The heatmap's table as CSV (UTF-8 with a BOM) or xlsx; text cells escaped."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    feedback_round, unit, hm = _heatmap_for(request, code)
    if not hm.available:
        raise Http404
    rows = report_heatmap.heatmap_table(hm)
    name = f"heatmap-{feedback_round.cycle.code}{'-' + unit.code if unit else ''}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(report_heatmap.HEATMAP_COLUMNS)
        for row in rows:
            writer.writerow([csv_text_cell(v) if isinstance(v, str) else v for v in row])
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("heatmap")
        ws.append(list(report_heatmap.HEATMAP_COLUMNS))
        for row in rows:
            ws.append([xlsx_cell(ws, v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{csv_text_cell(name)}.{fmt}"'
    return response


@require_GET
def rater_bias(request: HttpRequest, code: str) -> HttpResponse:
    """Lenient and severe raters among the attributed ratings of a cycle (HR admins)."""
    _require(rules.can_see_rater_bias(request.user))
    cycle = pages.cycle_by_code_or_404(code)
    feedback_round = report_bias.round_or_none(cycle)
    supervisors = report_bias.supervisor_bias(feedback_round) if feedback_round else []
    manual = report_bias.manual_score_bias(cycle)
    charts = []
    for i, line in enumerate(supervisors):
        charts.append((f"kp-bias-sup-{i}", line, report_bias.distribution_chart(line)))
    manual_blocks = []
    for j, block in enumerate(manual):
        manual_blocks.append(
            (
                block,
                [
                    (f"kp-bias-m{j}-{i}", line, report_bias.distribution_chart(line))
                    for i, line in enumerate(block.raters)
                ],
            )
        )
    return render(
        request,
        "feedback/reports/rater_bias.html",
        {
            "cycle": cycle,
            "round": feedback_round,
            "closed": feedback_round is not None and pages.is_closed(feedback_round),
            "supervisors": charts,
            "manual": manual_blocks,
            "threshold": report_bias.THRESHOLD,
            "min_people": report_bias.MIN_PEOPLE,
        },
    )


@require_GET
def nine_box(request: HttpRequest, code: str) -> HttpResponse:
    """Performance × competency of a cycle's scorecards, with the calibration moves (HR and
    supervisors act; executives read the counts)."""
    user = request.user
    _require(rules.can_see_nine_box(user))
    cycle = cycle_get_for_user(user=user, code=code)
    units = report_heatmap.heatmap_units()
    unit = _unit_param(request)
    box = report_ninebox.nine_box(user=user, cycle=cycle, unit=unit)
    acts = bool(can_calibrate(user))
    placed = sum(b.count for row in box.grid for b in row)
    # A reader of counts only (executives) sees no grid of fewer than 3 people: it would
    # tell individuals' grades and competency bands.
    too_few = not acts and 0 < placed < report_heatmap.MIN_PEOPLE
    return render(
        request,
        "feedback/reports/nine_box.html",
        {
            "cycle": cycle,
            "box": box,
            "too_few": too_few,
            "units": units,
            "unit": unit,
            "names": acts,
            "can_move": acts and cycle.status in ("scored", "calibrating"),
            "grades": grade_scale_for(cycle).bands,
            "calibrate_form": CalibrateForm(grades=grade_scale_for(cycle).bands),
            "moves": report_ninebox.calibration_moves(user=user, cycle=cycle) if acts else [],
            "here": request.get_full_path(),
            "per_box": report_ninebox.NAMES_PER_BOX,
            "title": _("9-box"),
        },
    )
