"""Org-level targets (HR admins) and their roll-up (HR admins, executives, supervisors).

The roll-up's aggregation is stated on the page: sums for amounts and counts, the mean of
the people's figures for rates and scores (``kaopei.assessment.rollup``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.assessment.forms_unit_targets import (
    RollupFilterForm,
    UnitTargetFilterForm,
    UnitTargetForm,
)
from kaopei.assessment.models import Cycle
from kaopei.assessment.selectors import (
    RollupRow,
    rollup_margin,
    rollup_root_ids,
    target_rollup_for_user,
    unit_target_get_for_user,
    unit_target_list_visible_to,
)
from kaopei.assessment.services.unit_targets import (
    unit_target_delete as unit_target_delete_service,
)
from kaopei.assessment.services.unit_targets import unit_target_set, unit_target_update
from kaopei.assessment.views.config import _show_error
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.org.models import OrgUnit
from kaopei.org.selectors import unit_descendant_ids

GET_POST = require_http_methods(["GET", "POST"])
PER_PAGE = 50

UNIT_TARGET_COLUMNS = (
    Column("cycle", gettext_lazy("Cycle")),
    Column("unit_code", gettext_lazy("Unit code")),
    Column("unit", gettext_lazy("Org unit")),
    Column("metric", gettext_lazy("Metric code")),
    Column("metric_name", gettext_lazy("Metric")),
    Column("value", gettext_lazy("Unit target"), "number"),
    Column("unit_of_measure", gettext_lazy("Unit")),
    Column("note", gettext_lazy("Note")),
    Column("updated", gettext_lazy("Last changed"), "date"),
)
ROLLUP_COLUMNS = (
    Column("unit_code", gettext_lazy("Unit code")),
    Column("unit", gettext_lazy("Org unit")),
    Column("metric", gettext_lazy("Metric code")),
    Column("aggregation", gettext_lazy("Aggregation")),
    Column("unit_target", gettext_lazy("Unit target"), "number"),
    Column("people", gettext_lazy("People's targets rolled up"), "number"),
    Column("n_people", gettext_lazy("Targets counted"), "number"),
    Column("difference", gettext_lazy("Difference (fraction)"), "number"),
    Column("flag", gettext_lazy("Flag")),
    Column("actual", gettext_lazy("Actuals rolled up"), "number"),
    Column("attainment", gettext_lazy("Attainment (fraction)"), "number"),
)
AGGREGATION_LABELS = {"sum": gettext_lazy("sum"), "mean": gettext_lazy("mean")}
FLAG_LABELS = {
    "short": gettext_lazy("short of the unit target"),
    "over": gettext_lazy("over the unit target"),
    "": "",
}


def _list_url() -> str:
    return reverse("assessment:unit_target_list")


@require_GET
def unit_target_list(request: HttpRequest) -> HttpResponse:
    """HR admins: every unit target, filtered by cycle, unit (and below) and metric."""
    form = UnitTargetFilterForm(request.GET)
    unit = form.value("unit")
    targets = unit_target_list_visible_to(
        user=request.user,
        cycle=form.value("cycle"),
        unit_ids=unit_descendant_ids(unit.pk) if unit is not None else None,
        metric=form.value("metric"),
    )
    fmt = export_format(request)
    if fmt:
        return table_response(
            columns=UNIT_TARGET_COLUMNS,
            rows=(
                {
                    "cycle": t.cycle.code,
                    "unit_code": t.unit.code,
                    "unit": t.unit.local_name,
                    "metric": t.metric.code,
                    "metric_name": t.metric.name,
                    "value": t.value,
                    "unit_of_measure": t.metric.unit,
                    "note": t.note,
                    "updated": t.updated_at,
                }
                for t in targets
            ),
            fmt=fmt,
            name="unit-targets",
        )
    page = paginate(request, targets, PER_PAGE)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "assessment/unit_target_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": list(page.object_list),
            "query_string": query_string,
            "filtered": filtered,
        },
    )


@GET_POST
def unit_target_create(request: HttpRequest) -> HttpResponse:
    """HR admins: a new unit target; a duplicate is refused with a clear message."""
    unit_target_list_visible_to(user=request.user)  # 403 unless HR admin
    form = UnitTargetForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit_target_set(
                unit=data["unit"],
                cycle=data["cycle"],
                metric=data["metric"],
                value=data["value"],
                note=data["note"],
                user=request.user,
                create_only=True,
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Unit target saved."))
            return redirect(f"{_list_url()}?cycle={data['cycle'].code}")
    return render(request, "assessment/unit_target_form.html", {"form": form})


@GET_POST
def unit_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """HR admins: change a unit target's value and note."""
    target = unit_target_get_for_user(user=request.user, pk=pk)
    initial = {
        "unit": target.unit.code,
        "cycle": target.cycle.code,
        "metric": target.metric.code,
        "value": target.value.normalize(),
        "note": target.note,
    }
    form = UnitTargetForm(request.POST or None, initial=initial, fixed=True)
    if request.method == "POST" and form.is_valid():
        try:
            unit_target_update(
                target=target,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Unit target saved."))
            return redirect(f"{_list_url()}?cycle={target.cycle.code}")
    return render(request, "assessment/unit_target_form.html", {"form": form, "target": target})


@GET_POST
def unit_target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """HR admins: GET asks for confirmation, POST removes the unit target."""
    target = unit_target_get_for_user(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            unit_target_delete_service(target=target, user=request.user)
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Unit target removed."))
            return redirect(f"{_list_url()}?cycle={target.cycle.code}")
    return render(request, "assessment/unit_target_delete.html", {"target": target, "error": error})


def rollup_row_dict(row: RollupRow) -> dict[str, Any]:
    r = row.result
    return {
        "unit_code": row.unit.code,
        "unit": row.unit.local_name,
        "metric": row.metric.code,
        "aggregation": str(AGGREGATION_LABELS[r.aggregation]),
        "unit_target": r.unit_target,
        "people": r.people,
        "n_people": r.n_people,
        "difference": r.difference,
        "flag": str(FLAG_LABELS[r.flag]),
        "actual": r.actual,
        "attainment": r.attainment,
    }


def _pct(fraction: Decimal | None) -> str:
    if fraction is None:
        return "—"
    return f"{(fraction * 100).quantize(Decimal('0.1'))} %"


@require_GET
def target_rollup(request: HttpRequest) -> HttpResponse:
    """Per unit × metric of a cycle (and a unit's subtree): the unit's target against its
    people's targets and actuals rolled up, flagged beyond the margin."""
    allowed = rollup_root_ids(request.user)  # 403 for account managers and trainers
    units = OrgUnit.objects.order_by("code")
    if allowed is not None:
        units = units.filter(pk__in=allowed)
    form = RollupFilterForm(request.GET, units=units)
    cycle: Cycle | None = form.value("cycle")
    # A filter that names no such cycle, unit or metric is said so, not quietly replaced.
    unknown = [k for k in ("cycle", "unit", "metric") if request.GET.get(k) and k in form.errors]
    if unknown:
        return render(
            request,
            "assessment/target_rollup.html",
            {
                "form": form,
                "cycle": None,
                "rows": [],
                "unknown_filters": True,
                "margin_pct": (rollup_margin() * 100).normalize(),
            },
            status=400,
        )
    if cycle is None:
        # By default the latest cycle that has unit targets (else the latest cycle).
        cycle = (
            Cycle.objects.filter(unit_targets__isnull=False).order_by("-start").first()
            or Cycle.objects.order_by("-start").first()
        )
    rows = (
        target_rollup_for_user(
            user=request.user, cycle=cycle, unit=form.value("unit"), metric=form.value("metric")
        )
        if cycle is not None
        else []
    )
    fmt = export_format(request)
    if fmt:
        return table_response(
            columns=ROLLUP_COLUMNS,
            rows=(rollup_row_dict(r) for r in rows),
            fmt=fmt,
            name=f"target-rollup-{cycle.code if cycle else ''}",
        )
    query_string, filtered = list_filters(request)
    margin = rollup_margin()
    return render(
        request,
        "assessment/target_rollup.html",
        {
            "form": form,
            "cycle": cycle,
            "rows": [
                (row, _pct(row.result.difference), _pct(row.result.attainment)) for row in rows
            ],
            "margin_pct": (margin * 100).normalize(),
            "query_string": query_string,
            "filtered": filtered,
        },
    )
