"""What the role-plays area plugs into at start-up (called from ``TrainingConfig.ready``):
the role-plays panel of the course page. (The ``scenario_score`` metric reads
``selectors.roleplays.performance_results``; it is registered where the sandbox's results
join it.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def roleplays_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.training.rules import can_browse_roleplays, can_manage_roleplays
    from kaopei.training.selectors import roleplays as sel

    if not can_browse_roleplays(request.user):
        return None
    roleplays = list(sel.roleplay_list_visible_to(user=request.user).filter(course=course))
    manager = bool(can_manage_roleplays(request.user))
    if not roleplays and not manager:
        return None
    return {"course": course, "manager": manager, "roleplays": roleplays}


def register() -> None:
    from kaopei.training.panels import course_panel_register

    course_panel_register(
        order=55, template="training/roleplays/panel.html", context=roleplays_panel
    )
