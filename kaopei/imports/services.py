"""Imports (DESIGN.md §4.2 ⚑): one pipeline for the command line, the web pages and the API.

    batch = import_upload(fileobj=…, filename=…, user=…)     # stored, hashed, status UPLOADED
    preview = import_preview(batch=batch)                      # header mapping, first rows
    batch = import_start(batch=batch, kind=…, dry_run=True, user=…)   # now, or as a job
    import_batch_rollback(batch=batch, user=…)                 # undo a committed batch

A run reads the whole file and reports every problem before it writes anything: cell and
row errors from the pure pipeline (:mod:`kaopei.imports.importing`), then what only the
database knows (unknown employees, customers, units, levels, metrics; final cycles; template
weights) from the kind's loader (:mod:`kaopei.imports.loaders`). A file with any error writes
nothing; otherwise one transaction creates and updates the rows, keeps the previous values
of every updated row for rollback, and records the counts. Bad input is always an outcome
(status FAILED with its error report), never an exception, except for requests that cannot
start at all (unknown kind, a file too large, a batch already imported), which raise
:class:`ApplicationError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import (
    IntegrityError,
    connection,
    transaction,
)
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.jobs import job_create
from kaopei.core.models import Job
from kaopei.imports.importing import (
    SPECS,
    ImportFileError,
    ImportPipelineError,
    KindSpec,
    RowError,
    check_upload,
    get_spec,
    guess_kind,
    map_headers,
    max_file_bytes,
    open_table,
    split_header,
)
from kaopei.imports.importing.cells import shown
from kaopei.imports.loaders import LOADERS, get_loader
from kaopei.imports.loaders.base import changed_later, final_cycles
from kaopei.imports.loaders.runner import (
    CRASHED,
    FILE_ERROR_ROW,
    estimate_rows,
    execute,
    file_error,
)
from kaopei.imports.models import ImportBatch

S = ImportBatch.Status
IMPORT_DIR = "imports"
PREVIEW_ROWS = 10
# Files above this size run as a background job, whatever their row count.
BACKGROUND_BYTES = 5 * 1024 * 1024
IMPORT_HANDLER = "kaopei.imports.tasks.import_job"
# A batch in these states has written nothing: it can be checked or imported (again).
STARTABLE = (S.UPLOADED, S.DRY_RUN, S.FAILED)
COPY_CHUNK = 1024 * 1024

NOT_STARTABLE = {
    S.COMMITTED.value: _(
        "This file has already been imported. Upload it again to import it again."
    ),
    S.ROLLED_BACK.value: _(
        "This import has been rolled back. Upload the file again to import it again."
    ),
    S.VALIDATING.value: _("This import is already running."),
}


@dataclass
class Preview:
    """What a file looks like as an import of ``kind`` (the chosen kind, else the guess).

    ``mapping`` has one entry per header cell: ``header`` as written, ``column`` (the English
    column name, or ``None``), ``unit`` (from the header), ``status`` (``ok``, ``unknown`` —
    ignored — or ``error``) and ``message``. ``rows`` are the first data rows as text;
    ``errors`` and ``warnings`` are the header's (``RowError.as_dict()``).
    """

    kind: str | None
    kind_guess: str | None
    headers: list[str]
    mapping: list[dict[str, Any]]
    rows: list[list[str]]
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------


def _pipeline_error(exc: ImportPipelineError, status: int = 400) -> ApplicationError:
    return ApplicationError(exc.message, errors=[{"code": exc.code}], status=status)


def _spec(kind: str) -> KindSpec:
    try:
        return get_spec(kind)
    except ImportPipelineError as exc:
        raise _pipeline_error(exc) from None


def import_check_kind(*, kind: str) -> None:
    """Raise ApplicationError (400) unless ``kind`` is an import kind."""
    _spec(kind)


def stored_path(batch: ImportBatch) -> Path:
    """Where the batch's uploaded file is kept (under ``MEDIA_ROOT``)."""
    return Path(settings.MEDIA_ROOT) / batch.stored_file


def _size_of(fileobj: IO[bytes]) -> int | None:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    try:
        position = fileobj.tell()
        fileobj.seek(0, os.SEEK_END)
        end = fileobj.tell()
        fileobj.seek(position)
        return end
    except (AttributeError, OSError, ValueError):
        return None


def _too_large(size: int, limit: int) -> ApplicationError:
    mb = lambda n: f"{n / (1024 * 1024):.1f}".removesuffix(".0")  # noqa: E731
    exc = ImportFileError("file_too_large", size=mb(size), limit=mb(limit))
    return _pipeline_error(exc)


def _user_or_none(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- upload and preview -------------------------------------------------------------------


def import_upload(
    *, fileobj: IO[bytes], filename: str, user: Any, source: str = "web"
) -> ImportBatch:
    """Store an uploaded file under ``MEDIA_ROOT/imports/`` and record it (status UPLOADED,
    with its SHA-256 and size). Nothing is parsed yet.

    Raises ApplicationError for a file larger than ``IMPORT_MAX_BYTES`` (checked before
    anything is stored, and again while copying a stream of unknown size), and for a
    workbook that would unpack to more than the import's bounds (then the copy is removed).
    """
    limit = max_file_bytes()
    size = _size_of(fileobj)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    name = os.path.basename(str(filename).replace("\\", "/")) or "upload"
    safe = get_valid_filename(name) if get_valid_filename(name) else "upload"
    relative = f"{IMPORT_DIR}/{timezone.now():%Y%m%d}-{secrets.token_hex(6)}-{safe}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    if hasattr(fileobj, "seek"):
        with contextlib.suppress(OSError, ValueError):
            fileobj.seek(0)
    chunks = (
        fileobj.chunks()
        if hasattr(fileobj, "chunks")
        else iter(lambda: fileobj.read(COPY_CHUNK), b"")
    )
    try:
        with open(path, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    raise _too_large(written, limit)
                digest.update(chunk)
                out.write(chunk)
        check_upload(path)  # a decompression bomb is refused at once, and not kept
    except ImportFileError as exc:
        path.unlink(missing_ok=True)
        raise _pipeline_error(exc) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ImportBatch.objects.create(
        kind="",
        file_name=name[:255],
        sha256=digest.hexdigest(),
        size=written,
        status=S.UPLOADED,
        source=source[:10],
        stored_file=relative,
        created_by=_user_or_none(user),
    )


def _mapping(
    headers: Sequence[str], spec: KindSpec | None, header_row: int
) -> tuple[list[dict[str, Any]], list[RowError], list[RowError]]:
    if spec is None:
        return (
            [
                {
                    "header": h,
                    "column": None,
                    "unit": split_header(h)[1] or "",
                    "status": "unknown",
                    "message": "",
                }
                for h in headers
            ],
            [],
            [],
        )
    found = map_headers(headers, spec, row=header_row)
    at = {index: name for name, index in found.positions.items()}
    mapping = []
    for index, header in enumerate(headers):
        entry: dict[str, Any] = {
            "header": header,
            "column": None,
            "unit": split_header(header)[1] or "" if header.strip() else "",
            "status": "unknown",
            "message": "",
        }
        if not header.strip():
            mapping.append(entry)
            continue
        name = at.get(index)
        if name is not None:
            entry["column"] = name
            problem = next(
                (e for e in found.errors if e.column == name and e.code.startswith("unit_")), None
            )
            entry["status"] = "error" if problem else "ok"
            entry["message"] = str(problem.reason) if problem else ""
        else:
            column = spec.match_header(split_header(header)[0])
            if column is not None:  # a second header for a column already mapped
                problem = next(
                    (
                        e
                        for e in found.errors
                        if e.code == "duplicate_column" and e.header == header
                    ),
                    None,
                )
                entry.update(
                    column=column.name,
                    status="error",
                    message=str(problem.reason) if problem else "",
                )
            else:
                warning = next((w for w in found.warnings if w.header == header), None)
                entry["message"] = str(warning.reason) if warning else ""
        mapping.append(entry)
    return mapping, found.errors, found.warnings


def import_preview(*, batch: ImportBatch, kind: str | None = None) -> Preview:
    """The header, its mapping to ``kind`` (or to the guessed kind) and the first rows.

    Reads only the header and the first rows. Raises ApplicationError for an unknown kind
    or a file that cannot be read at all.
    """
    spec = _spec(kind) if kind else None
    if batch.file_removed_at is not None:
        raise ConflictError(upload_removed_message(batch))
    rows: list[list[str]] = []
    late: list[dict[str, Any]] = []
    try:
        with open_table(stored_path(batch), batch.file_name) as table:
            headers = list(table.header)
            header_row = table.header_row
            try:
                for row in table:
                    rows.append([shown(cell) for cell in row.cells])
                    if len(rows) >= PREVIEW_ROWS:
                        break
            except ImportFileError as exc:  # readable header, damaged further on
                late.append(file_error(exc, batch))
    except ImportFileError as exc:
        raise _pipeline_error(exc) from None
    guess = guess_kind(headers, SPECS)
    chosen = kind or guess
    if spec is None and chosen:
        spec = SPECS[chosen]
    mapping, errors, warnings = _mapping(headers, spec, header_row)
    return Preview(
        kind=chosen,
        kind_guess=guess,
        headers=headers,
        mapping=mapping,
        rows=rows,
        errors=[e.as_dict() for e in errors] + late,
        warnings=[w.as_dict() for w in warnings],
    )


# --- running an import --------------------------------------------------------------------


def _claim(batch: ImportBatch, kind: str, dry_run: bool, job: Job | None) -> ImportBatch:
    """Mark the batch VALIDATING (once: a second start of the same batch is refused)."""
    allowed = Q(status__in=STARTABLE)
    if job is not None:
        allowed |= Q(status=S.VALIDATING, job=job)
    claimed = ImportBatch.objects.filter(allowed, pk=batch.pk).update(
        status=S.VALIDATING,
        kind=kind,
        dry_run=dry_run,
        rows=0,
        created=0,
        updated=0,
        unchanged=0,
        skipped=0,
        error_report=[],
        warnings=[],
    )
    if not claimed:
        current = ImportBatch.objects.filter(pk=batch.pk).values_list("status", flat=True).first()
        raise ConflictError(NOT_STARTABLE.get(str(current), NOT_STARTABLE[S.COMMITTED.value]))
    return ImportBatch.objects.get(pk=batch.pk)


def import_run(
    *, batch: ImportBatch, kind: str, dry_run: bool, user: Any, job: Job | None = None
) -> ImportBatch:
    """Validate the whole stored file as ``kind`` and, unless ``dry_run``, import it.

    Every problem is reported (row numbers as in Excel, the header being row 1) and then
    nothing is written: status FAILED with ``error_report`` (``RowError.as_dict()`` entries;
    row 0 for the file as a whole). A dry run only counts: status DRY_RUN with created /
    updated / unchanged / skipped (blank rows). Otherwise one transaction writes everything:
    status COMMITTED. Progress goes to ``job`` when given.

    Raises ApplicationError for an unknown kind, ConflictError when the batch was already
    imported, rolled back or is running.
    """
    spec = _spec(kind)
    loader_class = get_loader(kind)
    if batch.file_removed_at is not None:
        raise ConflictError(upload_removed_message(batch))
    batch = _claim(batch, kind, dry_run, job)
    try:
        batch = execute(
            batch,
            stored_path(batch),
            spec,
            loader_class,
            dry_run=dry_run,
            user=_user_or_none(user),
            job=job,
        )
    except BaseException:
        # A crash (a bug, the process stopped): the batch must not stay "running", and says
        # that nothing was written (the write is one transaction).
        crash = {"row": FILE_ERROR_ROW, "column": "", "value": "", "code": "crashed",
                 "reason": str(CRASHED)}  # fmt: skip
        ImportBatch.objects.filter(pk=batch.pk, status=S.VALIDATING).update(
            status=S.FAILED, error_report=[crash]
        )
        raise
    _purge_quietly()
    return batch


def import_start(*, batch: ImportBatch, kind: str, dry_run: bool, user: Any) -> ImportBatch:
    """Run the import now for a small file; for a big one (more than ``BACKGROUND_BYTES`` or
    ``settings.IMPORT_BACKGROUND_ROWS`` rows) start a background job and return at once with
    the batch VALIDATING and ``batch.job`` set (the job reports rows processed).

    Raises as :func:`import_run`.
    """
    _spec(kind)
    if batch.file_removed_at is not None:
        raise ConflictError(upload_removed_message(batch))
    rows = estimate_rows(stored_path(batch))
    if batch.size <= BACKGROUND_BYTES and rows <= settings.IMPORT_BACKGROUND_ROWS:
        return import_run(batch=batch, kind=kind, dry_run=dry_run, user=user)
    with transaction.atomic():
        batch = _claim(batch, kind, dry_run, None)
        actor = _user_or_none(user)
        job = job_create(
            kind="import",
            handler=IMPORT_HANDLER,
            params={
                "batch_id": batch.pk,
                "kind": kind,
                "dry_run": dry_run,
                "user_id": getattr(actor, "pk", None),
                "language": get_language(),
            },
            user=actor,
            total=rows,
        )
        batch.job = job
        batch.save(update_fields=["job"])
    batch.refresh_from_db()
    return batch


def import_file(
    *, path: str | os.PathLike[str], kind: str, dry_run: bool, user: Any = None, source: str = "cli"
) -> ImportBatch:
    """Upload and run in one go (the command line and the API): see :func:`import_run`.

    Raises ApplicationError for an unknown kind, a missing file or one too large.
    """
    _spec(kind)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        name = os.path.basename(os.fspath(path))
        raise _pipeline_error(ImportFileError("file_not_found", filename=name)) from None
    with handle:
        batch = import_upload(
            fileobj=handle, filename=os.path.basename(os.fspath(path)), user=user, source=source
        )
    return import_run(batch=batch, kind=kind, dry_run=dry_run, user=user)


# --- retention of uploaded files -------------------------------------------------------------

# Batches whose file served an import: kept IMPORT_KEEP_DAYS. Refused, checked-only and never
# started ones: IMPORT_KEEP_UNUSED_DAYS. A running batch keeps its file.
KEPT_LONG = (S.COMMITTED, S.ROLLED_BACK)
KEPT_SHORT = (S.FAILED, S.DRY_RUN, S.UPLOADED)


def upload_keep_days(batch: ImportBatch) -> int:
    """How many days the file of ``batch`` is kept (the setting for its status)."""
    if batch.status in KEPT_LONG:
        return int(settings.IMPORT_KEEP_DAYS)
    return int(settings.IMPORT_KEEP_UNUSED_DAYS)


def upload_removed_message(batch: ImportBatch) -> str:
    """What the pages say about a batch whose file the retention job removed."""
    return str(
        _(
            "The uploaded file of this import was removed on %(date)s: files are kept "
            "%(days)d days. The record of the import and what it imported remain."
        )
        % {
            "date": timezone.localtime(batch.file_removed_at).date().isoformat()
            if batch.file_removed_at
            else "",
            "days": upload_keep_days(batch),
        }
    )


def upload_purge(*, now: datetime | None = None) -> int:
    """Delete the stored files past retention: those of refused, dry-run and never started
    batches older than ``IMPORT_KEEP_UNUSED_DAYS`` first, then those of committed and
    rolled-back batches older than ``IMPORT_KEEP_DAYS``. Each batch records when its file
    was removed (``file_removed_at``); the batch and the rows it imported are never touched.
    Returns how many files were removed. Safe to run at any time and from several places."""
    now = now or timezone.now()
    due = ImportBatch.objects.filter(file_removed_at__isnull=True).exclude(stored_file="")
    due = due.filter(
        Q(
            status__in=KEPT_SHORT,
            created_at__lt=now - timedelta(days=settings.IMPORT_KEEP_UNUSED_DAYS),
        )
        | Q(status__in=KEPT_LONG, created_at__lt=now - timedelta(days=settings.IMPORT_KEEP_DAYS))
    )
    removed = 0
    for batch in due.order_by("created_at").only("pk", "stored_file"):
        try:
            stored_path(batch).unlink(missing_ok=True)
        except OSError:
            continue  # tried again on the next run
        removed += ImportBatch.objects.filter(pk=batch.pk, file_removed_at__isnull=True).update(
            file_removed_at=now
        )
    return removed


def _purge_quietly() -> None:
    """The retention job after an import (the demo has no scheduler): never fails it."""
    with contextlib.suppress(Exception):
        upload_purge()


# --- rollback -----------------------------------------------------------------------------


NOT_COMMITTED = _("Only a batch that was imported can be rolled back.")
NO_ROLLBACK = _("Batches of this kind cannot be rolled back.")
CHANGED_LATER = _("A later import changed records of this one; roll the later import back first.")
STILL_USED = _(
    "Records this import created are used by other records (for example activities of a "
    "customer it created), so it cannot be rolled back; roll back the later imports first."
)


def import_batches_rollback_state(batches: Iterable[ImportBatch]) -> dict[int, tuple[bool, str]]:
    """For each batch (by id): whether it can be rolled back now, and if not why.

    A page of batches costs the same few queries as one batch (later batches' changes, the
    final cycles, and at most one query per kind that needs the database to tell).
    """
    batches = list(batches)
    states: dict[int, tuple[bool, str]] = {}
    candidates: list[ImportBatch] = []
    for batch in batches:
        if batch.status != S.COMMITTED:
            states[batch.pk] = (False, str(NOT_COMMITTED))
        elif batch.kind not in LOADERS:
            states[batch.pk] = (False, str(NO_ROLLBACK))
        else:
            candidates.append(batch)
    if not candidates:
        return states
    later = changed_later(batch.pk for batch in candidates)
    finals = final_cycles()
    by_kind: dict[str, list[ImportBatch]] = defaultdict(list)
    for batch in candidates:
        if batch.pk in later:
            states[batch.pk] = (False, str(CHANGED_LATER))
        else:
            by_kind[batch.kind].append(batch)
    for kind, group in by_kind.items():
        reasons = LOADERS[kind].rollback_reasons(group, finals)
        for batch in group:
            reason = reasons.get(batch.pk)
            states[batch.pk] = (False, str(reason)) if reason is not None else (True, "")
    return states


def import_batch_can_rollback(batch: ImportBatch) -> tuple[bool, str]:
    """Whether ``batch`` can be rolled back now, and if not why (for the pages); see
    :func:`import_batches_rollback_state` for a whole page of batches."""
    return import_batches_rollback_state([batch])[batch.pk]


@transaction.atomic
def import_batch_rollback(*, batch: ImportBatch, user: Any) -> ImportBatch:
    """Undo a committed batch: the rows it created go, the rows it updated get their
    previous values back (and roles, for employees); status ROLLED_BACK.

    Raises ConflictError when the batch is not committed, a final cycle used it, a later
    batch changed the same rows, or other records now use rows it created.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    allowed, reason = import_batch_can_rollback(batch)
    if not allowed:
        raise ConflictError(reason)
    loader = LOADERS[batch.kind]
    actor = _user_or_none(user)
    try:
        with transaction.atomic():
            loader.rollback(batch, actor)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except (ProtectedError, RestrictedError, IntegrityError):
        raise ConflictError(STILL_USED) from None
    batch.status = S.ROLLED_BACK
    batch.rolled_back_by = actor
    batch.rolled_back_at = timezone.now()
    batch.save(update_fields=["status", "rolled_back_by", "rolled_back_at"])
    return batch


__all__ = [
    "Preview",
    "estimate_rows",
    "import_check_kind",
    "import_batch_can_rollback",
    "import_batch_rollback",
    "import_batches_rollback_state",
    "import_file",
    "import_preview",
    "import_run",
    "import_start",
    "import_upload",
    "stored_path",
    "upload_keep_days",
    "upload_purge",
    "upload_removed_message",
]
