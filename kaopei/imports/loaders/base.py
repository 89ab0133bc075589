"""What every loader shares: the run context, counts, loader-level row errors, reference
lookups, final cycles, and the "before" snapshots that make a batch reversible.

A loader is the database half of one import kind (the pure half is
:mod:`kaopei.imports.importing`). Its life for one run::

    loader = LoaderClass(ctx, columns)   # columns: the kind's columns present in the file
    loader.feed(rows) ...                # valid parsed rows, in chunks, in file order
    loader.check()                       # whole-file checks once every row was fed
    loader.count()  or  loader.write()   # dry run, or the write (inside one transaction)
    loader.close()                       # always

``feed`` and ``check`` only read the database (a loader may fill a temporary staging table);
they report problems by appending :class:`RowError` s to ``loader.errors``. Nothing is written
unless the run found no error at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ConflictError
from kaopei.imports.importing import ParsedRow, RowError
from kaopei.imports.models import BatchChange, ImportBatch

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Problems only the database can find, one message per stable code (as in importing.errors).
MESSAGES: dict[str, StrOrPromise] = {
    "unknown_employee": _("There is no employee with the number “{value}”."),
    "unknown_customer": _("There is no customer with the number “{value}”."),
    "unknown_org_unit": _("There is no org unit with the code “{value}”."),
    "unknown_level": _("There is no job level with the code “{value}”."),
    "unknown_metric": _("There is no metric with the code “{value}”."),
    "invalid_code": _(
        "“{value}” cannot be used as a code: use only letters, digits, dots, hyphens and "
        "underscores, without spaces."
    ),
    "reserved_code": _("“{value}” is reserved; choose another code."),
    "org_unit_inactive": _("The org unit “{value}” is inactive and cannot take new people."),
    "login_taken": _("The login “{value}” already belongs to another employee."),
    "supervisor_loop": _(
        "With this supervisor, {value} would end up supervising themselves through the chain "
        "of supervisors."
    ),
    "parent_loop": _("With this parent, the unit {value} would end up inside itself."),
    "final_cycle": _("Cycle {cycle} is final: nothing that feeds it can change any more."),
    "final_cycle_date": _(
        "The record's date {date} falls in cycle {cycle}, which is final: records of a final "
        "cycle can no longer change."
    ),
    "voided_kept": _(
        "Record {value} was voided on {date} by {who} ({reason}): it stays voided and counts "
        "in no metric; correct it by hand if it should count again."
    ),
    "metric_not_manual": _(
        "The metric “{value}” is computed from records; manual scores are only for manual metrics."
    ),
    "template_weights": _("The weights of template {template} add up to {total}, not 100."),
    "template_other_level": _(
        "Template {template} exists for level {level} and {cycle_kind} cycles; a new version "
        "must keep them. Choose another template code."
    ),
    "template_invalid": _("Template {template}: {problems}"),
    "template_empty": _("Template {template} would have no metric left."),
}


def loader_error(
    code: str, *, row: int, column: str = "", value: object = "", **params: object
) -> RowError:
    """A :class:`RowError` for a database-level problem (``value`` also fills ``{value}``)."""
    text = "" if value is None else str(value)
    params.setdefault("value", text)
    return RowError(row, column, text, format_lazy(MESSAGES[code], **params), code, params)


@dataclass(frozen=True)
class LoadContext:
    """One run: the batch, who runs it, the organisation's time zone, and whether it only
    checks (a dry run writes nothing, not even cycles or logins)."""

    batch: ImportBatch
    user: Any
    tz: ZoneInfo
    dry_run: bool = False

    @property
    def actor(self) -> Any:
        """The user for audit history (``None`` for the command line)."""
        user = self.user
        return user if user is not None and getattr(user, "is_authenticated", False) else None


@dataclass
class Counts:
    """What a write did (or, for a dry run, would do), in rows of the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass(frozen=True)
class Reference:
    """What a reference column must name: a row of ``model`` by ``field`` (an active one, with
    ``active_only``) or, ``in_file``, a key of the same file (a supervisor, a parent unit)."""

    model: type[models.Model]
    field: str
    code: str
    in_file: bool = False
    active_only: bool = False


class Loader:
    """Base of the loaders (see the module docstring for the protocol).

    Subclasses declare ``kind`` and ``writes``: the models (``"app_label.model"``) a batch of
    this kind may create or update. Rollback and the history page rely on that declaration.
    """

    kind: ClassVar[str]
    writes: ClassVar[tuple[str, ...]]
    # File column → what it must name; checked here for rows that had other errors (the
    # loader checks the valid rows itself, as it resolves them).
    references: ClassVar[dict[str, Reference]] = {}
    key: ClassVar[str] = ""  # the key column that ``in_file`` references name

    def __init__(self, ctx: LoadContext, columns: Sequence[str]) -> None:
        self.ctx = ctx
        self.columns = tuple(columns)
        self.present = frozenset(columns)
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.unchecked: list[tuple[int, str, Any]] = []  # (row, column, value)
        self.invalid_keys: set[Any] = set()

    def note_invalid(self, row: ParsedRow, failed: frozenset[str]) -> None:
        """A row with errors (it is not fed): remember the references that did parse, so
        that every error of the file is reported at once."""
        for column in self.references:
            if column in self.present and column not in failed and row[column] is not None:
                self.unchecked.append((row.row, column, row[column]))
        if self.key and self.key in self.present and row[self.key] is not None:
            self.invalid_keys.add(row[self.key])

    def file_keys(self) -> set[Any]:
        """The keys the file defines (for ``in_file`` references)."""
        return set(self.invalid_keys)

    def check_invalid_rows(self) -> None:
        """Report the unknown references of rows that had other errors (bulk queries)."""
        if not self.unchecked:
            return
        wanted: dict[str, set[Any]] = {}
        for _row, column, value in self.unchecked:
            wanted.setdefault(column, set()).add(value)
        known: dict[str, set[Any]] = {}
        for column, values in wanted.items():
            ref = self.references[column]
            rows = ref.model._default_manager.all()
            if ref.active_only:
                rows = rows.filter(active=True)
            ordered = sorted(values, key=str)
            known[column] = set()
            for start in range(0, len(ordered), Lookup.FETCH):
                part = ordered[start : start + Lookup.FETCH]
                found = rows.filter(**{f"{ref.field}__in": part}).values_list(ref.field, flat=True)
                known[column].update(found)
        in_file = self.file_keys() if any(r.in_file for r in self.references.values()) else set()
        for row, column, value in self.unchecked:
            ref = self.references[column]
            if value in known[column] or (ref.in_file and value in in_file):
                continue
            self.errors.append(loader_error(ref.code, row=row, column=column, value=value))

    # Whether a real import writes while it reads (inside the service's transaction).
    streaming: bool = False

    def feed(self, rows: list[ParsedRow], *, clean: bool = True) -> None:
        """Take the next valid rows; ``clean`` is false once the file had any error."""
        raise NotImplementedError

    def check(self) -> None:
        """Checks over the whole file, after the last row was fed."""

    def count(self) -> Counts:
        raise NotImplementedError

    def write(self) -> Counts:
        raise NotImplementedError

    def stop(self) -> None:
        """Wait for any work still running for this loader (a writer thread)."""

    def close(self) -> None:
        """Release what the run holds (a staging table); called whatever happened."""

    def touched(self) -> dict[str, Any]:
        """After ``write``: what rollback must check later (see ``ImportBatch.touched``)."""
        return {}

    # --- rollback (class level: a rollback has no file) ------------------------------------

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        """Why some of ``batches`` (committed, of this kind) cannot be rolled back — a final
        cycle uses what they wrote — by batch id. Queries do not grow with the number of
        batches (the history page asks for a page at a time). Later batches' changes are
        checked by the caller."""
        return {}

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        """Remove what ``batch`` created and restore what it updated (inside a transaction)."""
        raise NotImplementedError


class WithoutRollback:
    """Mixin for a loader whose batches cannot be rolled back (a rollback would need what
    it deliberately does not keep); ``no_rollback`` says why, in the reader's language."""

    no_rollback: StrOrPromise

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        return {batch.pk: cls.no_rollback for batch in batches}

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        raise ConflictError(cls.no_rollback)


# --- reference lookups ------------------------------------------------------------------


class Lookup:
    """``key → id`` of one model, loaded at once (``preload``) or on demand in chunks.

    Employees, units, levels and metrics are few: they are loaded once. Customers may be
    millions: only those a file names are fetched, a chunk of rows at a time.
    """

    FETCH = 5000  # keys per query (SQLite allows 32,766 parameters)

    def __init__(self, queryset: models.QuerySet[Any], key: str, *, preload: bool) -> None:
        self.queryset = queryset
        self.key = key
        self.ids: dict[str, int] = {}
        self.missing: set[str] = set()
        self.preloaded = preload
        if preload:
            self.ids = dict(queryset.values_list(key, "pk"))

    def fetch(self, keys: Iterable[str]) -> None:
        """Make sure every key of ``keys`` is known (found or missing)."""
        if self.preloaded:
            return
        wanted = [k for k in set(keys) if k not in self.ids and k not in self.missing]
        for start in range(0, len(wanted), self.FETCH):
            part = wanted[start : start + self.FETCH]
            found = dict(
                self.queryset.filter(**{f"{self.key}__in": part}).values_list(self.key, "pk")
            )
            self.ids.update(found)
            self.missing.update(k for k in part if k not in found)

    def get(self, key: str) -> int | None:
        return self.ids.get(key)


# --- final cycles ---------------------------------------------------------------------


@dataclass(frozen=True)
class FinalCycle:
    code: str
    start: date
    end: date


# Where final cycles come from: registered by the app that owns cycles
# (kaopei.imports.registry.register_final_cycles); each yields (code, start, end).
FINAL_CYCLE_SOURCES: list[Callable[[], Iterable[tuple[str, date, date]]]] = []
# Model label → what finds the final cycles that use rows of that model, given the rows some
# batches created: (batch id, cycle code) pairs (kaopei.imports.registry.register_final_use).
FINAL_USE_CHECKS: dict[str, list[Callable[[models.QuerySet[Any]], Iterable[tuple[int, str]]]]] = {}


def final_cycles() -> list[FinalCycle]:
    """Every final cycle, shortest first (a date in 2026Q1 names 2026Q1 rather than 2026)."""
    cycles = [
        FinalCycle(code, start, end)
        for source in FINAL_CYCLE_SOURCES
        for code, start, end in source()
    ]
    return sorted(cycles, key=lambda c: (c.end - c.start, c.start))


def final_uses_of_created(
    model: type[models.Model], batches: Sequence[ImportBatch]
) -> list[tuple[int, str]]:
    """The (batch id, final cycle code) pairs where a final cycle uses rows of ``model`` that
    one of ``batches`` created (rather than updated): one query per registered check."""
    checks = FINAL_USE_CHECKS.get(model._meta.label_lower, [])
    if not checks or not batches:
        return []
    ids = [b.pk for b in batches]
    created = model._default_manager.filter(import_batch__in=ids).exclude(
        pk__in=BatchChange.objects.filter(batch__in=ids, model=model._meta.label_lower).values(
            "object_id"
        )
    )
    return [found for check in checks for found in check(created)]


def final_cycle_of(day: date | None, cycles: Sequence[FinalCycle]) -> FinalCycle | None:
    if day is None:
        return None
    for cycle in cycles:
        if cycle.start <= day <= cycle.end:
            return cycle
    return None


def final_cycle_of_dates(days: Iterable[str], cycles: Sequence[FinalCycle]) -> FinalCycle | None:
    """The first final cycle holding one of ``days`` (ISO dates, as in ``touched``)."""
    if not cycles:
        return None
    for text in days:
        try:
            day = date.fromisoformat(str(text)[:10])
        except ValueError:
            continue
        found = final_cycle_of(day, cycles)
        if found is not None:
            return found
    return None


# --- before snapshots (BatchChange) -----------------------------------------------------


def data_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The concrete fields a snapshot keeps: everything but the primary key and timestamps
    that change by themselves."""
    auto = {"created_at", "updated_at"}
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in auto]


def snapshot(obj: models.Model, fields: Iterable[models.Field[Any, Any]]) -> dict[str, Any]:
    """The JSON-able "before" values of ``obj`` by column name (``org_unit_id`` …)."""
    values = {f.attname: getattr(obj, f.attname) for f in fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def decode_snapshot(model: type[models.Model], before: Mapping[str, Any]) -> dict[str, Any]:
    """Python values from a snapshot, by attribute name (the inverse of :func:`snapshot` and
    of the staging tables' SQL snapshots). Unknown keys (``roles``) are left out."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    values: dict[str, Any] = {}
    for name, raw in before.items():
        f = by_attname.get(name)
        if f is None:
            continue
        if raw is None:
            values[name] = None
        elif isinstance(f, models.DateTimeField):
            moment = f.to_python(raw)
            if moment is not None and moment.tzinfo is None:  # SQLite keeps UTC, naive
                moment = moment.replace(tzinfo=UTC)
            values[name] = moment
        elif isinstance(f, models.DecimalField):
            values[name] = Decimal(str(raw))
        elif isinstance(f, models.BooleanField):
            values[name] = bool(raw)
        elif isinstance(f, models.DateField):
            values[name] = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
        elif isinstance(f, models.ForeignKey | models.IntegerField | models.BigAutoField):
            values[name] = int(raw)
        else:
            values[name] = f.to_python(raw)
    return values


def record_changes(
    batch: ImportBatch, model: type[models.Model], befores: Iterable[tuple[int, dict[str, Any]]]
) -> int:
    """Store the "before" snapshots of rows ``batch`` is about to update."""
    label = model._meta.label_lower
    objs = [
        BatchChange(
            batch=batch,
            model=label,
            object_id=pk,
            before=before,
            before_batch=before.get("import_batch_id"),
        )
        for pk, before in befores
    ]
    BatchChange.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def changed_later(batch_ids: Iterable[int]) -> set[int]:
    """Which of ``batch_ids`` wrote rows that a later committed batch changed (its snapshots
    name the batch the rows came from): one indexed query."""
    found = (
        BatchChange.objects.filter(
            before_batch__in=list(batch_ids), batch__status=ImportBatch.Status.COMMITTED
        )
        .order_by()
        .values_list("before_batch", flat=True)
        .distinct()
    )
    return {batch_id for batch_id in found if batch_id is not None}


def changes_of(batch: ImportBatch, model: type[models.Model]) -> models.QuerySet[BatchChange]:
    return BatchChange.objects.filter(batch=batch, model=model._meta.label_lower)


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Planned:
    """An ORM loader's plan for one row: the object to create or update, and its snapshot."""

    row: int
    obj: Any  # the model instance (loaders hang a few private notes on it)
    created: bool
    changed: bool
    before: dict[str, Any] = field(default_factory=dict)
