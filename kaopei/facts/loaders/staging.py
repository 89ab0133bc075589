"""Temporary staging tables, and a writer thread that overlaps SQL with parsing.

Validated rows are streamed into a temporary table while the file is read (``COPY`` on
PostgreSQL, batched ``INSERT`` on SQLite), so Python holds a chunk at a time whatever the
file's size; set-based statements then compare, snapshot and upsert. A temporary table is
private to its connection: staging the rows of a file that turns out invalid writes nothing
anyone else can see.

On PostgreSQL a real import goes further: the whole run is one transaction, and each chunk's
statements run in a :class:`Writer` thread on the same connection while the next chunk is
parsed — the database maintains indexes and checks foreign keys on one core while Python
parses on the other. Any error rolls the transaction back, so it still writes nothing.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

Row = Sequence[Any]


def vendor() -> str:
    return str(connection.vendor)


def qn(name: str) -> str:
    return str(connection.ops.quote_name(name))


@dataclass(frozen=True)
class StageColumn:
    """A staging column: its name, SQL type, and (SQLite) how a Python value is stored —
    ``prep(value, connection)``, or ``None`` when the value is stored as it is."""

    name: str
    db_type: str
    prep: Callable[[Any, Any], Any] | None = None

    @classmethod
    def of(cls, f: models.Field[Any, Any]) -> StageColumn:
        """A column like model field ``f``: same type, values stored as the ORM stores them
        (text, numbers, booleans and keys as they are; dates and times through the
        backend's adapters)."""
        prep: Callable[[Any, Any], Any] | None
        if isinstance(f, models.DateTimeField):

            def prep(value: Any, conn: Any) -> Any:
                return conn.ops.adapt_datetimefield_value(value)

        elif isinstance(f, models.DateField):

            def prep(value: Any, conn: Any) -> Any:
                return None if value is None else value.isoformat()

        elif isinstance(
            f,
            models.CharField
            | models.TextField
            | models.IntegerField
            | models.BooleanField
            | models.ForeignKey,
        ):
            prep = None
        else:

            def prep(value: Any, conn: Any) -> Any:
                return f.get_db_prep_save(value, conn)

        return cls(f.column, str(f.db_type(connection)), prep)


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
        """``COPY`` rows already in PostgreSQL's text format (see :func:`copy_text`)."""
        names = ", ".join(qn(c) for c in columns)
        with self._cursor() as cur:
            raw_cursor = cur if self.raw is not None else cur.cursor
            with raw_cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(data)

    def copy(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        names = ", ".join(qn(c) for c in columns)
        with self._cursor() as cur:
            raw_cursor = cur if self.raw is not None else cur.cursor
            with raw_cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_cell(value: Any) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return str(value).translate(_COPY_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime or kind is date:
        return str(value.isoformat())
    return str(value)  # int, Decimal


def copy_text(rows: Sequence[Row]) -> bytes:
    """Rows in PostgreSQL's ``COPY … FROM STDIN`` text format: made in the parsing thread,
    so that the writer thread only sends bytes (and holds no GIL while it does)."""
    cell = _copy_cell
    lines = ["\t".join([cell(value) for value in row]) for row in rows]
    lines.append("")
    return "\n".join(lines).encode()


class Stage:
    """A temporary table: ``kp_row`` (the spreadsheet row) and ``columns``."""

    def __init__(self, columns: Sequence[StageColumn], sql: SQL | None = None) -> None:
        self.columns = list(columns)
        self.names = [c.name for c in self.columns]
        self.name = f"kp_stage_{uuid.uuid4().hex[:16]}"
        self.table = qn(self.name)
        self.count = 0
        self.created = False
        self.sql = sql or SQL()
        self._marks = ", ".join(["%s"] * (len(self.columns) + 1))
        self._insert_names = ", ".join(qn(c) for c in ["kp_row", *self.names])

    def create(self) -> None:
        if self.created:
            return
        cols = ", ".join(
            [f"{qn('kp_row')} integer"] + [f"{qn(c.name)} {c.db_type}" for c in self.columns]
        )
        self.sql.execute(f"CREATE TEMPORARY TABLE {self.table} ({cols})")
        self.created = True

    def write(self, rows: Sequence[Row]) -> None:
        """Append ``rows``: ``(row_number, *values)`` with Python values."""
        if not self.created:
            self.create()
        if not rows:
            return
        if vendor() == "postgresql":
            self.sql.copy(self.table, ["kp_row", *self.names], rows)
        else:
            conn = connections[DEFAULT_DB_ALIAS]  # once: the proxy is slow per value
            preps = [(i, c.prep) for i, c in enumerate(self.columns, 1) if c.prep is not None]
            prepared = []
            for row in rows:
                values = list(row)
                for i, prep in preps:
                    values[i] = prep(values[i], conn)
                prepared.append(values)
            with connection.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO {self.table} ({self._insert_names}) VALUES ({self._marks})",
                    prepared,
                )
        self.count += len(rows)

    def clear(self) -> None:
        if self.created:
            self.sql.execute(
                f"TRUNCATE {self.table}"
                if vendor() == "postgresql"
                else f"DELETE FROM {self.table}"
            )

    def analyze(self) -> None:
        """Give PostgreSQL's planner the table's real size before the joins."""
        if self.created and vendor() == "postgresql":
            self.sql.execute(f"ANALYZE {self.table}")

    def drop(self) -> None:
        if self.created:
            self.created = False
            self.sql.execute(f"DROP TABLE IF EXISTS {self.table}")


class Writer:
    """Runs submitted jobs one after another in a thread, at most two jobs behind the caller.

    The caller must not use the database connection while jobs may run; :meth:`drain` waits
    for them and re-raises the first job's exception (later jobs are skipped after one).
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="kaopei-import-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
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

    def stop(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()


def distinct(left: str, right: str) -> str:
    """SQL that is true when two values differ, NULLs included."""
    if vendor() == "postgresql":
        return f"{left} IS DISTINCT FROM {right}"
    return f"{left} IS NOT {right}"


def any_differs(pairs: Sequence[tuple[str, str]]) -> str:
    return "(" + " OR ".join(distinct(a, b) for a, b in pairs) + ")" if pairs else "(1 = 0)"


def json_object(pairs: Sequence[tuple[str, str, models.Field[Any, Any]]]) -> str:
    """A JSON object of ``name: expression`` pairs; decimals as exact text on PostgreSQL."""
    parts = []
    for name, expr, f in pairs:
        value = expr
        if vendor() == "postgresql" and isinstance(f, models.DecimalField):
            value = f"{expr}::text"
        parts.append(f"'{name}', {value}")
    if vendor() == "postgresql":
        return f"json_build_object({', '.join(parts)})::jsonb"
    return f"json_object({', '.join(parts)})"
