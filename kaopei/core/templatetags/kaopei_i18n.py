"""Template filters for text in two languages: ``{{ level|localized:"name" }}``,
``{{ metric.unit|unit_label }}`` (see :mod:`kaopei.core.i18n`)."""

from __future__ import annotations

from typing import Any

from django import template

from kaopei.core import i18n

register = template.Library()


@register.filter
def localized(obj: Any, field: str = "name") -> str:
    """``obj``'s ``field`` in the active language, falling back to the other language."""
    return i18n.localized(obj, field)


@register.filter
def unit_label(unit: str | None) -> str:
    """A metric unit (``count``, ``hours``, ``元`` …) in words of the active language."""
    return i18n.unit_label(unit)
