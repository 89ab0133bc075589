"""Reading the toolkit (issue: practice): everyone employed browses the library and
downloads any published version; trainers and HR also see inactive items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from kaopei.core.history import HistoryEntry, history_trail
from kaopei.org.models import Competency
from kaopei.training.models import Course, ToolkitItem, ToolkitVersion
from kaopei.training.rules import can_browse_catalogue, can_manage_catalogue


def toolkit_version_get_for_user(*, user: Any, pk: int) -> ToolkitVersion:
    """A version to download: 403 for someone with no role, 404 for a version that does
    not exist or whose item is inactive (unless the reader manages the catalogue)."""
    if not can_browse_catalogue(user):
        raise PermissionDenied
    version = ToolkitVersion.objects.select_related("item").filter(pk=pk).first()
    if version is None or (not version.item.active and not can_manage_catalogue(user)):
        raise Http404
    return version


def _require_browse(user: Any) -> None:
    if not can_browse_catalogue(user):
        raise PermissionDenied


SEARCH_MAX = 100
ITEM_FIELDS = ("code", "title", "title_en", "summary", "summary_en")


def _latest_ids() -> QuerySet[ToolkitVersion]:
    newest = ToolkitVersion.objects.filter(item=OuterRef("item")).order_by("-number")
    return ToolkitVersion.objects.filter(pk=Subquery(newest.values("pk")[:1]))


def toolkit_search(
    *,
    user: Any,
    q: str = "",
    kind: str = "",
    competency: str = "",
    course: str = "",
    status: str = "",
) -> QuerySet[ToolkitItem]:
    """The items ``user`` may read, filtered: ``q`` matches every word in the code, title,
    summary or any version's text (Chinese or English); ``kind`` a kind code;
    ``competency``/``course`` codes the item is tagged with; ``status`` ``inactive``/``all``
    for those who manage the catalogue. Each item carries ``latest`` (its newest version
    number, or None). Ordered by code. 403 without a role."""
    _require_browse(user)
    qs = ToolkitItem.objects.all()
    if status in ("inactive", "all") and can_manage_catalogue(user):
        if status == "inactive":
            qs = qs.filter(active=False)
    else:
        qs = qs.filter(active=True)
    q = (q or "").strip()[:SEARCH_MAX]
    for word in q.split():
        hit = Q()
        for name in ITEM_FIELDS:
            hit |= Q(**{f"{name}__icontains": word})
        in_body = ToolkitVersion.objects.filter(item=OuterRef("pk")).filter(
            Q(body__icontains=word) | Q(body_en__icontains=word)
        )
        qs = qs.filter(hit | Q(Exists(in_body)))
    if kind:
        qs = qs.filter(kind=kind)
    if competency:
        qs = qs.filter(competencies__code=competency)
    if course:
        qs = qs.filter(courses__code=course)
    return (
        ToolkitItem.objects.filter(pk__in=qs.values("pk"))
        .annotate(latest=Max("versions__number"))
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("code")),
            Prefetch("courses", queryset=Course.objects.order_by("code")),
        )
        .order_by("code")
    )


def toolkit_item_get_for_user(*, user: Any, code: str) -> ToolkitItem:
    """One item by code with its tags and all its versions (newest first, with who wrote
    them): 404 when missing or inactive for a reader who does not manage the catalogue;
    403 without a role."""
    _require_browse(user)
    item = (
        ToolkitItem.objects.filter(code=code)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("code")),
            Prefetch("courses", queryset=Course.objects.order_by("code")),
            Prefetch(
                "versions",
                queryset=ToolkitVersion.objects.select_related(
                    "created_by", "created_by__employee"
                ).order_by("-number"),
            ),
        )
        .first()
    )
    if item is None or (not item.active and not can_manage_catalogue(user)):
        raise Http404
    return item


def toolkit_item_get_for_manager(*, user: Any, code: str) -> ToolkitItem:
    """An item to change: 403 unless ``user`` manages the catalogue; 404 when missing."""
    if not can_manage_catalogue(user):
        raise PermissionDenied
    return toolkit_item_get_for_user(user=user, code=code)


def toolkit_versions_for_picker(*, user: Any, q: str = "") -> QuerySet[ToolkitVersion]:
    """For a multi-select in assessors' feedback forms: the latest version of each active
    item, filtered by ``q`` (every word in the item's code, title or summary, or the
    version's text), ordered by the item's code, with ``item`` selected. Empty for someone
    without a role."""
    if not can_browse_catalogue(user):
        return ToolkitVersion.objects.none()
    qs = _latest_ids().filter(item__active=True)
    for word in (q or "").strip()[:SEARCH_MAX].split():
        hit = Q(body__icontains=word) | Q(body_en__icontains=word)
        for name in ITEM_FIELDS:
            hit |= Q(**{f"item__{name}__icontains": word})
        qs = qs.filter(hit)
    return qs.select_related("item").order_by("item__code")


def course_toolkit(*, user: Any, course: Course) -> list[ToolkitItem]:
    """The active items tagged with ``course`` (for its page), by code."""
    if not can_browse_catalogue(user):
        return []
    return list(course.toolkit_items.filter(active=True).order_by("code"))


def toolkit_item_history(item: ToolkitItem) -> list[HistoryEntry]:
    """Who changed the item's titles, tags or status, newest first."""
    return history_trail(
        item.history.all(),
        model=ToolkitItem,
        fields=[
            "kind",
            "title",
            "title_en",
            "summary",
            "summary_en",
            "active",
            "competencies",
            "courses",
        ],
        skip_unchanged=True,
    )
