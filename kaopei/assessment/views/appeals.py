"""Appeal pages: filing an appeal on a line, the appeals in scope, one appeal's trail with
its answer, and the corrections made to answer it (records voided, corrected or added, the
target corrected); HR's void and correct actions on a line's evidence page.

Views stay thin (STYLE.md item 3): a selector fetches and scopes (404 outside the scope),
one service writes, and an ApplicationError becomes a message and a redirect, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaopei.assessment import selectors as sel
from kaopei.assessment.evidence import SOURCE_KIND, Evidence, evidence_for
from kaopei.assessment.forms import (
    AppealFilterForm,
    AppealForm,
    AppealResolveForm,
    TargetCorrectForm,
    VoidForm,
    first_error,
    record_form_class,
    record_initial,
)
from kaopei.assessment.models import Appeal, AppealCorrection, LineOverride, Scorecard, ScoreLine
from kaopei.assessment.presenters import attr_path, cell_text, line_rows
from kaopei.assessment.rules import can_correct_for_appeal
from kaopei.assessment.services import calibration as calibration_services
from kaopei.assessment.services import corrections as correction_services
from kaopei.assessment.views.common import (
    EVIDENCE_PER_PAGE,
    PER_PAGE,
    card_url,
    require,
    who,
)
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.periods import parse_period
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.facts.corrections import BY_MODEL, corrections_of, record_get, record_kind


@require_POST
def appeal_create(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """The owner disputes one line of their scorecard."""
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(card_url(card))
    try:
        appeal = calibration_services.appeal_create(
            scorecard=card,
            metric_code=form.cleaned_data["metric"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(card_url(card))
    messages.success(
        request,
        _("Your appeal on “%(metric)s” was sent. You will see the answer here.")
        % {"metric": appeal.metric.name},
    )
    return redirect("assessment:appeal_detail", pk=appeal.pk)


# --- Appeals -----------------------------------------------------------------------------------


APPEAL_COLUMNS = (
    Column("id", gettext_lazy("Appeal number"), "number"),
    Column("cycle", gettext_lazy("Cycle")),
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("metric", gettext_lazy("Metric code")),
    Column("status", gettext_lazy("Status")),
    Column("reason", gettext_lazy("Reason")),
    Column("resolution", gettext_lazy("Answer")),
    Column("created", gettext_lazy("Raised at"), "date"),
    Column("resolved", gettext_lazy("Resolved at"), "date"),
)


def appeal_list(request: HttpRequest) -> HttpResponse:
    """Appeals in scope: HR all, a supervisor their team's, an account manager their own."""
    require(sel.can_open_scorecards(request.user))
    form = AppealFilterForm(request.GET)
    appeals = sel.appeals_visible_to(user=request.user).order_by("-created_at", "-pk")
    status = form.value("status", "")
    if status:
        appeals = appeals.filter(status=status)
    fmt = export_format(request)
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=APPEAL_COLUMNS,
            rows=(
                {
                    "id": a.pk,
                    "cycle": a.scorecard.cycle.code,
                    "employee_no": a.scorecard.employee.employee_no,
                    "name": a.scorecard.employee.name,
                    "metric": a.metric.code if a.metric else "",
                    "status": a.get_status_display(),
                    "reason": a.reason,
                    "resolution": a.resolution,
                    "created": a.created_at,
                    "resolved": a.resolved_at,
                }
                for a in appeals
            ),
            fmt=fmt,
            name="appeals",
        )
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
    """An appeal's trail, its corrections, the line before and after and, for HR or the
    appellant's supervisor while it is open, the correction panel and the answer form."""
    appeal = sel.appeal_get_for_user(user=request.user, pk=pk)
    may_resolve = sel.can_resolve_appeal(request.user, appeal)
    form = AppealResolveForm(request.POST or None)
    if request.method == "POST":
        # Someone else may have answered since this page was opened: the service says so.
        require(sel.can_answer_appeal(request.user, appeal))
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            try:
                calibration_services.appeal_resolve(
                    appeal=appeal,
                    accept=decision != "reject",
                    answer=form.cleaned_data["answer"],
                    override=form.cleaned_data["override"] if decision == "override" else None,
                    user=request.user,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _(
                        "Appeal accepted. The cycle is being re-scored: "
                        "the line's new value shows here once it is done."
                    )
                    if decision != "reject"
                    else _("Appeal rejected with your answer."),
                )
                return redirect("assessment:appeal_detail", pk=appeal.pk)
    card = appeal.scorecard
    line = (
        ScoreLine.objects.filter(scorecard=card, metric=appeal.metric)
        .select_related("metric")
        .first()
    )
    may_correct = bool(may_resolve) and not card.cycle.is_final
    evidence = evidence_for(appeal.metric.code, card.employee_id, parse_period(card.cycle.code))

    def action_url(kind: str, record: int, action: str) -> str:
        return reverse(f"assessment:appeal_record_{action}", args=[appeal.pk, kind, record])

    override = LineOverride.objects.filter(
        cycle=card.cycle, employee=card.employee, metric=appeal.metric
    ).first()
    return render(
        request,
        "assessment/appeal_detail.html",
        {
            "appeal": appeal,
            "card": card,
            "row": line_rows(card, [line], {})[0] if line is not None else None,
            "raised_by": who(appeal.raised_by),
            "resolved_by": who(appeal.resolved_by),
            "may_resolve": may_resolve,
            "may_correct": may_correct,
            "form": form,
            "corrections": AppealCorrection.objects.filter(appeal=appeal).select_related(
                "by__employee"
            ),
            "groups": evidence_groups(request, evidence, action_url if may_correct else None),
            "add_kind": SOURCE_KIND.get(appeal.metric.code),
            "void_form": VoidForm(),
            "target_form": TargetCorrectForm(),
            "override": override,
            "override_by": who(override.by) if override else "",
            "job": appeal.rescore_job,
        },
    )


# --- Evidence with its corrections (shared with the evidence page) ---------------------------

RecordUrl = Callable[[str, int, str], str]  # (kind, record id, "void" | "correct") -> url


def evidence_groups(
    request: HttpRequest, evidence: Evidence | None, action_url: RecordUrl | None = None
) -> list[dict[str, Any]]:
    """The groups of records behind a line, a page each (``?page_<n>``): each row's cells,
    whether it is voided (struck through, with who, when and why) and, with
    ``action_url``, where to void or correct it; with the record's correction trail."""
    groups = []
    for n, group in enumerate(evidence.groups if evidence else [], start=1):
        qs = group.queryset
        qs = qs.order_by(*(qs.query.order_by or qs.model._meta.ordering), "pk")
        param = f"page_{n}"
        page = paginate(request, qs, EVIDENCE_PER_PAGE, param=param)
        kind = BY_MODEL[qs.model].slug if qs.model in BY_MODEL else ""
        trail = corrections_of(list(page))

        def link(number: int, param: str = param) -> str:
            query = request.GET.copy()
            query[param] = str(number)
            return f"?{query.urlencode()}#group-{param}"

        rows = []
        for obj in page:
            voided = getattr(obj, "voided_at", None) is not None
            changes = trail.get((obj._meta.label_lower, obj.pk), [])
            rows.append(
                {
                    "cells": [cell_text(attr_path(obj, path)) for path, _h in group.columns],
                    "pk": obj.pk,
                    "voided": voided,
                    "changes": changes,
                    "void_url": action_url(kind, obj.pk, "void")
                    if action_url and kind and not voided
                    else "",
                    "correct_url": action_url(kind, obj.pk, "correct")
                    if action_url and kind and not voided
                    else "",
                }
            )
        groups.append(
            {
                "anchor": f"group-{param}",
                "label": group.label,
                "voided": group.voided,
                "kind": kind,
                "page": page,
                "headings": [heading for _path, heading in group.columns],
                "rows": rows,
                "previous": link(page.previous_page_number()) if page.has_previous() else "",
                "next": link(page.next_page_number()) if page.has_next() else "",
            }
        )
    return groups


def _appeal_for_correction(request: HttpRequest, pk: int) -> Appeal:
    """An appeal in scope that the user may still answer (403 otherwise)."""
    appeal = sel.appeal_get_for_user(user=request.user, pk=pk)
    require(bool(can_correct_for_appeal(request.user, appeal)))
    return appeal


def _appeal_url(appeal: Appeal) -> str:
    return reverse("assessment:appeal_detail", args=[appeal.pk]) + "#corrections"


@require_POST
def appeal_record_void(request: HttpRequest, pk: int, kind: str, record: int) -> HttpResponse:
    """Void a record behind the appealed line (with a reason; the page asked to confirm)."""
    appeal = _appeal_for_correction(request, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(_appeal_url(appeal))
    try:
        done = correction_services.appeal_record_void(
            appeal=appeal,
            kind=kind,
            record_id=record,
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Voided %(what)s: it no longer counts. Accept the appeal to re-score.")
            % {"what": done.summary},
        )
    return redirect(_appeal_url(appeal))


def _record_form_page(
    request: HttpRequest,
    *,
    title: str,
    form: Any,
    back: str,
    record: Any = None,
) -> HttpResponse:
    return render(
        request,
        "assessment/record_form.html",
        {"title": title, "form": form, "back": back, "record": record},
    )


def _changes(form: Any) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "reason"}


@require_http_methods(["GET", "POST"])
def appeal_record_correct(request: HttpRequest, pk: int, kind: str, record: int) -> HttpResponse:
    """Correct the values of a record behind the appealed line."""
    appeal = _appeal_for_correction(request, pk)
    try:
        obj = record_get(kind=kind, pk=record)
    except ApplicationError as exc:
        raise Http404(str(exc.message)) from exc
    form_class = record_form_class(kind, adding=False)
    form = form_class(request.POST or None, initial=record_initial(obj))
    if request.method == "POST" and form.is_valid():
        try:
            done = correction_services.appeal_record_correct(
                appeal=appeal,
                kind=kind,
                record_id=record,
                changes=_changes(form),
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Corrected %(what)s.") % {"what": done.summary})
            return redirect(_appeal_url(appeal))
    return _record_form_page(
        request,
        title=_("Correct record %(key)s") % {"key": obj},
        form=form,
        back=_appeal_url(appeal),
        record=obj,
    )


@require_http_methods(["GET", "POST"])
def appeal_record_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a record missing behind the appealed line (of the metric's kind of record)."""
    appeal = _appeal_for_correction(request, pk)
    kind = SOURCE_KIND.get(appeal.metric.code)
    if kind is None:
        raise Http404
    form_class = record_form_class(kind, adding=True)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = correction_services.appeal_record_add(
                appeal=appeal,
                kind=kind,
                values=_changes(form),
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Added %(what)s.") % {"what": done.summary})
            return redirect(_appeal_url(appeal))
    return _record_form_page(
        request,
        title=_("Add a missing %(kind)s for %(name)s")
        % {
            "kind": record_kind(kind).model._meta.verbose_name,
            "name": appeal.scorecard.employee.name,
        },
        form=form,
        back=_appeal_url(appeal),
    )


@require_POST
def appeal_target_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the appellant's target of the appealed line."""
    appeal = _appeal_for_correction(request, pk)
    form = TargetCorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(_appeal_url(appeal))
    try:
        done = correction_services.appeal_target_correct(
            appeal=appeal,
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Target corrected: %(what)s.") % {"what": done.summary})
    return redirect(_appeal_url(appeal))


# --- HR on the evidence page -----------------------------------------------------------------


def _line_for_hr(request: HttpRequest, code: str, employee_no: str, metric: str) -> Any:
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    require(sel.is_hr(request.user))
    line = sel.scorecard_line_get(card=card, metric_code=metric)
    return card, line


def _evidence_url(card: Scorecard, metric: str) -> str:
    return reverse(
        "assessment:line_evidence", args=[card.cycle.code, card.employee.employee_no, metric]
    )


def _owned_by(kind: str, record: int, card: Scorecard) -> Any:
    """The record, if it belongs to the card's person (404 otherwise)."""
    from kaopei.facts.corrections import record_owner_id

    try:
        obj = record_get(kind=kind, pk=record)
    except ApplicationError as exc:
        raise Http404(str(exc.message)) from exc
    if record_owner_id(obj) != card.employee_id:
        raise Http404
    return obj


@require_POST
def line_record_void(
    request: HttpRequest, code: str, employee_no: str, metric: str, kind: str, record: int
) -> HttpResponse:
    """HR voids a record behind a line (then re-scores the cycle)."""
    card, _line = _line_for_hr(request, code, employee_no, metric)
    _owned_by(kind, record, card)
    form = VoidForm(request.POST)
    back = _evidence_url(card, metric)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    try:
        done = correction_services.record_void_for_cycle(
            cycle=card.cycle,
            kind=kind,
            record_id=record,
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(what)s: it no longer counts once the cycle is re-scored.")
            % {"what": f"{done.get_action_display()} {done.record_key}"},
        )
    return redirect(back)


@require_http_methods(["GET", "POST"])
def line_record_correct(
    request: HttpRequest, code: str, employee_no: str, metric: str, kind: str, record: int
) -> HttpResponse:
    """HR corrects a record behind a line (then re-scores the cycle)."""
    card, _line = _line_for_hr(request, code, employee_no, metric)
    obj = _owned_by(kind, record, card)
    back = _evidence_url(card, metric)
    form = record_form_class(kind, adding=False)(request.POST or None, initial=record_initial(obj))
    if request.method == "POST" and form.is_valid():
        try:
            done = correction_services.record_correct_for_cycle(
                cycle=card.cycle,
                kind=kind,
                record_id=record,
                changes=_changes(form),
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("%(what)s.") % {"what": f"{done.get_action_display()} {done.record_key}"}
            )
            return redirect(back)
    return _record_form_page(
        request,
        title=_("Correct record %(key)s") % {"key": obj},
        form=form,
        back=back,
        record=obj,
    )


__all__ = [
    "appeal_create",
    "appeal_detail",
    "appeal_list",
    "appeal_record_add",
    "appeal_record_correct",
    "appeal_record_void",
    "appeal_target_correct",
    "evidence_groups",
    "line_record_correct",
    "line_record_void",
]
