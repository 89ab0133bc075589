"""Job handlers of the imports app (STYLE.md item 7: adapters that load, call a service and
report). They run through :mod:`kaopei.core.jobs`: on Celery with a broker, in a thread in
the demo, inline in tests."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from kaopei.core.models import Job
from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_run, upload_purge


def import_job(
    *,
    job: Job,
    batch_id: int,
    kind: str,
    dry_run: bool,
    user_id: int | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """Handler: run the import of batch ``batch_id`` (started by ``import_start``), in the
    language of the person who started it. The result summarises the batch's outcome."""
    batch = ImportBatch.objects.get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with translation.override(language or settings.LANGUAGE_CODE):
        batch = import_run(batch=batch, kind=kind, dry_run=dry_run, user=user, job=job)
    return {
        "batch_id": batch.pk,
        "status": batch.status,
        "rows": batch.rows,
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "skipped": batch.skipped,
        "errors": len(batch.error_report or []),
    }


@shared_task
def purge_uploads() -> int:
    """Scheduled by Celery beat (config/celery.py): delete uploads past retention."""
    return upload_purge()
