"""Writing the toolkit: create an item, change its titles and tags, publish a new version
(a text body in Chinese and/or English and/or a file that passes the course-materials
upload policy), deactivate or reactivate it. Trainers and HR admins only; items keep their
history, versions are never edited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kaopei.core.errors import ConflictError
from kaopei.org.models import Competency
from kaopei.training.materials import TOOLKIT, check_material, clean_file_name
from kaopei.training.models import Course, ToolkitItem, ToolkitKind, ToolkitVersion
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.services.catalogue import CODE_RE, RESERVED_CODES, field_error

CODE_MAX = 40
TITLE_MAX = 160
SUMMARY_MAX = 2000
BODY_MAX = 20000
NOTE_MAX = 300


@dataclass
class ToolkitItemData:
    """What the item form or API request says about an item (not its content)."""

    code: str
    kind: str
    title: str
    title_en: str = ""
    summary: str = ""
    summary_en: str = ""
    competencies: list[Competency] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)


def _require(user: Any) -> None:
    if not can_manage_catalogue(user):
        raise PermissionDenied


def _check_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise field_error("code", _("Give the toolkit item a code."))
    if len(code) > CODE_MAX or not CODE_RE.match(code) or code.lower() in RESERVED_CODES:
        raise field_error(
            "code",
            _(
                "“%(code)s” cannot be a toolkit code: at most %(max)d letters, digits, dots, "
                "hyphens and underscores, starting with a letter or digit (e.g. TK-SPIN)."
            )
            % {"code": code, "max": CODE_MAX},
        )
    return code


def _check(data: ToolkitItemData) -> None:
    data.title = (data.title or "").strip()
    data.title_en = (data.title_en or "").strip()
    if not data.title and not data.title_en:
        raise field_error("title", _("Give the toolkit item a title."))
    if not data.title:
        data.title = data.title_en
    if len(data.title) > TITLE_MAX or len(data.title_en) > TITLE_MAX:
        raise field_error(
            "title", _("A title has at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    if data.kind not in ToolkitKind.values:
        raise field_error(
            "kind",
            _("“%(value)s” is not a kind of toolkit item. Choose one of: %(choices)s.")
            % {"value": data.kind, "choices": ", ".join(ToolkitKind.values)},
        )
    for name in ("summary", "summary_en"):
        value = (getattr(data, name) or "").strip()
        if len(value) > SUMMARY_MAX or "\x00" in value:
            raise field_error(
                name, _("A summary has at most %(max)d characters.") % {"max": SUMMARY_MAX}
            )
        setattr(data, name, value)


def _assign(item: ToolkitItem, data: ToolkitItemData) -> None:
    for name in ("kind", "title", "title_en", "summary", "summary_en"):
        setattr(item, name, getattr(data, name))


@transaction.atomic
def toolkit_item_create(*, actor: Any, data: ToolkitItemData) -> ToolkitItem:
    """A new item without versions yet (publish one next); 409 for a code taken."""
    _require(actor)
    data.code = _check_code(data.code)
    _check(data)
    duplicate = ConflictError(
        _("A toolkit item with the code “%(code)s” already exists.") % {"code": data.code},
        errors=[{"field": "code", "msg": "duplicate"}],
    )
    if ToolkitItem.objects.filter(code__iexact=data.code).exists():
        raise duplicate
    item = ToolkitItem(code=data.code)
    _assign(item, data)
    item._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise duplicate from None
    item.competencies.set(data.competencies)
    item.courses.set(data.courses)
    return item


@transaction.atomic
def toolkit_item_update(*, actor: Any, item: ToolkitItem, data: ToolkitItemData) -> ToolkitItem:
    """Change an item's kind, titles, summaries and tags (its code and versions stay)."""
    _require(actor)
    locked = ToolkitItem.objects.select_for_update().get(pk=item.pk)
    data.code = locked.code
    _check(data)
    _assign(locked, data)
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    locked.competencies.set(data.competencies)
    locked.courses.set(data.courses)
    return locked


@transaction.atomic
def toolkit_item_set_active(*, actor: Any, item: ToolkitItem, active: bool) -> ToolkitItem:
    """Deactivate an item (it leaves the library and the feedback picker; feedback that
    attached it keeps its version for trainers and HR) or bring it back."""
    _require(actor)
    locked = ToolkitItem.objects.select_for_update().get(pk=item.pk)
    if locked.active != active:
        locked.active = active
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["active", "updated_at"])
    return locked


@transaction.atomic
def toolkit_version_publish(
    *,
    actor: Any,
    item: ToolkitItem,
    body: str = "",
    body_en: str = "",
    upload: Any = None,
    note: str = "",
) -> ToolkitVersion:
    """Publish the next version of ``item``: a text (Chinese and/or English) and/or a file
    that passes the upload policy (:func:`kaopei.training.materials.check_material`). The
    item row is locked, so two people publishing at once get consecutive numbers. Bad input
    stores nothing (neither row nor file)."""
    _require(actor)
    body, body_en, note = (body or "").strip(), (body_en or "").strip(), (note or "").strip()
    for name, value in (("body", body), ("body_en", body_en)):
        if len(value) > BODY_MAX or "\x00" in value:
            raise field_error(
                name, _("A version's text has at most %(max)d characters.") % {"max": BODY_MAX}
            )
    if len(note) > NOTE_MAX or "\x00" in note:
        raise field_error(
            "note", _("Say what changed in at most %(max)d characters.") % {"max": NOTE_MAX}
        )
    if not body and not body_en and upload is None:
        raise field_error("body", _("A version needs a text or a file."))
    file_type = check_material(upload, purpose=TOOLKIT) if upload is not None else None
    locked = ToolkitItem.objects.select_for_update().get(pk=item.pk)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ToolkitVersion(
        item=locked,
        number=number,
        body=body,
        body_en=body_en,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if upload is not None and file_type is not None:
        original = clean_file_name(upload.name)
        ext = original.rsplit(".", 1)[-1].lower()
        version.original_name = original
        version.content_type = file_type.content_type
        version.size = int(upload.size)
        upload.seek(0)
        version.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        stored = version.file
        try:
            with transaction.atomic():
                version.save()
        except Exception:
            stored.storage.delete(stored.name)
            raise
    else:
        version.save()
    # The item's "last changed" moves with its content.
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["updated_at"])
    return version
