"""Set-based writes that Django's ORM makes slow (``bulk_update`` builds a CASE per row).

:func:`insert_rows` and :func:`update_rows` write plain tuples (no model instances): with
``COPY`` on PostgreSQL, with batched multi-row statements on SQLite (3.33+).
"""

from __future__ import annotations

import io
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

Row = Sequence[Any]


def _prepared(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[list[Any]]:
    """Rows converted to database values by each column's field (for SQLite)."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    prep = [fields[c].get_db_prep_save for c in columns]  # type: ignore[attr-defined]
    return [[p(v, connection) for p, v in zip(prep, row, strict=True)] for row in rows]


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    batch_size: int = 2000,
) -> None:
    """Insert plain tuples into ``model``'s table: ``COPY`` on PostgreSQL, batched
    ``INSERT`` elsewhere. Values are Python values (Decimal, date, aware datetime, dict for
    JSON, bool, None); no model instances are built."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        _copy_into(table, columns, rows, model)
        return
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cur:
        for start in range(0, len(rows), batch_size):
            chunk = _prepared(model, columns, rows[start : start + batch_size])
            # SQLite caps host parameters at 32766: keep batches under it.
            step = max(1, 32000 // len(columns))
            for s2 in range(0, len(chunk), step):
                part = chunk[s2 : s2 + step]
                cur.execute(
                    f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([placeholders] * len(part)),
                    [v for row in part for v in row],
                )


def _field(model: type[models.Model], column: str) -> Any:
    return next(f for f in model._meta.concrete_fields if f.column == column)


def update_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Update many rows by primary key from plain tuples ``(pk, *columns)``.

    PostgreSQL: ``COPY`` into a temporary table and one ``UPDATE … FROM``; elsewhere batched
    ``UPDATE … FROM (VALUES …)``.
    """
    if not rows:
        return
    meta = model._meta
    assert meta.pk is not None
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    sets = ", ".join(f"{qn(c)} = v.{qn(c)}" for c in columns)
    if connection.vendor == "postgresql":
        tmp = qn(f"tmp_upd_{meta.db_table}")
        cols = ", ".join([pk] + [qn(c) for c in columns])
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {tmp}")
            cur.execute(f"CREATE TEMP TABLE {tmp} AS SELECT {cols} FROM {table} WITH NO DATA")
        # insert_rows needs a model: reuse this one's fields by column name.
        _copy_into(tmp, [meta.pk.column, *columns], rows, model)
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET {sets} FROM {tmp} v WHERE {table}.{pk} = v.{pk}")
            cur.execute(f"DROP TABLE {tmp}")
        return
    prepared = _prepared(model, [meta.pk.column, *columns], rows)
    names = ", ".join([pk] + [qn(c) for c in columns])
    row_sql = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    step = max(1, 32000 // (len(columns) + 1))
    with connection.cursor() as cur:
        for start in range(0, len(prepared), step):
            part = prepared[start : start + step]
            cur.execute(
                f"WITH v({names}) AS (VALUES {', '.join([row_sql] * len(part))}) "
                f"UPDATE {table} SET {sets} FROM v WHERE {table}.{pk} = v.{pk}",
                [x for row in part for x in row],
            )


def _copy_into(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], model: type[models.Model]
) -> None:
    import json

    qn = connection.ops.quote_name
    json_cols = {i for i, c in enumerate(columns) if isinstance(_field(model, c), models.JSONField)}
    with (
        connection.cursor() as cur,
        cur.cursor.copy(f"COPY {table} ({', '.join(qn(c) for c in columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            if json_cols:
                row = [
                    json.dumps(v) if i in json_cols and v is not None else v
                    for i, v in enumerate(row)
                ]
            copy.write_row(row)


class SQL:
    """Statements on the current thread's Django connection, or — in a :class:`Writer`
    thread, which must not use Django's thread-bound connection — on the raw PostgreSQL
    connection it was handed."""

    def __init__(self, raw: Any = None) -> None:
        self.raw = raw

    def _cursor(self) -> Any:
        return self.raw.cursor() if self.raw is not None else connection.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._cursor() as cur:
            cur.execute(sql, params)
            return int(cur.rowcount)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def copy_text(self, table: str, columns: Sequence[str], data: bytes) -> None:
        """``COPY`` rows already in PostgreSQL's text format (see :func:`copy_data`)."""
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with self._cursor() as cur:
            raw_cursor = cur if self.raw is not None else cur.cursor
            with raw_cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(data)

    def copy(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with self._cursor() as cur:
            raw_cursor = cur if self.raw is not None else cur.cursor
            with raw_cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)


def copy_data(raw: Any, rows: Iterable[Row]) -> bytes:
    """Rows in ``COPY … FROM STDIN`` text format, formatted by the driver (in C) on the
    raw PostgreSQL connection ``raw`` without sending anything: a thread that scores or
    parses formats, and a :class:`Writer` thread only sends the bytes (and so hardly
    needs the GIL)."""
    from psycopg import Copy
    from psycopg.copy import FileWriter

    buffer = io.BytesIO()
    with raw.cursor() as cur, Copy(cur, writer=FileWriter(buffer)) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row)
    return buffer.getvalue()


# While a Writer runs, Python may hand the GIL between threads every 0.5 ms instead of 5 ms:
# the writer thread waits on the database many times per job, and each time it must get
# the GIL back from a thread that is busy computing before it can send the next statement.
# The interval is process-wide, so only a process that runs bulk jobs and nothing else (a
# command, a worker) opts in with allow_fast_switching(); a web process never does, and its
# Writers leave the interval alone (the work is the same, only slower to hand over).
_SWITCH_INTERVAL = 0.0005
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0
_switch_allowed = False


def allow_fast_switching() -> None:
    """Let the Writers of this process shorten the GIL switch interval while they run.
    Call it only from a command or a worker process that runs bulk jobs, never in a web
    process: the interval applies to every thread of the process."""
    global _switch_allowed
    _switch_allowed = True


def fast_switching_allowed() -> bool:
    return _switch_allowed


def _fast_switching(on: bool) -> None:
    global _switch_users, _switch_saved
    with _switch_lock:
        if on:
            if _switch_users == 0:
                _switch_saved = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_saved, _SWITCH_INTERVAL))
            _switch_users += 1
        else:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)


class Writer:
    """Runs submitted jobs one after another in a thread, at most two jobs behind the caller.

    The caller must not use the database connection while jobs may run; :meth:`drain` waits
    for them and re-raises the first job's exception (later jobs are skipped after one).
    Call :meth:`stop` when done (also after an error).
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="kaopei-writer", daemon=True)
        self._switching = _switch_allowed
        if self._switching:
            _fast_switching(True)
        self._stopped = False
        self._cancelled = False
        self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self._cancelled:
                    job()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller by drain()
                self.error = exc
            finally:
                self._jobs.task_done()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def drain(self) -> None:
        self._jobs.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        """Skip the jobs not started yet (the caller failed; its transaction rolls back)."""
        self._cancelled = True

    def stop(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        if not self._stopped:
            self._stopped = True
            if self._switching:
                _fast_switching(False)
