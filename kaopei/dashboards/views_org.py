"""The organisation dashboard (HR admins and executives) and its drill-down to a unit.
Thin: the figures come from :mod:`kaopei.dashboards.selectors_org`; here they become ECharts
options (rendered with ``json_script``, mounted by ``core/kaopei.js``) and tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaopei.assessment.templatetags.grades import grade_name
from kaopei.core.rules import is_hr_admin
from kaopei.core.table_export import export_format
from kaopei.dashboards.exports import org_table_response
from kaopei.dashboards.selectors_org import (
    OrgFigures,
    org_cycle_get,
    org_cycles,
    org_figures,
    org_unit_get,
    require_org_reader,
    suggestion_themes_visible,
)
from kaopei.org.models import OrgUnit


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def grade_chart(fig: OrgFigures, rows: str = "rows") -> dict[str, Any]:
    """A stacked bar per row (branch, unit or job level), one series per grade."""
    data = getattr(fig, rows)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": [r.name for r in data]},
        "yAxis": {"type": "value", "name": _("People")},
        "series": [
            {
                "type": "bar",
                "stack": "grades",
                "name": grade_name(g),
                "data": [r.counts[i] for r in data],
            }
            for i, g in enumerate(fig.grades)
        ],
    }


def heat_chart(fig: OrgFigures) -> dict[str, Any]:
    """Units × metrics, coloured by mean attainment (percent of target)."""
    cells = [
        [x, y, _num(v)]
        for y, row in enumerate(fig.heat)
        for x, v in enumerate(row.cells)
        if v is not None
    ]
    return {
        "tooltip": {"position": "top"},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": fig.metrics, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "category", "data": [r.name for r in fig.heat]},
        "visualMap": {
            "min": 50,
            "max": 150,
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "text": [_("above target"), _("below target")],
        },
        "series": [
            {
                "type": "heatmap",
                "name": _("Mean attainment (%)"),
                "data": cells,
                "label": {"show": True},
            }
        ],
    }


def trend_chart(fig: OrgFigures) -> dict[str, Any]:
    """Mean total per cycle (line) and grade shares (stacked bars, percent)."""
    codes = [p.code for p in fig.trend]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": codes},
        "yAxis": [
            {"type": "value", "name": _("Share (%)"), "max": 100},
            {"type": "value", "name": _("Mean total")},
        ],
        "series": [
            *(
                {
                    "type": "bar",
                    "stack": "shares",
                    "name": grade_name(g),
                    "data": [_num(p.shares[i]) for p in fig.trend],
                }
                for i, g in enumerate(fig.grades)
            ),
            {
                "type": "line",
                "yAxisIndex": 1,
                "name": _("Mean total"),
                "data": [_num(p.mean_total) for p in fig.trend],
            },
        ],
    }


def _context(request: HttpRequest, fig: OrgFigures, **extra: Any) -> dict[str, Any]:
    ninebox_rows = list(zip((_("High"), _("Medium"), _("Low")), fig.ninebox, strict=False))
    return {
        "fig": fig,
        "cycles": org_cycles(),
        "grade_chart": grade_chart(fig),
        "level_chart": grade_chart(fig, "levels"),
        "heat_chart": heat_chart(fig),
        "trend_chart": trend_chart(fig),
        "ninebox_rows": ninebox_rows,
        "show_themes": suggestion_themes_visible(request.user),
        **extra,
    }


def org_summary(request: HttpRequest) -> dict[str, Any] | None:
    """The home's summary of the latest published cycle (HR admins and executives)."""
    cycle = org_cycle_get(user=request.user, code=None)
    if cycle is None:
        return None
    return {"cycle": cycle, "fig": org_figures(user=request.user, cycle=cycle)}


@require_GET
def org(request: HttpRequest) -> HttpResponse:
    """The bank's figures of a cycle (``?cycle=``, the latest published by default)."""
    require_org_reader(request.user)
    cycle = org_cycle_get(user=request.user, code=request.GET.get("cycle"))
    if cycle is None:
        return render(request, "dashboards/org/org.html", {"cycle": None, "cycles": []})
    fig = org_figures(user=request.user, cycle=cycle)
    fmt = export_format(request)
    if fmt:
        return org_table_response(fig=fig, table=request.GET.get("table", ""), fmt=fmt)
    context = _context(request, fig, cycle=cycle)
    context["can_set_leaderboards"] = is_hr_admin(request.user)
    return render(request, "dashboards/org/org.html", context)


@require_GET
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """The same figures for one unit's subtree (drill-down from a branch)."""
    require_org_reader(request.user)
    the_unit: OrgUnit = org_unit_get(user=request.user, code=code)
    cycle = org_cycle_get(user=request.user, code=request.GET.get("cycle"))
    context: dict[str, Any] = {"unit": the_unit, "cycle": cycle, "cycles": []}
    if cycle is not None:
        fig = org_figures(user=request.user, cycle=cycle, unit=the_unit)
        fmt = export_format(request)
        if fmt:
            return org_table_response(fig=fig, table=request.GET.get("table", ""), fmt=fmt)
        context = _context(request, fig, cycle=cycle, unit=the_unit)
    return render(request, "dashboards/org/unit.html", context)
