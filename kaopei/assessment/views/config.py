"""Configuration pages: the metric library, templates, targets per cycle and the audit log.

Writes are for HR admins. The metric library is readable by every signed-in role;
templates by HR admins, supervisors and executives; targets by HR admins and supervisors
(their own people); the audit log by HR admins only.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.assessment import selectors
from kaopei.assessment.audit import audit_log_for_user
from kaopei.assessment.forms_config import (
    MAX_TEMPLATE_ROWS,
    AuditFilterForm,
    MetricForm,
    TargetBulkForm,
    TargetCopyForm,
    TargetFilterForm,
    TemplateForm,
    template_item_formset,
)
from kaopei.assessment.models import Cycle, Metric
from kaopei.assessment.selectors import (
    bulk_target_employees,
    can_see_aggregates,
    is_hr,
    metric_get,
    require_hr,
    target_copy_plan,
    target_list_visible_to,
    target_values,
    targets_cycle_get_for_user,
    template_versions,
    unit_target_warnings,
)
from kaopei.assessment.services.metrics import metric_create as metric_create_service
from kaopei.assessment.services.metrics import metric_update
from kaopei.assessment.services.targets import (
    TargetWarning,
    target_warnings,
    targets_copy_from_previous,
    targets_set,
)
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.assessment.services.unit_targets import rollup_warning_messages
from kaopei.assessment.sources import metric_available, unavailable_reason
from kaopei.assessment.views.common import require
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.params import int_param
from kaopei.core.periods import PeriodCodeError, parse_period, previous_period
from kaopei.core.rules import has_a_role
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.org.selectors import unit_descendant_ids, unit_list_visible_to

GET_POST = require_http_methods(["GET", "POST"])
TARGETS_PER_PAGE = 50
AUDIT_PER_PAGE = 50
WARNING_EXAMPLES = 10
PREVIEW_ROWS = 20


def _show_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal next to the fields it names, else at the top of the form."""
    placed = False
    for error in exc.errors:
        name = error.get("field")
        if name in form.fields and not form.fields[name].disabled:
            form.add_error(name, str(error.get("message", exc.message)))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


# --- Metric library -----------------------------------------------------------------------


@require_GET
def metric_list(request: HttpRequest) -> HttpResponse:
    """The library with its definitions, in the reader's language; inactive ones on request."""
    require(has_a_role(request.user))
    show_inactive = request.GET.get("inactive") == "1"
    metrics = selectors.metric_list()
    if not show_inactive:
        metrics = metrics.filter(active=True)
    groups: dict[str, list[Metric]] = defaultdict(list)
    for metric in metrics:
        available = metric_available(code=metric.code, source=metric.source)
        metric.unavailable = "" if available else unavailable_reason(metric.code)  # type: ignore[attr-defined]
        groups[metric.get_category_display()].append(metric)
    return render(
        request,
        "assessment/metric_list.html",
        {
            "groups": list(groups.items()),
            "show_inactive": show_inactive,
            "can_manage": is_hr(request.user),
        },
    )


@GET_POST
def metric_create(request: HttpRequest) -> HttpResponse:
    """HR admins: add a manual metric (fed by the manual_scores import)."""
    require_hr(request.user)
    form = MetricForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            metric = metric_create_service(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request, _("Metric %(code)s added to the library.") % {"code": metric.code}
            )
            return redirect("assessment:metric_list")
    return render(request, "assessment/metric_form.html", {"form": form, "metric": None})


@GET_POST
def metric_edit(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: edit a metric; built-in ones only their names, definitions and status."""
    require_hr(request.user)
    metric = metric_get(code=code)
    form = MetricForm(request.POST or None, metric=metric)
    if request.method == "POST" and form.is_valid():
        try:
            metric_update(metric=metric, user=request.user, **form.changes())
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Metric %(code)s saved.") % {"code": metric.code})
            return redirect("assessment:metric_list")
    return render(request, "assessment/metric_form.html", {"form": form, "metric": metric})


# --- Templates ----------------------------------------------------------------------------


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    """Current templates per level and cycle kind, and the older versions."""
    require(can_see_aggregates(request.user))
    templates = list(
        selectors.template_list().order_by("cycle_kind", "level__rank", "code", "-version")
    )
    return render(
        request,
        "assessment/template_list.html",
        {
            "current": [t for t in templates if t.current],
            "old": [t for t in templates if not t.current],
            "can_manage": is_hr(request.user),
        },
    )


@require_GET
def template_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One template: the items of a version (the newest unless ``?version=``) and every
    version with who made it and how many scorecards used it."""
    require(can_see_aggregates(request.user))
    versions = template_versions(code=code)
    shown = versions[0]
    wanted = int_param(request, "version", default=None, min_value=1, max_value=2**31 - 1)
    if wanted is not None:
        found = [v for v in versions if v.version == wanted]
        if not found:
            raise Http404
        shown = found[0]
    items = list(shown.items.all())
    return render(
        request,
        "assessment/template_detail.html",
        {
            "template": shown,
            "items": items,
            "total_weight": sum((i.weight for i in items), Decimal(0)),
            "versions": versions,
            "latest": versions[0],
            "can_manage": is_hr(request.user),
        },
    )


def _template_form_page(request: HttpRequest, *, base: Any = None) -> HttpResponse:
    """Create a template (``base`` None) or the next version of ``base``'s code."""
    require_hr(request.user)
    initial_items = (
        [{"metric": i.metric.code, "weight": i.weight, "cap": i.cap} for i in base.items.all()]
        if base is not None
        else []
    )
    rows = len(initial_items) + 4
    asked = int_param(request, "rows", default=0, min_value=0, max_value=MAX_TEMPLATE_ROWS)
    rows = max(rows, asked or 0)
    formset_class = template_item_formset(rows=rows)
    form = TemplateForm(request.POST or None, template=base)
    formset = formset_class(request.POST or None, initial=initial_items or None, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [spec for f in formset.forms if (spec := f.item()) is not None]
        data = form.cleaned_data
        try:
            template = template_create_version(
                code=base.code if base is not None else data["code"],
                level=base.level if base is not None else data["level"],
                cycle_kind=base.cycle_kind if base is not None else data["cycle_kind"],
                items=[ItemSpec(metric=m, weight=w, cap=c) for m, w, c in items],
                user=request.user,
                note=data["note"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Template %(code)s version %(version)s is now current.")
                % {"code": template.code, "version": template.version},
            )
            return redirect("assessment:template_detail", code=template.code)
    entered = Decimal(0)
    for f in formset.forms:
        data = getattr(f, "cleaned_data", None) or {}
        if data.get("metric") is not None and data.get("weight") is not None:
            entered += data["weight"]
    if not formset.is_bound:
        entered = sum((Decimal(i["weight"]) for i in initial_items), Decimal(0))
    return render(
        request,
        "assessment/template_form.html",
        {
            "form": form,
            "formset": formset,
            "base": base,
            "entered": entered,
            "more_rows": min(rows + 5, 40),
        },
    )


@GET_POST
def template_create(request: HttpRequest) -> HttpResponse:
    return _template_form_page(request)


@GET_POST
def template_new_version(request: HttpRequest, code: str) -> HttpResponse:
    require_hr(request.user)
    return _template_form_page(request, base=template_versions(code=code)[0])


# --- Targets ------------------------------------------------------------------------------


@require_GET
def target_list(request: HttpRequest, code: str) -> HttpResponse:
    """A cycle's targets with filters and guardrail warnings (HR all, supervisors theirs)."""
    cycle = targets_cycle_get_for_user(user=request.user, code=code)
    form = TargetFilterForm(
        request.GET, units=unit_list_visible_to(user=request.user).order_by("code")
    )
    unit = form.value("unit")
    targets = target_list_visible_to(
        user=request.user,
        cycle=cycle,
        unit_ids=unit_descendant_ids(unit.pk) if unit is not None else None,
        level=form.value("level"),
        metric=form.value("metric"),
        q=form.value("q", ""),
    )
    fmt = export_format(request)
    if fmt:
        return table_response(
            columns=TARGET_COLUMNS,
            rows=(
                {
                    "employee_no": t.employee.employee_no,
                    "name": t.employee.name,
                    "org_unit": t.employee.org_unit.local_name if t.employee.org_unit else "",
                    "level": t.employee.level.local_name if t.employee.level else "",
                    "metric": t.metric.code,
                    "metric_name": t.metric.name,
                    "target": t.value,
                    "unit": t.metric.unit,
                }
                for t in targets
            ),
            fmt=fmt,
            name=f"targets-{cycle.code}",
        )
    page = paginate(request, targets, TARGETS_PER_PAGE)
    rows = list(page.object_list)
    flagged: dict[tuple[str, str], list[str]] = defaultdict(list)
    for w in target_warnings(cycle=cycle, rows=[(t.employee, t.metric) for t in rows]):
        if w.code != "after_open":
            flagged[(w.employee_no, w.metric)].append(w.message)
    query_string, filtered = list_filters(request)
    context = {
        "cycle": cycle,
        "form": form,
        "page_obj": page,
        "rows": [(t, flagged.get((t.employee.employee_no, t.metric.code), [])) for t in rows],
        "query_string": query_string,
        "filtered": filtered,
        "can_manage": is_hr(request.user) and not cycle.is_final,
    }
    return render_list(request, "assessment/target_list.html", context)


TARGET_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("org_unit", gettext_lazy("Org unit")),
    Column("level", gettext_lazy("Job level")),
    Column("metric", gettext_lazy("Metric code")),
    Column("metric_name", gettext_lazy("Metric")),
    Column("target", gettext_lazy("Target"), "number"),
    Column("unit", gettext_lazy("Unit")),
)


def _grouped(warnings: list[TargetWarning]) -> list[dict[str, Any]]:
    """Warnings by kind: how many, and the first few messages."""
    labels = {
        "non_sales_role": _("Sales targets for non-sales roles"),
        "outside_template": _("Metrics outside the person's template"),
        "after_open": _("Changes after the cycle opened"),
    }
    groups: dict[str, list[TargetWarning]] = defaultdict(list)
    for w in warnings:
        groups[w.code].append(w)
    return [
        {
            "code": code,
            "label": labels.get(code, code),
            "count": len(items),
            "examples": [w.message for w in items[:WARNING_EXAMPLES]],
        }
        for code, items in groups.items()
    ]


@GET_POST
def target_bulk(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: one metric's target for everyone of a level or in a unit. The first POST
    shows what would change and the guardrail warnings; the confirmed POST saves."""
    require_hr(request.user)
    cycle = targets_cycle_get_for_user(user=request.user, code=code)
    form = TargetBulkForm(request.POST or None, initial={"metric": request.GET.get("metric", "")})
    context: dict[str, Any] = {"cycle": cycle, "form": form}
    if request.method == "POST" and form.is_valid() and not cycle.is_final:
        level, unit = form.target_scope()
        metric, value = form.cleaned_data["metric"], form.cleaned_data["value"]
        people = bulk_target_employees(
            cycle=cycle,
            level=level,
            unit_ids=unit_descendant_ids(unit.pk) if unit is not None else None,
        )
        if not people:
            form.add_error("scope", _("Nobody employed in this cycle is in this group."))
        elif form.cleaned_data["confirm"]:
            try:
                created, updated, unchanged = targets_set(
                    cycle=cycle,
                    values={(e.pk, metric.pk): value for e in people},
                    user=request.user,
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _(
                        "Targets for %(metric)s saved: %(created)d new, %(updated)d changed, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "metric": metric.code,
                        "created": created,
                        "updated": updated,
                        "unchanged": unchanged,
                    },
                )
                _warn_rollup(request, cycle, {metric.pk})
                return redirect(f"{_target_list_url(cycle)}?metric={metric.code}")
        else:
            current = target_values(cycle=cycle, metric=metric, employees=people)
            preview = [(e, current.get(e.pk)) for e in people]
            context.update(
                {
                    "confirming": True,
                    "people": preview[:PREVIEW_ROWS],
                    "n_people": len(people),
                    "n_new": sum(1 for _e, v in preview if v is None),
                    "n_changed": sum(1 for _e, v in preview if v is not None and v != value),
                    "warnings": _grouped(
                        target_warnings(cycle=cycle, rows=[(e, metric) for e in people])
                    ),
                    "metric": metric,
                    "value": value,
                    "scope": level or unit,
                    "confirm_form": TargetBulkForm(initial={**form.cleaned_data, "confirm": True}),
                }
            )
    return render(request, "assessment/target_bulk.html", context)


def _warn_rollup(request: HttpRequest, cycle: Cycle, metric_ids: set[int] | None) -> None:
    """After people's targets changed: a warning per unit whose roll-up now falls short of
    or overshoots its unit target by more than the margin (not a refusal)."""
    for message in rollup_warning_messages(
        unit_target_warnings(cycle=cycle, metric_ids=metric_ids)
    ):
        messages.warning(request, message)


def _target_list_url(cycle: Cycle) -> str:
    return reverse("assessment:target_list", args=[cycle.code])


@GET_POST
def target_copy(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: copy another cycle's targets (by default the previous one of the same
    kind) times a growth factor, after a preview with the guardrail warnings."""
    require_hr(request.user)
    cycle = targets_cycle_get_for_user(user=request.user, code=code)
    initial: dict[str, Any] = {}
    with contextlib.suppress(PeriodCodeError, ValueError):
        initial["source"] = previous_period(parse_period(cycle.code)).code
    form = TargetCopyForm(request.POST or None, cycle=cycle, initial=initial)
    context: dict[str, Any] = {"cycle": cycle, "form": form}
    if request.method == "POST" and form.is_valid() and not cycle.is_final:
        source, growth = form.cleaned_data["source"], form.cleaned_data["growth"]
        if form.cleaned_data["confirm"]:
            try:
                n = targets_copy_from_previous(
                    cycle=cycle, source=source, growth=growth, user=request.user
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("%(n)d targets copied from %(source)s with a growth factor of %(growth)s.")
                    % {"n": n, "source": source.code, "growth": growth},
                )
                _warn_rollup(request, cycle, None)
                return redirect("assessment:target_list", code=cycle.code)
        else:
            rows, n_replaced = target_copy_plan(cycle=cycle, source=source)
            context.update(
                {
                    "confirming": True,
                    "source": source,
                    "growth": growth,
                    "n_source": len(rows),
                    "n_replaced": n_replaced,
                    "warnings": _grouped(target_warnings(cycle=cycle, rows=rows)),
                    "confirm_form": TargetCopyForm(
                        cycle=cycle,
                        initial={"source": source.code, "growth": growth, "confirm": True},
                    ),
                }
            )
    return render(request, "assessment/target_copy.html", context)


# --- Audit --------------------------------------------------------------------------------


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """HR admins: recent changes to targets, templates, metrics, cycles, scorecards,
    calibrations and appeals — who, when, before → after — by kind and cycle."""
    require_hr(request.user)
    form = AuditFilterForm(request.GET)
    cycle = form.value("cycle")
    log = audit_log_for_user(
        user=request.user,
        kind=form.value("kind", ""),
        cycle_code=cycle.code if cycle is not None else "",
    )
    page: Page[Any] = paginate(request, log, AUDIT_PER_PAGE)
    query_string, filtered = list_filters(request)
    context = {
        "form": form,
        "page_obj": page,
        "query_string": query_string,
        "filtered": filtered,
    }
    return render_list(request, "assessment/audit_log.html", context)
