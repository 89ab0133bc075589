"""Master data in two languages, and metric units in words.

Master data (job levels, competencies and their behaviour anchors, org units) keeps its
Chinese text in the plain field (``name``, ``description``, ``behaviour``) and its English
text in the same name with ``_en``; the metric library spells the Chinese one ``_zh``.
:func:`localized` picks the text of the active language and falls back to the other one, so
a record written in one language only still shows everywhere. Templates use the
``localized`` filter of ``kaopei_i18n``; Python code uses :class:`Bilingual`'s properties.

:func:`unit_label` is the one place that turns a metric unit code (``count``, ``hours``,
``days``, ``points``, ``%``, ``元``, ``1–5``, ``0–100``) into words of the active language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, pgettext_lazy


def english_active() -> bool:
    """True when the active language is English (Chinese is the default)."""
    return (get_language() or "zh-hans").lower().startswith("en")


def pick(zh: str | None, en: str | None) -> str:
    """``en`` for an English reader, ``zh`` otherwise; the other one when the chosen is blank."""
    zh, en = zh or "", en or ""
    return (en or zh) if english_active() else (zh or en)


def localized(obj: Any, field: str) -> str:
    """The text of ``obj.<field>`` in the active language, with a fallback to the other.

    English is ``<field>_en``; Chinese is ``<field>_zh`` when the model has one (the metric
    library), else ``<field>`` itself.
    """
    if obj is None:
        return ""
    en = getattr(obj, f"{field}_en", "")
    zh_attr = f"{field}_zh"
    zh = getattr(obj, zh_attr) if hasattr(obj, zh_attr) else getattr(obj, field, "")
    return pick(str(zh or ""), str(en or ""))


class Bilingual:
    """Mixin for a model with ``name``/``name_en`` (and optionally ``description``/
    ``description_en``): the text of the active language, falling back to the other."""

    @property
    def local_name(self) -> str:
        return localized(self, "name")

    @property
    def local_description(self) -> str:
        return localized(self, "description")


UNIT_LABELS: dict[str, Any] = {
    "count": pgettext_lazy("metric unit", "count"),
    "hours": pgettext_lazy("metric unit", "hours"),
    "days": pgettext_lazy("metric unit", "days"),
    "points": pgettext_lazy("metric unit", "points"),
    "%": pgettext_lazy("metric unit", "%"),
    "元": pgettext_lazy("metric unit", "yuan (¥)"),
    "1–5": pgettext_lazy("metric unit", "1–5 scale"),
    "0–100": pgettext_lazy("metric unit", "0–100 points"),
}


def unit_label(unit: str | None) -> str:
    """A metric unit in words of the active language (an unknown unit as it is written)."""
    if not unit:
        return ""
    label = UNIT_LABELS.get(unit)
    return str(label) if label is not None else unit
