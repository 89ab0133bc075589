"""Reading the course catalogue: every employed person browses it (active courses; trainers
and HR admins also see deactivated ones) and downloads its materials."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kaopei.assessment.models import Metric
from kaopei.core.history import HistoryEntry, history_trail
from kaopei.core.roles import Role
from kaopei.org.models import Competency, Employee
from kaopei.training.models import Course, CourseMaterial
from kaopei.training.rules import can_browse_catalogue, can_manage_catalogue

SEARCH_MAX = 100


def _require_browse(user: Any) -> None:
    if not can_browse_catalogue(user):
        raise PermissionDenied


def course_search(
    *,
    user: Any,
    q: str = "",
    module: str = "",
    format: str = "",
    competency: str = "",
    metric: str = "",
    status: str = "",
) -> QuerySet[Course]:
    """The courses ``user`` may see, filtered: ``q`` matches the code or either title;
    ``module``/``format`` are codes; ``competency``/``metric`` codes the course improves;
    ``status`` ``inactive``/``all`` shows deactivated courses to those who manage them.
    Ordered by module, then code."""
    _require_browse(user)
    qs = Course.objects.all()
    if status in ("inactive", "all") and can_manage_catalogue(user):
        if status == "inactive":
            qs = qs.filter(active=False)
    else:
        qs = qs.filter(active=True)
    q = q.strip()[:SEARCH_MAX]
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(title_en__icontains=q))
    if module:
        qs = qs.filter(module=module)
    if format:
        qs = qs.filter(format=format)
    if competency:
        qs = qs.filter(competencies__code=competency)
    if metric:
        qs = qs.filter(metrics__code=metric)
    return (
        qs.distinct()
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("code")),
            Prefetch("metrics", queryset=Metric.objects.order_by("code")),
        )
        .order_by("module", "code")
    )


def course_get_for_user(*, user: Any, code: str) -> Course:
    """One course by code: a 404 when it does not exist, or is deactivated and ``user`` does
    not manage the catalogue; a 403 for someone without a role."""
    _require_browse(user)
    course = (
        Course.objects.filter(code=code)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("code")),
            Prefetch("metrics", queryset=Metric.objects.order_by("code")),
            Prefetch("trainers", queryset=Employee.objects.order_by("employee_no")),
            Prefetch("materials", queryset=CourseMaterial.objects.order_by("title", "pk")),
        )
        .first()
    )
    if course is None or (not course.active and not can_manage_catalogue(user)):
        raise Http404
    return course


def course_get_for_manager(*, user: Any, code: str) -> Course:
    """A course to change: 403 unless ``user`` manages the catalogue; 404 when missing."""
    if not can_manage_catalogue(user):
        raise PermissionDenied
    return course_get_for_user(user=user, code=code)


def material_get_for_user(*, user: Any, pk: int) -> CourseMaterial:
    """A material to download: the same visibility as its course."""
    _require_browse(user)
    material = CourseMaterial.objects.select_related("course").filter(pk=pk).first()
    if material is None or (not material.course.active and not can_manage_catalogue(user)):
        raise Http404
    return material


def material_get_for_manager(*, user: Any, pk: int) -> CourseMaterial:
    if not can_manage_catalogue(user):
        raise PermissionDenied
    return material_get_for_user(user=user, pk=pk)


def course_has_enrolments(course: Course) -> bool:
    """Whether anyone was ever enrolled in (or a session planned for) ``course``: such a
    course is deactivated, never deleted."""
    return course.enrolments.exists() or course.sessions.exists()


def trainer_choices() -> QuerySet[Employee]:
    """Who may be named a course's trainer: active employees with the trainer role."""
    return (
        Employee.objects.filter(active=True, user__groups__name=Role.TRAINER.value)
        .distinct()
        .order_by("employee_no")
    )


def competency_choices() -> QuerySet[Competency]:
    return Competency.objects.order_by("code")


def metric_choices() -> QuerySet[Metric]:
    return Metric.objects.order_by("code")


def course_history(course: Course) -> list[HistoryEntry]:
    """Who changed the course and what, newest first."""
    return history_trail(
        course.history.all(),
        model=Course,
        fields=[
            "code",
            "title",
            "title_en",
            "module",
            "format",
            "hours",
            "description",
            "description_en",
            "objectives",
            "objectives_en",
            "active",
            "competencies",
            "metrics",
        ],
        skip_unchanged=True,
    )
