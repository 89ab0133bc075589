"""Employees, their logins, roles and passwords."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaopei.core import throttle
from kaopei.core.errors import ApplicationError
from kaopei.core.models import RevokeReason
from kaopei.core.roles import Role
from kaopei.core.services import api_tokens_revoke_for_user
from kaopei.org.models import (
    Employee,
    JobLevel,
    OrgUnit,
)
from kaopei.org.selectors import subordinate_ids
from kaopei.org.services.common import (
    Actor,
    _clean_code,
    _clean_name,
    _field_error,
)


def _check_supervisor(*, employee: Employee | None, supervisor: Employee | None) -> None:
    if supervisor is None:
        return
    if employee is not None and employee.pk is not None:
        if supervisor.pk == employee.pk:
            raise _field_error(_("Nobody can be their own supervisor."), "supervisor")
        if supervisor.pk in subordinate_ids(employee.pk):
            raise _field_error(
                _(
                    "%(supervisor)s reports to %(employee)s, directly or indirectly, so cannot "
                    "be their supervisor."
                )
                % {"supervisor": supervisor.name, "employee": employee.name},
                "supervisor",
            )
    if not supervisor.active and (employee is None or employee.supervisor_id != supervisor.pk):
        raise _field_error(
            _("%(name)s has left and cannot be a supervisor.") % {"name": supervisor.name},
            "supervisor",
        )


def _check_unit_for_people(*, employee: Employee | None, unit: OrgUnit) -> None:
    if not unit.active and (employee is None or employee.org_unit_id != unit.pk):
        raise _field_error(
            _("%(unit)s is inactive and cannot take new people.") % {"unit": unit.local_name},
            "org_unit",
        )


def _check_dates(*, hire_date: date | None, left_on: date | None) -> None:
    if hire_date and left_on and left_on < hire_date:
        raise _field_error(_("The leaving date cannot be before the hire date."), "left_on")


def _login_for(*, username: str, email: str, active: bool, employee: Employee | None) -> User:
    """An unused login named ``username``: an existing one that no other employee holds (an
    account made in the admin, say), or a new one that cannot sign in until HR sets a
    password."""
    user = User._default_manager.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
    else:
        others = Employee.objects.filter(user=user)
        if employee is not None:
            others = others.exclude(pk=employee.pk)
        if others.exists():
            raise ApplicationError(
                _("The login %(username)s already belongs to another employee.")
                % {"username": username}
            )
    user.email = email
    user.is_active = active
    user.save()
    return user


def _ensure_login(employee: Employee) -> User:
    """The employee's login, created on first need (username = employee number)."""
    if employee.user is not None:
        return employee.user
    employee.user = _login_for(
        username=employee.employee_no,
        email=employee.email,
        active=employee.active,
        employee=employee,
    )
    employee.save(update_fields=["user", "updated_at"])
    return employee.user


def _is_self(actor: Actor, employee: Employee) -> bool:
    return (
        actor is not None
        and actor.is_authenticated
        and employee.user_id is not None
        and actor.pk == employee.user_id
    )


@transaction.atomic
def employee_create(
    *,
    employee_no: str,
    name: str,
    org_unit: OrgUnit,
    level: JobLevel | None = None,
    supervisor: Employee | None = None,
    email: str = "",
    hire_date: date | None = None,
    roles: Iterable[str] = (),
    password: str = "",
) -> Employee:
    """Create an active employee with a login (username = employee number) and roles.

    Without ``password`` the login cannot sign in until HR sets one. Raises ApplicationError
    for a malformed or taken employee number, a blank name, an inactive unit or supervisor,
    an unknown role or a password the validators refuse.
    """
    employee_no = _clean_code(employee_no, field="employee_no")
    name = _clean_name(name)
    if Employee.objects.filter(employee_no__iexact=employee_no).exists():
        raise _field_error(
            _("Employee number %(no)s is already taken.") % {"no": employee_no}, "employee_no"
        )
    _check_unit_for_people(employee=None, unit=org_unit)
    _check_supervisor(employee=None, supervisor=supervisor)
    email = (email or "").strip()
    user = _login_for(username=employee_no, email=email, active=True, employee=None)
    employee = Employee.objects.create(
        employee_no=employee_no,
        name=name,
        org_unit=org_unit,
        level=level,
        supervisor=supervisor,
        email=email,
        hire_date=hire_date,
        user=user,
    )
    employee_set_roles(employee=employee, roles=roles)
    if password:
        employee_set_password(employee=employee, password=password)
    return employee


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    name: str,
    org_unit: OrgUnit,
    level: JobLevel | None,
    supervisor: Employee | None,
    email: str,
    hire_date: date | None,
    left_on: date | None,
    roles: Iterable[str] | None = None,
    actor: Actor = None,
) -> Employee:
    """Change an employee's details and, when ``roles`` is given, their roles.

    The employee number never changes. Raises ApplicationError when the supervisor is the
    employee or one of their reports (a cycle), when ``left_on`` is before ``hire_date``, for
    a newly chosen inactive unit or supervisor, and for the role rules of
    :func:`employee_set_roles`.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=employee.pk)
    )
    name = _clean_name(name)
    _check_unit_for_people(employee=employee, unit=org_unit)
    _check_supervisor(employee=employee, supervisor=supervisor)
    _check_dates(hire_date=hire_date, left_on=left_on)
    employee.name = name
    employee.org_unit = org_unit
    employee.level = level
    employee.supervisor = supervisor
    employee.email = (email or "").strip()
    employee.hire_date = hire_date
    employee.left_on = left_on
    employee.save()
    if employee.user is not None and employee.user.email != employee.email:
        employee.user.email = employee.email
        employee.user.save(update_fields=["email"])
    if roles is not None:
        employee_set_roles(employee=employee, roles=roles, actor=actor)
    return employee


@transaction.atomic
def employee_deactivate(
    *, employee: Employee, left_on: date | None = None, actor: Actor = None
) -> Employee:
    """Record that an employee has left: inactive, ``left_on`` (default today), login disabled.

    Their reports keep them as supervisor until HR assigns someone else. Raises
    ApplicationError when they have already left, when ``left_on`` is before their hire
    date, or when HR admins try to deactivate themselves.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=employee.pk)
    )
    if not employee.active:
        raise ApplicationError(_("%(name)s has already left.") % {"name": employee.name})
    if _is_self(actor, employee):
        raise ApplicationError(_("You cannot deactivate yourself."))
    left_on = left_on or timezone.localdate()
    _check_dates(hire_date=employee.hire_date, left_on=left_on)
    employee.active = False
    employee.left_on = left_on
    employee.save()
    if employee.user is not None:
        employee.user.is_active = False
        employee.user.save(update_fields=["is_active"])
    return employee


@transaction.atomic
def employee_set_roles(
    *, employee: Employee, roles: Iterable[str], actor: Actor = None
) -> set[Role]:
    """Give an employee exactly ``roles`` (role names; groups of the same name).

    Other, non-role groups of the login are kept. Creates the login when missing. Raises
    ApplicationError for an unknown role, or when HR admins would remove their own HR admin
    role (they could not undo it).
    """
    wanted: set[Role] = set()
    for name in roles:
        try:
            wanted.add(Role(str(name)))
        except ValueError:
            raise _field_error(_("Unknown role: %(role)s.") % {"role": name}, "roles") from None
    user = _ensure_login(employee)
    groups = user.groups
    current = {Role(n) for n in groups.filter(name__in=Role).values_list("name", flat=True)}
    if _is_self(actor, employee) and Role.HR_ADMIN in current and Role.HR_ADMIN not in wanted:
        raise _field_error(_("You cannot remove your own HR admin role."), "roles")
    role_groups = {g.name: g for g in Group.objects.filter(name__in=Role)}
    for role in Role:
        if role.value not in role_groups:
            role_groups[role.value] = Group.objects.create(name=role.value)
    groups.remove(*[role_groups[r.value] for r in current - wanted])
    groups.add(*[role_groups[r.value] for r in wanted - current])
    if hasattr(user, "_kaopei_roles"):
        del user._kaopei_roles
    return wanted


@transaction.atomic
def employee_set_password(*, employee: Employee, password: str, actor: Actor = None) -> None:
    """Set or reset an employee's password, creating their login when missing.

    The password must pass Django's password validators (settings.AUTH_PASSWORD_VALIDATORS);
    otherwise ApplicationError lists every validator's message in ``errors``. A reset revokes
    every API token of the person (recording ``actor`` as who revoked them) and lifts a
    sign-in lock on the account, so that the new password works at once.
    """
    user = _ensure_login(employee)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(
            _("The password was not accepted."),
            errors=[{"field": "password1", "message": m} for m in exc.messages],
        ) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    api_tokens_revoke_for_user(user=user, actor=actor, reason=RevokeReason.PASSWORD_RESET)
    throttle.account_clear(username=user.get_username())
