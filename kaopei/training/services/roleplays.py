"""Role-plays: writing a role-play and its rubric, recording a performance with its expert
assessors, an assessor's submission (final once submitted) and closing a performance.
Every refusal raises :class:`ApplicationError` with a specific message and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.org.models import Employee
from kaopei.training.models import (
    AssessorScore,
    Assignment,
    Criterion,
    CriterionScore,
    Performance,
    PerformanceStatus,
    RolePlay,
    ToolkitVersion,
)
from kaopei.training.rules import can_assess_roleplays

WEIGHT_TOTAL = Decimal(100)
SCALE_CEILING = 100
MAX_CRITERIA = 20
MAX_ASSESSORS = 10
MAX_SCORE_CHARS = 40
MAX_NOTES = 4000


@dataclass(frozen=True)
class CriterionIn:
    name: str
    weight: Decimal
    name_en: str = ""
    description: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class RolePlayIn:
    code: str
    title: str
    learner_brief: str
    client_brief: str
    title_en: str = ""
    learner_brief_en: str = ""
    client_brief_en: str = ""
    course_id: int | None = None
    competency_ids: tuple[int, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    disagreement_threshold: Decimal = Decimal("1.5")
    active: bool = True


def rubric_check(criteria: Sequence[CriterionIn]) -> None:
    """Refuses a rubric without criteria, with an unnamed or non-positive criterion, or
    whose weights do not add up to exactly 100 (the message gives the actual sum)."""
    if not criteria:
        raise ApplicationError(_("A rubric needs at least one criterion."))
    if len(criteria) > MAX_CRITERIA:
        raise ApplicationError(_("A rubric has at most %(n)d criteria.") % {"n": MAX_CRITERIA})
    names = [c.name.strip() for c in criteria]
    if any(not n for n in names):
        raise ApplicationError(_("Every criterion needs a name."))
    if len(set(names)) != len(names):
        raise ApplicationError(_("Two criteria have the same name."))
    for c in criteria:
        if not c.weight.is_finite() or c.weight <= 0:
            raise ApplicationError(
                _("The weight of “%(name)s” must be a positive number.") % {"name": c.name}
            )
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != WEIGHT_TOTAL:
        raise ApplicationError(
            _("The weights of the criteria add up to %(total)s, not 100.")
            % {"total": format(total.normalize(), "f")}
        )


def _scale_check(data: RolePlayIn) -> None:
    if not (0 <= data.scale_min < data.scale_max <= SCALE_CEILING):
        raise ApplicationError(
            _("The scale must run from a lower to a higher whole number between 0 and 100.")
        )
    span = data.scale_max - data.scale_min
    threshold = data.disagreement_threshold
    if not threshold.is_finite() or threshold <= 0 or threshold > span:
        raise ApplicationError(
            _("The disagreement threshold must be above 0 and at most %(span)s points.")
            % {"span": span}
        )


def _write_criteria(roleplay: RolePlay, criteria: Sequence[CriterionIn]) -> None:
    for i, c in enumerate(criteria, start=1):
        Criterion.objects.create(
            roleplay=roleplay,
            order=i,
            name=c.name.strip(),
            name_en=c.name_en.strip(),
            description=c.description,
            description_en=c.description_en,
            weight=c.weight,
        )


def _apply(roleplay: RolePlay, data: RolePlayIn) -> None:
    for field in (
        "title",
        "title_en",
        "learner_brief",
        "learner_brief_en",
        "client_brief",
        "client_brief_en",
        "scale_min",
        "scale_max",
        "disagreement_threshold",
        "active",
    ):
        setattr(roleplay, field, getattr(data, field))
    roleplay.course_id = data.course_id


@transaction.atomic
def roleplay_create(*, data: RolePlayIn, criteria: Sequence[CriterionIn]) -> RolePlay:
    """A new role-play with its rubric. Refuses a taken code, a bad scale or threshold and
    a rubric :func:`rubric_check` refuses."""
    code = data.code.strip()
    if not code:
        raise ApplicationError(_("A role-play needs a code."))
    if RolePlay.objects.filter(code=code).exists():
        raise ApplicationError(_("The code %(code)s is taken.") % {"code": code})
    _scale_check(data)
    rubric_check(criteria)
    roleplay = RolePlay(code=code)
    _apply(roleplay, data)
    try:
        with transaction.atomic():
            roleplay.save()
    except IntegrityError as exc:
        raise ConflictError(_("The code %(code)s is taken.") % {"code": code}) from exc
    roleplay.competencies.set(data.competency_ids)
    _write_criteria(roleplay, criteria)
    return roleplay


@transaction.atomic
def roleplay_update(
    *, roleplay: RolePlay, data: RolePlayIn, criteria: Sequence[CriterionIn]
) -> RolePlay:
    """Changes a role-play and replaces its rubric (a new version). Once a performance has
    a submitted score, the rubric and the scale are frozen: changing them is refused."""
    locked = RolePlay.objects.select_for_update().get(pk=roleplay.pk)
    _scale_check(data)
    rubric_check(criteria)
    scored = AssessorScore.objects.filter(performance__roleplay=locked).exists()
    old = [
        (c.name, c.name_en, c.description, c.description_en, c.weight)
        for c in locked.criteria.order_by("order", "pk")
    ]
    new = [
        (c.name.strip(), c.name_en.strip(), c.description, c.description_en, c.weight)
        for c in criteria
    ]
    rubric_changed = old != new
    if scored and (
        rubric_changed or (locked.scale_min, locked.scale_max) != (data.scale_min, data.scale_max)
    ):
        raise ApplicationError(
            _(
                "Performances of this role-play have been scored: its rubric and scale can "
                "no longer change. Create a new role-play instead."
            )
        )
    _apply(locked, data)
    locked.version += 1
    locked.save()
    locked.competencies.set(data.competency_ids)
    if rubric_changed:
        locked.criteria.all().delete()
        _write_criteria(locked, criteria)
    return locked


def _assessor_ok(employee: Employee) -> bool:
    return employee.active and employee.user is not None and can_assess_roleplays(employee.user)


@transaction.atomic
def performance_create(
    *,
    roleplay: RolePlay,
    performer: Employee,
    performed_on: dt.date,
    assessors: Sequence[Employee],
    notes: str = "",
    session_id: int | None = None,
    created_by: Employee | None = None,
) -> Performance:
    """Records a performance and names its expert assessors (1 to 10: trainers, HR admins
    or supervisors, never the performer, each once). Refuses an inactive role-play, a date
    in the future, notes over 4,000 characters, or a bad assessor list."""
    if not roleplay.active:
        raise ApplicationError(_("This role-play is archived: no new performance."))
    if performed_on > timezone.localdate():
        raise ApplicationError(_("The performance date cannot be in the future."))
    if len(notes) > MAX_NOTES:
        raise ApplicationError(
            _("Keep the notes to %(limit_value)d characters (these have %(show_value)d).")
            % {"limit_value": MAX_NOTES, "show_value": len(notes)}
        )
    if not assessors:
        raise ApplicationError(_("Name at least one assessor."))
    if len(assessors) > MAX_ASSESSORS:
        raise ApplicationError(_("Name at most %(n)d assessors.") % {"n": MAX_ASSESSORS})
    ids = [a.pk for a in assessors]
    if len(set(ids)) != len(ids):
        raise ApplicationError(_("An assessor is named twice."))
    if performer.pk in ids:
        raise ApplicationError(
            _("%(name)s cannot assess their own performance.") % {"name": performer.name}
        )
    for a in assessors:
        if not _assessor_ok(a):
            raise ApplicationError(
                _(
                    "%(name)s cannot be an assessor: assessors are trainers, HR admins or "
                    "supervisors."
                )
                % {"name": a.name}
            )
    performance = Performance.objects.create(
        roleplay=roleplay,
        performer=performer,
        performed_on=performed_on,
        notes=notes,
        session_id=session_id,
        created_by=created_by,
    )
    Assignment.objects.bulk_create(
        [Assignment(performance=performance, assessor=a) for a in assessors]
    )
    return performance


def _decimal(raw: Any) -> Decimal | None:
    """``raw`` as a finite Decimal, or None (not a number, NaN, an infinity, too long)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        value = raw
    else:
        try:
            text = str(raw).strip()
        except ValueError:  # an integer too long to write out
            return None
        if len(text) > MAX_SCORE_CHARS:
            return None
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    return value if value.is_finite() else None


def _on_the_scale(value: Decimal, low: int, high: int) -> bool:
    """Within [low, high]: compared before any arithmetic, so a huge value never reaches it."""
    return low <= value <= high


def _half_point(value: Decimal) -> bool:
    """A whole or half point, exactly (an in-scale value, so the fraction stays small)."""
    _numerator, denominator = value.as_integer_ratio()
    return denominator in (1, 2)


def scale_value(raw: Any, low: int, high: int) -> Decimal | None:
    """``raw`` as a score on the scale [low, high] in whole or half points, or None for
    anything else (not a number, NaN, an infinity, off the scale however far, 2.3)."""
    value = _decimal(raw)
    if value is None or not _on_the_scale(value, low, high) or not _half_point(value):
        return None
    return value


def _shown(raw: Any) -> str:
    try:
        text = str(raw).strip()
    except ValueError:
        return "…"
    return text if len(text) <= 12 else text[:12] + "…"


@transaction.atomic
def score_submit(
    *,
    performance: Performance,
    assessor: Employee,
    values: dict[int, Any],
    comments: dict[int, str] | None = None,
    comment: str = "",
    toolkit_version_ids: Sequence[int] = (),
) -> AssessorScore:
    """An assigned assessor's final score sheet: one value per criterion of the rubric
    (whole or half points within the scale), optional comments per criterion and overall,
    and toolkit versions to hand out. The performance row is locked, so two submissions at
    once by one assessor store one sheet (the second is refused as already submitted) and
    two assessors at once both succeed. Refused, nothing stored: not assigned, the
    performer, a closed performance, already submitted, a missing or extra criterion, a
    value outside the scale, an unknown toolkit version."""
    locked = (
        Performance.objects.select_for_update().select_related("roleplay").get(pk=performance.pk)
    )
    if assessor.pk == locked.performer_id:
        raise ApplicationError(_("You cannot assess your own performance."), status=403)
    if not Assignment.objects.filter(performance=locked, assessor=assessor).exists():
        raise ApplicationError(_("You are not an assessor of this performance."), status=403)
    if locked.status != PerformanceStatus.OPEN:
        raise ConflictError(_("This performance is closed: no more scores."))
    if AssessorScore.objects.filter(performance=locked, assessor=assessor).exists():
        raise ConflictError(_("You have already submitted your scores; they are final."))
    roleplay = locked.roleplay
    criteria = list(roleplay.criteria.order_by("order", "pk"))
    known = {c.pk for c in criteria}
    extra = set(values) - known
    if extra:
        raise ApplicationError(_("A score names a criterion that is not in this rubric."))
    errors: list[dict[str, Any]] = []
    parsed: dict[int, Decimal] = {}
    low, high = roleplay.scale_min, roleplay.scale_max
    for c in criteria:
        raw = values.get(c.pk)
        value = _decimal(raw)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors.append({"criterion": c.pk, "message": str(_("Required."))})
        elif value is None or not _on_the_scale(value, low, high):
            # Not a finite number, or off the scale (however far): one clear message.
            errors.append(
                {
                    "criterion": c.pk,
                    "message": str(
                        _("%(value)s is outside the scale %(low)s–%(high)s.")
                        % {"value": _shown(raw), "low": low, "high": high}
                    ),
                }
            )
        elif not _half_point(value):
            errors.append({"criterion": c.pk, "message": str(_("Give a whole or half point."))})
        else:
            parsed[c.pk] = value
    if errors:
        raise ApplicationError(
            _(
                "Every criterion needs a score within the scale %(low)s–%(high)s "
                "(whole or half points)."
            )
            % {"low": roleplay.scale_min, "high": roleplay.scale_max},
            errors=errors,
        )
    versions = list(ToolkitVersion.objects.filter(pk__in=set(toolkit_version_ids)))
    if len(versions) != len(set(toolkit_version_ids)):
        raise ApplicationError(_("An attached toolkit item does not exist."))
    sheet = AssessorScore.objects.create(
        performance=locked,
        assessor=assessor,
        submitted_at=timezone.now(),
        comment=comment.strip(),
    )
    comments = comments or {}
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(
                assessor_score=sheet,
                criterion_id=pk,
                value=value,
                comment=(comments.get(pk) or "").strip(),
            )
            for pk, value in parsed.items()
        ]
    )
    sheet.toolkit_versions.set(versions)
    return sheet


@transaction.atomic
def performance_close(*, performance: Performance) -> Performance:
    """Closes a performance to scoring (assessors who have not submitted no longer can).
    Closing a closed one is refused."""
    locked = Performance.objects.select_for_update().get(pk=performance.pk)
    if locked.status == PerformanceStatus.CLOSED:
        raise ConflictError(_("This performance is already closed."))
    locked.status = PerformanceStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    return locked
