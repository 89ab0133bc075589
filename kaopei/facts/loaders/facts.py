"""Loaders of the business records (DESIGN.md §3, §4.2 ⚑): customers, activities,
opportunities, sales, receivables, complaints, surveys and compliance incidents.

Each kind is declared as data (:class:`FactKind`): its model, key, which file column feeds
which field (and through which reference), and the dates that place a record in cycles.
They share one loader built for millions of rows (:class:`FactLoader`):

- references are resolved in memory: every employee number once; customer numbers all at
  once when there are few, else those a file names, a chunk of rows at a time;
- valid rows go to a temporary staging table as they are read (``COPY`` on PostgreSQL);
- a row whose key is a record voided by hand leaves it voided, with a warning per row;
- set-based SQL compares them with the table by key — only the columns present in the file —
  to count created / updated / unchanged rows, keeps the previous values of the rows about
  to change (for rollback) and writes with ``INSERT … SELECT … ON CONFLICT``, leaving
  unchanged rows alone. A created record gets its fields' defaults for the other columns.

Final cycles: a created or updated record whose date — or previous date — falls inside a
final cycle is a row error naming the cycle (see docs/imports.md). The dates checked are
each kind's ``dates``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import DatabaseError, connection, models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.core.bulk import SQL, Writer, copy_data, update_rows
from kaopei.core.history import person_name
from kaopei.facts.models import Customer
from kaopei.imports.importing import ParsedRow, RowError
from kaopei.imports.loaders.base import (
    Counts,
    FinalCycle,
    LoadContext,
    Loader,
    Lookup,
    Reference,
    changes_of,
    data_fields,
    decode_snapshot,
    final_cycle_of,
    final_cycle_of_dates,
    final_cycles,
    loader_error,
)
from kaopei.imports.loaders.staging import (
    Stage,
    StageColumn,
    any_differs,
    json_object,
    qn,
    vendor,
)
from kaopei.imports.models import BatchChange, ImportBatch
from kaopei.org.models import Employee

from .fact_kinds import CUSTOMER, EMPLOYEE, FACT_KINDS, REF_ERRORS, FactKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RESTORE_CHUNK = 20_000
# Up to this many customers, every customer number is loaded at once (≈ 30 MB); beyond, the
# numbers a file names are fetched a chunk at a time.
CUSTOMERS_PRELOADED = 200_000


ROLLBACK_FINAL = _("Cycle {cycle} is final and uses records of this import ({model}).")


def _none_value(f: models.Field[Any, Any]) -> Any:
    """What a blank optional cell stores: NULL, or the field's empty value ('' for text)."""
    return None if f.null else f.get_default()


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)
    return f


class FactLoader(Loader):
    """The set-based loader of one :class:`FactKind` (see the module docstring).

    Two ways to write, one set of statements:

    - *staged* (SQLite, and every dry run): all valid rows go to one staging table; after the
      whole file was checked, ``count`` or ``write`` run the statements over all of it;
    - *streamed* (a real import on PostgreSQL): the service runs the whole import in one
      transaction; each chunk is staged by the parsing thread and then checked and written by
      a :class:`~.staging.Writer` thread while the next chunk is parsed, so the database
      works (indexes, foreign keys) while Python parses. Once any error is known nothing more
      is written, and the service rolls the transaction back: nothing was written.
    """

    fact: ClassVar[FactKind]

    def __init__(self, ctx: LoadContext, columns: Sequence[str]) -> None:
        super().__init__(ctx, columns)
        fact, model = self.fact, self.fact.model
        position = {name: i for i, name in enumerate(self.columns)}
        self.lookups: dict[str, Lookup] = {}
        # What feed() puts in a staged row after its number: (position in the parsed row,
        # lookup or None, error code, value for a blank cell, file column).
        self.plan: list[tuple[int, Lookup | None, str, Any, str]] = []
        stage_columns: list[StageColumn] = []
        self.model_columns: list[str] = []  # the staged columns (all the model's)
        self.customer_at: int | None = None  # where the customer number is in a parsed row
        for fm in fact.fields:
            if fm.column not in position:
                continue
            f = _field(model, fm.field)
            at = position[fm.column]
            lookup = self._lookup(fm.ref) if fm.ref else None
            if fm.ref == CUSTOMER:
                self.customer_at = at
            stage_columns.append(StageColumn.of(f))
            self.model_columns.append(f.column)
            self.plan.append(
                (at, lookup, REF_ERRORS.get(fm.ref or "", ""), _none_value(f), fm.column)
            )
        self.local: list[int] = []
        for name, source in fact.local_dates:
            if source in position:
                f = _field(model, name)
                stage_columns.append(StageColumn.of(f))
                self.model_columns.append(f.column)
                self.local.append(position[source])
        self.staged_names = {
            f.name for f in model._meta.concrete_fields if f.column in self.model_columns
        }
        self.key_column = _field(model, fact.key).column
        self.table = qn(model._meta.db_table)
        self.streaming = not ctx.dry_run and vendor() == "postgresql"
        self.stage = Stage(stage_columns)
        self.stage_columns = stage_columns
        self.writing = True  # False once any error is known: stop writing, keep checking
        self.writer: Writer | None = None
        self.written = Counts()
        self.late_errors: list[RowError] = []  # found by the writer thread
        self.finals: list[FinalCycle] = []

    # --- validation -----------------------------------------------------------------------

    def _lookup(self, ref: str) -> Lookup:
        if ref not in self.lookups:
            if ref == EMPLOYEE:  # few: all at once
                self.lookups[ref] = Lookup(Employee.objects.all(), "employee_no", preload=True)
            else:  # maybe millions: all at once if few, else those the file names by chunk
                few = Customer.objects.count() <= CUSTOMERS_PRELOADED
                self.lookups[ref] = Lookup(Customer.objects.all(), "customer_no", preload=few)
        return self.lookups[ref]

    def feed(self, rows: list[ParsedRow], *, clean: bool = True) -> None:
        if self.customer_at is not None:
            at = self.customer_at
            self.lookups[CUSTOMER].fetch(r.parsed[at] for r in rows)
        plan, local, tz, errors = self.plan, self.local, self.ctx.tz, self.errors
        out: list[list[Any]] = []
        for parsed in rows:
            values = parsed.parsed
            record: list[Any] = [parsed.row]
            bad = False
            for at, lookup, code, blank, column in plan:
                value = values[at]
                if lookup is not None:
                    found = lookup.ids.get(value)
                    if found is None:
                        errors.append(
                            loader_error(code, row=parsed.row, column=column, value=value)
                        )
                        bad = True
                    value = found
                elif value is None:
                    value = blank
                record.append(value)
            if bad:
                continue
            for at in local:
                record.append(values[at].astimezone(tz).date())
            out.append(record)
        if not clean or errors:
            self.writing = False
        if not out:
            return
        if not self.streaming:
            self.stage.write(out)
            return
        self._start()
        assert self.writer is not None
        # The chunk goes to the staging table from this thread, as COPY data formatted here
        # (the connection serialises this with the writer's statements); the writer thread then
        # checks and upserts it while this thread parses the next chunk.
        first, last, size, writing = out[0][0], out[-1][0], len(out), self.writing
        data = copy_data(connection.connection, out)
        self.stage.sql.copy_text(self.stage.table, ["kp_row", *self.stage.names], data)
        self.stage.count += size
        self.writer.submit(lambda: self._stream_chunk(first, last, size, writing))

    def _start(self) -> None:
        """Streamed writing: the staging table, the statements and the writer thread."""
        if self.writer is not None:
            return
        # Everything the thread needs from Django is prepared here, in the caller's thread.
        self.finals = final_cycles()
        self.stage.create()
        with connection.cursor() as cur:
            cur.execute(f"CREATE INDEX ON {self.stage.table} ({qn('kp_row')})")
            # Foreign keys are checked by each statement, in the writer thread, rather than
            # all at the commit. A chunk is small and the tables' statistics do not know what
            # this transaction wrote: index lookups (nested loops) are the right joins.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET LOCAL enable_hashjoin = off")
            cur.execute("SET LOCAL enable_mergejoin = off")
        connection.ensure_connection()
        self.raw_sql = SQL(raw=connection.connection)
        rows = f"s.{qn('kp_row')} BETWEEN %s AND %s"
        self.final_sql = (
            self._final_sql(self.stage.table, self.finals, rows) if self.finals else None
        )
        self.capture_sql = self._capture_sql(self.stage.table, rows)
        self.insert_sql = self._upsert_sql(self.stage.table, rows, update=False)
        self.update_sql = self._update_sql(self.stage.table, rows)
        self.writer = Writer()

    def _stream_chunk(self, first: int, last: int, size: int, writing: bool) -> None:
        """In the writer thread: check the staged rows ``first``–``last`` and, if all is well
        so far, write them: insert the new ones; if some existed, keep the previous values of
        those that change and update them (a chunk of new rows costs one statement)."""
        sql, span = self.raw_sql, [first, last]
        if self.final_sql is not None:
            self.late_errors += self._run_final(sql, self.final_sql, self.finals, span)
        if not (writing and self.writing and not self.late_errors):
            return
        insert_sql, insert_params = self.insert_sql
        created = sql.execute(insert_sql, insert_params + span)
        updated = 0
        if created < size:
            capture_sql, capture_params = self.capture_sql
            updated = sql.execute(capture_sql, capture_params + span)
            if updated:
                update_sql, update_params = self.update_sql
                sql.execute(update_sql, update_params + span)
        self.written.created += created
        self.written.updated += updated

    def check(self) -> None:
        if self.streaming:
            if self.writer is not None:
                self.writer.drain()
        elif self.stage.count:
            self.stage.analyze()
            sql = self.stage.sql
            self.finals = final_cycles()
            if self.finals:
                final_sql = self._final_sql(self.stage.table, self.finals)
                self.late_errors += self._run_final(sql, final_sql, self.finals)
        if self.stage.count:
            self.warnings += self._voided_rows()
        self.errors += self.late_errors
        self.late_errors = []

    def _voided_rows(self) -> list[RowError]:
        """A row whose key is a record voided by hand: the import never un-voids it (it
        stays out of every metric) and says so, one warning per row."""
        key = qn(self.key_column)
        hits = self.stage.sql.fetchall(
            f"SELECT s.{qn('kp_row')}, t.{key}, t.{qn('voided_at')}, t.{qn('voided_by_id')}, "
            f"t.{qn('void_reason')} FROM {self.stage.table} s JOIN {self.table} t "
            f"ON t.{key} = s.{key} WHERE t.{qn('voided_at')} IS NOT NULL "
            f"ORDER BY s.{qn('kp_row')}"
        )
        if not hits:
            return []
        from django.contrib.auth import get_user_model

        users = get_user_model()._default_manager.filter(pk__in={h[3] for h in hits if h[3]})
        names = {u.pk: person_name(u) for u in users.select_related("employee")}
        column = next(fm.column for fm in self.fact.fields if fm.field == self.fact.key)
        return [
            loader_error(
                "voided_kept",
                row=row,
                column=column,
                value=record_key,
                date=str(voided_at)[:10],
                who=names.get(by, "—"),
                reason=reason or "—",
            )
            for row, record_key, voided_at, by, reason in hits
        ]

    # --- SQL --------------------------------------------------------------------------------
    # Every statement works on the staging table ``s``, optionally on the rows ``where`` names
    # (a chunk: its parameters come last).

    def _join(self, table: str) -> str:
        key = qn(self.key_column)
        return f"{table} s LEFT JOIN {self.table} t ON t.{key} = s.{key}"

    def _differs(self, left: str = "t", right: str = "s") -> str:
        pairs = [
            (f"{left}.{qn(c)}", f"{right}.{qn(c)}")
            for c in self.model_columns
            if c != self.key_column
        ]
        return any_differs(pairs)

    def _final_sql(
        self, table: str, finals: Sequence[FinalCycle], where: str = ""
    ) -> tuple[str, list[Any], list[str]]:
        """The rows about to be created or changed with a date — new or previous — in a final
        cycle; with the names of the new dates (staged), returned before the old ones."""
        columns = {name: _field(self.fact.model, name).column for name in self.fact.dates}
        new = [n for n in self.fact.dates if n in self.staged_names]
        conditions, params = [], []
        for cycle in finals:
            start = connection.ops.adapt_datefield_value(cycle.start)
            end = connection.ops.adapt_datefield_value(cycle.end)
            for alias, names in (("s", new), ("t", list(self.fact.dates))):
                for name in names:
                    conditions.append(f"{alias}.{qn(columns[name])} BETWEEN %s AND %s")
                    params += [start, end]
        select = [f"s.{qn('kp_row')}"]
        select += [f"s.{qn(columns[n])}" for n in new]
        select += [f"t.{qn(columns[n])}" for n in self.fact.dates]
        also = f" AND {where}" if where else ""
        statement = (
            f"SELECT {', '.join(select)} FROM {self._join(table)} "
            f"WHERE (t.{qn('id')} IS NULL OR {self._differs()}) AND ({' OR '.join(conditions)})"
            f"{also} ORDER BY s.{qn('kp_row')}"
        )
        return statement, params, new

    def _run_final(
        self,
        sql: SQL,
        query: tuple[str, list[Any], list[str]],
        finals: Sequence[FinalCycle],
        span: list[Any] | None = None,
    ) -> list[RowError]:
        statement, params, new = query
        source = dict(self.fact.local_dates)
        found: list[RowError] = []
        for hit in sql.fetchall(statement, params + (span or [])):
            number, values = hit[0], hit[1:]
            named = list(zip(new, values[: len(new)], strict=True))
            named += list(zip(self.fact.dates, values[len(new) :], strict=True))
            for name, raw in named:
                day = (
                    raw
                    if isinstance(raw, date) or raw is None
                    else date.fromisoformat(str(raw)[:10])
                )
                cycle = final_cycle_of(day, finals)
                if cycle is not None and day is not None:
                    found.append(
                        loader_error(
                            "final_cycle_date",
                            row=number,
                            column=source.get(name, name),
                            value=day.isoformat(),
                            date=day.isoformat(),
                            cycle=cycle.code,
                        )
                    )
                    break
        return found

    def _capture_sql(self, table: str, where: str = "") -> tuple[str, list[Any]]:
        """Keep the previous values of the rows about to change (for rollback)."""
        model = self.fact.model
        key = qn(self.key_column)
        snapshot = json_object([(f.attname, f"t.{qn(f.column)}", f) for f in data_fields(model)])
        also = f" AND {where}" if where else ""
        statement = (
            f"INSERT INTO {qn(BatchChange._meta.db_table)} "
            f"({qn('batch_id')}, {qn('model')}, {qn('object_id')}, {qn('before')}, "
            f"{qn('before_batch')}) "
            f"SELECT %s, %s, t.{qn('id')}, {snapshot}, t.{qn('import_batch_id')} "
            f"FROM {table} s JOIN {self.table} t ON t.{key} = s.{key} "
            f"WHERE {self._differs()}{also}"
        )
        return statement, [self.ctx.batch.pk, model._meta.label_lower]

    def _upsert_sql(
        self, table: str, where: str = "", *, update: bool = True
    ) -> tuple[str, list[Any]]:
        """Create the new rows and (``update``) update the changed ones; unchanged rows are
        left alone. A created row gets its fields' defaults for the columns the file lacks."""
        model = self.fact.model
        key = qn(self.key_column)
        staged = self.model_columns
        absent = [
            f for f in data_fields(model) if f.column not in staged and f.name != "import_batch"
        ]
        insert = [*staged, *(f.column for f in absent), "import_batch_id"]
        select = [f"s.{qn(c)}" for c in staged] + ["%s"] * len(absent) + ["%s"]
        params = [f.get_db_prep_save(f.get_default(), connection) for f in absent]
        params.append(self.ctx.batch.pk)
        sets = [f"{qn(c)} = excluded.{qn(c)}" for c in staged if c != self.key_column]
        sets.append(f"{qn('import_batch_id')} = excluded.{qn('import_batch_id')}")
        conflict = (
            f"DO UPDATE SET {', '.join(sets)} WHERE {self._differs(self.table, 'excluded')}"
            if update
            else "DO NOTHING"
        )
        statement = (
            f"INSERT INTO {self.table} ({', '.join(qn(c) for c in insert)}) "
            f"SELECT {', '.join(select)} FROM {table} s WHERE {where or '1 = 1'} "
            f"ON CONFLICT ({key}) {conflict}"
        )
        return statement, params

    def _update_sql(self, table: str, where: str) -> tuple[str, list[Any]]:
        """(PostgreSQL) Update the existing rows that change, from the staged rows."""
        key = qn(self.key_column)
        sets = [f"{qn(c)} = s.{qn(c)}" for c in self.model_columns if c != self.key_column]
        sets.append(f"{qn('import_batch_id')} = %s")
        statement = (
            f"UPDATE {self.table} t SET {', '.join(sets)} FROM {table} s "
            f"WHERE t.{key} = s.{key} AND {self._differs()} AND {where}"
        )
        return statement, [self.ctx.batch.pk]

    # --- writing --------------------------------------------------------------------------

    def count(self) -> Counts:
        if not self.stage.count:
            return Counts()
        ((matched, changed),) = self.stage.sql.fetchall(
            f"SELECT count(t.{qn('id')}), "
            f"coalesce(sum(CASE WHEN t.{qn('id')} IS NOT NULL AND {self._differs()} "
            f"THEN 1 ELSE 0 END), 0) FROM {self._join(self.stage.table)}"
        )
        matched, changed = int(matched or 0), int(changed or 0)
        return Counts(self.stage.count - matched, changed, matched - changed)

    def write(self) -> Counts:
        if self.streaming:
            if self.writer is not None:
                self.writer.drain()
            created, updated = self.written.created, self.written.updated
            total = self.stage.count
        else:
            if not self.stage.count:
                return Counts()
            capture_sql, capture_params = self._capture_sql(self.stage.table)
            updated = self.stage.sql.execute(capture_sql, capture_params)
            upsert_sql, upsert_params = self._upsert_sql(self.stage.table)
            created = self.stage.sql.execute(upsert_sql, upsert_params) - updated
            total = self.stage.count
        self._touched = self._touched_dates(updated > 0)
        return Counts(created, updated, total - created - updated)

    def _touched_dates(self, replaced: bool) -> dict[str, Any]:
        """The dates of the rows this batch wrote (they carry it now) and of the values it
        replaced (in its snapshots), for rollback's final-cycle check."""
        model = self.fact.model
        batch = self.ctx.batch
        days: set[str] = set()
        for name in self.fact.dates:
            written = model._default_manager.filter(import_batch=batch).exclude(
                **{f"{name}__isnull": True}
            )
            values = written.order_by().values_list(name, flat=True).distinct()
            days.update(d.isoformat() for d in values)
            if replaced:
                old = changes_of(batch, model).order_by().values_list(f"before__{name}", flat=True)
                days.update(str(d)[:10] for d in old.distinct() if d)
        return {"dates": sorted(days)}

    def touched(self) -> dict[str, Any]:
        return getattr(self, "_touched", {})

    def stop(self) -> None:
        if self.writer is not None:
            self.writer.stop()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.stop()
            self.writer = None
            with contextlib.suppress(DatabaseError), connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
                cur.execute("RESET enable_hashjoin")
                cur.execute("RESET enable_mergejoin")
        with contextlib.suppress(DatabaseError):
            self.stage.drop()

    # --- rollback -------------------------------------------------------------------------

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        reasons: dict[int, StrOrPromise] = {}
        label = cls.fact.model._meta.verbose_name_plural
        for batch in batches:
            cycle = final_cycle_of_dates((batch.touched or {}).get("dates", ()), finals)
            if cycle is not None:
                reasons[batch.pk] = format_lazy(ROLLBACK_FINAL, cycle=cycle.code, model=label)
        return reasons

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        model = cls.fact.model
        changes = changes_of(batch, model)
        model._default_manager.filter(import_batch=batch).exclude(
            pk__in=changes.values("object_id")
        ).delete()
        fields = data_fields(model)
        columns = [f.column for f in fields]
        pending: list[tuple[Any, ...]] = []
        for change in changes.iterator(chunk_size=RESTORE_CHUNK):
            before = decode_snapshot(model, change.before)
            pending.append((change.object_id, *(before.get(f.attname) for f in fields)))
            if len(pending) >= RESTORE_CHUNK:
                update_rows(model, columns, pending)
                pending = []
        update_rows(model, columns, pending)


REFERENCES = {
    EMPLOYEE: Reference(Employee, "employee_no", "unknown_employee"),
    CUSTOMER: Reference(Customer, "customer_no", "unknown_customer"),
}


def fact_loader(fact: FactKind) -> type[FactLoader]:
    """The loader class of one fact kind."""
    name = "".join(part.title() for part in fact.kind.split("_")) + "Loader"
    references = {fm.column: REFERENCES[fm.ref] for fm in fact.fields if fm.ref}
    return type(
        name,
        (FactLoader,),
        {
            "kind": fact.kind,
            "writes": (fact.model._meta.label_lower,),
            "fact": fact,
            "references": references,
        },
    )


FACT_LOADERS: dict[str, type[FactLoader]] = {fact.kind: fact_loader(fact) for fact in FACT_KINDS}
