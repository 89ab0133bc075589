"""A temporary staging table and the set-based statements that load a fact table from it.

Validated rows are streamed into a temporary table while the file is read (``COPY`` on
PostgreSQL, batched ``INSERT`` on SQLite), so Python holds one chunk at a time whatever the
file's size. Once the whole file is known to be valid, a handful of statements do the rest:
counting what would change, keeping the "before" values of rows about to change
(:class:`~kaopei.facts.models.BatchChange`) and one ``INSERT … SELECT … ON CONFLICT DO
UPDATE``. A temporary table is private to the connection and vanishes with it; nothing in it
is visible to anyone else, so staging rows of a file that turns out invalid writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

Row = Sequence[Any]


def _vendor() -> str:
    return connection.vendor


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


class Stage:
    """A temporary table ``kp_row`` + ``fields`` (model fields, by column) for one run."""

    def __init__(self, model: type[models.Model], fields: Sequence[models.Field[Any, Any]]) -> None:
        self.model = model
        self.fields = list(fields)
        self.columns = [f.column for f in self.fields]
        self.name = f"kp_stage_{uuid.uuid4().hex[:16]}"
        self.count = 0
        self._created = False
        self._prep = [f.get_db_prep_save for f in self.fields]

    @property
    def table(self) -> str:
        return qn(self.name)

    def create(self) -> None:
        cols = ", ".join(
            [f"{qn('kp_row')} integer"]
            + [f"{qn(f.column)} {f.db_type(connection)}" for f in self.fields]
        )
        with connection.cursor() as cur:
            cur.execute(f"CREATE TEMPORARY TABLE {self.table} ({cols})")
        self._created = True

    def write(self, rows: Sequence[Row]) -> None:
        """Append ``rows``: ``(row_number, *values)`` with Python values of the fields."""
        if not rows:
            return
        if not self._created:
            self.create()
        names = ", ".join(qn(c) for c in ["kp_row", *self.columns])
        if _vendor() == "postgresql":
            with (
                connection.cursor() as cur,
                cur.cursor.copy(  # type: ignore[attr-defined]
                    f"COPY {self.table} ({names}) FROM STDIN"
                ) as copy,
            ):
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        else:
            prep = self._prep
            conn = connection
            prepared = [
                (row[0], *(p(v, conn) for p, v in zip(prep, row[1:], strict=True))) for row in rows
            ]
            marks = ", ".join(["%s"] * (len(self.columns) + 1))
            with connection.cursor() as cur:
                cur.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", prepared)
        self.count += len(rows)

    def analyze(self) -> None:
        """Give PostgreSQL's planner the table's real size before the joins."""
        if self._created and _vendor() == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"ANALYZE {self.table}")

    def drop(self) -> None:
        if self._created:
            self._created = False
            with connection.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {self.table}")


def distinct(left: str, right: str) -> str:
    """SQL that is true when two values differ, NULLs included."""
    if _vendor() == "postgresql":
        return f"{left} IS DISTINCT FROM {right}"
    return f"{left} IS NOT {right}"


def any_differs(pairs: Sequence[tuple[str, str]]) -> str:
    return "(" + " OR ".join(distinct(a, b) for a, b in pairs) + ")" if pairs else "(1 = 0)"


def json_object(pairs: Sequence[tuple[str, str, models.Field[Any, Any]]]) -> str:
    """A JSON object of ``name: expression`` pairs; decimals as exact text on PostgreSQL."""
    parts = []
    for name, expr, f in pairs:
        value = expr
        if _vendor() == "postgresql" and isinstance(f, models.DecimalField):
            value = f"{expr}::text"
        parts.append(f"'{name}', {value}")
    if _vendor() == "postgresql":
        return f"json_build_object({', '.join(parts)})::jsonb"
    return f"json_object({', '.join(parts)})"


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return int(cur.rowcount)


def fetchall(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())
