"""Training API: the toolkit library. Everyone employed lists and reads active items and
their versions (trainers and HR admins also deactivated ones); trainers and HR admins
create items, change their tags and publish text versions. Files are uploaded and
downloaded through the pages (``training:toolkit_download``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, PathEx, QueryEx, Router, Schema
from ninja.responses import Status

from kaopei.core.api import ERRORS
from kaopei.core.api_params import PRINTABLE, limit_param, offset_param, text_param
from kaopei.core.errors import ApplicationError
from kaopei.org.models import Competency
from kaopei.training.api.catalogue import NO_NUL, CodeList, _resolve
from kaopei.training.models import Course, ToolkitItem, ToolkitKind, ToolkitVersion
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors import toolkit as sel
from kaopei.training.services import toolkit as services

router = Router(tags=["training"])

ItemCode = PathEx[str, text_param(40, "A toolkit item code, e.g. TK-SPIN.")]


class VersionOut(Schema):
    id: int
    number: int
    note: str
    body: str
    body_en: str
    file_name: str
    size: int | None
    created_by: str
    created_at: str
    download: str


class ToolkitItemOut(Schema):
    code: str
    kind: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    active: bool
    latest: int | None = Field(description="The newest version number (none published: null).")
    competencies: list[str]
    courses: list[str]


class ItemDetailOut(ToolkitItemOut):
    versions: list[VersionOut] = Field(description="Newest first.")


class ItemPage(Schema):
    count: int
    items: list[ToolkitItemOut]


class ItemIn(Schema):
    code: str = Field(max_length=services.CODE_MAX, pattern=PRINTABLE)
    kind: ToolkitKind
    title: str = Field(max_length=services.TITLE_MAX, pattern=PRINTABLE)
    title_en: str = Field("", max_length=services.TITLE_MAX, pattern=PRINTABLE)
    summary: str = Field("", max_length=services.SUMMARY_MAX, pattern=NO_NUL)
    summary_en: str = Field("", max_length=services.SUMMARY_MAX, pattern=NO_NUL)
    competencies: CodeList = Field(default_factory=list, max_length=100)
    courses: CodeList = Field(default_factory=list, max_length=100)


class ItemUpdateIn(ItemIn):
    code: str = Field("", max_length=services.CODE_MAX, pattern=PRINTABLE)


class VersionIn(Schema):
    body: str = Field("", max_length=services.BODY_MAX, pattern=NO_NUL)
    body_en: str = Field("", max_length=services.BODY_MAX, pattern=NO_NUL)
    note: str = Field("", max_length=services.NOTE_MAX, pattern=PRINTABLE)


def _version(v: ToolkitVersion) -> VersionOut:
    who = ""
    if v.created_by is not None:
        employee = getattr(v.created_by, "employee", None)
        who = employee.name if employee is not None else v.created_by.get_username()
    return VersionOut(
        id=v.pk,
        number=v.number,
        note=v.note,
        body=v.body,
        body_en=v.body_en,
        file_name=v.original_name,
        size=v.size,
        created_by=who,
        created_at=v.created_at.isoformat(),
        download=reverse("training:toolkit_download", kwargs={"pk": v.pk}),
    )


def _summary(t: ToolkitItem, latest: int | None) -> dict[str, Any]:
    return {
        "code": t.code,
        "kind": t.kind,
        "title": t.title,
        "title_en": t.title_en,
        "summary": t.summary,
        "summary_en": t.summary_en,
        "active": t.active,
        "latest": latest,
        "competencies": [k.code for k in t.competencies.all()],
        "courses": [c.code for c in t.courses.all()],
    }


def _detail(t: ToolkitItem) -> ItemDetailOut:
    versions = list(t.versions.all())
    return ItemDetailOut(
        **_summary(t, versions[0].number if versions else None),
        versions=[_version(v) for v in versions],
    )


def _data(payload: ItemIn, code: str) -> services.ToolkitItemData:
    return services.ToolkitItemData(
        code=code,
        kind=str(payload.kind.value),
        title=payload.title,
        title_en=payload.title_en,
        summary=payload.summary,
        summary_en=payload.summary_en,
        competencies=_resolve(
            Competency, "code", payload.competencies, "competencies", _("competency codes")
        ),
        courses=_resolve(Course, "code", payload.courses, "courses", _("course codes")),
    )


@router.get("/training/toolkit", response={200: ItemPage, **ERRORS})
def toolkit_items(
    request: HttpRequest,
    q: QueryEx[str, text_param(100, "Words in the title, summary or a version's text.")] = "",
    kind: QueryEx[str, text_param(16, "script or checklist.")] = "",
    competency: QueryEx[str, text_param(60, "A competency code.")] = "",
    course: QueryEx[str, text_param(40, "A course code.")] = "",
    status: QueryEx[str, text_param(10, "inactive or all (trainers, HR).")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> ItemPage:
    """The toolkit's items, filtered; ordered by code."""
    qs = sel.toolkit_search(
        user=request.user, q=q, kind=kind, competency=competency, course=course, status=status
    )
    return ItemPage(
        count=qs.count(),
        items=[ToolkitItemOut(**_summary(t, t.latest)) for t in qs[offset : offset + limit]],  # type: ignore[attr-defined]
    )


@router.get("/training/toolkit/{code}", response={200: ItemDetailOut, **ERRORS})
def toolkit_item(request: HttpRequest, code: ItemCode) -> ItemDetailOut:
    """An item with all its versions, newest first."""
    return _detail(sel.toolkit_item_get_for_user(user=request.user, code=code))


@router.post("/training/toolkit", response={201: ItemDetailOut, **ERRORS})
def toolkit_item_create(request: HttpRequest, payload: ItemIn) -> Any:
    """Create an item without versions (trainers, HR admins): 409 when the code is taken."""
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    created = services.toolkit_item_create(actor=request.user, data=_data(payload, payload.code))
    return Status(201, _detail(sel.toolkit_item_get_for_user(user=request.user, code=created.code)))


@router.put("/training/toolkit/{code}", response={200: ItemDetailOut, **ERRORS})
def toolkit_item_update(request: HttpRequest, code: ItemCode, payload: ItemUpdateIn) -> Any:
    """Replace an item's kind, titles, summaries and tags (its code and versions stay)."""
    found = sel.toolkit_item_get_for_manager(user=request.user, code=code)
    if payload.code and payload.code != found.code:
        raise ApplicationError(_("A toolkit item's code cannot change."))
    services.toolkit_item_update(actor=request.user, item=found, data=_data(payload, found.code))
    return _detail(sel.toolkit_item_get_for_user(user=request.user, code=found.code))


@router.post("/training/toolkit/{code}/versions", response={201: VersionOut, **ERRORS})
def toolkit_version_publish(request: HttpRequest, code: ItemCode, payload: VersionIn) -> Any:
    """Publish the next version as text (Chinese and/or English); files go through the
    publish page."""
    found = sel.toolkit_item_get_for_manager(user=request.user, code=code)
    version = services.toolkit_version_publish(
        actor=request.user,
        item=found,
        body=payload.body,
        body_en=payload.body_en,
        note=payload.note,
    )
    return Status(201, _version(version))
