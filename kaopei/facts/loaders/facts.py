"""Loaders of the business records (DESIGN.md §3, §4.2 ⚑): customers, activities,
opportunities, sales, receivables, complaints, surveys and compliance incidents.

Each kind is declared as data (:class:`FactKind`): its model, key, which file column feeds
which field (and through which reference), and the dates that place a record in cycles.
They share one streaming loader built for millions of rows:

- references are resolved in memory (every employee number once; the customers a file
  names, a chunk at a time);
- valid rows go to a temporary staging table as they are read (``COPY`` on PostgreSQL);
- after the whole file was checked, set-based SQL counts created / updated / unchanged rows,
  keeps the previous values of rows about to change, and upserts with one
  ``INSERT … SELECT … ON CONFLICT DO UPDATE`` that leaves unchanged rows alone.

Only the columns present in the file are compared and updated; a created record gets its
fields' defaults for the others.

Final cycles: a created or updated record whose date — or previous date — falls inside a
final cycle is a row error naming the cycle (see docs/imports.md). The dates checked are
each kind's ``dates``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import connection, models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.core.bulk import update_rows
from kaopei.facts.importing import ParsedRow
from kaopei.facts.models import (
    Activity,
    Complaint,
    ComplianceIncident,
    Customer,
    ImportBatch,
    Opportunity,
    Receivable,
    Sale,
    SurveyResponse,
)
from kaopei.org.models import Employee

from .base import (
    Counts,
    FinalCycle,
    LoadContext,
    Loader,
    Lookup,
    changes_of,
    data_fields,
    decode_snapshot,
    final_cycle_of,
    final_cycle_of_dates,
    final_cycles,
    loader_error,
)
from .staging import Stage, any_differs, execute, fetchall, json_object, qn

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EMPLOYEE = "employee"
CUSTOMER = "customer"
REF_ERRORS = {EMPLOYEE: "unknown_employee", CUSTOMER: "unknown_customer"}
RESTORE_CHUNK = 20_000


@dataclass(frozen=True)
class FieldMap:
    """File column ``column`` feeds model field ``field`` (through a reference, if any)."""

    column: str
    field: str
    ref: str | None = None


@dataclass(frozen=True)
class FactKind:
    """One business-record kind: model, key field (= key column), field map, the dates that
    place a record in cycles, and ``local_dates`` (a date field derived from a datetime
    column: the local date in the organisation's time zone)."""

    kind: str
    model: type[models.Model]
    key: str
    fields: tuple[FieldMap, ...]
    dates: tuple[str, ...]
    local_dates: tuple[tuple[str, str], ...] = ()


FACT_KINDS: tuple[FactKind, ...] = (
    FactKind(
        "customers",
        Customer,
        "customer_no",
        (
            FieldMap("customer_no", "customer_no"),
            FieldMap("name", "name"),
            FieldMap("owner_no", "owner", EMPLOYEE),
            FieldMap("segment", "segment"),
            FieldMap("strategic", "strategic"),
            FieldMap("acquired_on", "acquired_on"),
            FieldMap("lost_on", "lost_on"),
        ),
        dates=("acquired_on", "lost_on"),
    ),
    FactKind(
        "activities",
        Activity,
        "activity_id",
        (
            FieldMap("activity_id", "activity_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("kind", "kind"),
            FieldMap("occurred_at", "occurred_at"),
            FieldMap("response_hours", "response_hours"),
        ),
        dates=("occurred_on",),
        local_dates=(("occurred_on", "occurred_at"),),
    ),
    FactKind(
        "opportunities",
        Opportunity,
        "opportunity_id",
        (
            FieldMap("opportunity_id", "opportunity_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("created_on", "created_on"),
            FieldMap("closed_on", "closed_on"),
            FieldMap("status", "status"),
            FieldMap("amount", "amount"),
        ),
        dates=("created_on", "closed_on"),
    ),
    FactKind(
        "sales",
        Sale,
        "contract_no",
        (
            FieldMap("contract_no", "contract_no"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("signed_on", "signed_on"),
            FieldMap("amount", "amount"),
            FieldMap("profit", "profit"),
        ),
        dates=("signed_on",),
    ),
    FactKind(
        "receivables",
        Receivable,
        "invoice_no",
        (
            FieldMap("invoice_no", "invoice_no"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("invoiced_on", "invoiced_on"),
            FieldMap("amount", "amount"),
            FieldMap("paid_on", "paid_on"),
        ),
        dates=("invoiced_on", "paid_on"),
    ),
    FactKind(
        "complaints",
        Complaint,
        "complaint_id",
        (
            FieldMap("complaint_id", "complaint_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("opened_on", "opened_on"),
            FieldMap("resolved_on", "resolved_on"),
        ),
        dates=("opened_on", "resolved_on"),
    ),
    FactKind(
        "surveys",
        SurveyResponse,
        "response_id",
        (
            FieldMap("response_id", "response_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("responded_on", "responded_on"),
            FieldMap("nps", "nps"),
            FieldMap("csat", "csat"),
        ),
        dates=("responded_on",),
    ),
    FactKind(
        "incidents",
        ComplianceIncident,
        "incident_id",
        (
            FieldMap("incident_id", "incident_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("occurred_on", "occurred_on"),
            FieldMap("category", "category"),
            FieldMap("confirmed", "confirmed"),
            FieldMap("description", "description"),
        ),
        dates=("occurred_on",),
    ),
)

ROLLBACK_FINAL = _("Cycle {cycle} is final and uses records of this import ({model}).")


def _none_value(f: models.Field[Any, Any]) -> Any:
    """What a blank optional cell stores: NULL, or the field's empty value ('' for text)."""
    return None if f.null else f.get_default()


class FactLoader(Loader):
    """The streaming, set-based loader of one :class:`FactKind` (see the module docstring)."""

    fact: ClassVar[FactKind]

    def __init__(self, ctx: LoadContext, columns: Sequence[str]) -> None:
        super().__init__(ctx, columns)
        fact = self.fact
        meta = self.fact.model._meta
        position = {name: i for i, name in enumerate(self.columns)}
        self.lookups: dict[str, Lookup] = {}
        fields: list[models.Field[Any, Any]] = []
        # (position in the parsed row, lookup or None, value for a blank, file column)
        self.plan: list[tuple[int, Lookup | None, Any, str]] = []
        self.ref_errors: dict[int, str] = {}  # position → error code of its lookup
        for fm in fact.fields:
            if fm.column not in position:
                continue
            f = meta.get_field(fm.field)
            assert isinstance(f, models.Field)
            lookup = self._lookup(fm.ref) if fm.ref else None
            if fm.ref:
                self.ref_errors[position[fm.column]] = REF_ERRORS[fm.ref]
            fields.append(f)
            self.plan.append((position[fm.column], lookup, _none_value(f), fm.column))
        self.local: list[int] = []
        for name, source in fact.local_dates:
            if source in position:
                f = meta.get_field(name)
                assert isinstance(f, models.Field)
                fields.append(f)
                self.local.append(position[source])
        self.customer_position = next(
            (
                at
                for at, lookup, _blank, _col in self.plan
                if lookup is not None and lookup is self.lookups.get(CUSTOMER)
            ),
            None,
        )
        self.stage = Stage(fact.model, fields)
        self.staged = {f.name for f in fields}
        key_field = meta.get_field(fact.key)
        assert isinstance(key_field, models.Field)
        self.key_column = key_field.column

    def _lookup(self, ref: str) -> Lookup:
        if ref not in self.lookups:
            if ref == EMPLOYEE:
                self.lookups[ref] = Lookup(Employee.objects.all(), "employee_no", preload=True)
            else:
                self.lookups[ref] = Lookup(Customer.objects.all(), "customer_no", preload=False)
        return self.lookups[ref]

    # --- validation -----------------------------------------------------------------------

    def feed(self, rows: list[ParsedRow]) -> None:
        customers = self.lookups.get(CUSTOMER)
        if customers is not None and self.customer_position is not None:
            at = self.customer_position
            customers.fetch(r.parsed[at] for r in rows)
        plan, local, tz, errors = self.plan, self.local, self.ctx.tz, self.errors
        ref_errors = self.ref_errors
        out: list[list[Any]] = []
        for parsed in rows:
            values = parsed.parsed
            record: list[Any] = [parsed.row]
            bad = False
            for at, lookup, blank, column in plan:
                value = values[at]
                if lookup is not None:
                    found = lookup.ids.get(value)
                    if found is None:
                        errors.append(
                            loader_error(ref_errors[at], row=parsed.row, column=column, value=value)
                        )
                        bad = True
                        continue
                    value = found
                elif value is None:
                    value = blank
                record.append(value)
            for at in local:
                record.append(values[at].astimezone(tz).date())
            if not bad:
                out.append(record)
        self.stage.write(out)

    def check(self) -> None:
        self.stage.analyze()
        finals = final_cycles()
        if finals and self.stage.count:
            self._check_final(finals)

    def _column(self, name: str) -> str:
        f = self.fact.model._meta.get_field(name)
        assert isinstance(f, models.Field)
        return str(f.column)

    def _join(self) -> str:
        table = qn(self.fact.model._meta.db_table)
        key = qn(self.key_column)
        return f"{self.stage.table} s LEFT JOIN {table} t ON t.{key} = s.{key}"

    def _differs(self, left: str = "t", right: str = "s") -> str:
        pairs = [
            (f"{left}.{qn(c)}", f"{right}.{qn(c)}")
            for c in self.stage.columns
            if c != self.key_column
        ]
        return any_differs(pairs)

    def _check_final(self, finals: list[FinalCycle]) -> None:
        columns = {name: self._column(name) for name in self.fact.dates}
        new = [n for n in self.fact.dates if n in self.staged]
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
        rows = fetchall(
            f"SELECT {', '.join(select)} FROM {self._join()} "
            f"WHERE (t.{qn('id')} IS NULL OR {self._differs()}) AND ({' OR '.join(conditions)}) "
            f"ORDER BY s.{qn('kp_row')}",
            params,
        )
        source = dict(self.fact.local_dates)
        for found in rows:
            number, values = found[0], found[1:]
            named = list(zip(new, values[: len(new)], strict=True))
            named += list(zip(self.fact.dates, values[len(new) :], strict=True))
            for name, raw in named:
                day = (
                    raw
                    if isinstance(raw, date) or raw is None
                    else date.fromisoformat(str(raw)[:10])
                )
                hit = final_cycle_of(day, finals)
                if hit is not None and day is not None:
                    self.errors.append(
                        loader_error(
                            "final_cycle_date",
                            row=number,
                            column=source.get(name, name),
                            value=day.isoformat(),
                            date=day.isoformat(),
                            cycle=hit.code,
                        )
                    )
                    break

    # --- writing --------------------------------------------------------------------------

    def count(self) -> Counts:
        if not self.stage.count:
            return Counts()
        ((matched, changed),) = fetchall(
            f"SELECT count(t.{qn('id')}), "
            f"coalesce(sum(CASE WHEN t.{qn('id')} IS NOT NULL AND {self._differs()} "
            f"THEN 1 ELSE 0 END), 0) FROM {self._join()}"
        )
        matched, changed = int(matched or 0), int(changed or 0)
        return Counts(self.stage.count - matched, changed, matched - changed)

    def write(self) -> Counts:
        if not self.stage.count:
            return Counts()
        model = self.fact.model
        meta = model._meta
        table = qn(meta.db_table)
        key = qn(self.key_column)
        batch = self.ctx.batch
        snapshot = json_object([(f.attname, f"t.{qn(f.column)}", f) for f in data_fields(model)])
        updated = execute(
            f"INSERT INTO {qn('facts_batchchange')} "
            f"({qn('batch_id')}, {qn('model')}, {qn('object_id')}, {qn('before')}, "
            f"{qn('before_batch')}) "
            f"SELECT %s, %s, t.{qn('id')}, {snapshot}, t.{qn('import_batch_id')} "
            f"FROM {self.stage.table} s JOIN {table} t ON t.{key} = s.{key} "
            f"WHERE {self._differs()}",
            [batch.pk, meta.label_lower],
        )
        # A created record gets its fields' defaults for the columns the file does not have.
        staged = self.stage.columns
        absent = [
            f for f in data_fields(model) if f.column not in staged and f.name != "import_batch"
        ]
        insert = [*staged, *(f.column for f in absent), "import_batch_id"]
        select = [f"s.{qn(c)}" for c in staged] + ["%s"] * len(absent) + ["%s"]
        params = [f.get_db_prep_save(f.get_default(), connection) for f in absent] + [batch.pk]
        sets = [f"{qn(c)} = excluded.{qn(c)}" for c in staged if c != self.key_column]
        sets.append(f"{qn('import_batch_id')} = excluded.{qn('import_batch_id')}")
        written = execute(
            f"INSERT INTO {table} ({', '.join(qn(c) for c in insert)}) "
            f"SELECT {', '.join(select)} FROM {self.stage.table} s WHERE 1 = 1 "
            f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(sets)} "
            f"WHERE {self._differs(table, 'excluded')}",
            params,
        )
        created = written - updated
        self._touched = self._touched_dates(updated > 0)
        return Counts(created, updated, self.stage.count - created - updated)

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

    def close(self) -> None:
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


def fact_loader(fact: FactKind) -> type[FactLoader]:
    """The loader class of one fact kind."""
    name = "".join(part.title() for part in fact.kind.split("_")) + "Loader"
    return type(
        name,
        (FactLoader,),
        {"kind": fact.kind, "writes": (fact.model._meta.label_lower,), "fact": fact},
    )


FACT_LOADERS: dict[str, type[FactLoader]] = {fact.kind: fact_loader(fact) for fact in FACT_KINDS}
