"""Temporary staging tables, and a writer thread that overlaps SQL with parsing.

Validated rows are streamed into a temporary table while the file is read (``COPY`` on
PostgreSQL, batched ``INSERT`` on SQLite), so Python holds a chunk at a time whatever the
file's size; set-based statements then compare, snapshot and upsert. A temporary table is
private to its connection: staging the rows of a file that turns out invalid writes nothing
anyone else can see.

On PostgreSQL a real import goes further: the whole run is one transaction, and each chunk's
statements run in a :class:`~kaopei.core.bulk.Writer` thread on the same connection while the next chunk is
parsed — the database maintains indexes and checks foreign keys on one core while Python
parses on the other. Any error rolls the transaction back, so it still writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from kaopei.core.bulk import SQL

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
