"""Panels other training areas add to a course's page (sessions, quizzes, effect…): each
area registers from its ``setup_<area>.register()``; the course page renders them in order.
A panel's ``context`` returns ``None`` when it has nothing to show for this reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class CoursePanel:
    order: int
    template: str
    context: PanelContext


_panels: dict[str, CoursePanel] = {}


def course_panel_register(*, order: int, template: str, context: PanelContext) -> None:
    """Show ``template`` on every course page, rendered with ``context(request, course)``
    as ``panel`` (skipped when it returns ``None``). Registering one template twice with
    another panel is a programming error."""
    panel = CoursePanel(order, template, context)
    existing = _panels.get(template)
    if existing is not None and existing != panel:
        raise ValueError(f"course panel {template!r} is registered twice")
    _panels[template] = panel


def course_panels(request: HttpRequest, course: Any) -> list[tuple[str, dict[str, Any]]]:
    """The panels of ``course`` for this request: (template, context) in order."""
    out = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.template)):
        ctx = panel.context(request, course)
        if ctx is not None:
            out.append((panel.template, ctx))
    return out
