"""Appeal pages: filing an appeal on a line, the appeals in scope and one appeal's trail with
its answer.

Views stay thin (STYLE.md item 3): a selector fetches and scopes (404 outside the scope),
one service writes, and an ApplicationError becomes a message and a redirect, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaopei.assessment import selectors as sel
from kaopei.assessment.forms import AppealFilterForm, AppealForm, AppealResolveForm, first_error
from kaopei.assessment.models import Scorecard, ScoreLine
from kaopei.assessment.presenters import line_rows
from kaopei.assessment.services import calibration as calibration_services
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list

PER_PAGE = 50


def _who(user: Any) -> str:
    if user is None:
        return "—"
    employee = getattr(user, "employee", None)
    return str(employee.name) if employee is not None else user.get_username()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _card_url(card: Scorecard) -> str:
    return reverse("assessment:scorecard", args=[card.cycle.code, card.employee.employee_no])


@require_POST
def appeal_create(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """The owner disputes one line of their scorecard."""
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(_card_url(card))
    try:
        appeal = calibration_services.appeal_create(
            scorecard=card,
            metric_code=form.cleaned_data["metric"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(_card_url(card))
    messages.success(
        request,
        _("Your appeal on “%(metric)s” was sent. You will see the answer here.")
        % {"metric": appeal.metric.name},
    )
    return redirect("assessment:appeal_detail", pk=appeal.pk)


# --- Appeals -----------------------------------------------------------------------------------


def appeal_list(request: HttpRequest) -> HttpResponse:
    """Appeals in scope: HR all, a supervisor their team's, an account manager their own."""
    _require(sel.can_open_scorecards(request.user))
    form = AppealFilterForm(request.GET)
    appeals = sel.appeals_visible_to(user=request.user).order_by("-created_at", "-pk")
    status = form.value("status", "")
    if status:
        appeals = appeals.filter(status=status)
    page = paginate(request, appeals, PER_PAGE)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "assessment/appeal_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query_string,
            "filtered": filtered,
        },
    )


@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An appeal's trail and, for HR or the appellant's supervisor, the resolve form."""
    appeal = sel.appeal_get_for_user(user=request.user, pk=pk)
    may_resolve = sel.can_resolve_appeal(request.user, appeal)
    form = AppealResolveForm(request.POST or None)
    if request.method == "POST":
        # Someone else may have answered since this page was opened: the service says so.
        _require(sel.can_answer_appeal(request.user, appeal))
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                calibration_services.appeal_resolve(
                    appeal=appeal,
                    accept=accept,
                    answer=form.cleaned_data["answer"],
                    user=request.user,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Appeal accepted; the cycle was re-scored.")
                    if accept
                    else _("Appeal rejected with your answer."),
                )
            return redirect("assessment:appeal_detail", pk=appeal.pk)
    card = appeal.scorecard
    line = (
        ScoreLine.objects.filter(scorecard=card, metric=appeal.metric)
        .select_related("metric")
        .first()
    )
    return render(
        request,
        "assessment/appeal_detail.html",
        {
            "appeal": appeal,
            "card": card,
            "row": line_rows(card, [line], {})[0] if line is not None else None,
            "raised_by": _who(appeal.raised_by),
            "resolved_by": _who(appeal.resolved_by),
            "may_resolve": may_resolve,
            "form": form,
        },
    )


__all__ = ["appeal_create", "appeal_detail", "appeal_list"]
