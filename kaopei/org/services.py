"""Writes of the organisation: units, people and their logins and roles, job levels and the
competency framework (DESIGN.md §3). Every rule lives here (STYLE.md item 3); a refused
request raises :class:`ApplicationError` whose ``errors`` may name the form field at fault
(``{"field": "supervisor"}``) so that pages can show the message next to it.

The audit history (django-simple-history) records who made each change; on a web request
its middleware supplies the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaopei.core import throttle
from kaopei.core.errors import ApplicationError
from kaopei.core.models import RevokeReason
from kaopei.core.roles import Role
from kaopei.core.services import api_tokens_revoke_for_user
from kaopei.org.models import (
    Competency,
    CompetencyAnchor,
    Employee,
    JobLevel,
    LevelExpectation,
    OrgUnit,
)
from kaopei.org.selectors import subordinate_ids, unit_descendant_ids

Actor = AbstractBaseUser | AnonymousUser | None

# Codes and employee numbers appear in URLs and import files: keep them to safe characters.
CODE_RE = re.compile(r"^[\w.\-]+$")
# Path segments that would be shadowed by fixed URLs such as ``/org/people/new/``.
RESERVED_CODES = {"new", "matrix"}
SCALE = range(1, 6)


def _field_error(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, errors=[{"field": field, "message": message}])


def _clean_code(code: str, *, field: str = "code") -> str:
    code = (code or "").strip()
    if not code or not CODE_RE.match(code):
        raise _field_error(
            _("Use only letters, digits, dots, hyphens and underscores, without spaces."), field
        )
    if code.lower() in RESERVED_CODES:
        raise _field_error(_("“%(code)s” is reserved; choose another.") % {"code": code}, field)
    return code


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise _field_error(_("The name cannot be blank."), "name")
    return name


# --- Org units ----------------------------------------------------------------------------


def _check_unit_parent(*, unit: OrgUnit | None, parent: OrgUnit | None) -> None:
    if parent is None:
        return
    if unit is not None and unit.pk is not None and parent.pk in unit_descendant_ids(unit.pk):
        raise _field_error(
            _("A unit cannot sit below itself or below one of its own sub-units."), "parent"
        )
    if not parent.active and (unit is None or unit.parent_id != parent.pk):
        raise _field_error(
            _("%(unit)s is inactive and cannot take new sub-units.") % {"unit": parent.name},
            "parent",
        )


def _check_unit_kind(kind: str) -> None:
    if kind not in OrgUnit.Kind.values:
        raise _field_error(_("Choose a valid kind of unit."), "kind")


@transaction.atomic
def org_unit_create(
    *,
    code: str,
    name: str,
    kind: str = OrgUnit.Kind.TEAM,
    parent: OrgUnit | None = None,
    name_en: str = "",
) -> OrgUnit:
    """Create an active org unit under ``parent`` (None for a root such as HQ).

    Raises ApplicationError for a malformed or taken code, a blank name, an unknown kind or an
    inactive parent.
    """
    code = _clean_code(code)
    name = _clean_name(name)
    _check_unit_kind(kind)
    if OrgUnit.objects.filter(code__iexact=code).exists():
        raise _field_error(
            _("An org unit with code %(code)s already exists.") % {"code": code}, "code"
        )
    _check_unit_parent(unit=None, parent=parent)
    return OrgUnit.objects.create(
        code=code, name=name, name_en=name_en.strip(), kind=kind, parent=parent
    )


@transaction.atomic
def org_unit_update(
    *, unit: OrgUnit, name: str, kind: str, parent: OrgUnit | None, name_en: str | None = None
) -> OrgUnit:
    """Rename, re-classify or move a unit. The code never changes (files refer to it).

    Raises ApplicationError for a blank name, an unknown kind, a parent that would make a
    cycle (the unit itself or one of its sub-units) or a newly chosen inactive parent.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    name = _clean_name(name)
    _check_unit_kind(kind)
    _check_unit_parent(unit=unit, parent=parent)
    unit.name = name
    if name_en is not None:
        unit.name_en = name_en.strip()
    unit.kind = kind
    unit.parent = parent
    unit.save()
    return unit


@transaction.atomic
def org_unit_deactivate(*, unit: OrgUnit) -> OrgUnit:
    """Mark a unit inactive. Refused while it still has active people or active sub-units."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.active:
        raise ApplicationError(_("%(unit)s is already inactive.") % {"unit": unit.local_name})
    people = Employee.objects.filter(org_unit=unit, active=True).count()
    units = OrgUnit.objects.filter(parent=unit, active=True).count()
    if people or units:
        raise ApplicationError(
            _(
                "%(unit)s cannot be deactivated while it still has active people (%(people)d) "
                "or active sub-units (%(units)d). Move or deactivate them first."
            )
            % {"unit": unit.local_name, "people": people, "units": units},
            status=409,
        )
    unit.active = False
    unit.save()
    return unit


# --- Employees, their logins and roles ---------------------------------------------------


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


# --- Job levels ---------------------------------------------------------------------------


def _check_rank(rank: int) -> None:
    if rank < 0:
        raise _field_error(_("The rank cannot be negative."), "rank")


@transaction.atomic
def job_level_create(
    *,
    code: str,
    name: str,
    rank: int,
    is_sales: bool = True,
    description: str = "",
    name_en: str = "",
    description_en: str = "",
) -> JobLevel:
    """Create a job level (a higher rank is more senior). Raises ApplicationError for a
    malformed or taken code, a blank name or a negative rank."""
    code = _clean_code(code)
    name = _clean_name(name)
    _check_rank(rank)
    if JobLevel.objects.filter(code__iexact=code).exists():
        raise _field_error(
            _("A job level with code %(code)s already exists.") % {"code": code}, "code"
        )
    return JobLevel.objects.create(
        code=code,
        name=name,
        name_en=name_en.strip(),
        rank=rank,
        is_sales=is_sales,
        description=description.strip(),
        description_en=description_en.strip(),
    )


@transaction.atomic
def job_level_update(
    *,
    level: JobLevel,
    name: str,
    rank: int,
    is_sales: bool,
    description: str,
    name_en: str | None = None,
    description_en: str | None = None,
) -> JobLevel:
    """Change a job level; its code never changes (files and templates refer to it). The
    English name and description change only when given."""
    level = JobLevel.objects.select_for_update().get(pk=level.pk)
    name = _clean_name(name)
    _check_rank(rank)
    level.name = name
    level.rank = rank
    level.is_sales = is_sales
    level.description = description.strip()
    if name_en is not None:
        level.name_en = name_en.strip()
    if description_en is not None:
        level.description_en = description_en.strip()
    level.save()
    return level


# --- Competencies and the competency matrix ------------------------------------------------


def _clean_anchors(anchors: Sequence[str]) -> list[str]:
    cleaned = [(a or "").strip() for a in anchors][: len(SCALE)]
    cleaned += [""] * (len(SCALE) - len(cleaned))
    missing = [point for point, text in zip(SCALE, cleaned, strict=True) if not text]
    if missing:
        raise ApplicationError(
            _("Describe the behaviour for every point of the 1–5 scale."),
            errors=[
                {"field": f"anchor_{p}", "message": _("Describe the behaviour at this point.")}
                for p in missing
            ],
        )
    return cleaned


def _optional_anchors(anchors: Sequence[str]) -> list[str]:
    """Up to five optional texts (the English anchors), padded with blanks."""
    cleaned = [(a or "").strip() for a in anchors][: len(SCALE)]
    return cleaned + [""] * (len(SCALE) - len(cleaned))


def _check_category(category: str) -> None:
    if category not in Competency.Category.values:
        raise _field_error(_("Choose a valid category."), "category")


@transaction.atomic
def competency_create(
    *,
    code: str,
    name: str,
    category: str,
    description: str = "",
    anchors: Sequence[str],
    name_en: str = "",
    description_en: str = "",
    anchors_en: Sequence[str] = (),
) -> Competency:
    """Create a competency with its five behaviour anchors (scale points 1 to 5, in order);
    the English texts (``anchors_en`` in the same order) are optional.

    Raises ApplicationError for a malformed or taken code, a blank name, an unknown category
    or a missing anchor.
    """
    code = _clean_code(code)
    name = _clean_name(name)
    _check_category(category)
    texts = _clean_anchors(anchors)
    if Competency.objects.filter(code__iexact=code).exists():
        raise _field_error(
            _("A competency with code %(code)s already exists.") % {"code": code}, "code"
        )
    texts_en = _optional_anchors(anchors_en)
    competency = Competency.objects.create(
        code=code,
        name=name,
        name_en=name_en.strip(),
        category=category,
        description=description.strip(),
        description_en=description_en.strip(),
    )
    CompetencyAnchor.objects.bulk_create(
        [
            CompetencyAnchor(competency=competency, level=i, behaviour=t, behaviour_en=e)
            for i, t, e in zip(SCALE, texts, texts_en, strict=True)
        ]
    )
    return competency


@transaction.atomic
def competency_update(
    *,
    competency: Competency,
    name: str,
    category: str,
    description: str,
    active: bool,
    anchors: Sequence[str],
    name_en: str | None = None,
    description_en: str | None = None,
    anchors_en: Sequence[str] | None = None,
) -> Competency:
    """Change a competency and replace its five anchors. The code never changes; the English
    texts change only when given."""
    competency = Competency.objects.select_for_update().get(pk=competency.pk)
    name = _clean_name(name)
    _check_category(category)
    texts = _clean_anchors(anchors)
    competency.name = name
    competency.category = category
    competency.description = description.strip()
    if name_en is not None:
        competency.name_en = name_en.strip()
    if description_en is not None:
        competency.description_en = description_en.strip()
    competency.active = active
    competency.save()
    existing = {a.level: a for a in CompetencyAnchor.objects.filter(competency=competency)}
    texts_en: list[str | None] = (
        list(_optional_anchors(anchors_en)) if anchors_en is not None else [None] * len(SCALE)
    )
    for point, text, text_en in zip(SCALE, texts, texts_en, strict=True):
        anchor = existing.get(point)
        if anchor is None:
            CompetencyAnchor.objects.create(
                competency=competency, level=point, behaviour=text, behaviour_en=text_en or ""
            )
        elif anchor.behaviour != text or (text_en is not None and anchor.behaviour_en != text_en):
            anchor.behaviour = text
            if text_en is not None:
                anchor.behaviour_en = text_en
            anchor.save(update_fields=["behaviour", "behaviour_en"])
    return competency


@transaction.atomic
def level_expectations_set(*, cells: Mapping[tuple[int, int], int | None]) -> int:
    """Write cells of the competency matrix: ``{(level_id, competency_id): expected}``.

    ``expected`` is 1–5, or None to remove the expectation. Cells not in ``cells`` are left
    alone. Returns how many cells changed; a constant number of queries however many cells
    (history is recorded in bulk). Raises ApplicationError for a value outside 1–5 or an
    unknown level or competency, writing nothing.
    """
    for value in cells.values():
        if value is not None and value not in SCALE:
            raise ApplicationError(_("Expected levels run from 1 to 5."))
    level_ids = {lvl for lvl, _c in cells}
    competency_ids = {c for _lvl, c in cells}
    if JobLevel.objects.filter(pk__in=level_ids).count() != len(level_ids) or (
        Competency.objects.filter(pk__in=competency_ids).count() != len(competency_ids)
    ):
        raise ApplicationError(
            _("The matrix refers to a job level or competency that no longer exists.")
        )
    existing = {
        (x.level_id, x.competency_id): x
        for x in LevelExpectation.objects.filter(
            level_id__in=level_ids, competency_id__in=competency_ids
        )
    }
    to_create: list[LevelExpectation] = []
    to_update: list[LevelExpectation] = []
    to_delete: list[int] = []
    for (level_id, competency_id), value in cells.items():
        current = existing.get((level_id, competency_id))
        if value is None:
            if current is not None:
                to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                LevelExpectation(level_id=level_id, competency_id=competency_id, expected=value)
            )
        elif current.expected != value:
            current.expected = value
            to_update.append(current)
    if to_create:
        bulk_create_with_history(to_create, LevelExpectation)
    if to_update:
        bulk_update_with_history(to_update, LevelExpectation, ["expected"])
    if to_delete:
        # QuerySet.delete() sends post_delete per object, so the history records deletions.
        LevelExpectation.objects.filter(pk__in=to_delete).delete()
    return len(to_create) + len(to_update) + len(to_delete)
