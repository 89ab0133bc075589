"""What the decision sandbox plugs into at start-up (called from ``TrainingConfig.ready``):
the panel of the course page listing the course's scenarios."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def sandbox_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.training.rules import can_manage_scenarios
    from kaopei.training.selectors import sandbox as sel

    scenarios = sel.course_scenarios(course=course, user=request.user)
    manager = can_manage_scenarios(request.user)
    if not scenarios and not manager:
        return None
    return {"course": course, "manager": manager, "scenarios": scenarios}


def register() -> None:
    from kaopei.training.panels import course_panel_register

    course_panel_register(order=50, template="training/sandbox/panel.html", context=sandbox_panel)
