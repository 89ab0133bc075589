"""What sessions and enrolment plug into at start-up (called from ``TrainingConfig.ready``):
the notification kinds, the ``training_hours`` metric, the ``enrolments`` import kind and
the sessions panel of the course page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _course_panel(request: HttpRequest, course: Any) -> dict[str, Any] | None:
    from kaopei.org.selectors import employee_for_user
    from kaopei.training.models import Enrolment
    from kaopei.training.rules import can_enrol_self, can_manage_sessions
    from kaopei.training.selectors.sessions import upcoming_for_course

    user = request.user
    if not can_enrol_self(user):
        return None
    sessions = upcoming_for_course(course=course)
    me = employee_for_user(user)
    mine: set[int] = set()
    if me is not None and sessions:
        mine = set(
            Enrolment.objects.filter(employee=me, session__in=sessions)
            .exclude(status=Enrolment.Status.CANCELLED)
            .values_list("session_id", flat=True)
        )
    return {
        "course": course,
        "sessions": sessions,
        "mine": mine,
        "may_enrol": me is not None,
        "may_manage": can_manage_sessions(user),
    }


def register() -> None:
    from kaopei.assessment.sources import metric_source_register
    from kaopei.core.notifications import register_kind
    from kaopei.imports.registry import register_kind as register_import_kind
    from kaopei.training.import_kinds_sessions import ENROLMENTS
    from kaopei.training.loaders_sessions import EnrolmentLoader
    from kaopei.training.metrics import training_hours
    from kaopei.training.panels import course_panel_register
    from kaopei.training.services.sessions import (
        ENROLMENT_PROMOTED,
        RATE_SESSION,
        SESSION_CANCELLED,
    )

    register_kind(ENROLMENT_PROMOTED, _("A place opened up for you in a training session"))
    register_kind(SESSION_CANCELLED, _("A training session you were in was cancelled"))
    register_kind(RATE_SESSION, _("Rating a training session you attended"))
    metric_source_register(code="training_hours", formula=training_hours)
    course_panel_register(
        order=10, template="training/sessions/_course_panel.html", context=_course_panel
    )
    register_import_kind(
        ENROLMENTS,
        EnrolmentLoader,
        description=_(
            "Training records from another learning system: one row per person, course and "
            "training date."
        ),
        notes=_(
            "The key is course + employee number + training date: a row for an existing "
            "record updates it, an identical file changes nothing. Unknown courses or people "
            "are row errors and nothing is stored. 满意度 is 1–5, 前测/后测成绩 0–100, all "
            "optional."
        ),
        example={
            "course": "AML-101",
            "employee_no": "A001",
            "session_on": "2026-03-18",
            "hours": "3",
            "completed": "是",
            "reaction": 5,
            "pre_score": 62,
            "post_score": 88,
        },
    )
