"""Competencies, their behaviour anchors and the competency matrix (expectations per
job level)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaopei.core.errors import ApplicationError
from kaopei.org.models import (
    Competency,
    CompetencyAnchor,
    JobLevel,
    LevelExpectation,
)
from kaopei.org.services.common import (
    SCALE,
    _clean_code,
    _clean_name,
    _field_error,
)


def _clean_anchors(anchors: Sequence[str]) -> list[str]:
    cleaned = [(a or "").strip() for a in anchors][: len(SCALE)]
    cleaned += [""] * (len(SCALE) - len(cleaned))
    missing = [point for point, text in zip(SCALE, cleaned, strict=True) if not text]
    if missing:
        raise ApplicationError(
            _("Describe the behaviour for every point of the 1–5 scale."),
            errors=[
                {"field": f"anchor_{p}", "message": _("Describe the behaviour at this point.")}
                for p in missing
            ],
        )
    return cleaned


def _optional_anchors(anchors: Sequence[str]) -> list[str]:
    """Up to five optional texts (the English anchors), padded with blanks."""
    cleaned = [(a or "").strip() for a in anchors][: len(SCALE)]
    return cleaned + [""] * (len(SCALE) - len(cleaned))


def _check_category(category: str) -> None:
    if category not in Competency.Category.values:
        raise _field_error(_("Choose a valid category."), "category")


@transaction.atomic
def competency_create(
    *,
    code: str,
    name: str,
    category: str,
    description: str = "",
    anchors: Sequence[str],
    name_en: str = "",
    description_en: str = "",
    anchors_en: Sequence[str] = (),
) -> Competency:
    """Create a competency with its five behaviour anchors (scale points 1 to 5, in order);
    the English texts (``anchors_en`` in the same order) are optional.

    Raises ApplicationError for a malformed or taken code, a blank name, an unknown category
    or a missing anchor.
    """
    code = _clean_code(code)
    name = _clean_name(name)
    _check_category(category)
    texts = _clean_anchors(anchors)
    if Competency.objects.filter(code__iexact=code).exists():
        raise _field_error(
            _("A competency with code %(code)s already exists.") % {"code": code}, "code"
        )
    texts_en = _optional_anchors(anchors_en)
    competency = Competency.objects.create(
        code=code,
        name=name,
        name_en=name_en.strip(),
        category=category,
        description=description.strip(),
        description_en=description_en.strip(),
    )
    CompetencyAnchor.objects.bulk_create(
        [
            CompetencyAnchor(competency=competency, level=i, behaviour=t, behaviour_en=e)
            for i, t, e in zip(SCALE, texts, texts_en, strict=True)
        ]
    )
    return competency


@transaction.atomic
def competency_update(
    *,
    competency: Competency,
    name: str,
    category: str,
    description: str,
    active: bool,
    anchors: Sequence[str],
    name_en: str | None = None,
    description_en: str | None = None,
    anchors_en: Sequence[str] | None = None,
) -> Competency:
    """Change a competency and replace its five anchors. The code never changes; the English
    texts change only when given."""
    competency = Competency.objects.select_for_update().get(pk=competency.pk)
    name = _clean_name(name)
    _check_category(category)
    texts = _clean_anchors(anchors)
    competency.name = name
    competency.category = category
    competency.description = description.strip()
    if name_en is not None:
        competency.name_en = name_en.strip()
    if description_en is not None:
        competency.description_en = description_en.strip()
    competency.active = active
    competency.save()
    existing = {a.level: a for a in CompetencyAnchor.objects.filter(competency=competency)}
    texts_en: list[str | None] = (
        list(_optional_anchors(anchors_en)) if anchors_en is not None else [None] * len(SCALE)
    )
    for point, text, text_en in zip(SCALE, texts, texts_en, strict=True):
        anchor = existing.get(point)
        if anchor is None:
            CompetencyAnchor.objects.create(
                competency=competency, level=point, behaviour=text, behaviour_en=text_en or ""
            )
        elif anchor.behaviour != text or (text_en is not None and anchor.behaviour_en != text_en):
            anchor.behaviour = text
            if text_en is not None:
                anchor.behaviour_en = text_en
            anchor.save(update_fields=["behaviour", "behaviour_en"])
    return competency


@transaction.atomic
def level_expectations_set(*, cells: Mapping[tuple[int, int], int | None]) -> int:
    """Write cells of the competency matrix: ``{(level_id, competency_id): expected}``.

    ``expected`` is 1–5, or None to remove the expectation. Cells not in ``cells`` are left
    alone. Returns how many cells changed; a constant number of queries however many cells
    (history is recorded in bulk). Raises ApplicationError for a value outside 1–5 or an
    unknown level or competency, writing nothing.
    """
    for value in cells.values():
        if value is not None and value not in SCALE:
            raise ApplicationError(_("Expected levels run from 1 to 5."))
    level_ids = {lvl for lvl, _c in cells}
    competency_ids = {c for _lvl, c in cells}
    if JobLevel.objects.filter(pk__in=level_ids).count() != len(level_ids) or (
        Competency.objects.filter(pk__in=competency_ids).count() != len(competency_ids)
    ):
        raise ApplicationError(
            _("The matrix refers to a job level or competency that no longer exists.")
        )
    existing = {
        (x.level_id, x.competency_id): x
        for x in LevelExpectation.objects.filter(
            level_id__in=level_ids, competency_id__in=competency_ids
        )
    }
    to_create: list[LevelExpectation] = []
    to_update: list[LevelExpectation] = []
    to_delete: list[int] = []
    for (level_id, competency_id), value in cells.items():
        current = existing.get((level_id, competency_id))
        if value is None:
            if current is not None:
                to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                LevelExpectation(level_id=level_id, competency_id=competency_id, expected=value)
            )
        elif current.expected != value:
            current.expected = value
            to_update.append(current)
    if to_create:
        bulk_create_with_history(to_create, LevelExpectation)
    if to_update:
        bulk_update_with_history(to_update, LevelExpectation, ["expected"])
    if to_delete:
        # QuerySet.delete() sends post_delete per object, so the history records deletions.
        LevelExpectation.objects.filter(pk__in=to_delete).delete()
    return len(to_create) + len(to_update) + len(to_delete)
