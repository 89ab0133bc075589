"""Job handlers of the assessment app (STYLE.md item 7: adapters that load, call a service
and report). They run through :mod:`kaopei.core.jobs`: on Celery with a broker, in a thread
in the demo, inline in tests.

Scoring runs in one database transaction, so progress written to the job row inside it only
shows at the end; the handler also puts it in the cache, which the job page reads while the
job runs (the cache is shared by every process with Redis, and by the web process and its
job threads in the demo).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kaopei.assessment.models import Template
from kaopei.assessment.selectors import cycle_by_code
from kaopei.assessment.services.corrections import appeals_record_after
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_lock, ensure_not_final
from kaopei.assessment.services.scoring import cycle_score
from kaopei.core.errors import ApplicationError
from kaopei.core.jobs import job_create, job_progress
from kaopei.core.models import Job
from kaopei.core.periods import Period, PeriodCodeError, parse_period
from kaopei.org.models import Employee

SCORE_HANDLER = "kaopei.assessment.tasks.score_cycle_job"
# A scoring job still unfinished after this long is taken to have died with its process.
STALE_AFTER = timedelta(minutes=30)


def _progress_key(job_id: int) -> str:
    return f"kaopei:job:{job_id}:progress"


def job_live_progress(job: Job) -> tuple[int, int]:
    """(done, total) of a job: the record's, or fresher figures from the cache while it runs."""
    done, total = job.progress, job.total
    if not job.is_done:
        cached = cache.get(_progress_key(job.pk))
        if cached and cached[0] >= done:
            done, total = cached
    return done, total


def score_cycle_job(*, job: Job, code: str, user_id: int | None = None) -> dict[str, Any]:
    """Handler: score cycle ``code`` as user ``user_id``; the result is the scoring summary
    (``scored``, ``grades``, ``skipped``). A final cycle or a bad code fails the job with the
    service's message."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job.pk), (done, total), timeout=3600)
        job_progress(job, done=done, total=total)

    try:
        summary = cycle_score(code=code, user=user, progress=progress)
    except PeriodCodeError as exc:
        raise ApplicationError(exc.args[0]) from exc
    cache.delete(_progress_key(job.pk))
    # Accepted appeals waiting for this re-score: their line and card after it.
    appeals_record_after(cycle_code=summary.cycle)
    return summary.as_dict()


class Enqueued(NamedTuple):
    job: Job
    started: bool  # False: the job was already under way, and this request was given it


def _running_score_job(code: str, *, join_running: bool = True) -> Job | None:
    statuses = (Job.Status.QUEUED, Job.Status.RUNNING) if join_running else (Job.Status.QUEUED,)
    return (
        Job.objects.filter(
            kind="score",
            params__code=code,
            status__in=statuses,
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def score_cycle_enqueue(*, code: str, user: Any, join_running: bool = True) -> Enqueued:
    """Start scoring cycle ``code`` (created if needed) as a job and return it, or the
    scoring job of this cycle still under way: one scoring job per cycle at a time.

    ``join_running=False`` is for a caller whose transaction changes what scoring reads (an
    accepted appeal's correction): a job that is already running may have read the cycle
    before that change, so only a job still queued is joined; otherwise a new one is
    started, which waits for the cycle's lock and so runs after the running one.

    Raises ApplicationError (400) for a bad code, ConflictError (409) for a final cycle.
    The job's total is the number of people it is expected to score.
    """
    try:
        period = parse_period(code)
    except PeriodCodeError as exc:
        raise ApplicationError(exc.args[0]) from exc
    cycle = cycle_by_code(period.code)
    if cycle is not None:
        ensure_not_final(cycle)
    # A job under way is returned at once, without waiting for the cycle's lock (its
    # scoring run holds that lock until it commits).
    running = _running_score_job(period.code, join_running=join_running)
    if running is not None:
        return Enqueued(running, started=False)
    return _score_cycle_enqueue_locked(period=period, user=user, join_running=join_running)


@transaction.atomic
def _score_cycle_enqueue_locked(*, period: Period, user: Any, join_running: bool) -> Enqueued:
    """Check and create under the cycle's lock: of simultaneous requests, the first creates
    the job and the others, waiting for the lock, find it."""
    cycle = cycle_lock(pk=cycle_get_or_create(code=period.code).pk)
    ensure_not_final(cycle)
    running = _running_score_job(period.code, join_running=join_running)
    if running is not None:
        return Enqueued(running, started=False)
    levels = Template.objects.filter(cycle_kind=period.kind, current=True).values("level_id")
    expected = Employee.objects.filter(
        Q(hire_date__isnull=True) | Q(hire_date__lte=period.end),
        Q(left_on__isnull=True) | Q(left_on__gte=period.start),
        level_id__in=levels,
    ).count()
    job = job_create(
        kind="score",
        handler=SCORE_HANDLER,
        params={"code": period.code, "user_id": getattr(user, "pk", None)},
        user=user,
        total=expected,
    )
    return Enqueued(job, started=True)
