"""The dashboards' cache of heavy aggregates (reads only: nothing here writes to the
database).

A key holds the cycle, the unit, the language and a *generation* counter. The counter is
bumped, after the transaction commits, whenever scoring, calibration, a cycle's status or an
import changes data the dashboards show: ``Cycle`` saves (a scoring run saves its cycle with
``scored_at``; status changes save it too), ``Scorecard`` saves (calibration),
``Calibration`` rows and ``ImportBatch`` saves that commit or roll back a batch. Old keys are
then never read again and expire with ``TIMEOUT``.

With Redis (production) the counter is shared by every web process. The local-memory cache
(no Redis) is per process, so there entries also expire after ``TIMEOUT`` seconds.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache as django_cache
from django.db import transaction
from django.db.models.signals import post_save

GENERATION = "kaopei:dashboards:generation"
TIMEOUT = 300


def generation() -> int:
    value = django_cache.get(GENERATION)
    if value is None:
        django_cache.add(GENERATION, 1, timeout=None)
        value = django_cache.get(GENERATION, 1)
    return int(value)


def bump() -> None:
    """A new generation: every cached figure is stale from now on."""
    try:
        django_cache.incr(GENERATION)
    except ValueError:  # not there yet (or evicted)
        django_cache.set(GENERATION, 2, timeout=None)


def bump_on_commit() -> None:
    """Bump now (a reader inside the same transaction, or a test, sees the change) and once
    more when the transaction commits, so that nothing cached from the uncommitted state by
    another reader survives (once per transaction, however many rows it saves)."""
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(bump)


def key(*parts: Any) -> str:
    return ":".join(["kaopei:dashboards", str(generation()), *(str(p) for p in parts)])


def get(name: str) -> Any:
    return django_cache.get(name)


def put(name: str, value: Any) -> None:
    django_cache.set(name, value, timeout=TIMEOUT)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump_on_commit()


def _batch_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from kaopei.imports.models import ImportBatch

    if instance.status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.ROLLED_BACK):
        bump_on_commit()


def connect() -> None:
    """Called once from the app's ``ready``."""
    from kaopei.assessment.models import Calibration, Cycle, Scorecard
    from kaopei.imports.models import ImportBatch

    for model in (Cycle, Scorecard, Calibration):
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboards-{model.__name__}")
    post_save.connect(_batch_changed, sender=ImportBatch, dispatch_uid="dashboards-importbatch")
