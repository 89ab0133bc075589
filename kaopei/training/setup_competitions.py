"""What the competitions area plugs into at start-up (called from ``TrainingConfig.ready``):
its notification kinds and the competitions panel of the course page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def competitions_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.training.selectors import competitions as sel

    rows = sel.course_competitions(course=course, user=request.user)
    if not rows:
        return None
    return {"course": course, "competitions": rows}


def register() -> None:
    from kaopei.core.notifications import register_kind
    from kaopei.training.panels import course_panel_register
    from kaopei.training.services import competitions as services

    register_kind(services.COMPETITION_OPENED, _("A competition of your team opened"))
    register_kind(services.COMPETITION_REVIEWING, _("A competition moved to cross-review"))
    register_kind(services.COMPETITION_CLOSED, _("A competition's leaderboard is out"))
    course_panel_register(
        order=60, template="training/competitions/_course_panel.html", context=competitions_panel
    )
