"""Cycle pages: the list, creating a cycle, its detail with the HR actions (status, settings,
scoring as a background job with a progress page) and the exports (DESIGN.md §4.1).

Views stay thin (STYLE.md item 3): a selector fetches and authorises, one service acts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.assessment.exports import (
    CONTENT_TYPES,
    EXPORTS,
    FORMATS,
    export_cycle,
    export_file_name,
)
from kaopei.assessment.forms_config import CycleCreateForm, CycleSettingsForm, CycleStatusForm
from kaopei.assessment.models import Appeal, Cycle
from kaopei.assessment.selectors import (
    appeals_visible_to,
    can_calibrate,
    can_see_targets,
    can_view_calibration,
    current_templates,
    cycle_by_code,
    cycle_get_for_user,
    cycle_list_visible_to,
    grade_distribution,
    grade_scale_for,
    is_hr,
    job_get_for_user,
    require_hr,
    score_jobs_for_cycle,
    scorecard_list_visible_to,
    scorecard_scope_ids,
    target_count,
)
from kaopei.assessment.selectors.skipped import cycle_skipped
from kaopei.assessment.services.cycles import (
    TRANSITIONS,
    cycle_get_or_create,
    cycle_set_status,
    cycle_update_settings,
)
from kaopei.assessment.services.scoring import ordered_grades
from kaopei.assessment.tasks import job_live_progress, score_cycle_enqueue
from kaopei.core.errors import ApplicationError
from kaopei.core.rules import is_supervisor, sees_everyone
from kaopei.org.selectors import employee_for_user

GET_POST = require_http_methods(["GET", "POST"])
# The confirmation asked before each status move (shown by the browser: data-confirm).
STATUS_ACTIONS = {
    Cycle.Status.OPEN: "open",
    Cycle.Status.DRAFT: "draft",
    Cycle.Status.CALIBRATING: "calibrating",
    Cycle.Status.SCORED: "scored",
    Cycle.Status.FINAL: "final",
}


def _status_actions(cycle: Cycle) -> list[dict[str, str]]:
    labels = {
        "open": (
            _("Open the cycle"),
            _("Open cycle %(code)s? Targets changed after this are flagged to auditors."),
        ),
        "reopen": (
            _("Back to open"),
            _("Take cycle %(code)s back to open? Its scorecards stay until it is scored again."),
        ),
        "draft": (_("Back to draft"), _("Put cycle %(code)s back to draft?")),
        "calibrating": (_("Start calibration"), _("Start calibrating cycle %(code)s?")),
        "scored": (_("Back to scored"), _("Leave calibration of %(code)s and go back to scored?")),
        "final": (
            _("Finalise"),
            _(
                "Finalise cycle %(code)s? A final cycle can never change "
                "again, and everyone is notified."
            ),
        ),
    }
    out = []
    for status in sorted(TRANSITIONS.get(cycle.status, set())):
        key = STATUS_ACTIONS[Cycle.Status(status)]
        if key == "open" and cycle.status != Cycle.Status.DRAFT:
            key = "reopen"
        label, confirm = labels[key]
        out.append(
            {
                "status": status,
                "label": label,
                "confirm": confirm % {"code": cycle.code},
                "danger": "1" if status == Cycle.Status.FINAL else "",
            }
        )
    return out


def _ordered(distribution: dict[str, int], order: Sequence[str]) -> list[tuple[str, int, int]]:
    """(grade, count, percent) in ``order`` (the policy's grades, then the engine's)."""
    total = sum(distribution.values())
    return [
        (g, n, round(n * 100 / total) if total else 0)
        for g, n in ordered_grades(distribution, list(order))
    ]


# --- List and creation --------------------------------------------------------------------


@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Every cycle for HR admins (drafts included); published cycles for everyone else."""
    cycles = cycle_list_visible_to(user=request.user).order_by("-start", "kind")
    return render(
        request, "assessment/cycle_list.html", {"cycles": cycles, "can_manage": is_hr(request.user)}
    )


@GET_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    """HR admins: create a cycle from its code (or open it if it exists)."""
    require_hr(request.user)
    form = CycleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        existed = (
            cycle_list_visible_to(user=request.user).filter(code=code.strip().upper()).exists()
        )
        try:
            cycle = cycle_get_or_create(code=code)
        except ApplicationError as exc:
            form.add_error("code", str(exc.message))
        else:
            if existed:
                messages.info(request, _("Cycle %(code)s already exists.") % {"code": cycle.code})
            else:
                messages.success(
                    request, _("Cycle %(code)s created as a draft.") % {"code": cycle.code}
                )
            return redirect("assessment:cycle_detail", code=cycle.code)
    return render(request, "assessment/cycle_create.html", {"form": form})


# --- Detail and HR actions ----------------------------------------------------------------


def _detail_context(
    request: HttpRequest, cycle: Cycle, settings_form: CycleSettingsForm | None = None
) -> dict[str, Any]:
    user = request.user
    hr = is_hr(user)
    cards = scorecard_list_visible_to(user=user, cycle=cycle)
    distribution: list[tuple[str, int, int]] = []
    if sees_everyone(user):
        distribution = _ordered(grade_distribution(cycle=cycle), grade_scale_for(cycle).codes)
    elif is_supervisor(user):
        ids = scorecard_scope_ids(user)
        distribution = _ordered(
            grade_distribution(cycle=cycle, employee_ids=ids), grade_scale_for(cycle).codes
        )
    me = employee_for_user(user)
    mine = cards.filter(employee=me).first() if me is not None else None
    context: dict[str, Any] = {
        "cycle": cycle,
        "grade_scale": grade_scale_for(cycle),
        "can_manage": hr,
        "can_calibrate": can_calibrate(user)
        and cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING, Cycle.Status.FINAL),
        "can_see_targets": can_see_targets(user),
        # Executives read the board's distributions (they open no individual card).
        "can_view_board": can_view_calibration(user)
        and cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING, Cycle.Status.FINAL),
        "n_cards": cards.count(),
        "distribution": distribution,
        "mine": mine,
        # People scored in what the user may see: the distribution's total when it is shown.
        "n_scored": sum(n for _, n, _ in distribution) if distribution else None,
        "n_open_appeals": appeals_visible_to(user=user)
        .filter(scorecard__cycle=cycle, status=Appeal.Status.OPEN)
        .count(),
    }
    if hr:
        context.update(
            {
                "n_targets": target_count(cycle=cycle),
                "templates": current_templates(kind=cycle.kind),
                "status_actions": _status_actions(cycle),
                "settings_form": settings_form or CycleSettingsForm(cycle=cycle),
                "jobs": score_jobs_for_cycle(cycle=cycle),
                "skipped": cycle_skipped(cycle=cycle),
                "exports": [(what, fmt) for what in EXPORTS for fmt in FORMATS],
            }
        )
    return context


@require_GET
def cycle_detail(request: HttpRequest, code: str) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, code=code)
    return render(request, "assessment/cycle_detail.html", _detail_context(request, cycle))


@require_POST
def cycle_status(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: move the cycle along draft → open → scored → calibrating → final."""
    require_hr(request.user)
    cycle = cycle_get_for_user(user=request.user, code=code)
    form = CycleStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            cycle = cycle_set_status(
                cycle=cycle, status=form.cleaned_data["status"], user=request.user
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Cycle %(code)s is now %(status)s.")
                % {"code": cycle.code, "status": cycle.get_status_display()},
            )
    return redirect("assessment:cycle_detail", code=cycle.code)


@GET_POST
def cycle_settings(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: the appeal deadline, grade policy and calibration guideline."""
    require_hr(request.user)
    cycle = cycle_get_for_user(user=request.user, code=code)
    form = CycleSettingsForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_update_settings(cycle=cycle, user=request.user, **form.settings())
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Settings of cycle %(code)s saved.") % {"code": cycle.code})
            return redirect("assessment:cycle_detail", code=cycle.code)
    return render(request, "assessment/cycle_settings.html", {"cycle": cycle, "form": form})


@require_POST
def cycle_score_start(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: score the cycle as a background job and follow its progress."""
    require_hr(request.user)
    cycle = cycle_get_for_user(user=request.user, code=code)
    try:
        job, started = score_cycle_enqueue(code=cycle.code, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("assessment:cycle_detail", code=cycle.code)
    if not started:
        messages.info(
            request,
            _("Cycle %(code)s is already being scored: here is that scoring job.")
            % {"code": cycle.code},
        )
    return redirect("assessment:job_status", job_id=job.pk)


@require_GET
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's progress and result; the page polls itself every second (htmx) until done."""
    job = job_get_for_user(user=request.user, job_id=job_id)
    done, total = job_live_progress(job)
    result = job.result or {}
    cycle_code = (job.params or {}).get("code", "")
    skipped = result.get("skipped") or []
    scale = grade_scale_for(cycle_by_code(cycle_code) if cycle_code else None)
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": min(100, int(done * 100 / total)) if total else (100 if job.is_done else 0),
        "grades": _ordered(
            result.get("grades") or {},
            result.get("grade_order") or scale.codes,
        ),
        "skipped": skipped[:200],
        "n_skipped": len(skipped),
        "cycle_code": cycle_code,
        "is_hr": is_hr(request.user),
        "grade_scale": scale,
    }
    template = "assessment/job_status.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, context)


@require_GET
def cycle_export(request: HttpRequest, code: str, what: str, fmt: str) -> HttpResponse:
    """HR admins: download ``scorecards`` or ``score-lines`` as ``csv`` or ``xlsx``, with
    column headers in the reader's language."""
    require_hr(request.user)
    if what not in EXPORTS or fmt not in FORMATS:
        raise Http404
    cycle = cycle_get_for_user(user=request.user, code=code)
    buffer = io.BytesIO()
    export_cycle(cycle=cycle, what=what, fmt=fmt, stream=buffer, page_headers=True)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_file_name(cycle, what, fmt)}"'
    return response
