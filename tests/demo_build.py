"""The demo built once for a test module, in a transaction rolled back at the end (its
module-scoped fixtures call :func:`demo_for_module`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from kaopei.core.demo import DemoContext, demo_build


def demo_for_module(django_db_blocker: Any, today: dt.date) -> Iterator[DemoContext]:
    """Build the demo for ``today`` and yield its context; everything is rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        outer._from_testcase = True  # type: ignore[attr-defined]
        try:
            yield demo_build(log=lambda _: None, today=today)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
