"""Removing the scorecard of someone no longer eligible (HR only, after a confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kaopei.assessment import selectors as sel
from kaopei.assessment.services.scorecard_removal import scorecard_remove as remove
from kaopei.core.errors import ApplicationError


@require_http_methods(["GET", "POST"])
def scorecard_remove(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """GET: what goes with the card; POST: remove it (refused for an eligible owner)."""
    if not sel.is_hr(request.user):
        raise PermissionDenied
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    if request.method == "POST":
        try:
            removed = remove(scorecard=card, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect("assessment:scorecard", code, employee_no)
        messages.success(
            request,
            _(
                "The %(cycle)s scorecard of %(name)s was removed, with %(calibrations)d "
                "calibration(s) and %(appeals)d appeal(s)."
            )
            % {
                "cycle": removed.cycle,
                "name": card.employee.name,
                "calibrations": removed.calibrations,
                "appeals": removed.appeals,
            },
        )
        return redirect("assessment:scorecard_list", code)
    preview = sel.scorecard_removal_preview(card=card)
    return render(
        request,
        "assessment/scorecard_remove.html",
        {
            "card": card,
            "cycle": card.cycle,
            "employee": card.employee,
            "preview": preview,
            "grade_scale": sel.grade_scale_for(card.cycle),
        },
    )
