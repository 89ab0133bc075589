"""The people dashboards: the account manager's figures on their home, the supervisor's
team on theirs, and the drill into one person (``dashboards:person``). Charts are ECharts
options handed to the template with ``json_script``; every chart has its numbers in a table
under it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaopei.dashboards.selectors_people import (
    PersonDashboard,
    TeamDashboard,
    person_dashboard,
    person_get_for_user,
)
from kaopei.training.selectors.learning import learning_for


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def gauge_chart(gauge: Any) -> dict[str, Any]:
    """One line's attainment as a gauge (0–150 %, target at 100 %)."""
    return {
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": 150,
                "radius": "90%",
                "splitNumber": 3,
                "progress": {"show": True, "width": 10},
                "axisLine": {"lineStyle": {"width": 10}},
                "axisLabel": {"distance": 14, "fontSize": 10},
                "splitLine": {"length": 6},
                "axisTick": {"show": False},
                "pointer": {"show": False},
                "title": {"show": False},
                "detail": {"valueAnimation": False, "formatter": "{value}%", "fontSize": 18},
                "data": [{"value": _num(gauge.percent) or 0, "name": gauge.name}],
            }
        ]
    }


def trend_chart(dash: PersonDashboard) -> dict[str, Any]:
    """The totals of past cycles of the current kind, oldest first."""
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 20, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [p.code for p in dash.trend]},
        "yAxis": {"type": "value", "name": _("Total")},
        "series": [
            {
                "type": "line",
                "name": _("Total"),
                "data": [_num(p.total) for p in dash.trend],
                "label": {"show": True},
            }
        ],
    }


def radar_chart(dash: PersonDashboard) -> dict[str, Any]:
    """Self, others (as the 360 report displays them) and the level's expectation."""
    return {
        "tooltip": {},
        "legend": {"bottom": 0},
        "radar": {"indicator": [{"name": a.name, "max": 5, "min": 0} for a in dash.radar]},
        "series": [
            {
                "type": "radar",
                "data": [
                    {"name": _("Self"), "value": [_num(a.self_mean) for a in dash.radar]},
                    {"name": _("Others"), "value": [_num(a.others_mean) for a in dash.radar]},
                    {"name": _("Expected"), "value": [_num(a.expected) for a in dash.radar]},
                ],
            }
        ],
    }


def heatmap_chart(team: TeamDashboard) -> dict[str, Any]:
    """People × metrics, attainment in %."""
    data = [
        [x, y, _num(value)]
        for y, row in enumerate(team.heat)
        for x, value in enumerate(row.cells)
        if value is not None
    ]
    return {
        "tooltip": {"position": "top"},
        "grid": {"left": 10, "right": 10, "top": 10, "bottom": 70, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [m.name for m in team.metrics],
            "axisLabel": {"rotate": 30, "interval": 0},
        },
        "yAxis": {"type": "category", "data": [r.person.name for r in team.heat]},
        "visualMap": {
            "min": 0,
            "max": 150,
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "inRange": {"color": ["#c0392b", "#f1c40f", "#27ae60"]},
        },
        "series": [
            {
                "type": "heatmap",
                "name": _("Attainment %"),
                "data": data,
                "label": {"show": True},
            }
        ],
    }


def grades_chart(team: TeamDashboard) -> dict[str, Any]:
    """The team's share per grade, the calibration guideline beside the top grade."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"left": 40, "right": 20, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": [s.label for s in team.shares]},
        "yAxis": {"type": "value", "name": "%", "max": 100},
        "series": [
            {"type": "bar", "name": _("My team"), "data": [_num(s.percent) for s in team.shares]},
            {
                "type": "bar",
                "name": _("Guideline (at most)"),
                "data": [_num(s.guideline) for s in team.shares],
            },
        ],
    }


def person_context(dash: PersonDashboard) -> dict[str, Any]:
    """What the person partial needs besides the dashboard: its charts."""
    return {
        "dash": dash,
        "gauge_charts": [(f"kp-gauge-{i}", g, gauge_chart(g)) for i, g in enumerate(dash.gauges)],
        "trend_chart": trend_chart(dash) if dash.trend else None,
        "radar_chart": radar_chart(dash) if len(dash.radar) >= 3 else None,
    }


def team_context(team: TeamDashboard) -> dict[str, Any]:
    return {
        "teamdash": team,
        "heat_height": max(240, 110 + 28 * len(team.heat)),
        "heatmap_chart": heatmap_chart(team) if team.heat else None,
        "grades_chart": grades_chart(team) if team.shares else None,
    }


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's dashboard as they see it, for their supervisor chain, HR admins and
    executives (404 for anyone else)."""
    employee = person_get_for_user(user=request.user, pk=pk)
    context = person_context(person_dashboard(person=employee))
    context["learning"] = learning_for(person=employee)
    context["person"] = employee
    return render(request, "dashboards/people/person.html", context)
