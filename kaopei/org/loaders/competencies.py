"""Loaders of the competency framework: ``competencies`` and ``competency_levels`` (the
competency matrix: the level expected of a job level on a competency) (DESIGN.md §3,
§4.2 ⚑).

Both models keep an audit history and carry no ``import_batch`` column: the batch records
the primary keys of what it created (``touched["created"]``) and the "before" snapshots of
what it updated, so that it can be rolled back like every other kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaopei.imports.loaders.base import (
    MESSAGES,
    Counts,
    Planned,
    Reference,
    loader_error,
    record_changes,
)
from kaopei.imports.loaders.models import ModelLoader
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Competency, JobLevel, LevelExpectation

from .units import check_code

MESSAGES.setdefault("unknown_competency", _("There is no competency with the code “{value}”."))

# Optional text columns of a competency (its other language and its descriptions).
COMPETENCY_TEXTS = ("name_en", "description", "description_en")


class FrameworkLoader(ModelLoader):
    """An in-memory loader for models without ``import_batch``: saves its plan with history
    and remembers what it created."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.created_ids: list[int] = []

    def save_framework(self, items: Iterable[Planned], fields: Sequence[str]) -> None:
        items = list(items)
        model = self.model
        actor = self.ctx.actor
        new = [i.obj for i in items if i.created]
        changed = [i for i in items if not i.created and i.changed]
        if new:
            created = bulk_create_with_history(new, model, batch_size=1000, default_user=actor)
            self.created_ids = sorted(o.pk for o in created)
        if changed:
            record_changes(self.ctx.batch, model, [(i.obj.pk, i.before) for i in changed])
            names = list(fields)
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                names.append("updated_at")
                for item in changed:
                    item.obj.updated_at = now
            bulk_update_with_history(
                [i.obj for i in changed], model, names, batch_size=1000, default_user=actor
            )

    def touched(self) -> dict[str, Any]:
        return {"created": self.created_ids}

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        cls.restore_updated(batch, user)
        created = (batch.touched or {}).get("created", [])
        for obj in cls.model._default_manager.filter(pk__in=created):
            obj._history_user = user  # type: ignore[attr-defined]
            obj.delete()


class CompetencyLoader(FrameworkLoader):
    kind = "competencies"
    writes = ("org.competency",)
    model = Competency

    def check(self) -> None:
        existing = {c.code: c for c in Competency.objects.all()}
        for parsed in self.rows:
            code = parsed["code"]
            if not check_code(self, parsed.row, "code", code):
                continue
            values: dict[str, Any] = {"name": parsed["name"]}
            if "category" in self.present:
                values["category"] = parsed["category"]
            values.update({n: parsed[n] or "" for n in COMPETENCY_TEXTS if n in self.present})
            self.plan.append(
                self.plan_row(
                    parsed.row, existing.get(code), values, lambda c=code: Competency(code=c)
                )
            )

    def write(self) -> Counts:
        fields = ["name", *(n for n in ("category", *COMPETENCY_TEXTS) if n in self.present)]
        self.save_framework(self.plan, fields)
        return self.count()


class CompetencyLevelLoader(FrameworkLoader):
    kind = "competency_levels"
    writes = ("org.levelexpectation",)
    model = LevelExpectation
    references = {
        "level": Reference(JobLevel, "code", "unknown_level"),
        "competency": Reference(Competency, "code", "unknown_competency"),
    }

    def check(self) -> None:
        levels = dict(JobLevel.objects.values_list("code", "pk"))
        competencies = dict(Competency.objects.values_list("code", "pk"))
        existing = {(e.level_id, e.competency_id): e for e in LevelExpectation.objects.all()}
        for parsed in self.rows:
            level_id = levels.get(parsed["level"])
            competency_id = competencies.get(parsed["competency"])
            if level_id is None:
                self.errors.append(
                    loader_error(
                        "unknown_level", row=parsed.row, column="level", value=parsed["level"]
                    )
                )
            if competency_id is None:
                self.errors.append(
                    loader_error(
                        "unknown_competency",
                        row=parsed.row,
                        column="competency",
                        value=parsed["competency"],
                    )
                )
            if level_id is None or competency_id is None:
                continue
            self.plan.append(
                self.plan_row(
                    parsed.row,
                    existing.get((level_id, competency_id)),
                    {"expected": parsed["expected"]},
                    lambda lv=level_id, c=competency_id: LevelExpectation(
                        level_id=lv, competency_id=c
                    ),
                )
            )

    def write(self) -> Counts:
        self.save_framework(self.plan, ["expected"])
        return self.count()
