"""Saving a scored cycle: scorecards, their lines and the audit history, chunk by chunk.

:class:`ScorecardWriter` takes each person's card and lines as the engine produces them.

- On PostgreSQL each chunk is formatted for ``COPY`` here (by the driver, in C) and sent
  by a :class:`~kaopei.core.bulk.Writer` thread on the same connection and transaction, so
  the database stores one chunk (indexes, foreign keys) while the engine scores the next.
  New scorecards get their ids from the table's sequence up front, so lines can be written
  with their card. The scorecards' foreign keys are checked as each chunk is written instead
  of all at commit, then deferred again as Django expects (score lines have none: see
  ``ScoreLine``).
- Elsewhere (SQLite) the chunks are written in turn with batched statements.

The audit history is copied from the written cards in SQL, a chunk at a time. Either way
nothing is visible before the caller's transaction commits, and an error anywhere rolls all
of it back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from kaopei.assessment.models import Cycle, Scorecard, ScoreLine
from kaopei.core.bulk import SQL, Writer, copy_data, insert_rows, update_rows

# People per chunk; the first and the last chunks are small, so that the database starts
# writing early and finishes soon after the engine.
CHUNK = 1000
EDGE_CHUNK = 250


class CardRow(NamedTuple):
    """A scorecard as the scoring service writes it: one value per column of its table
    (``CARD_COLUMNS``, checked against the model by :func:`check_columns`)."""

    template_id: int
    org_unit_id: int
    level_id: int | None
    total: Any
    computed_grade: str
    grade: str
    veto_reason: str
    renormalised: bool
    weight_with_data: Any
    weight_total: Any
    inputs_hash: str
    projection: Any
    updated_at: Any


class LineRow(NamedTuple):
    """A score line as the scoring service writes it, without its scorecard's id (the
    writer puts it first: ``LINE_COLUMNS``)."""

    metric_id: int
    actual: Any
    target: Any
    attainment: Any
    points: Any
    weight: Any
    cap: Any
    bound: Any
    has_data: bool
    warning: str
    position: int


CARD_COLUMNS = list(CardRow._fields)
LINE_COLUMNS = ["scorecard_id", *LineRow._fields]
NEW_CARD_COLUMNS = ["id", "cycle_id", "employee_id", "created_at", "acknowledged_at"]
HISTORY_EXTRA = ["history_date", "history_change_reason", "history_type", "history_user_id"]


class Existing(NamedTuple):
    """What re-scoring needs of a scorecard that already exists."""

    pk: int
    employee_id: int
    template_id: int
    computed_grade: str
    grade: str
    created_at: Any
    acknowledged_at: Any
    eligible: bool


def existing_cards(cycle: Cycle) -> dict[int, Existing]:
    """The cycle's scorecards by employee id."""
    rows = Scorecard.objects.filter(cycle=cycle).values_list(*Existing._fields)
    return {row[1]: Existing(*row) for row in rows}


def check_columns() -> None:
    """Every field of the rows is a column of its table (ImproperlyConfigured otherwise):
    a renamed or removed model field stops the writer before it writes anything."""
    for model, columns in ((Scorecard, CARD_COLUMNS + NEW_CARD_COLUMNS), (ScoreLine, LINE_COLUMNS)):
        known = {f.column for f in model._meta.concrete_fields}
        missing = [c for c in columns if c not in known]
        if missing:
            raise ImproperlyConfigured(f"{model.__name__} has no columns {missing}")


def _qn(name: str) -> str:
    return str(connection.ops.quote_name(name))


class ScorecardWriter:
    """Replaces a cycle's scorecards and lines with those :meth:`add` is given.

    Use as a context manager inside the scoring transaction: :meth:`begin` with everyone who
    will be scored, :meth:`add` per person, then :meth:`finish`. The card of someone with a
    card who is not scored any more is kept with everything on it (lines, calibrations,
    appeals, acknowledgement) and marked no longer eligible, with the reason and the time;
    it is marked eligible again if they are scored again.
    """

    def __init__(self, cycle: Cycle, existing: dict[int, Existing], now: Any, user: Any):
        self.cycle = cycle
        self.existing = existing
        self.now = now
        self.user_id = getattr(user, "pk", None)
        self.stream = connection.vendor == "postgresql"
        check_columns()
        history = Scorecard.history.model  # type: ignore[attr-defined]
        self.history_table = history._meta.db_table
        # The audit history copies each written card in SQL (one row per card, "+" created
        # or "~" changed): every column it tracks is a column of the card's table.
        tracked = [
            f.column for f in history._meta.concrete_fields if not f.column.startswith("history_")
        ]
        card_columns = {f.column for f in Scorecard._meta.concrete_fields}
        if set(tracked) - card_columns:
            raise ImproperlyConfigured(f"Scorecard history columns: {set(tracked) - card_columns}")
        names = ", ".join(_qn(c) for c in tracked)
        extra = ", ".join(_qn(c) for c in HISTORY_EXTRA)
        self._history_sql = (
            f"INSERT INTO {_qn(self.history_table)} ({names}, {extra}) "  # noqa: S608
            f"SELECT {names}, %s, '', %s, %s FROM {_qn(Scorecard._meta.db_table)} WHERE id "
        )
        self._new_ids: list[int] = []
        self._cards: list[tuple[int, CardRow]] = []  # (employee id, card)
        self._lines: list[tuple[Any, ...]] = []  # LINE_COLUMNS values (PostgreSQL)
        self._line_groups: list[tuple[int, Sequence[LineRow]]] = []  # (employee id, lines)
        self._ids: dict[int, int] = {}  # employee id -> scorecard id (PostgreSQL)
        self._writer: Writer | None = None
        self._sql = SQL()
        self._raw = self._sql
        self._card_table = _qn(Scorecard._meta.db_table)
        self._line_table = _qn(ScoreLine._meta.db_table)
        self._sets = ", ".join(f"{_qn(c)} = v.{_qn(c)}" for c in CARD_COLUMNS)
        self._constraints = ""
        self._update_table = ""
        self._remaining = 0
        self._chunk = EDGE_CHUNK

    def __enter__(self) -> ScorecardWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._writer is not None:
            if exc_type is not None:
                self._writer.cancel()  # the transaction rolls back: write nothing more
            self._writer.stop()

    # -- the three steps -------------------------------------------------------------------

    def begin(self, planned: set[int], reasons: dict[int, str] | None = None) -> None:
        """Mark the cards of people not ``planned`` no longer eligible (``reasons``: why, by
        employee id; ``not_employed`` when not given), delete the lines of the cards about
        to be written; prepare."""
        self._remaining = len(planned)
        reasons = reasons or {}
        stale: dict[str, list[int]] = {}
        for emp, card in self.existing.items():
            if emp not in planned and card.eligible:
                stale.setdefault(reasons.get(emp, "not_employed"), []).append(card.pk)
        for reason, ids in stale.items():  # one statement per reason
            Scorecard.objects.filter(pk__in=ids).update(
                eligible=False, ineligible_reason=reason, ineligible_since=self.now
            )
            self._write_history(self._sql, [], ids)
        revived = [
            card.pk for emp, card in self.existing.items() if emp in planned and not card.eligible
        ]
        if revived:  # scored again: eligible again (the writer records the change)
            Scorecard.objects.filter(pk__in=revived).update(
                eligible=True, ineligible_reason="", ineligible_since=None
            )
        # The lines of cards no longer eligible stay: they are what the card showed.
        lines_sql = (
            f"DELETE FROM {_qn(ScoreLine._meta.db_table)} WHERE scorecard_id IN "  # noqa: S608
            f"(SELECT id FROM {_qn(Scorecard._meta.db_table)} WHERE cycle_id = %s AND eligible)"
        )
        if not self.stream:
            self._sql.execute(lines_sql, [self.cycle.pk])
            return
        new = sum(1 for emp in planned if emp not in self.existing)
        if new:
            self._new_ids = [
                pk
                for (pk,) in self._sql.fetchall(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Scorecard._meta.db_table, new],
                )
            ]
            self._new_ids.reverse()  # popped from the end, in ascending order
        tables = [Scorecard._meta.db_table, ScoreLine._meta.db_table, self.history_table]
        names = self._sql.fetchall(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferrable"
            " AND conrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%s))",
            [tables],
        )
        self._constraints = ", ".join(_qn(name) for (name,) in names)
        if self._constraints:
            self._sql.execute(f"SET CONSTRAINTS {self._constraints} IMMEDIATE")
        if len(planned) > new:
            self._update_table = _qn("kp_card_update")
            cols = ", ".join(_qn(c) for c in ["id", *CARD_COLUMNS])
            self._sql.execute(
                f"CREATE TEMP TABLE {self._update_table} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {cols} FROM {_qn(Scorecard._meta.db_table)} WITH NO DATA"
            )
        # The writer thread must not use Django's connection, which is bound to this thread:
        # it is handed the same database connection (and so the same transaction).
        self._raw = SQL(raw=connection.connection)
        self._writer = Writer()
        self._writer.submit(lambda: self._delete_lines(lines_sql))

    def _delete_lines(self, sql: str) -> None:
        self._raw.execute(sql, [self.cycle.pk])

    def add(self, employee_id: int, card: CardRow, lines: Sequence[LineRow]) -> None:
        """One person's card and lines (the writer gives the lines their card's id)."""
        self._cards.append((employee_id, card))
        if self.stream:
            old = self.existing.get(employee_id)
            card_id = self._ids[employee_id] = old.pk if old else self._new_ids.pop()
            self._lines.extend([(card_id, *line) for line in lines])
        else:
            self._line_groups.append((employee_id, lines))
        if len(self._cards) >= self._chunk:
            self._flush()

    def finish(self) -> None:
        """Write what is left and wait until everything is written."""
        self._flush()
        if self._writer is not None:
            self._writer.drain()
            self._writer.stop()
            self._writer = None
        if self._constraints:
            self._sql.execute(f"SET CONSTRAINTS {self._constraints} DEFERRED")
        if self._update_table:
            self._sql.execute(f"DROP TABLE {self._update_table}")

    # -- chunks ----------------------------------------------------------------------------

    def _write_history(self, sql: SQL, new: list[int], changed: list[int]) -> None:
        """Audit rows for the cards just written, copied from them by the database."""
        now = self.now
        if not self.stream:
            now = connection.ops.adapt_datetimefield_value(now)
        for ids, kind in ((new, "+"), (changed, "~")):
            if not ids:
                continue
            if self.stream:
                sql.execute(self._history_sql + "= ANY(%s)", [now, kind, self.user_id, ids])
            else:
                marks = ", ".join(["%s"] * len(ids))
                sql.execute(self._history_sql + f"IN ({marks})", [now, kind, self.user_id, *ids])

    def _flush(self) -> None:
        if not self._cards:
            return
        if self.stream:
            self._flush_copy()
        else:
            self._flush_batched()
        self._remaining -= len(self._cards)
        self._chunk = EDGE_CHUNK if self._remaining <= CHUNK else CHUNK
        self._cards, self._lines, self._line_groups = [], [], []

    def _flush_batched(self) -> None:
        updated = [[self.existing[e].pk, *row] for e, row in self._cards if e in self.existing]
        update_rows(Scorecard, CARD_COLUMNS, updated)
        insert_rows(
            Scorecard,
            NEW_CARD_COLUMNS[1:] + CARD_COLUMNS,
            [
                [self.cycle.pk, e, self.now, None, *row]
                for e, row in self._cards
                if e not in self.existing
            ],
        )
        ids = dict(
            Scorecard.objects.filter(
                cycle=self.cycle, employee_id__in=[e for e, _ in self._cards]
            ).values_list("employee_id", "pk")
        )
        lines: list[tuple[Any, ...]] = []
        for emp, rows in self._line_groups:
            card_id = ids[emp]
            lines.extend([(card_id, *row) for row in rows])
        insert_rows(ScoreLine, LINE_COLUMNS, lines)
        self._write_history(
            self._sql,
            [ids[e] for e, _ in self._cards if e not in self.existing],
            [ids[e] for e, _ in self._cards if e in self.existing],
        )

    def _flush_copy(self) -> None:
        ids = self._ids
        new_rows, updated = [], []
        cycle_id, now = self.cycle.pk, self.now
        for emp, card in self._cards:
            row = card._replace(projection=json.dumps(card.projection) if card.projection else "{}")
            if emp in self.existing:
                updated.append([ids[emp], *row])
            else:
                new_rows.append([ids[emp], cycle_id, emp, now, None, *row])
        raw = self._raw.raw
        data = {
            "new": copy_data(raw, new_rows) if new_rows else b"",
            "updated": copy_data(raw, updated) if updated else b"",
            "lines": copy_data(raw, self._lines),
        }
        new_ids, changed_ids = [row[0] for row in new_rows], [row[0] for row in updated]
        assert self._writer is not None
        self._writer.submit(lambda: self._send(data, new_ids, changed_ids))

    def _send(self, data: dict[str, bytes], new: list[int], changed: list[int]) -> None:
        """In the writer thread: the chunk's statements on the scoring connection."""
        sql, card_table = self._raw, self._card_table
        if data["updated"]:
            sql.copy_text(self._update_table, ["id", *CARD_COLUMNS], data["updated"])
            sql.execute(
                f"UPDATE {card_table} SET {self._sets} FROM {self._update_table} v "  # noqa: S608
                f"WHERE {card_table}.id = v.id"
            )
            sql.execute(f"TRUNCATE {self._update_table}")
        if data["new"]:
            sql.copy_text(card_table, NEW_CARD_COLUMNS + CARD_COLUMNS, data["new"])
        sql.copy_text(self._line_table, LINE_COLUMNS, data["lines"])
        self._write_history(sql, new, changed)
