"""Running one import: read the whole file through the pure pipeline, feed the kind's loader,
and write in one transaction — or record why not (DESIGN.md §4.2 ⚑).

:func:`execute` is called by :func:`kaopei.imports.services.import_run` once the batch is
claimed. Two flows, one outcome: a loader that streams (business records on PostgreSQL)
writes while the file is read, inside one transaction that any error rolls back; every other
loader reads everything first and writes after. Either way a file with an error writes
nothing, and the batch records rows, counts, warnings and every error.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ApplicationError
from kaopei.core.jobs import job_progress
from kaopei.core.models import Job
from kaopei.imports.importing import (
    ImportFileError,
    ImportPipelineError,
    KindSpec,
    RowError,
    RowStream,
    chunked,
    open_table,
)
from kaopei.imports.models import ImportBatch

from .base import LoadContext, Loader

S = ImportBatch.Status
CHUNK_ROWS = 50_000  # rows per chunk: what a loader is fed at once, and the progress step
COPY_CHUNK = 1024 * 1024
FILE_ERROR_ROW = 0  # the row of an error about the file as a whole


def file_error(exc: ImportPipelineError, batch: ImportBatch) -> dict[str, Any]:
    """An error about the file as a whole, in the shape of a row error (row 0 = the file;
    the row near which a file stopped being readable when the reader knows it)."""
    row = exc.params.get("row", FILE_ERROR_ROW)
    return {
        "row": row if isinstance(row, int) else FILE_ERROR_ROW,
        "column": "",
        "value": batch.file_name,
        "reason": str(exc.message),
        "code": exc.code,
    }


def finish(batch: ImportBatch, status: str, **fields: Any) -> ImportBatch:
    batch.status = status
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=["status", *fields])
    return batch


def report_of(errors: Sequence[RowError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in sorted(errors, key=lambda e: e.row)]


def _database_error(reason: Any) -> dict[str, Any]:
    return {
        "row": FILE_ERROR_ROW,
        "column": "",
        "value": "",
        "reason": str(reason),
        "code": "database_error",
    }


CRASHED = _("The import stopped unexpectedly; nothing was written. Try again, or ask support.")
DATABASE_REFUSED = _("The database refused the import, so nothing was written: {error}")


class _Progress:
    """Rows processed, for the job's page. While an import writes inside its transaction
    (PostgreSQL), progress goes through a connection of its own: the transaction would hide
    it until the end."""

    def __init__(self, job: Job | None) -> None:
        self.job = job
        self.side: Any = None

    def separate(self) -> None:
        if self.job is not None and self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int, total: int) -> None:
        if self.job is None:
            return
        if self.side is None:
            job_progress(self.job, done=done, total=total)
            return
        self.job.progress, self.job.total = done, total
        with contextlib.suppress(DatabaseError), self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(Job._meta.db_table)} "
                "SET progress = %s, total = %s WHERE id = %s",
                [done, total, self.job.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


@dataclass
class _Read:
    """What reading the whole file found."""

    report: list[dict[str, Any]]
    result: dict[str, Any]


def _read(
    batch: ImportBatch,
    table: Any,
    stream: RowStream,
    loader: Loader,
    progress: _Progress,
    total: int,
) -> _Read:
    """Feed every valid row to the loader, then let it check the whole file."""
    file_problem: dict[str, Any] | None = None
    header_ok = stream.ok
    try:
        for chunk in chunked(stream, CHUNK_ROWS):
            if header_ok:
                loader.feed(chunk, clean=not stream.errors)
            progress(stream.rows_read, max(total, stream.rows_read))
    except ImportFileError as exc:
        file_problem = file_error(exc, batch)
    if header_ok and file_problem is None:
        loader.check()
        loader.check_invalid_rows()
    report = report_of([*stream.errors, *loader.errors])
    if file_problem is not None:
        report.append(file_problem)
    result: dict[str, Any] = {
        "rows": stream.rows_read,
        "skipped": max(0, stream.last_row - table.header_row - stream.rows_read),
        "warnings": [w.as_dict() for w in [*stream.warnings, *loader.warnings]],
    }
    return _Read(report, result)


def _commit(batch: ImportBatch, loader: Loader, result: dict[str, Any]) -> None:
    """Inside the import's transaction: write, check deferred foreign keys now (not at a
    commit that may belong to a caller), and record the outcome."""
    counts = loader.write()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    finish(
        batch,
        S.COMMITTED,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        touched=loader.touched(),
        **result,
    )


def _refused(batch: ImportBatch, exc: BaseException, result: dict[str, Any]) -> ImportBatch:
    if isinstance(exc, ApplicationError):
        reason: Any = exc.message
    else:
        reason = DATABASE_REFUSED.format(error=str(exc).splitlines()[0][:300] if str(exc) else "")
    return finish(batch, S.FAILED, error_report=[_database_error(reason)], **result)


def execute(
    batch: ImportBatch,
    path: Path,
    spec: KindSpec,
    loader_class: type[Loader],
    *,
    dry_run: bool,
    user: Any,
    job: Job | None,
) -> ImportBatch:
    tz = ZoneInfo(settings.TIME_ZONE)
    total = estimate_rows(path) if job is not None else 0
    progress = _Progress(job)
    progress(0, total)
    try:
        table = open_table(path, batch.file_name)
    except ImportFileError as exc:
        return finish(batch, S.FAILED, error_report=[file_error(exc, batch)])
    ctx = LoadContext(batch=batch, user=user, tz=tz, dry_run=dry_run)
    with table:
        stream = RowStream(table, spec, tz)
        loader = loader_class(ctx, stream.columns)
        stream.on_invalid = loader.note_invalid
        try:
            if loader.streaming:
                # Rows are written while the file is read, inside one transaction that any
                # error rolls back (see kaopei.imports.loaders.staging).
                progress.separate()
                read: _Read | None = None
                try:
                    with transaction.atomic():
                        try:
                            read = _read(batch, table, stream, loader, progress, total)
                            if read.report:
                                transaction.set_rollback(True)
                            else:
                                _commit(batch, loader, read.result)
                        finally:
                            loader.stop()
                except (ApplicationError, DatabaseError) as exc:
                    return _refused(batch, exc, read.result if read else {})
                finally:
                    progress.close()  # from here on, the import's own connection shows it
                if read.report:
                    return finish(batch, S.FAILED, error_report=read.report, **read.result)
            else:
                read = _read(batch, table, stream, loader, progress, total)
                if read.report:
                    return finish(batch, S.FAILED, error_report=read.report, **read.result)
                if dry_run:
                    counts = loader.count()
                    return finish(
                        batch,
                        S.DRY_RUN,
                        created=counts.created,
                        updated=counts.updated,
                        unchanged=counts.unchanged,
                        **read.result,
                    )
                try:
                    with transaction.atomic():
                        _commit(batch, loader, read.result)
                except (ApplicationError, DatabaseError) as exc:
                    return _refused(batch, exc, read.result)
            progress(stream.rows_read, stream.rows_read)
            return batch
        finally:
            loader.close()
            progress.close()


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')


def estimate_rows(path: Path) -> int:
    """About how many data rows a stored file has, cheaply: the line count of a CSV, the
    stored dimension of an xlsx sheet (0 when unknown). For progress and the background
    decision only."""
    try:
        if path.suffix.lower() == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                names = sorted(
                    n
                    for n in archive.namelist()
                    if n.startswith("xl/worksheets/") and n.endswith(".xml")
                )
                if not names:
                    return 0
                with archive.open(names[0]) as sheet:
                    found = _DIMENSION_RE.search(sheet.read(4096))
                return max(0, int(found[1]) - 1) if found else 0
        lines = 0
        with open(path, "rb") as handle:
            while chunk := handle.read(COPY_CHUNK):
                lines += chunk.count(b"\n")
        return max(0, lines - 1)
    except (OSError, zipfile.BadZipFile, ValueError):
        return 0
