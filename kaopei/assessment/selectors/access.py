"""The permission predicates the selectors use, taken from ``kaopei.assessment.rules`` (the
one place they are defined) under the names the rest of the package already uses, and
``require_hr``. The lowest module of the package: it imports no other selector module."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kaopei.assessment.rules import (
    PUBLISHED,
    appeal_window_open,
    can_acknowledge_card,
    can_appeal_card,
    can_calibrate,
    can_calibrate_card,
    can_manage_assessment,
    can_open_scorecards,
    can_see_aggregates,
    can_see_targets,
    can_view_calibration,
    can_view_scorecard,
    scorecard_scope_ids,
)
from kaopei.assessment.rules import is_card_owner as is_owner
from kaopei.core.rules import is_hr_admin as is_hr


def require_hr(user: Any) -> None:
    """PermissionDenied unless ``user`` manages assessment (HR admins)."""
    if not can_manage_assessment(user):
        raise PermissionDenied


__all__ = [
    "PUBLISHED",
    "appeal_window_open",
    "can_acknowledge_card",
    "can_appeal_card",
    "can_calibrate",
    "can_calibrate_card",
    "can_open_scorecards",
    "can_see_aggregates",
    "can_see_targets",
    "can_view_calibration",
    "can_view_scorecard",
    "is_hr",
    "is_owner",
    "require_hr",
    "scorecard_scope_ids",
]
