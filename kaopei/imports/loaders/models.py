"""The in-memory loader for the small kinds (people, units, levels, targets, templates).

Such files have thousands of rows, not millions, and their models keep an audit history
(django-simple-history): rows are kept in memory, compared with the database through the
ORM, and written with the history-aware bulk helpers, so every change shows who made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaopei.imports.importing import ParsedRow
from kaopei.imports.models import ImportBatch

from .base import (
    Counts,
    LoadContext,
    Loader,
    Planned,
    changes_of,
    data_fields,
    decode_snapshot,
    record_changes,
    snapshot,
)


def assign(obj: models.Model, values: Mapping[str, Any]) -> bool:
    """Set attributes; whether any of them changed (``Decimal`` compares by value)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def has_history(model: type[models.Model]) -> bool:
    return hasattr(model, "history")


class ModelLoader(Loader):
    """Rows in memory; ``check`` builds ``self.plan``; ``write`` saves it with history."""

    model: ClassVar[type[models.Model]]

    def __init__(self, ctx: LoadContext, columns: Sequence[str]) -> None:
        super().__init__(ctx, columns)
        self.rows: list[ParsedRow] = []
        self.plan: list[Planned] = []

    def feed(self, rows: list[ParsedRow], *, clean: bool = True) -> None:
        self.rows.extend(rows)

    def file_keys(self) -> set[Any]:
        return super().file_keys() | {row[self.key] for row in self.rows}

    def count(self) -> Counts:
        counts = Counts()
        for item in self.plan:
            if item.created:
                counts.created += 1
            elif item.changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def plan_row(
        self, row: int, obj: models.Model | None, values: Mapping[str, Any], new: Any
    ) -> Planned:
        """Plan one row: update ``obj`` with ``values`` or, without one, create ``new()``."""
        if obj is None:
            created = new()
            assign(created, values)
            created.import_batch_id = self.ctx.batch.pk  # type: ignore[attr-defined]
            return Planned(row, created, created=True, changed=True)
        before = snapshot(obj, data_fields(type(obj)))
        changed = assign(obj, values)
        return Planned(row, obj, created=False, changed=changed, before=before)

    def save_plan(self, items: Iterable[Planned], fields: Sequence[str]) -> None:
        """Create the planned new objects and update the changed ones (recording their
        snapshots), in bulk, with history."""
        items = list(items)
        model = self.model
        actor = self.ctx.actor
        new = [i.obj for i in items if i.created]
        changed = [i for i in items if not i.created and i.changed]
        if new:
            if has_history(model):
                bulk_create_with_history(new, model, batch_size=1000, default_user=actor)
            else:
                model._default_manager.bulk_create(new, batch_size=1000)
        if changed:
            record_changes(self.ctx.batch, model, [(i.obj.pk, i.before) for i in changed])
            now = timezone.now()
            names = list(dict.fromkeys([*fields, "import_batch"]))
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                names.append("updated_at")
            for item in changed:
                item.obj.import_batch_id = self.ctx.batch.pk  # type: ignore[attr-defined]
                if "updated_at" in names:
                    item.obj.updated_at = now  # type: ignore[attr-defined]
            objs = [i.obj for i in changed]
            if has_history(model):
                bulk_update_with_history(objs, model, names, batch_size=1000, default_user=actor)
            else:
                model._default_manager.bulk_update(objs, names, batch_size=1000)

    # --- rollback -------------------------------------------------------------------------

    @classmethod
    def created_by(cls, batch: ImportBatch) -> models.QuerySet[Any]:
        """The rows ``batch`` created (rows it updated also carry it, but have a snapshot)."""
        return cls.model._default_manager.filter(import_batch=batch).exclude(
            pk__in=changes_of(batch, cls.model).values("object_id")
        )

    @classmethod
    def delete_created(cls, batch: ImportBatch, user: Any, *, order: str | None = None) -> None:
        objs = list(cls.created_by(batch))
        if order is not None:
            objs.sort(key=lambda o: getattr(o, order), reverse=True)
        for obj in objs:
            obj._history_user = user  # type: ignore[attr-defined]
            obj.delete()

    @classmethod
    def restore_updated(
        cls, batch: ImportBatch, user: Any
    ) -> list[tuple[models.Model, dict[str, Any]]]:
        """Put back the values the batch replaced; returns each object with its snapshot."""
        model = cls.model
        changes = list(changes_of(batch, model))
        objs = model._default_manager.in_bulk([c.object_id for c in changes])
        restored: list[tuple[models.Model, dict[str, Any]]] = []
        names: set[str] = set()
        for change in changes:
            obj = objs.get(change.object_id)
            if obj is None:
                continue
            values = decode_snapshot(model, change.before)
            for name, value in values.items():
                setattr(obj, name, value)
            names.update(values)
            restored.append((obj, change.before))
        if restored:
            fields = [f.name for f in model._meta.concrete_fields if f.attname in names]
            objs_list = [o for o, _b in restored]
            if has_history(model):
                bulk_update_with_history(
                    objs_list, model, fields, batch_size=1000, default_user=user
                )
            else:
                model._default_manager.bulk_update(objs_list, fields, batch_size=1000)
        return restored

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        cls.restore_updated(batch, user)
        cls.delete_created(batch, user)
