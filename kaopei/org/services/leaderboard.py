"""The leaderboard setting (one row): whether units see their improvement board."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaopei.core.rules import is_hr_admin
from kaopei.org.models import LeaderboardSetting


def leaderboard_setting_get() -> LeaderboardSetting:
    """The setting as stored, or the default (private rankings) when never saved."""
    return LeaderboardSetting.objects.filter(pk=1).first() or LeaderboardSetting(pk=1)


@transaction.atomic
def leaderboard_setting_set(*, improvement_board: bool, user: Any) -> LeaderboardSetting:
    """Switch the improvement board on or off (HR admins only; PermissionDenied otherwise).
    The row is locked, so two HR admins saving at once apply one after the other; the
    history records who changed it."""
    if not is_hr_admin(user):
        raise PermissionDenied
    LeaderboardSetting.objects.get_or_create(pk=1)
    setting = LeaderboardSetting.objects.select_for_update().get(pk=1)
    if setting.improvement_board != improvement_board:
        setting.improvement_board = improvement_board
        setting._history_user = user  # type: ignore[attr-defined]
        setting.save()
    return setting
