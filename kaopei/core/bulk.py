"""Set-based writes that Django's ORM makes slow (``bulk_update`` builds a CASE per row).

:func:`insert_rows` and :func:`update_rows` write plain tuples (no model instances): with
``COPY`` on PostgreSQL, with batched multi-row statements on SQLite (3.33+).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


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
