"""Two HR admins switching the improvement board at once: one row, both saves succeed, and
the history records the one change (PostgreSQL only: SQLite serialises writers)."""

from __future__ import annotations

from kaopei.org.models import LeaderboardSetting
from kaopei.org.services.leaderboard import leaderboard_setting_set
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas

pytestmark = CONCURRENT_WRITERS


def test_two_hr_admins_switching_the_board_on_at_once_make_one_change() -> None:
    p = build_personas()
    results = at_once(
        lambda: leaderboard_setting_set(improvement_board=True, user=p.hr.user),
        lambda: leaderboard_setting_set(improvement_board=True, user=p.hr.user),
    )
    assert all(isinstance(r, LeaderboardSetting) for r in results), results
    assert LeaderboardSetting.objects.count() == 1
    assert LeaderboardSetting.objects.get().improvement_board
    changes = LeaderboardSetting.history.filter(improvement_board=True)  # type: ignore[attr-defined]
    assert changes.count() == 1
