"""Writing the course catalogue: courses (create, edit, deactivate, delete) and their
materials. Trainers and HR admins only (``can_manage_catalogue``); every change is kept in
the course's audit history with who made it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from kaopei.assessment.models import Metric
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.org.models import Competency, Employee
from kaopei.training.materials import check_material, clean_file_name
from kaopei.training.models import Course, CourseMaterial, Format, Module
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors.catalogue import course_has_enrolments, trainer_choices

CODE_MAX = 40
CODE_RE = re.compile(r"^[A-Za-z0-9][\w.\-]*$", re.ASCII)
RESERVED_CODES = {"new"}
TITLE_MAX = 160
HOURS_MAX = Decimal("500")
TEXT_MAX = 4000


@dataclass
class CourseData:
    """What a course form or API request says about a course."""

    code: str
    title: str
    module: str
    format: str
    hours: Decimal
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    objectives: str = ""
    objectives_en: str = ""
    competencies: list[Competency] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    trainers: list[Employee] = field(default_factory=list)


def _require(user: Any) -> None:
    if not can_manage_catalogue(user):
        raise PermissionDenied


def field_error(name: str, message: Any) -> ApplicationError:
    """A refusal that names the form field (``errors[0]["field"]``)."""
    return ApplicationError(message, errors=[{"field": name, "msg": str(message)}])


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise field_error("code", _("Give the course a code."))
    if len(code) > CODE_MAX:
        raise field_error(
            "code", _("A course code has at most %(max)d characters.") % {"max": CODE_MAX}
        )
    if not CODE_RE.match(code) or code.lower() in RESERVED_CODES:
        raise field_error(
            "code",
            _(
                "“%(code)s” cannot be a course code: use letters, digits, dots, hyphens and "
                "underscores, starting with a letter or digit (e.g. SPIN-101)."
            )
            % {"code": code},
        )
    return code


def _check(data: CourseData) -> None:
    data.title = (data.title or "").strip()
    data.title_en = (data.title_en or "").strip()
    if not data.title and not data.title_en:
        raise field_error("title", _("Give the course a title."))
    if not data.title:
        data.title = data.title_en
    if len(data.title) > TITLE_MAX or len(data.title_en) > TITLE_MAX:
        raise field_error(
            "title", _("A title has at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    if data.module not in Module.values:
        raise field_error(
            "module",
            _("“%(value)s” is not a module. Choose one of: %(choices)s.")
            % {"value": data.module, "choices": ", ".join(Module.values)},
        )
    if data.format not in Format.values:
        raise field_error(
            "format",
            _("“%(value)s” is not a course format. Choose one of: %(choices)s.")
            % {"value": data.format, "choices": ", ".join(Format.values)},
        )
    hours = data.hours
    if isinstance(hours, int) and not isinstance(hours, bool):
        hours = data.hours = Decimal(hours)
    if hours is None or not isinstance(hours, Decimal) or not hours.is_finite():
        raise field_error("hours", _("Give the course's hours as a number."))
    if hours < 0 or hours > HOURS_MAX:
        raise field_error(
            "hours",
            _("Hours must be between 0 and %(max)s.") % {"max": HOURS_MAX},
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise field_error("hours", _("Hours have at most two decimals."))
    for name in ("description", "description_en", "objectives", "objectives_en"):
        value = (getattr(data, name) or "").strip()
        if len(value) > TEXT_MAX:
            raise field_error(
                name, _("This text has at most %(max)d characters.") % {"max": TEXT_MAX}
            )
        setattr(data, name, value)
    allowed = set(trainer_choices().values_list("pk", flat=True))
    wrong = [t for t in data.trainers if t.pk not in allowed]
    if wrong:
        raise field_error(
            "trainers",
            _("%(names)s cannot be a trainer: only active employees with the trainer role can.")
            % {"names": ", ".join(f"{t.name} ({t.employee_no})" for t in wrong)},
        )


def _assign(course: Course, data: CourseData) -> None:
    for name in (
        "title",
        "title_en",
        "module",
        "format",
        "hours",
        "description",
        "description_en",
        "objectives",
        "objectives_en",
    ):
        setattr(course, name, getattr(data, name))


def _set_relations(course: Course, data: CourseData, actor: Any) -> None:
    course._history_user = actor  # type: ignore[attr-defined]
    course.competencies.set(data.competencies)
    course.metrics.set(data.metrics)
    course.trainers.set(data.trainers)


def _duplicate(code: str) -> ConflictError:
    return ConflictError(
        _("A course with the code “%(code)s” already exists.") % {"code": code},
        errors=[{"field": "code", "msg": "duplicate"}],
    )


@transaction.atomic
def course_create(*, actor: Any, data: CourseData) -> Course:
    """A new course; refused (nothing written) on bad input or a code already taken —
    also when someone else creates the same code at the same moment."""
    _require(actor)
    data.code = check_code(data.code)
    _check(data)
    if Course.objects.filter(code__iexact=data.code).exists():
        raise _duplicate(data.code)
    course = Course(code=data.code)
    _assign(course, data)
    course._history_user = actor  # type: ignore[attr-defined]
    course._change_reason = "created"  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError:
        raise _duplicate(data.code) from None
    _set_relations(course, data, actor)
    return course


def course_version(course: Course) -> str:
    """An opaque token of the course's state an editor saw (its last save, to the
    microsecond)."""
    return course.updated_at.isoformat()


@transaction.atomic
def course_update(
    *, actor: Any, course: Course, data: CourseData, version: str | None = None
) -> Course:
    """Change a course (its code stays). ``version`` is the ``updated_at`` the editor saw:
    when someone saved the course since, the change is refused so that nobody overwrites
    another person's edit unknowingly."""
    _require(actor)
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if version and course_version(locked) != version:
        raise ConflictError(
            _(
                "Someone else changed this course while you were editing it. Reload the page "
                "to see their changes, then make yours again."
            )
        )
    data.code = locked.code
    _check(data)
    _assign(locked, data)
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    _set_relations(locked, data, actor)
    return locked


@transaction.atomic
def course_set_active(*, actor: Any, course: Course, active: bool) -> Course:
    """Deactivate a course (it leaves the catalogue; its history and enrolments stay) or
    bring it back."""
    _require(actor)
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.active != active:
        locked.active = active
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["active", "updated_at"])
    return locked


@transaction.atomic
def course_delete(*, actor: Any, course: Course) -> None:
    """Delete a course nobody was ever enrolled in; one with sessions or enrolments is
    deactivated instead (refused here with a message saying so)."""
    _require(actor)
    locked = Course.objects.select_for_update().get(pk=course.pk)
    refused = ApplicationError(
        _(
            "%(code)s has sessions or enrolments: it cannot be deleted. Deactivate it instead; "
            "its training records stay."
        )
        % {"code": locked.code}
    )
    if course_has_enrolments(locked):
        raise refused
    files = [m.file for m in locked.materials.all()]
    locked._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError:
        raise refused from None
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: Iterable[Any]) -> None:
    for f in files:
        if f:
            f.storage.delete(f.name)


@transaction.atomic
def material_upload(*, actor: Any, course: Course, title: str, upload: Any) -> CourseMaterial:
    """Store a material of ``course``. The file must pass the upload policy
    (:mod:`kaopei.training.materials`); otherwise nothing is stored."""
    _require(actor)
    file_type = check_material(upload)
    original = clean_file_name(upload.name)
    title = (title or "").strip() or original.rsplit(".", 1)[0]
    if len(title) > TITLE_MAX:
        raise field_error(
            "title", _("A title has at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    ext = original.rsplit(".", 1)[-1].lower()
    material = CourseMaterial(
        course=course,
        title=title,
        original_name=original,
        content_type=file_type.content_type,
        size=int(upload.size),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    upload.seek(0)
    material.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    stored = material.file
    try:
        material.save()
    except Exception:
        stored.storage.delete(stored.name)
        raise
    return material


@transaction.atomic
def material_delete(*, actor: Any, material: CourseMaterial) -> None:
    """Remove a material and its file."""
    _require(actor)
    stored = material.file
    material.delete()
    transaction.on_commit(lambda: _delete_files([stored]))
