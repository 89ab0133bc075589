"""Scorecard pages: my scorecards, a cycle's list, the scorecard ("every point explainable"),
the records behind a line, appeals and notifications (calibration: ``views/calibration.py``).

Views stay thin (STYLE.md item 3): a selector fetches and scopes (404 outside the scope),
one service writes, and an ApplicationError becomes a message and a redirect, never a 500.
The helpers at the top only turn stored numbers into words for the page.

Who sees what (DESIGN.md §1): an account manager their own scorecards; a supervisor
everyone below them; HR everyone (and the audit history). Executives and trainers never see
an individual scorecard (404). Executives may open the calibration board read-only: they see
the grade distributions (aggregates), never the cards or the forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaopei.assessment import selectors as sel
from kaopei.assessment.evidence import evidence_for
from kaopei.assessment.forms import (
    AppealFilterForm,
    AppealForm,
    AppealResolveForm,
    CalibrateForm,
    ScorecardFilterForm,
    first_error,
)
from kaopei.assessment.models import Appeal, Scorecard, ScoreLine
from kaopei.assessment.presenters import (
    attainment_rule,
    attr_path,
    cell_text,
    fmt_number,
    gap_text,
    line_rows,
    no_data_reason,
    projection_text,
)
from kaopei.assessment.services import calibration as calibration_services
from kaopei.assessment.services.notifications import notification_mark_read
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.periods import parse_period
from kaopei.org.selectors import unit_list_visible_to

PER_PAGE = 50
EVIDENCE_PER_PAGE = 100


def _who(user: Any) -> str:
    if user is None:
        return "—"
    employee = getattr(user, "employee", None)
    return str(employee.name) if employee is not None else user.get_username()


# --- Plumbing ----------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _back(request: HttpRequest, fallback: str) -> str:
    """A same-site ``next`` from the form, else ``fallback``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _card_url(card: Scorecard) -> str:
    return reverse("assessment:scorecard", args=[card.cycle.code, card.employee.employee_no])


def _distribution(counts: dict[str, int], grades: Sequence[str]) -> list[dict[str, Any]]:
    n = sum(counts.values())
    return [
        {
            "grade": g,
            "n": counts.get(g, 0),
            "share": fmt_number(Decimal(counts.get(g, 0) * 100) / n, 1) if n else "0",
        }
        for g in grades
    ]


# --- My scorecards and a cycle's list ----------------------------------------------------------


def my_scorecards(request: HttpRequest) -> HttpResponse:
    """The signed-in person's scorecards across cycles (published ones only)."""
    cards = list(sel.my_scorecard_list(user=request.user))
    pending = [c for c in cards if c.cycle.is_final and c.acknowledged_at is None]
    context = {"cards": cards, "pending": pending, "grade_scale": sel.grade_scale_for()}
    return render(request, "assessment/my_scorecards.html", context)


def scorecard_list(request: HttpRequest, code: str) -> HttpResponse:
    """A cycle's scorecards in the user's scope: search, filters, 50 a page, and the grade
    distribution of what the filters select. On an htmx request only the results."""
    _require(sel.can_open_scorecards(request.user))
    cycle = sel.cycle_get_for_user(user=request.user, code=code)
    units = unit_list_visible_to(user=request.user).order_by("code")
    scale = sel.grade_scale_for(cycle)
    form = ScorecardFilterForm(request.GET, units=units, grades=scale.codes)
    cards = sel.scorecard_search(
        user=request.user,
        cycle=cycle,
        q=form.value("q", ""),
        unit=form.value("unit"),
        level=form.value("level"),
        grade=form.value("grade", ""),
    )
    page = paginate(request, cards, PER_PAGE)
    query_string, filtered = list_filters(request)
    context = {
        "cycle": cycle,
        "form": form,
        "page_obj": page,
        "query_string": query_string,
        "filtered": filtered,
        "distribution": _distribution(sel.grade_counts(cards), scale.codes),
        "grade_scale": scale,
        "can_calibrate": sel.can_calibrate(request.user),
    }
    return render_list(request, "assessment/scorecard_list.html", context)


# --- The scorecard -----------------------------------------------------------------------------


def scorecard_detail(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """One scorecard with every point explained (see the module docstring for scope)."""
    user = request.user
    card = sel.scorecard_get_for_user(user=user, cycle_code=code, employee_no=employee_no)
    lines = list(card.lines.all())
    appeals = list(card.appeals.all())
    open_appeals = {a.metric_id: a for a in appeals if a.status == Appeal.Status.OPEN}
    bands = sel.grade_bands_for(card.cycle)
    scale = sel.grade_scale_for(card.cycle)
    band = next((b for b in bands if b.grade == card.grade), None)
    computed = next((b for b in bands if b.grade == card.computed_grade), None)
    metrics = {line.metric.code: line.metric for line in lines}
    return render(
        request,
        "assessment/scorecard_detail.html",
        {
            "card": card,
            "cycle": card.cycle,
            "employee": card.employee,
            "rows": line_rows(card, lines, open_appeals),
            "band": band,
            "behaviour": [x for x in band.behaviour.splitlines() if x.strip()] if band else [],
            "computed_band": computed,
            "gap": gap_text(sel.scorecard_gaps(card=card), metrics, bands),
            "projection": projection_text(card),
            "veto": sel.veto_incident(card),
            "veto_line": "compliance_incidents" in metrics,
            "weight_with_data": fmt_number(card.weight_with_data),
            "weight_total": fmt_number(card.weight_total),
            "weight_without_data": fmt_number(card.weight_total - card.weight_with_data),
            "calibrations": [(c, _who(c.by)) for c in card.calibrations.all()],
            "appeals": appeals,
            "is_owner": sel.is_owner(user, card),
            "can_acknowledge": sel.can_acknowledge_card(user, card),
            "can_appeal": sel.can_appeal_card(user, card),
            "can_calibrate": sel.can_calibrate_card(user, card) and card.eligible,
            "can_remove": sel.is_hr(user) and not card.eligible,
            "calibrate_form": CalibrateForm(initial={"to_grade": card.grade}, grades=scale.bands),
            "grade_scale": scale,
            "history": sel.scorecard_history(user=user, card=card) if sel.is_hr(user) else None,
        },
    )


def line_evidence(request: HttpRequest, code: str, employee_no: str, metric: str) -> HttpResponse:
    """The exact records one line counted, 100 a page per group (``?page_<n>``)."""
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    line = sel.scorecard_line_get(card=card, metric_code=metric)
    evidence = evidence_for(line.metric.code, card.employee_id, parse_period(card.cycle.code))
    groups = []
    for n, group in enumerate(evidence.groups if evidence else [], start=1):
        qs = group.queryset
        qs = qs.order_by(*(qs.query.order_by or qs.model._meta.ordering), "pk")
        param = f"page_{n}"
        page = paginate(request, qs, EVIDENCE_PER_PAGE, param=param)

        def link(number: int, param: str = param) -> str:
            query = request.GET.copy()
            query[param] = str(number)
            return f"?{query.urlencode()}#group-{param}"

        groups.append(
            {
                "anchor": f"group-{param}",
                "label": group.label,
                "page": page,
                "headings": [heading for _path, heading in group.columns],
                "rows": [
                    [cell_text(attr_path(obj, path)) for path, _h in group.columns] for obj in page
                ],
                "previous": link(page.previous_page_number()) if page.has_previous() else "",
                "next": link(page.next_page_number()) if page.has_next() else "",
            }
        )
    scored = line.has_data and line.points is not None
    return render(
        request,
        "assessment/evidence.html",
        {
            "card": card,
            "cycle": card.cycle,
            "employee": card.employee,
            "line": line,
            "metric": line.metric,
            "row": line_rows(card, [line], {})[0],
            "rule": attainment_rule(line.metric, line.cap, line.bound),
            "reason": "" if scored else no_data_reason(line),
            "groups": groups,
            "evidence_note": evidence.note if evidence else "",
            "has_records": evidence is not None,
            "sources": sel.line_sources(card=card, line=line),
            "published": sel.PUBLISHED,
            "grade_scale": sel.grade_scale_for(card.cycle),
            "is_hr": sel.is_hr(request.user),
        },
    )


@require_POST
def scorecard_acknowledge(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    try:
        calibration_services.scorecard_acknowledge(scorecard=card, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("You acknowledged your %(cycle)s scorecard.") % {"cycle": card.cycle.code}
        )
    return redirect(_card_url(card))


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


# --- Notifications -----------------------------------------------------------------------------


@transaction.atomic
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; those shown are marked read."""
    page = paginate(request, sel.notification_list_for(user=request.user), PER_PAGE)
    unread = {n.pk for n in page if n.read_at is None}
    notification_mark_read(user=request.user, ids=sorted(unread))
    return render(
        request,
        "assessment/notification_list.html",
        {
            "page_obj": page,
            "unread": unread,
            "query_string": "",
        },
    )


__all__ = [
    "appeal_create",
    "appeal_detail",
    "appeal_list",
    "line_evidence",
    "my_scorecards",
    "notification_list",
    "scorecard_acknowledge",
    "scorecard_detail",
    "scorecard_list",
]
