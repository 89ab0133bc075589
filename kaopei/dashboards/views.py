from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaopei.assessment.templatetags.grades import grade_name
from kaopei.core.roles import Role, primary_role
from kaopei.core.rules import is_account_manager
from kaopei.core.table_export import export_format
from kaopei.dashboards.exports import team_heatmap_response
from kaopei.dashboards.selectors import (
    ExecutiveHome,
    account_manager_home,
    executive_home,
    expectations_for_level,
    org_overview,
)
from kaopei.dashboards.selectors_people import person_dashboard, team_dashboard
from kaopei.dashboards.views_org import org_summary
from kaopei.dashboards.views_people import person_context, team_context
from kaopei.org.selectors import employee_for_user, employee_list_visible_to
from kaopei.training.selectors.learning import learning_for, workspace_for


def _grade_chart(home: ExecutiveHome) -> dict[str, Any]:
    """A stacked bar per branch, one series per grade (ECharts options)."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": [r.name for r in home.rows]},
        "yAxis": {"type": "value", "name": _("People")},
        "series": [
            {
                "type": "bar",
                "stack": "grades",
                "name": grade_name(grade),
                "data": [r.counts[i] for r in home.rows],
            }
            for i, grade in enumerate(home.grades)
        ],
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The role's home page: HR admin, executive, supervisor, trainer or account manager."""
    role = primary_role(request.user)
    me = employee_for_user(request.user)
    context: dict[str, Any] = {"role": role, "me": me}
    if role in (Role.HR_ADMIN, Role.EXECUTIVE):
        context["org_summary"] = org_summary(request)
        overview = org_overview()
        context["overview"] = overview
        context["branch_chart"] = {
            "tooltip": {},
            "xAxis": {"type": "category", "data": overview["branch_names"]},
            "yAxis": {"type": "value", "name": _("People")},
            "series": [{"type": "bar", "data": overview["branch_counts"], "name": _("People")}],
        }
        context["level_chart"] = {
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": "65%", "data": overview["level_counts"]}],
        }
    if role == Role.EXECUTIVE:
        grades = executive_home()
        context["grades"] = grades
        context["grade_chart"] = _grade_chart(grades)
    if role == Role.SUPERVISOR and me is not None:
        team = employee_list_visible_to(user=request.user).exclude(pk=me.pk)
        context["direct_reports"] = [e for e in team if e.supervisor_id == me.pk]
        context["team_size"] = len(team)
        teamdash = team_dashboard(user=request.user)
        fmt = export_format(request)
        if fmt:
            return team_heatmap_response(team=teamdash, fmt=fmt)
        context.update(team_context(teamdash))
        context["team"] = context["teamdash"].home
    if role == Role.ACCOUNT_MANAGER or (
        role == Role.SUPERVISOR and is_account_manager(request.user)
    ):
        context["mine"] = account_manager_home(user=request.user)
        if me is not None:
            context.update(person_context(person_dashboard(person=me)))
    if role == Role.TRAINER:
        context["workspace"] = workspace_for(user=request.user)
    if me is not None:
        context["expectations"] = expectations_for_level(me.level_id)
        if role in (Role.ACCOUNT_MANAGER, Role.SUPERVISOR):
            context["learning"] = learning_for(person=me)
    template = f"dashboards/home_{role.value if role else 'none'}.html"
    return render(request, template, context)
