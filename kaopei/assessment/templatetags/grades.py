"""Grade badges: ``{{ grade|grade_tone:grade_scale }}`` and ``{{ grade|grade_name }}``, used by
the one grade partial ``assessment/_grade.html``."""

from __future__ import annotations

from typing import Any

from django import template

from kaopei.assessment.grades import SPECIAL, GradeScale
from kaopei.assessment.presenters import GRADE_LABELS

register = template.Library()
_NO_SCALE = GradeScale(bands=())


@register.filter
def grade_tone(grade: str, scale: GradeScale | None = None) -> str:
    """The badge class of ``grade`` by its place in ``scale`` (the page's policy)."""
    return (scale if isinstance(scale, GradeScale) else _NO_SCALE).tone(grade or "")


@register.filter
def grade_name(grade: Any) -> str:
    """The engine's grades by their name, a policy's grades by their code."""
    if grade in SPECIAL:
        return str(GRADE_LABELS[grade])
    return str(grade or "")
