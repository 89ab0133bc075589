"""Organisation endpoints; the same visibility rules as the pages."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import HttpRequest
from ninja import PathEx, QueryEx, Router, Schema

from kaopei.core.api import ERRORS
from kaopei.core.api_params import MAX_SEARCH, limit_param, offset_param, text_param
from kaopei.core.roles import user_roles
from kaopei.org.selectors import (
    employee_for_user,
    employee_get_for_user,
    employee_list_visible_to,
    unit_list_visible_to,
)

router = Router(tags=["organisation"])


class EmployeeOut(Schema):
    employee_no: str
    name: str
    org_unit: str
    level: str | None
    supervisor_no: str | None
    email: str
    hire_date: date | None
    left_on: date | None
    active: bool


class MeOut(Schema):
    username: str
    roles: list[str]
    employee: EmployeeOut | None


class UnitOut(Schema):
    code: str
    name: str
    parent_code: str | None
    kind: str
    active: bool


class EmployeePage(Schema):
    count: int
    items: list[EmployeeOut]


def _employee_out(e) -> EmployeeOut:  # type: ignore[no-untyped-def]
    return EmployeeOut(
        employee_no=e.employee_no,
        name=e.name,
        org_unit=e.org_unit.code,
        level=e.level.code if e.level else None,
        supervisor_no=e.supervisor.employee_no if e.supervisor else None,
        email=e.email,
        hire_date=e.hire_date,
        left_on=e.left_on,
        active=e.active,
    )


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> MeOut:
    employee = employee_for_user(request.user)
    return MeOut(
        username=request.user.get_username(),
        roles=sorted(r.value for r in user_roles(request.user)),
        employee=_employee_out(employee) if employee else None,
    )


@router.get("/employees", response={200: EmployeePage, **ERRORS})
def employees(
    request: HttpRequest,
    q: QueryEx[str, text_param(MAX_SEARCH, "Part of a name or an employee number.")] = "",
    unit: QueryEx[str, text_param(40, "An org unit code.")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> EmployeePage:
    qs = employee_list_visible_to(user=request.user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    if unit:
        qs = qs.filter(org_unit__code=unit)
    return EmployeePage(
        count=qs.count(), items=[_employee_out(e) for e in qs[offset : offset + limit]]
    )


@router.get("/employees/{employee_no}", response={200: EmployeeOut, **ERRORS})
def employee(request: HttpRequest, employee_no: PathEx[str, text_param(40)]) -> EmployeeOut:
    return _employee_out(employee_get_for_user(user=request.user, employee_no=employee_no))


@router.get("/org-units", response={200: list[UnitOut], **ERRORS})
def org_units(request: HttpRequest) -> list[UnitOut]:
    units = unit_list_visible_to(user=request.user).select_related("parent")
    return [
        UnitOut(
            code=u.code,
            name=u.name,
            parent_code=u.parent.code if u.parent else None,
            kind=u.kind,
            active=u.active,
        )
        for u in units
    ]
