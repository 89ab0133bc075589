"""What the quizzes area plugs into at start-up (called from ``TrainingConfig.ready``):
the ``quiz_score`` metric source and the quizzes panel of the course page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def quizzes_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.training.rules import can_manage_catalogue
    from kaopei.training.selectors import quizzes as sel

    quizzes = sel.course_quizzes(course=course, user=request.user)
    manager = can_manage_catalogue(request.user)
    if not quizzes and not manager:
        return None
    employee = sel.reader_employee(request.user)
    return {
        "course": course,
        "manager": manager,
        "can_take": employee is not None,
        "rows": [
            {"quiz": q, "status": sel.learner_status(quiz=q, employee=employee)} for q in quizzes
        ],
    }


def register() -> None:
    from kaopei.assessment.sources import metric_source_register
    from kaopei.training.metrics_quizzes import quiz_score
    from kaopei.training.panels import course_panel_register

    metric_source_register(code="quiz_score", formula=quiz_score)
    course_panel_register(order=20, template="training/quizzes/panel.html", context=quizzes_panel)
