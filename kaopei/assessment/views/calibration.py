"""Calibration pages: the calibration board (a unit's grade distribution against the cycle's
guideline, the cards to calibrate, starting calibration and finalising) and moving one
card's grade with its reason.

Who (DESIGN.md §1): HR and supervisors calibrate (supervisors within their chain);
executives read the board's distributions, never the cards or the forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaopei.assessment import selectors as sel
from kaopei.assessment.board_links import calibration_board_links
from kaopei.assessment.forms import CalibrateForm, CalibrationUnitForm, first_error
from kaopei.assessment.models import Cycle
from kaopei.assessment.presenters import GRADE_LABELS, fmt_number
from kaopei.assessment.services import calibration as calibration_services
from kaopei.assessment.services.cycles import cycle_set_status
from kaopei.assessment.views.common import PER_PAGE, back_url, card_url, require
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate


@require_POST
def scorecard_calibrate(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """Move a grade with a mandatory reason (HR, or a supervisor for their team)."""
    require(sel.can_calibrate(request.user))
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    back = back_url(request, card_url(card))
    form = CalibrateForm(request.POST, grades=sel.grade_scale_for(card.cycle).bands)
    if sel.is_owner(request.user, card):
        messages.error(request, _("You cannot calibrate your own scorecard."))
    elif not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            moved = calibration_services.scorecard_calibrate(
                scorecard=card,
                to_grade=form.cleaned_data["to_grade"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("%(name)s: grade moved from %(from)s to %(to)s.")
                % {"name": card.employee.name, "from": moved.from_grade, "to": moved.to_grade},
            )
    return redirect(back)


# --- Calibration -------------------------------------------------------------------------------


def _chart(board: sel.CalibrationBoard) -> dict[str, Any]:
    """The board's stacked bars (ECharts options): cards per grade and unit."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"left": 40, "right": 20, "bottom": 60, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [r.unit.name if r.unit else "—" for r in board.rows],
            "axisLabel": {"rotate": 30 if len(board.rows) > 6 else 0},
        },
        "yAxis": {"type": "value", "name": _("Scorecards"), "minInterval": 1},
        "series": [
            {
                "name": str(GRADE_LABELS.get(g, g)),
                "type": "bar",
                "stack": "grades",
                "data": [r.counts[i] for r in board.rows],
                "itemStyle": {"color": board.scale.colour(g)},
            }
            for i, g in enumerate(board.grades)
        ],
    }


@require_http_methods(["GET", "POST"])
def calibration_board(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's grade distribution against the cycle's guideline, the cards to calibrate and,
    for HR, starting calibration and finalising the cycle (POST ``action``)."""
    user = request.user
    require(sel.can_view_calibration(user))
    cycle = sel.cycle_get_for_user(user=user, code=code)
    here = reverse("assessment:calibration", args=[cycle.code])
    if request.method == "POST":
        require(sel.is_hr(user))
        actions = {"start": Cycle.Status.CALIBRATING, "finalise": Cycle.Status.FINAL}
        status = actions.get(request.POST.get("action", ""))
        if status is None:
            messages.error(request, _("Unknown action."))
            return redirect(here)
        try:
            cycle_set_status(cycle=cycle, status=status, user=user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Cycle %(code)s is now final; everyone scored was notified.")
                % {"code": cycle.code}
                if status == Cycle.Status.FINAL
                else _("Calibration of %(code)s has started.") % {"code": cycle.code},
            )
        return redirect(back_url(request, here))

    units = sel.calibration_units(user=user, cycle=cycle)
    form = CalibrationUnitForm(request.GET, units=units)
    unit = form.value("unit")
    board = sel.calibration_board(user=user, cycle=cycle, unit=unit)
    cards = sel.calibration_cards(user=user, cycle=cycle, unit=unit)
    return render(
        request,
        "assessment/calibration_board.html",
        {
            "cycle": cycle,
            "form": form,
            "unit": unit,
            "board": board,
            "rows": [
                {
                    "unit": r.unit,
                    "counts": r.counts,
                    "n": r.n,
                    "a_share": fmt_number(r.top_share, 1),
                    "over": r.over,
                }
                for r in board.rows
            ],
            "grades": board.grades,
            "top_grade": board.scale.top,
            "grade_scale": board.scale,
            "totals": board.totals,
            "n_all": board.n_all,
            "a_share": fmt_number(board.top_share, 1),
            "limit": fmt_number(board.limit, 1),
            "over": board.over,
            "chart": _chart(board),
            "page_obj": paginate(request, cards, PER_PAGE),
            "query_string": list_filters(request)[0],
            "can_act": sel.can_calibrate(user),
            "calibrating": cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING),
            "is_hr": sel.is_hr(user),
            "open_appeals": board.open_appeals,
            "here": request.get_full_path(),
            "calibrate_form": CalibrateForm(grades=board.scale.bands),
            "board_links": calibration_board_links(user=user, cycle_code=cycle.code),
        },
    )
