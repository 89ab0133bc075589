"""Loaders of the organisation kinds: ``job_levels``, ``org_units`` and ``employees`` (the
last in :mod:`.employees`) (DESIGN.md §3, §4.2 ⚑).

- A unit's ``parent_code`` and an employee's ``supervisor_no`` may name a unit or person that
  exists or that appears anywhere in the same file (before or after); the rows are created
  parents (supervisors) first, and a chain that would loop back is a row error.
- A new unit's kind follows its depth: the root is the head office, its children branches,
  deeper units teams. Existing units keep their kind.
- Every imported employee gets a login (username = employee number) that cannot sign in until
  HR sets a password; the ``roles`` column, when present, sets exactly those roles (groups).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.imports.loaders.base import (
    Counts,
    FinalCycle,
    Reference,
    final_uses_of_created,
    loader_error,
)
from kaopei.imports.loaders.models import ModelLoader
from kaopei.imports.models import ImportBatch
from kaopei.org.models import JobLevel, OrgUnit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# As kaopei.org.services: codes appear in URLs and files.
CODE_RE = re.compile(r"^[\w.\-]+$")
RESERVED_CODES = {"new", "matrix"}
ROLLBACK_FINAL_PEOPLE = _(
    "Cycle {cycle} is final and scored people, units or levels this import created."
)


def check_code(loader: ModelLoader, row: int, column: str, code: str) -> bool:
    if not CODE_RE.match(code):
        loader.errors.append(loader_error("invalid_code", row=row, column=column, value=code))
        return False
    if code.lower() in RESERVED_CODES:
        loader.errors.append(loader_error("reserved_code", row=row, column=column, value=code))
        return False
    return True


def loops(parents: Mapping[str, str | None], start: str) -> bool:
    """Whether following ``parents`` from ``start`` comes back to ``start``."""
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current == start:
            return True
        if current in seen:
            return False  # a loop further up, reported on its own rows
        seen.add(current)
        current = parents.get(current)
    return False


def depth_of(parents: Mapping[str, str | None], code: str, memo: dict[str, int]) -> int:
    """How many ancestors ``code`` has (iterative; the chains are loop-free here)."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in memo and len(chain) <= len(parents):
        chain.append(current)
        current = parents.get(current)
    base = memo.get(current, -1) if current is not None else -1
    for item in reversed(chain):
        base += 1
        memo[item] = base
    return memo[code]


def final_scorecards_of_created(
    loader: type[ModelLoader],
    batches: Sequence[ImportBatch],
    finals: Sequence[FinalCycle],
) -> dict[int, StrOrPromise]:
    """Batches that created people, units or levels a final cycle scored (the app that
    scores registers how to find them: kaopei.imports.registry.register_final_use)."""
    if not finals or not batches:
        return {}
    reasons: dict[int, StrOrPromise] = {}
    for batch_id, code in final_uses_of_created(loader.model, batches):
        reasons.setdefault(batch_id, format_lazy(ROLLBACK_FINAL_PEOPLE, cycle=code))
    return reasons


# Optional text columns of a job level (its other language and its description).
LEVEL_TEXTS = ("name_en", "description", "description_en")


class JobLevelLoader(ModelLoader):
    kind = "job_levels"
    writes = ("org.joblevel",)
    model = JobLevel

    def check(self) -> None:
        existing = {level.code: level for level in JobLevel.objects.all()}
        for parsed in self.rows:
            code = parsed["code"]
            if not check_code(self, parsed.row, "code", code):
                continue
            values = {n: parsed[n] for n in ("name", "rank") if n in self.present}
            values.update({n: parsed[n] or "" for n in LEVEL_TEXTS if n in self.present})
            self.plan.append(
                self.plan_row(
                    parsed.row, existing.get(code), values, lambda c=code: JobLevel(code=c)
                )
            )

    def write(self) -> Counts:
        self.save_plan(self.plan, ["name", "rank", *(n for n in LEVEL_TEXTS if n in self.present)])
        return self.count()

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        return final_scorecards_of_created(cls, batches, finals)


class OrgUnitLoader(ModelLoader):
    kind = "org_units"
    writes = ("org.orgunit",)
    model = OrgUnit
    key = "code"
    references = {
        "parent_code": Reference(OrgUnit, "code", "unknown_org_unit", in_file=True),
    }

    def check(self) -> None:
        units = {u.code: u for u in OrgUnit.objects.select_related("parent")}
        in_file = {parsed["code"] for parsed in self.rows}
        parents: dict[str, str | None] = {
            code: (u.parent.code if u.parent is not None else None) for code, u in units.items()
        }
        good = []
        for parsed in self.rows:
            code, parent = parsed["code"], parsed["parent_code"]
            ok = check_code(self, parsed.row, "code", code)
            if parent is not None and parent not in units and parent not in in_file:
                self.errors.append(
                    loader_error(
                        "unknown_org_unit", row=parsed.row, column="parent_code", value=parent
                    )
                )
                ok = False
            parents[code] = parent
            if ok:
                good.append(parsed)
        for parsed in good:
            if loops(parents, parsed["code"]):
                self.errors.append(
                    loader_error(
                        "parent_loop", row=parsed.row, column="parent_code", value=parsed["code"]
                    )
                )
        if self.errors:
            return
        self.parents = parents
        memo: dict[str, int] = {}
        for parsed in good:
            code = parsed["code"]
            unit = units.get(code)
            values: dict[str, Any] = {"name": parsed["name"]}
            if "name_en" in self.present:
                values["name_en"] = parsed["name_en"] or ""
            parent_code = parsed["parent_code"]
            parent = units.get(parent_code) if parent_code else None
            if unit is not None:
                # A parent created by this file has no id yet: compare by code.
                old_parent = unit.parent.code if unit.parent is not None else None
                item = self.plan_row(parsed.row, unit, values, None)
                item.changed = item.changed or old_parent != parent_code
            else:
                depth = depth_of(parents, code, memo)
                kind = (
                    (OrgUnit.Kind.HQ, OrgUnit.Kind.BRANCH)[depth]
                    if depth < 2
                    else OrgUnit.Kind.TEAM
                )
                item = self.plan_row(
                    parsed.row, None, values, lambda c=code, k=kind: OrgUnit(code=c, kind=k)
                )
            item.obj.parent_id = parent.pk if parent is not None else None  # type: ignore[attr-defined]
            item.obj._parent_code = parent_code  # type: ignore[attr-defined]
            self.plan.append(item)

    def write(self) -> Counts:
        # Parents first: create level by level, resolving parents made by this file.
        ids = dict(OrgUnit.objects.values_list("code", "pk"))
        memo: dict[str, int] = {}
        created = sorted(
            (i for i in self.plan if i.created),
            key=lambda i: depth_of(self.parents, i.obj.code, memo),  # type: ignore[attr-defined]
        )
        by_depth: dict[int, list[Any]] = {}
        for item in created:
            by_depth.setdefault(memo[item.obj.code], []).append(item)  # type: ignore[attr-defined]
        for depth in sorted(by_depth):
            items = by_depth[depth]
            for item in items:
                code = item.obj._parent_code  # type: ignore[attr-defined]
                item.obj.parent_id = ids[code] if code else None  # type: ignore[attr-defined]
            self.save_plan(items, [])
            ids.update({i.obj.code: i.obj.pk for i in items})  # type: ignore[attr-defined]
        updated = [i for i in self.plan if not i.created]
        for item in updated:
            code = item.obj._parent_code  # type: ignore[attr-defined]
            item.obj.parent_id = ids[code] if code else None  # type: ignore[attr-defined]
        self.save_plan(
            updated, ["name", "parent", *(["name_en"] if "name_en" in self.present else [])]
        )
        return self.count()

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        return final_scorecards_of_created(cls, batches, finals)

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        cls.restore_updated(batch, user)
        # Children before their parents.
        units = list(cls.created_by(batch))
        parents = dict(OrgUnit.objects.values_list("code", "parent__code"))
        memo: dict[str, int] = {}
        units.sort(key=lambda u: depth_of(parents, u.code, memo), reverse=True)
        for unit in units:
            unit._history_user = user  # type: ignore[attr-defined]
            unit.delete()
