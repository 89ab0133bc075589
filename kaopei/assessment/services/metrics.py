"""The metric library's writes: HR admins add manual metrics and edit descriptions
(DESIGN.md §5: "Administrators may add metrics of their own (manual ones at least) without
code"). Built-in metrics keep their formula: only their names, definitions and whether they
are active can change.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Metric
from kaopei.core.errors import ApplicationError

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# What may change on a built-in metric: the words, not the formula.
BUILTIN_EDITABLE = frozenset({"name_zh", "name_en", "definition_zh", "definition_en", "active"})
MANUAL_EDITABLE = BUILTIN_EDITABLE | {
    "unit",
    "direction",
    "mode",
    "floor",
    "ceiling",
    "category",
    "cumulative",
}


def _check_scoring(
    *, direction: str, mode: str, floor: Decimal | None, ceiling: Decimal | None
) -> list[dict[str, Any]]:
    """Field errors for a scoring set-up the engine (DESIGN.md §6) could not use."""
    errors: list[dict[str, Any]] = []
    if direction not in Metric.Direction.values:
        errors.append({"field": "direction", "message": str(_("Choose a direction."))})
    if mode not in Metric.Mode.values:
        errors.append({"field": "mode", "message": str(_("Choose a scoring mode."))})
    if mode == Metric.Mode.DIRECT and direction != Metric.Direction.HIGHER:
        errors.append(
            {
                "field": "direction",
                "message": str(_("A direct metric is scored as points, so higher must be better.")),
            }
        )
    if mode == Metric.Mode.BAND:
        if direction == Metric.Direction.HIGHER and floor is None:
            errors.append(
                {
                    "field": "floor",
                    "message": str(_("A band metric where higher is better needs a floor.")),
                }
            )
        if direction == Metric.Direction.LOWER and ceiling is None:
            errors.append(
                {
                    "field": "ceiling",
                    "message": str(_("A band metric where lower is better needs a ceiling.")),
                }
            )
    elif floor is not None or ceiling is not None:
        errors.append(
            {
                "field": "floor" if floor is not None else "ceiling",
                "message": str(_("Only band metrics have a floor or a ceiling.")),
            }
        )
    for name, value in (("floor", floor), ("ceiling", ceiling)):
        if value is not None and not value.is_finite():
            errors.append({"field": name, "message": str(_("Enter a number."))})
    return errors


def _refuse(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise ApplicationError(
            _("The metric was not saved: %(problems)s")
            % {"problems": " ".join(e["message"] for e in errors)},
            errors=errors,
        )


@transaction.atomic
def metric_create(
    *,
    code: str,
    name_zh: str,
    unit: str,
    direction: str,
    mode: str,
    category: str,
    name_en: str = "",
    floor: Decimal | None = None,
    ceiling: Decimal | None = None,
    definition_zh: str = "",
    definition_en: str = "",
    cumulative: bool = False,
    active: bool = True,
    user: Any = None,
) -> Metric:
    """Add a manual metric (``source=manual``), fed by the ``manual_scores`` import.

    ``code`` is a lower-case slug (letters, digits, underscores), unique in the library.
    Raises ApplicationError with field errors when the code is taken or malformed, or the
    scoring set-up is incomplete (a band needs its floor or ceiling).
    """
    code = (code or "").strip()
    errors: list[dict[str, Any]] = []
    if not CODE_RE.match(code):
        errors.append(
            {
                "field": "code",
                "message": str(
                    _(
                        "A code has 2 to 40 lower-case letters, digits or underscores and starts with a "
                        "letter, e.g. branch_rating."
                    )
                ),
            }
        )
    elif Metric.objects.filter(code=code).exists():
        errors.append(
            {
                "field": "code",
                "message": str(
                    _("The library already has a metric with the code “%(code)s”.") % {"code": code}
                ),
            }
        )
    if not (name_zh or "").strip():
        errors.append({"field": "name_zh", "message": str(_("Enter a Chinese name."))})
    if category not in Metric.Category.values:
        errors.append({"field": "category", "message": str(_("Choose a category."))})
    errors += _check_scoring(direction=direction, mode=mode, floor=floor, ceiling=ceiling)
    _refuse(errors)
    metric = Metric(
        code=code,
        name_zh=name_zh.strip(),
        name_en=(name_en or "").strip(),
        unit=unit.strip(),
        direction=direction,
        mode=mode,
        floor=floor,
        ceiling=ceiling,
        source=Metric.Source.MANUAL,
        category=category,
        definition_zh=definition_zh,
        definition_en=definition_en,
        cumulative=cumulative,
        builtin=False,
        active=active,
    )
    metric._history_user = user  # type: ignore[attr-defined]
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, metric: Metric, user: Any = None, **fields: Any) -> Metric:
    """Change a metric. Built-in metrics accept only ``name_zh``, ``name_en``,
    ``definition_zh``, ``definition_en`` and ``active``; manual ones also their unit,
    category and scoring (checked as in :func:`metric_create`). The code never changes.
    Raises ApplicationError naming the fields that may not change."""
    allowed = BUILTIN_EDITABLE if metric.builtin else MANUAL_EDITABLE
    refused = sorted(
        name
        for name, value in fields.items()
        if name not in allowed and getattr(metric, name, object()) != value
    )
    if refused:
        raise ApplicationError(
            _("These fields of metric %(code)s cannot be changed: %(names)s")
            % {"code": metric.code, "names": ", ".join(refused)},
            errors=[
                {"field": name, "message": str(_("This cannot be changed."))} for name in refused
            ],
        )
    fields = {k: v for k, v in fields.items() if k in allowed}
    if "name_zh" in fields and not (fields["name_zh"] or "").strip():
        _refuse([{"field": "name_zh", "message": str(_("Enter a Chinese name."))}])
    if not metric.builtin:
        merged = {
            name: fields.get(name, getattr(metric, name))
            for name in ("direction", "mode", "floor", "ceiling")
        }
        errors = _check_scoring(**merged)
        if "category" in fields and fields["category"] not in Metric.Category.values:
            errors.append({"field": "category", "message": str(_("Choose a category."))})
        _refuse(errors)
    for name, value in fields.items():
        setattr(
            metric,
            name,
            value.strip() if isinstance(value, str) and name.startswith("name") else value,
        )
    metric._history_user = user  # type: ignore[attr-defined]
    metric.save()
    return metric
