from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kaopei.core.roles import Role, primary_role
from kaopei.dashboards.selectors import expectations_for_level, org_overview
from kaopei.org.selectors import employee_for_user, employee_list_visible_to


def home(request: HttpRequest) -> HttpResponse:
    """The role's home page: HR admin, executive, supervisor, trainer or account manager."""
    role = primary_role(request.user)
    me = employee_for_user(request.user)
    context: dict = {"role": role, "me": me}
    if role in (Role.HR_ADMIN, Role.EXECUTIVE):
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
    if role == Role.SUPERVISOR and me is not None:
        team = employee_list_visible_to(user=request.user).exclude(pk=me.pk)
        context["direct_reports"] = [e for e in team if e.supervisor_id == me.pk]
        context["team_size"] = len(team)
    if me is not None:
        context["expectations"] = expectations_for_level(me.level_id)
    template = f"dashboards/home_{role.value if role else 'none'}.html"
    return render(request, template, context)
