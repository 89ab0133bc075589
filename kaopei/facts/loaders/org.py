"""Loaders of the organisation kinds: ``job_levels``, ``org_units`` and ``employees``
(DESIGN.md §3, §4.2 ⚑).

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

from django.contrib.auth.models import Group, User
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.core.roles import Role
from kaopei.facts.models import BatchChange, ImportBatch
from kaopei.org.models import Employee, JobLevel, OrgUnit

from .base import Counts, FinalCycle, loader_error
from .models import ModelLoader

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
    field: str,
    batches: Sequence[ImportBatch],
    finals: Sequence[FinalCycle],
) -> dict[int, StrOrPromise]:
    """Batches that created people, units or levels a final cycle scored (one query)."""
    from kaopei.assessment.models import Cycle, Scorecard

    if not finals or not batches:
        return {}
    ids = [b.pk for b in batches]
    label = loader.model._meta.label_lower
    created = loader.model._default_manager.filter(import_batch__in=ids).exclude(
        pk__in=BatchChange.objects.filter(batch__in=ids, model=label).values("object_id")
    )
    found = (
        Scorecard.objects.filter(cycle__status=Cycle.Status.FINAL, **{f"{field}__in": created})
        .order_by()
        .values_list(f"{field}__import_batch", "cycle__code")
    )
    reasons: dict[int, StrOrPromise] = {}
    for batch_id, code in found:
        reasons.setdefault(batch_id, format_lazy(ROLLBACK_FINAL_PEOPLE, cycle=code))
    return reasons


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
            self.plan.append(
                self.plan_row(
                    parsed.row, existing.get(code), values, lambda c=code: JobLevel(code=c)
                )
            )

    def write(self) -> Counts:
        self.save_plan(self.plan, ["name", "rank"])
        return self.count()

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        return final_scorecards_of_created(cls, "level", batches, finals)


class OrgUnitLoader(ModelLoader):
    kind = "org_units"
    writes = ("org.orgunit",)
    model = OrgUnit

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
        self.save_plan(updated, ["name", "parent"])
        return self.count()

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        return final_scorecards_of_created(cls, "org_unit", batches, finals)

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


EMPLOYEE_FIELDS = {
    "name": "name",
    "email": "email",
    "hire_date": "hire_date",
    "left_on": "left_on",
    "active": "active",
}


class EmployeeLoader(ModelLoader):
    kind = "employees"
    writes = ("org.employee",)
    model = Employee

    def check(self) -> None:
        units = {
            code: (pk, active)
            for code, pk, active in OrgUnit.objects.values_list("code", "pk", "active")
        }
        levels = dict(JobLevel.objects.values_list("code", "pk"))
        people = {e.employee_no: e for e in Employee.objects.select_related("supervisor")}
        in_file = {parsed["employee_no"] for parsed in self.rows}
        supervisors: dict[str, str | None] = {
            no: (e.supervisor.employee_no if e.supervisor is not None else None)
            for no, e in people.items()
        }
        has_supervisor = "supervisor_no" in self.present
        good = []
        for parsed in self.rows:
            row, no = parsed.row, parsed["employee_no"]
            ok = check_code(self, row, "employee_no", no)
            unit = units.get(parsed["org_unit"])
            if unit is None:
                self.errors.append(
                    loader_error(
                        "unknown_org_unit", row=row, column="org_unit", value=parsed["org_unit"]
                    )
                )
                ok = False
            else:
                person = people.get(no)
                if not unit[1] and (person is None or person.org_unit_id != unit[0]):
                    self.errors.append(
                        loader_error(
                            "org_unit_inactive",
                            row=row,
                            column="org_unit",
                            value=parsed["org_unit"],
                        )
                    )
                    ok = False
            if parsed["level"] not in levels:
                self.errors.append(
                    loader_error("unknown_level", row=row, column="level", value=parsed["level"])
                )
                ok = False
            if has_supervisor:
                boss = parsed["supervisor_no"]
                if boss is not None and boss not in people and boss not in in_file:
                    self.errors.append(
                        loader_error(
                            "unknown_employee", row=row, column="supervisor_no", value=boss
                        )
                    )
                    ok = False
                supervisors[no] = boss
            if ok:
                good.append(parsed)
        if has_supervisor:
            for parsed in good:
                if parsed["supervisor_no"] is not None and loops(
                    supervisors, parsed["employee_no"]
                ):
                    self.errors.append(
                        loader_error(
                            "supervisor_loop",
                            row=parsed.row,
                            column="supervisor_no",
                            value=parsed["employee_no"],
                        )
                    )
        self._check_logins(good, people)
        if self.errors:
            return
        self.supervisors = supervisors
        roles = self._current_roles(people.values()) if "roles" in self.present else {}
        for parsed in good:
            no = parsed["employee_no"]
            person = people.get(no)
            values: dict[str, Any] = {
                "org_unit_id": units[parsed["org_unit"]][0],
                "level_id": levels[parsed["level"]],
            }
            for column, attname in EMPLOYEE_FIELDS.items():
                if column in self.present:
                    value = parsed[column]
                    values[attname] = "" if value is None and attname == "email" else value
            if person is None:
                item = self.plan_row(parsed.row, None, values, lambda n=no: Employee(employee_no=n))
            else:
                item = self.plan_row(parsed.row, person, values, None)
                item.before["roles"] = sorted(roles.get(person.user_id or 0, set()))
            if has_supervisor:
                boss = parsed["supervisor_no"]
                old = person.supervisor.employee_no if person and person.supervisor else None
                item.changed = item.changed or (person is not None and old != boss)
                item.obj._supervisor_no = boss  # type: ignore[attr-defined]
            if "roles" in self.present:
                wanted = set(parsed["roles"] or ())
                item.obj._roles = wanted  # type: ignore[attr-defined]
                if person is not None and roles.get(person.user_id or 0, set()) != wanted:
                    item.changed = True
            self.plan.append(item)

    def _check_logins(self, rows: list[Any], people: Mapping[str, Employee]) -> None:
        """A new employee's login is ``employee_no``; a login of another employee is taken."""
        new = [
            p
            for p in rows
            if p["employee_no"] not in people or people[p["employee_no"]].user_id is None
        ]
        if not new:
            return
        users = dict(
            User.objects.filter(username__in=[p["employee_no"] for p in new]).values_list(
                "username", "pk"
            )
        )
        owners = dict(
            Employee.objects.filter(user_id__in=users.values()).values_list(
                "user_id", "employee_no"
            )
        )
        for parsed in new:
            user_id = users.get(parsed["employee_no"])
            if (
                user_id is not None
                and owners.get(user_id, parsed["employee_no"]) != parsed["employee_no"]
            ):
                self.errors.append(
                    loader_error(
                        "login_taken",
                        row=parsed.row,
                        column="employee_no",
                        value=parsed["employee_no"],
                    )
                )

    @staticmethod
    def _current_roles(people: Any) -> dict[int, set[str]]:
        ids = [p.user_id for p in people if p.user_id is not None]
        through = User.groups.through
        roles: dict[int, set[str]] = {}
        rows = through.objects.filter(user_id__in=ids, group__name__in=list(Role)).values_list(
            "user_id", "group__name"
        )
        for user_id, name in rows:
            roles.setdefault(user_id, set()).add(name)
        return roles

    def write(self) -> Counts:
        ids = dict(Employee.objects.values_list("employee_no", "pk"))
        self._ensure_logins()
        memo: dict[str, int] = {}
        created = [i for i in self.plan if i.created]
        new_nos = {i.obj.employee_no for i in created}  # type: ignore[attr-defined]
        # Supervisors first: depth counts only supervisors created by this file.
        chain = {
            no: (boss if boss in new_nos else None)
            for no, boss in getattr(self, "supervisors", {}).items()
            if no in new_nos
        }
        by_depth: dict[int, list[Any]] = {}
        for item in created:
            by_depth.setdefault(depth_of(chain, item.obj.employee_no, memo), []).append(item)  # type: ignore[attr-defined]
        for depth in sorted(by_depth):
            items = by_depth[depth]
            for item in items:
                self._set_supervisor(item.obj, ids)
            self.save_plan(items, [])
            ids.update({i.obj.employee_no: i.obj.pk for i in items})  # type: ignore[attr-defined]
        updated = [i for i in self.plan if not i.created]
        for item in updated:
            self._set_supervisor(item.obj, ids)
        fields = [
            "org_unit",
            "level",
            "user",
            *(EMPLOYEE_FIELDS[c] for c in EMPLOYEE_FIELDS if c in self.present),
        ]
        if "supervisor_no" in self.present:
            fields.append("supervisor")
        self.save_plan(updated, fields)
        self._sync_logins([i for i in self.plan if i.changed])
        if "roles" in self.present:
            self._set_roles([i.obj for i in self.plan if i.changed])
        return self.count()

    @staticmethod
    def _set_supervisor(obj: Any, ids: Mapping[str, int]) -> None:
        if hasattr(obj, "_supervisor_no"):
            boss = obj._supervisor_no
            obj.supervisor_id = ids[boss] if boss is not None else None

    def _ensure_logins(self) -> None:
        """Every created or changed employee has a login named after their number."""
        lacking: list[Any] = [i.obj for i in self.plan if i.changed and i.obj.user_id is None]
        if not lacking:
            return
        existing = {
            u.username: u
            for u in User.objects.filter(username__in=[e.employee_no for e in lacking])
        }
        fresh = []
        for employee in lacking:
            user = existing.get(employee.employee_no)
            if user is None:
                user = User(
                    username=employee.employee_no,
                    email=employee.email or "",
                    is_active=bool(employee.active),
                )
                user.set_unusable_password()
                fresh.append(user)
                existing[user.username] = user
        User.objects.bulk_create(fresh, batch_size=1000)
        if fresh and fresh[0].pk is None:  # a backend that does not return ids
            existing.update(
                {
                    u.username: u
                    for u in User.objects.filter(username__in=[u.username for u in fresh])
                }
            )
        for employee in lacking:
            employee.user_id = existing[employee.employee_no].pk

    def _sync_logins(self, items: list[Any]) -> None:
        """A login follows its employee's e-mail and whether they are still employed."""
        people = [i.obj for i in items if i.obj.user_id is not None]
        users = User.objects.in_bulk([p.user_id for p in people])
        changed = []
        for person in people:
            user = users.get(person.user_id)
            if user is None:
                continue
            email, active = person.email or "", bool(person.active)
            if user.email != email or user.is_active != active:
                user.email, user.is_active = email, active
                changed.append(user)
        User.objects.bulk_update(changed, ["email", "is_active"], batch_size=1000)

    @staticmethod
    def _set_roles(people: list[Any]) -> None:
        set_roles({p.user_id: getattr(p, "_roles", set()) for p in people if p.user_id})

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        return final_scorecards_of_created(cls, "employee", batches, finals)

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        restored = cls.restore_updated(batch, user)
        set_roles(
            {
                obj.user_id: set(before.get("roles", ()))  # type: ignore[attr-defined]
                for obj, before in restored
                if obj.user_id is not None and "roles" in before  # type: ignore[attr-defined]
            }
        )
        created = list(cls.created_by(batch).select_related("user"))
        logins = [
            e.user
            for e in created
            if e.user is not None and e.user.last_login is None and not e.user.has_usable_password()
        ]
        # Reports of a removed employee lose that supervisor (SET_NULL, as on the pages).
        for employee in created:
            employee._history_user = user  # type: ignore[attr-defined]
            employee.delete()
        User.objects.filter(pk__in=[u.pk for u in logins]).delete()


def set_roles(wanted: Mapping[int, set[str]]) -> None:
    """Give each login (by user id) exactly the role groups named; other groups stay."""
    if not wanted:
        return
    groups = {g.name: g for g in Group.objects.filter(name__in=list(Role))}
    for role in Role:
        if role.value not in groups:
            groups[role.value] = Group.objects.create(name=role.value)
    through = User.groups.through
    role_ids = [g.pk for g in groups.values()]
    through.objects.filter(user_id__in=list(wanted), group_id__in=role_ids).delete()
    through.objects.bulk_create(
        [
            through(user_id=user_id, group_id=groups[name].pk)
            for user_id, names in wanted.items()
            for name in sorted(names)
        ],
        batch_size=1000,
    )


ORG_LOADERS: dict[str, type[ModelLoader]] = {
    loader.kind: loader for loader in (JobLevelLoader, OrgUnitLoader, EmployeeLoader)
}
