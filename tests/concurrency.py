"""Two people at once: the marks of a PostgreSQL-only concurrency test module and the
helper that runs calls in threads started together, each on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import translation

# ``pytestmark = CONCURRENT_WRITERS`` in a module of tests that race two writers.
CONCURRENT_WRITERS = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises them); run.py runs "
        "these tests in its PostgreSQL pass",
    ),
]


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads started together; each one's result or the exception it
    raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):
                results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each one got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a call hung (deadlock?)"
    return results
