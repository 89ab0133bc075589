"""Two HR admins replying to one suggestion at once: one reply is kept, the other is told
(PostgreSQL only: SQLite serialises writers)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from kaopei.core.errors import ConflictError
from kaopei.feedback.models import Suggestion
from kaopei.feedback.services import suggestions as services
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.feedback.test_surveys_concurrency import PAUSE

pytestmark = CONCURRENT_WRITERS


def test_two_replies_at_once_keep_one_and_refuse_the_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = build_personas()
    suggestion, _code = services.suggestion_post(
        about="process", text="The complaint follow-up process is unclear to customers."
    )
    locked = services._locked

    def slow_lock(s: Suggestion) -> Any:  # holds the row a moment
        row = locked(s)
        time.sleep(PAUSE)
        return row

    monkeypatch.setattr(services, "_locked", slow_lock)
    results = at_once(
        lambda: services.suggestion_reply(
            suggestion=suggestion, reply="Answer A", seen_reply="", user=p.hr.user
        ),
        lambda: services.suggestion_reply(
            suggestion=suggestion, reply="Answer B", seen_reply="", user=p.hr.user
        ),
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ConflictError)
    suggestion.refresh_from_db()
    assert suggestion.reply in {"Answer A", "Answer B"}
    winner = next(r for r in results if not isinstance(r, Exception))
    assert suggestion.reply == winner.reply
