"""Run long work as a job (DESIGN.md §2): Celery with a broker, else a background thread.

A handler is a function ``handler(*, job: Job, **params) -> dict`` named by its dotted path;
it reports progress with :func:`job_progress` and returns the job's JSON result. The job
record is the same whichever backend runs it, so progress survives a page reload.

When a job ends, whoever started it is notified if the app that owns the job's kind
registered a :class:`JobNotice` builder for it (:func:`register_job_notice`).
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from kaopei.core.errors import ApplicationError
from kaopei.core.models import Job
from kaopei.core.notifications import notify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobNotice:
    """What to tell the person who started a job once it ended (see
    :func:`kaopei.core.notifications.notify`)."""

    kind: str  # a registered notification kind
    message: str  # gettext_noop text with %(name)s placeholders
    params: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""


JobNoticeBuilder = Callable[[Job], JobNotice | None]
_JOB_NOTICES: dict[str, JobNoticeBuilder] = {}


def register_job_notice(*, kind: str, builder: JobNoticeBuilder) -> None:
    """Notify the starter of every job of ``kind`` (Job.kind) when it ends, with the notice
    ``builder(job)`` returns (None: nothing to say). Called from an app's ``AppConfig.ready``."""
    _JOB_NOTICES[kind] = builder


def job_create(
    *, kind: str, handler: str, params: dict[str, Any], user: Any = None, total: int = 0
) -> Job:
    """Create a job record and dispatch it once the surrounding transaction commits."""
    job = Job.objects.create(
        kind=kind, handler=handler, params=params, created_by=user, total=total
    )
    backend = settings.KAOPEI_JOBS_BACKEND
    if backend == "inline":
        transaction.on_commit(lambda: job_run(job_id=job.pk), robust=False)
    elif backend == "celery":
        from kaopei.core.tasks import run_job

        transaction.on_commit(lambda: run_job.delay(job.pk))
    else:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id: int) -> None:
    def target() -> None:
        close_old_connections()
        try:
            job_run(job_id=job_id)
        finally:
            close_old_connections()

    threading.Thread(target=target, name=f"kaopei-job-{job_id}", daemon=True).start()


def _resolve(path: str) -> Any:
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def job_run(*, job_id: int) -> Job:
    """Run a job's handler now, recording start, result or error."""
    job = Job.objects.get(pk=job_id)
    if job.is_done:
        return job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    try:
        result = _resolve(job.handler)(job=job, **job.params)
    except ApplicationError as exc:
        job.status = Job.Status.FAILED
        job.error = str(exc.message)
        job.result = {"detail": str(exc.message), "errors": exc.errors}
    except Exception:  # noqa: BLE001 - a job must record any failure, not vanish
        log.exception("job %s failed", job.pk)
        job.status = Job.Status.FAILED
        job.error = traceback.format_exc(limit=5)
    else:
        job.status = Job.Status.SUCCEEDED
        job.result = result or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "error", "finished_at", "updated_at"])
    _notify_job_ended(job)
    return job


def _notify_job_ended(job: Job) -> None:
    """Tell the job's starter how it ended; a failure here is logged, the job stays as it is."""
    builder = _JOB_NOTICES.get(job.kind)
    if builder is None or job.created_by_id is None:
        return
    try:
        notice = builder(job)
        if notice is not None:
            notify(
                users=[job.created_by_id],
                kind=notice.kind,
                message=notice.message,
                params=notice.params,
                url=notice.url,
            )
    except Exception:  # noqa: BLE001 - the job's own outcome is what counts
        log.exception("notifying the end of job %s failed", job.pk)


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Record progress (rows processed) without touching the rest of the record."""
    fields: dict[str, Any] = {"progress": done}
    job.progress = done
    if total is not None:
        fields["total"] = total
        job.total = total
    if message:
        fields["message"] = message[:300]
    Job.objects.filter(pk=job.pk).update(**fields)
