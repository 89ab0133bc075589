"""Reading the case library: everyone employed reads active cases; trainers and HR admins
also see deactivated ones (and may list them with ``status``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kaopei.assessment.models import Metric
from kaopei.core.history import HistoryEntry, history_trail
from kaopei.org.models import Competency
from kaopei.training.models import Case, Course, DiscussionQuestion
from kaopei.training.rules import can_browse_catalogue, can_manage_catalogue

SEARCH_MAX = 100
SEARCHED = (
    "code",
    "title",
    "title_en",
    "situation",
    "situation_en",
    "lessons",
    "lessons_en",
)


def _require_browse(user: Any) -> None:
    if not can_browse_catalogue(user):
        raise PermissionDenied


def text_filter(q: str, fields: tuple[str, ...]) -> Q:
    """Every word of ``q`` (split on spaces) in at least one of ``fields``."""
    out = Q()
    for word in q.split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        out &= any_field
    return out


def case_search(
    *,
    user: Any,
    q: str = "",
    kind: str = "",
    industry: str = "",
    competency: str = "",
    metric: str = "",
    course: str = "",
    status: str = "",
) -> QuerySet[Case]:
    """The cases ``user`` may read, filtered: ``q`` matches every word in the code, title,
    situation or lessons (Chinese or English); ``kind``/``industry`` are codes;
    ``competency``/``metric``/``course`` codes the case is tagged with; ``status``
    ``inactive``/``all`` shows deactivated cases to those who manage them. Ordered by code.
    403 for someone without a role."""
    _require_browse(user)
    qs = Case.objects.all()
    if status in ("inactive", "all") and can_manage_catalogue(user):
        if status == "inactive":
            qs = qs.filter(active=False)
    else:
        qs = qs.filter(active=True)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        qs = qs.filter(text_filter(q, SEARCHED))
    if kind:
        qs = qs.filter(kind=kind)
    if industry:
        qs = qs.filter(industry=industry)
    if competency:
        qs = qs.filter(competencies__code=competency)
    if metric:
        qs = qs.filter(metrics__code=metric)
    if course:
        qs = qs.filter(courses__code=course)
    ids = qs.values("pk")
    return (
        Case.objects.filter(pk__in=ids)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("code")),
            Prefetch("metrics", queryset=Metric.objects.order_by("code")),
        )
        .order_by("code")
    )


def case_get_for_user(*, user: Any, code: str) -> Case:
    """One case by code with its questions and tags: 404 when it does not exist, or is
    deactivated and ``user`` does not manage the catalogue; 403 without a role."""
    _require_browse(user)
    case = (
        Case.objects.filter(code=code)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("code")),
            Prefetch("metrics", queryset=Metric.objects.order_by("code")),
            Prefetch("courses", queryset=Course.objects.order_by("code")),
            Prefetch("questions", queryset=DiscussionQuestion.objects.order_by("order")),
        )
        .first()
    )
    if case is None or (not case.active and not can_manage_catalogue(user)):
        raise Http404
    return case


def case_get_for_manager(*, user: Any, code: str) -> Case:
    """A case to change: 403 unless ``user`` manages the catalogue; 404 when missing."""
    if not can_manage_catalogue(user):
        raise PermissionDenied
    return case_get_for_user(user=user, code=code)


def course_cases(*, user: Any, course: Course) -> list[Case]:
    """The active cases linked to ``course`` (for its page), by code."""
    if not can_browse_catalogue(user):
        return []
    return list(course.cases.filter(active=True).order_by("code"))


def case_history(case: Case) -> list[HistoryEntry]:
    """Who changed the case and what, newest first."""
    return history_trail(
        case.history.all(),
        model=Case,
        fields=[
            "kind",
            "industry",
            "title",
            "title_en",
            "situation",
            "situation_en",
            "key_actions",
            "key_actions_en",
            "outcome",
            "outcome_en",
            "lessons",
            "lessons_en",
            "active",
            "version",
            "competencies",
            "metrics",
            "courses",
        ],
        skip_unchanged=True,
    )
