"""What the case library plugs into at start-up: the cases panel of the course page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def cases_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.training.selectors.cases import course_cases

    cases = course_cases(user=request.user, course=course)
    if not cases:
        return None
    return {"course": course, "cases": cases}


def register() -> None:
    from kaopei.training.panels import course_panel_register

    course_panel_register(order=40, template="training/cases/panel.html", context=cases_panel)
