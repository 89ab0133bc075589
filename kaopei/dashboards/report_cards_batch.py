"""Report cards in batches: every scored person of a cycle (of a unit's subtree), one PDF
each named ``<employee_no>-<cycle>.pdf``, in one zip, as a background job with progress.

The page queues it with :func:`report_cards_enqueue` (the zip is stored under
``MEDIA_ROOT/report_cards/<job id>/``, downloaded by the requester and HR admins only, and
removed after ``IMPORT_KEEP_DAYS`` by :func:`report_cards_purge`, run whenever a batch is
queued); ``kaopei report-cards`` creates the same job and runs it in the foreground,
printing progress (:data:`ECHO`). Data gathering is set-based: a few queries per
:data:`CHUNK` people (:func:`kaopei.dashboards.report_card.report_cards_for`).

Bad input (an unknown cycle or unit, nobody scored) fails the job with a clear message and
writes no file: the zip is written next to its target and moved in place when complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kaopei.assessment.models import Cycle
from kaopei.core.errors import ApplicationError
from kaopei.core.jobs import JobNotice, job_create, job_progress, register_job_notice
from kaopei.core.models import Job
from kaopei.core.notifications import register_kind
from kaopei.dashboards.report_card import report_cards_for, scored_employee_ids
from kaopei.dashboards.report_card_pdf import report_card_pdf
from kaopei.org.models import OrgUnit

KIND = "report_cards"
HANDLER = "kaopei.dashboards.report_cards_batch.report_cards_run"
LANGUAGES = ("zh-hans", "en")
CHUNK = 500  # people whose data is gathered together
MEDIA_DIR = "report_cards"

# Set by the command to print progress as it goes: called with (done, total).
ECHO: ContextVar[Callable[[int, int], None] | None] = ContextVar("report_cards_echo", default=None)


def _cycle(code: str) -> Cycle:
    cycle = Cycle.objects.filter(code=(code or "").strip().upper()).first()
    if cycle is None:
        raise ApplicationError(_("Unknown cycle %(code)s.") % {"code": code})
    return cycle


def _unit(code: str) -> OrgUnit | None:
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise ApplicationError(_("Unknown org unit %(code)s.") % {"code": code})
    return unit


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ApplicationError(_("Unknown language %(lang)s: use zh-hans or en.") % {"lang": lang})
    return lang


def zip_name(cycle_code: str, unit_code: str = "") -> str:
    return f"report-cards-{cycle_code}{'-' + unit_code if unit_code else ''}.zip"


def report_cards_check(*, code: str, unit: str = "", lang: str = "zh-hans") -> list[int]:
    """The people whose cards a batch would hold, or ApplicationError saying what is wrong."""
    cycle = _cycle(code)
    org_unit = _unit(unit)
    _language(lang)
    unit_ids = None
    if org_unit is not None:
        from kaopei.org.selectors import unit_descendant_ids

        unit_ids = unit_descendant_ids(org_unit.pk)
    ids = scored_employee_ids(cycle=cycle, unit_ids=unit_ids)
    if not ids:
        raise ApplicationError(
            _("Nobody is scored in cycle %(code)s%(where)s: there is no report card to print.")
            % {"code": cycle.code, "where": f" ({org_unit.code})" if org_unit else ""}
        )
    return ids


@transaction.atomic
def report_cards_enqueue(*, user: Any, code: str, unit: str = "", lang: str = "zh-hans") -> Job:
    """Queue a batch for the page (checked first: bad input queues nothing)."""
    ids = report_cards_check(code=code, unit=unit, lang=lang)
    with contextlib.suppress(Exception):
        report_cards_purge()
    return job_create(
        kind=KIND,
        handler=HANDLER,
        params={"code": code.strip().upper(), "unit": unit.strip(), "lang": lang},
        user=user,
        total=len(ids),
    )


def report_cards_job_create(*, code: str, unit: str, lang: str, output: str) -> Job:
    """The job record of a command's batch (run by the command itself, not dispatched)."""
    return Job.objects.create(
        kind=KIND,
        handler=HANDLER,
        params={"code": code, "unit": unit, "lang": lang, "output": output},
    )


def report_cards_run(
    *, job: Job, code: str, unit: str = "", lang: str = "zh-hans", output: str = ""
) -> dict[str, Any]:
    """The job's handler: write the zip (to ``output``, else under MEDIA_ROOT)."""
    ids = report_cards_check(code=code, unit=unit, lang=lang)
    cycle = _cycle(code)
    total = len(ids)
    job_progress(job, done=0, total=total)
    echo = ECHO.get()
    if output:
        target = Path(output)
        relative = ""
    else:
        relative = f"{MEDIA_DIR}/{job.pk}/{zip_name(cycle.code, unit)}"
        target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int) -> None:
        job_progress(job, done=done, total=total)
        if echo is not None:
            echo(done, total)

    names = write_cards_zip(cycle=cycle, ids=ids, lang=lang, target=target, progress=progress)
    return {"code": cycle.code, "unit": unit, "files": len(names), "zip": relative}


def write_cards_zip(
    *,
    cycle: Cycle,
    ids: list[int],
    lang: str,
    target: Path,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Gather the cards of ``ids`` (CHUNK people at a time), draw each PDF and write them
    into the zip ``target`` (complete or not at all). Returns the file names."""
    handle, temp = tempfile.mkstemp(prefix=".report-cards-", suffix=".zip", dir=target.parent)
    os.close(handle)
    names: list[str] = []
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_STORED) as archive:
            for start in range(0, len(ids), CHUNK):
                with translation.override(lang):
                    cards = report_cards_for(cycle=cycle, employee_ids=ids[start : start + CHUNK])
                for card in cards:
                    archive.writestr(card.file_name, report_card_pdf(card=card, language=lang))
                    names.append(card.file_name)
                    if progress is not None and (len(names) % 10 == 0 or len(names) == len(ids)):
                        progress(len(names))
        shutil.move(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    return names


def report_cards_file(job: Job) -> Path | None:
    """The zip of a finished page batch, if it is still there."""
    relative = (job.result or {}).get("zip") or ""
    if job.kind != KIND or job.status != Job.Status.SUCCEEDED or not relative:
        return None
    path = Path(settings.MEDIA_ROOT) / relative
    return path if path.is_file() else None


def report_cards_purge(*, now: datetime | None = None) -> int:
    """Remove the zips of page batches older than IMPORT_KEEP_DAYS (the upload retention);
    the job records stay. Returns how many were removed."""
    now = now or timezone.now()
    removed = 0
    old = Job.objects.filter(
        kind=KIND, created_at__lt=now - timedelta(days=settings.IMPORT_KEEP_DAYS)
    ).values_list("pk", flat=True)
    for pk in old:
        folder = Path(settings.MEDIA_ROOT) / MEDIA_DIR / str(pk)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


READY = "report_cards_ready"


def report_cards_notice(job: Job) -> JobNotice:
    """What the person who asked for a batch is told once it ended: where the zip is, or
    that it failed (the job page says why)."""
    url = reverse("report_cards_job", kwargs={"job_id": job.pk})
    code = (job.params or {}).get("code", "")
    if job.status == Job.Status.SUCCEEDED:
        return JobNotice(
            kind=READY,
            message=gettext_noop("The report cards of %(cycle)s are ready: %(n)s PDFs in a zip."),
            params={"cycle": code, "n": (job.result or {}).get("files", 0)},
            url=url,
        )
    return JobNotice(
        kind=READY,
        message=gettext_noop("The report cards of %(cycle)s could not be made. Open the job."),
        params={"cycle": code},
        url=url,
    )


def register() -> None:
    """The notification kind and the batch's notice (DashboardsConfig.ready)."""
    register_kind(READY, gettext_lazy("Report cards I asked for are ready"))
    register_job_notice(kind=KIND, builder=report_cards_notice)
