"""What the toolkit plugs into at start-up: the toolkit panel of the course page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def toolkit_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.training.selectors.toolkit import course_toolkit

    items = course_toolkit(user=request.user, course=course)
    if not items:
        return None
    return {"course": course, "items": items}


def register() -> None:
    from kaopei.training.panels import course_panel_register

    course_panel_register(order=45, template="training/toolkit/panel.html", context=toolkit_panel)
