"""The one renderer of audit history (django-simple-history records) in words.

- :func:`who` and :func:`plain`: a record's author and a stored value as text.
- :class:`ValueText`: a model's field labels and values as text, foreign keys by the name
  of what they point at (one query per related model for a whole set of records), choices
  by their label.
- :func:`history_trail`: one object's records as a timeline (who, when, what changed
  from what to what), newest first.

Used by the audit log of every change (``assessment/audit.py``) and by the history shown
on a record's page (a scorecard, an employee). Knows no domain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[FieldChange]


def person_name(user: Any) -> str:
    """How pages name a user: their employee's name, else their login; "—" for nobody."""
    if user is None:
        return "—"
    employee = getattr(user, "employee", None)
    return str(employee.name) if employee is not None else user.get_username()


def who(user: Any) -> str:
    """The person behind a history record (their employee name and number, else their
    login)."""
    if user is None:
        return "—"
    employee = getattr(user, "employee", None)
    return str(employee) if employee is not None else user.get_username()


def plain(value: Any) -> str:
    """A stored value as text: empty as "—", yes/no, decimals without trailing zeros,
    local date and time."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(gettext_lazy("yes") if value else gettext_lazy("no"))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class ValueText:
    """Labels and values of ``model``'s fields as text, for a set of history ``records``.

    ``formatters`` override the text of some fields (e.g. a hash shortened);
    ``related`` narrows how the objects of a related model are loaded (select_related).
    """

    def __init__(
        self,
        model: type[Model],
        records: Iterable[Any],
        *,
        formatters: dict[str, Callable[[Any], str]] | None = None,
        related: Callable[[type[Model], Any], Any] | None = None,
    ) -> None:
        self.fields = {f.name: f for f in model._meta.concrete_fields}
        self.formatters = formatters or {}
        wanted: dict[Any, set[Any]] = defaultdict(set)
        records = list(records)
        for f in self.fields.values():
            if f.is_relation and f.many_to_one:
                for rec in records:
                    value = getattr(rec, f.attname, None)
                    if value is not None:
                        wanted[f.related_model].add(value)
        self.objects: dict[Any, dict[Any, Any]] = {}
        for related_model, ids in wanted.items():
            qs = related_model._default_manager.filter(pk__in=ids)
            if related is not None:
                qs = related(related_model, qs)
            self.objects[related_model] = {obj.pk: obj for obj in qs}

    def obj(self, model: type[Model], pk: Any) -> Any:
        return self.objects.get(model, {}).get(pk) if pk is not None else None

    def attr(self, record: Any, name: str) -> Any:
        f = self.fields.get(name)
        return getattr(record, f.attname if f is not None else name)

    def label(self, name: str) -> str:
        f = self.fields.get(name)
        return str(f.verbose_name) if f is not None else name

    def show(self, name: str, value: Any) -> str:
        if name in self.formatters and value not in (None, ""):
            return self.formatters[name](value)
        f = self.fields.get(name)
        if f is not None and f.is_relation and value is not None:
            obj = self.obj(f.related_model, value)  # type: ignore[arg-type]
            return str(obj) if obj is not None else f"#{value}"
        if f is not None and f.choices and value not in (None, ""):
            return str(dict(f.flatchoices).get(value, value))
        return plain(value)


def history_trail(
    history: Any,
    *,
    model: type[Model],
    fields: Sequence[str] | None = None,
    formatters: dict[str, Callable[[Any], str]] | None = None,
    skip_unchanged: bool = False,
) -> list[HistoryEntry]:
    """One object's history records (``obj.history``) as entries, newest first: what
    changed between each record and the one before, over ``fields`` (all by default).
    ``skip_unchanged`` leaves out saves that changed none of them."""
    records = list(
        history.select_related("history_user", "history_user__employee").order_by(
            "history_date", "history_id"
        )
    )
    text = ValueText(model, records, formatters=formatters)
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(
                previous, **({"included_fields": list(fields)} if fields is not None else {})
            )
            changes = [
                FieldChange(
                    text.label(c.field), text.show(c.field, c.old), text.show(c.field, c.new)
                )
                for c in delta.changes
            ]
        previous = record
        if skip_unchanged and record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=who(record.history_user),
                kind=record.history_type,
                changes=changes,
            )
        )
    return entries[::-1]
