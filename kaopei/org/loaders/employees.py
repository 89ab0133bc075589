"""The ``employees`` loader (DESIGN.md §3, §4.2 ⚑): people, their logins and their roles.

Every imported employee gets a login named after the employee number that cannot sign in
until HR sets a password; the ``roles`` column, when present, sets exactly those roles
(groups). ``supervisor_no`` may name someone anywhere in the same file; supervisors are
created first and a chain that loops back is a row error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, User

from kaopei.core.roles import Role
from kaopei.imports.loaders.base import Counts, FinalCycle, Reference, loader_error
from kaopei.imports.loaders.models import ModelLoader
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Employee, JobLevel, OrgUnit

from .units import check_code, depth_of, final_scorecards_of_created, loops

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
    key = "employee_no"
    references = {
        "org_unit": Reference(OrgUnit, "code", "unknown_org_unit"),
        "level": Reference(JobLevel, "code", "unknown_level"),
        "supervisor_no": Reference(Employee, "employee_no", "unknown_employee", in_file=True),
    }

    def check(self) -> None:
        units = {
            code: (pk, active)
            for code, pk, active in OrgUnit.objects.values_list("code", "pk", "active")
        }
        levels = dict(JobLevel.objects.values_list("code", "pk"))
        in_file = {parsed["employee_no"] for parsed in self.rows}
        # Everyone's supervisor (for loops), but model instances only for the file's people.
        supervisors: dict[str, str | None] = dict(
            Employee.objects.values_list("employee_no", "supervisor__employee_no")
        )
        people: dict[str, Employee] = {}
        numbers = sorted(in_file & supervisors.keys())
        for start in range(0, len(numbers), 5000):
            found = Employee.objects.filter(employee_no__in=numbers[start : start + 5000])
            people.update((e.employee_no, e) for e in found.select_related("supervisor"))
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
                if boss is not None and boss not in supervisors and boss not in in_file:
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
        return final_scorecards_of_created(cls, batches, finals)

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
