"""Organisation pages: the unit tree, people, profiles, job levels and the competency framework.

Views stay thin (STYLE.md item 3): check the role with ``rules``, fetch through a selector
(which scopes and 404s), call one service, render. Login is required by middleware.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.roles import user_roles
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.org import services
from kaopei.org.forms import (
    CompetencyForm,
    EmployeeDeactivateForm,
    EmployeeFilterForm,
    EmployeeForm,
    JobLevelForm,
    MatrixForm,
    OrgUnitForm,
    SetPasswordForm,
)
from kaopei.org.rules import can_browse_org, can_manage_org, can_see_audit_history
from kaopei.org.selectors import (
    competency_expectations,
    competency_get,
    competency_inactive_list,
    competency_matrix_get,
    employee_direct_reports,
    employee_for_user,
    employee_get_for_user,
    employee_history,
    employee_roles,
    employee_search,
    employee_supervisor_chain,
    job_level_get,
    job_level_list_with_headcount,
    level_expectations_for,
    unit_active_contents,
    unit_get_for_user,
    unit_list_visible_to,
    unit_people_visible_to,
    unit_tree_for_user,
)

PEOPLE_PER_PAGE = 50
GET_POST = require_http_methods(["GET", "POST"])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _show_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal next to the field it names, else at the top of the form."""
    placed = False
    for error in exc.errors:
        field = error.get("field")
        if field in form.fields:
            form.add_error(field, str(error.get("message", exc.message)))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


# --- Org units ----------------------------------------------------------------------------


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The org-unit tree with head-counts: HR admins and executives see all of it,
    supervisors the units of the people in their scope."""
    _require(can_browse_org(request.user))
    show_inactive = request.GET.get("inactive") == "1"
    tree = unit_tree_for_user(user=request.user, include_inactive=show_inactive)
    return render(
        request,
        "org/unit_tree.html",
        {
            "tree": tree,
            "show_inactive": show_inactive,
            "can_manage": can_manage_org(request.user),
        },
    )


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: its sub-units with head-counts and the people in it (within scope)."""
    _require(can_browse_org(request.user))
    unit = unit_get_for_user(user=request.user, code=code)
    tree = unit_tree_for_user(user=request.user)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "node": tree.nodes[unit.pk],
            "people": unit_people_visible_to(user=request.user, unit=unit),
            "can_manage": can_manage_org(request.user),
        },
    )


@GET_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    _require(can_manage_org(request.user))
    parent = None
    if request.GET.get("parent"):
        parent = unit_list_visible_to(user=request.user).filter(code=request.GET["parent"]).first()
    form = OrgUnitForm(request.POST or None, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.org_unit_create(
                code=data["code"],
                name=data["name"],
                name_en=data["name_en"],
                kind=data["kind"],
                parent=data["parent"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Org unit %(name)s created.") % {"name": unit.local_name})
            return redirect("org:unit_detail", code=unit.code)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@GET_POST
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require(can_manage_org(request.user))
    unit = unit_get_for_user(user=request.user, code=code)
    form = OrgUnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.org_unit_update(
                unit=unit,
                name=data["name"],
                name_en=data["name_en"],
                kind=data["kind"],
                parent=data["parent"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Org unit %(name)s saved.") % {"name": unit.local_name})
            return redirect("org:unit_detail", code=unit.code)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@GET_POST
def unit_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    """GET asks for confirmation (and says what stands in the way); POST deactivates."""
    _require(can_manage_org(request.user))
    unit = unit_get_for_user(user=request.user, code=code)
    if request.method == "POST":
        try:
            services.org_unit_deactivate(unit=unit)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("Org unit %(name)s deactivated.") % {"name": unit.local_name}
            )
        return redirect("org:unit_detail", code=unit.code)
    people, units = unit_active_contents(unit=unit)
    return render(
        request,
        "org/unit_deactivate.html",
        {"unit": unit, "active_people": people, "active_units": units},
    )


# --- People -------------------------------------------------------------------------------


PEOPLE_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("org_unit_code", gettext_lazy("Unit code")),
    Column("org_unit", gettext_lazy("Org unit")),
    Column("level", gettext_lazy("Job level")),
    Column("supervisor_no", gettext_lazy("Supervisor's employee number")),
    Column("email", gettext_lazy("Email")),
    Column("hire_date", gettext_lazy("Hire date"), "date"),
    Column("left_on", gettext_lazy("Left on"), "date"),
    Column("active", gettext_lazy("Active")),
)


def employee_list(request: HttpRequest) -> HttpResponse:
    """Everyone in the user's scope, searchable and filtered; 50 a page. On an htmx request
    only the results are rendered."""
    _require(can_browse_org(request.user))
    units = unit_list_visible_to(user=request.user).order_by("code")
    form = EmployeeFilterForm(request.GET, units=units)
    people = employee_search(
        user=request.user,
        q=form.value("q", ""),
        unit=form.value("unit"),
        level=form.value("level"),
        status=form.value("status", "active"),
        role=form.value("role", ""),
    )
    fmt = export_format(request)
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=PEOPLE_COLUMNS,
            rows=(
                {
                    "employee_no": e.employee_no,
                    "name": e.name,
                    "org_unit_code": e.org_unit.code if e.org_unit else "",
                    "org_unit": e.org_unit.local_name if e.org_unit else "",
                    "level": e.level.code if e.level else "",
                    "supervisor_no": e.supervisor.employee_no if e.supervisor else "",
                    "email": e.email,
                    "hire_date": e.hire_date,
                    "left_on": e.left_on,
                    "active": _("yes") if e.active else _("no"),
                }
                for e in people.select_related("org_unit", "level", "supervisor")
            ),
            fmt=fmt,
            name="people",
        )
    page = paginate(request, people, PEOPLE_PER_PAGE)
    query_string, filtered = list_filters(request)
    context: dict[str, Any] = {
        "form": form,
        "page_obj": page,
        "query_string": query_string,
        "filtered": filtered,
        "can_manage": can_manage_org(request.user),
    }
    return render_list(request, "org/employee_list.html", context)


def employee_detail(request: HttpRequest, employee_no: str) -> HttpResponse:
    """A person's profile. HR/executives: anyone; supervisors: themself and everyone below
    them; others: themself. Anyone else gets a 404."""
    employee = employee_get_for_user(user=request.user, employee_no=employee_no)
    history = None
    if can_see_audit_history(request.user):
        history = employee_history(user=request.user, employee=employee)
    return render(
        request,
        "org/employee_detail.html",
        {
            "employee": employee,
            "chain": employee_supervisor_chain(user=request.user, employee=employee),
            "reports": employee_direct_reports(user=request.user, employee=employee),
            "roles": employee_roles(employee),
            "expectations": level_expectations_for(employee.level),
            "history": history,
            "can_browse": can_browse_org(request.user),
            "can_manage": can_manage_org(request.user),
            "is_me": employee.user_id is not None and employee.user_id == request.user.pk,
        },
    )


@GET_POST
def employee_create(request: HttpRequest) -> HttpResponse:
    _require(can_manage_org(request.user))
    initial: dict[str, Any] = {}
    if request.GET.get("unit"):
        initial["org_unit"] = (
            unit_list_visible_to(user=request.user).filter(code=request.GET["unit"]).first()
        )
    form = EmployeeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee = services.employee_create(
                employee_no=data["employee_no"],
                name=data["name"],
                org_unit=data["org_unit"],
                level=data["level"],
                supervisor=data["supervisor"],
                email=data["email"],
                hire_date=data["hire_date"],
                roles=data["roles"],
                password=data["password1"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added; their login is %(username)s.")
                % {"name": employee.name, "username": employee.employee_no},
            )
            return redirect("org:employee_detail", employee_no=employee.employee_no)
    return render(request, "org/employee_form.html", {"form": form, "employee": None})


@GET_POST
def employee_edit(request: HttpRequest, employee_no: str) -> HttpResponse:
    _require(can_manage_org(request.user))
    employee = employee_get_for_user(user=request.user, employee_no=employee_no)
    roles = [r.value for r in employee_roles(employee)]
    form = EmployeeForm(request.POST or None, employee=employee, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee = services.employee_update(
                employee=employee,
                name=data["name"],
                org_unit=data["org_unit"],
                level=data["level"],
                supervisor=data["supervisor"],
                email=data["email"],
                hire_date=data["hire_date"],
                left_on=data["left_on"],
                roles=data["roles"],
                actor=request.user,
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": employee.name})
            return redirect("org:employee_detail", employee_no=employee.employee_no)
    return render(request, "org/employee_form.html", {"form": form, "employee": employee})


@GET_POST
def employee_deactivate(request: HttpRequest, employee_no: str) -> HttpResponse:
    """GET asks for confirmation and the leaving date; POST marks the person as left."""
    _require(can_manage_org(request.user))
    employee = employee_get_for_user(user=request.user, employee_no=employee_no)
    form = EmployeeDeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_deactivate(
                employee=employee, left_on=form.cleaned_data["left_on"], actor=request.user
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is marked as left and can no longer sign in.")
                % {"name": employee.name},
            )
            remaining = (
                employee_direct_reports(user=request.user, employee=employee)
                .filter(active=True)
                .count()
            )
            if remaining:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d person still reports to %(name)s; give them a new supervisor.",
                        "%(count)d people still report to %(name)s; give them a new supervisor.",
                        remaining,
                    )
                    % {"count": remaining, "name": employee.name},
                )
            return redirect("org:employee_detail", employee_no=employee.employee_no)
    return render(request, "org/employee_deactivate.html", {"form": form, "employee": employee})


@GET_POST
def employee_set_password(request: HttpRequest, employee_no: str) -> HttpResponse:
    """HR sets or resets a person's password (creating their login if they have none)."""
    _require(can_manage_org(request.user))
    employee = employee_get_for_user(user=request.user, employee_no=employee_no)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_set_password(
                employee=employee, password=form.cleaned_data["password1"], actor=request.user
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                _("The password of %(name)s was set; they sign in as %(username)s.")
                % {"name": employee.name, "username": employee.employee_no},
            )
            return redirect("org:employee_detail", employee_no=employee.employee_no)
    return render(request, "org/employee_password.html", {"form": form, "employee": employee})


# --- Job levels ---------------------------------------------------------------------------


def level_list(request: HttpRequest) -> HttpResponse:
    _require(can_manage_org(request.user))
    return render(request, "org/level_list.html", {"levels": job_level_list_with_headcount()})


@GET_POST
def level_create(request: HttpRequest) -> HttpResponse:
    _require(can_manage_org(request.user))
    form = JobLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            level = services.job_level_create(
                code=data["code"],
                name=data["name"],
                name_en=data["name_en"],
                rank=data["rank"],
                is_sales=data["is_sales"],
                description=data["description"],
                description_en=data["description_en"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Job level %(name)s created.") % {"name": level.local_name})
            return redirect("org:level_list")
    return render(request, "org/level_form.html", {"form": form, "level": None})


@GET_POST
def level_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require(can_manage_org(request.user))
    level = job_level_get(code=code)
    form = JobLevelForm(request.POST or None, level=level)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            level = services.job_level_update(
                level=level,
                name=data["name"],
                name_en=data["name_en"],
                rank=data["rank"],
                is_sales=data["is_sales"],
                description=data["description"],
                description_en=data["description_en"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Job level %(name)s saved.") % {"name": level.local_name})
            return redirect("org:level_list")
    return render(request, "org/level_form.html", {"form": form, "level": level})


# --- Competency framework -----------------------------------------------------------------


def competency_matrix(request: HttpRequest) -> HttpResponse:
    """The competency matrix, for every signed-in user."""
    manage = can_manage_org(request.user)
    return render(
        request,
        "org/competency_matrix.html",
        {
            "matrix": competency_matrix_get(),
            "inactive": competency_inactive_list() if manage else [],
            "can_manage": manage,
        },
    )


def competency_detail(request: HttpRequest, code: str) -> HttpResponse:
    competency = competency_get(code=code)
    return render(
        request,
        "org/competency_detail.html",
        {
            "competency": competency,
            "anchors": list(competency.anchors.all()),
            "expectations": competency_expectations(competency),
            "can_manage": can_manage_org(request.user),
        },
    )


@GET_POST
def competency_create(request: HttpRequest) -> HttpResponse:
    _require(can_manage_org(request.user))
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            competency = services.competency_create(
                code=data["code"],
                name=data["name"],
                name_en=data["name_en"],
                category=data["category"],
                description=data["description"],
                description_en=data["description_en"],
                anchors=form.anchors,
                anchors_en=form.anchors_en,
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request, _("Competency %(name)s created.") % {"name": competency.local_name}
            )
            return redirect("org:competency_detail", code=competency.code)
    return render(request, "org/competency_form.html", {"form": form, "competency": None})


@GET_POST
def competency_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require(can_manage_org(request.user))
    competency = competency_get(code=code)
    form = CompetencyForm(request.POST or None, competency=competency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            competency = services.competency_update(
                competency=competency,
                name=data["name"],
                name_en=data["name_en"],
                category=data["category"],
                description=data["description"],
                description_en=data["description_en"],
                active=data["active"],
                anchors=form.anchors,
                anchors_en=form.anchors_en,
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request, _("Competency %(name)s saved.") % {"name": competency.local_name}
            )
            return redirect("org:competency_detail", code=competency.code)
    return render(request, "org/competency_form.html", {"form": form, "competency": competency})


@GET_POST
def matrix_edit(request: HttpRequest) -> HttpResponse:
    """The whole competency matrix in one form: blank or 1–5 per cell."""
    _require(can_manage_org(request.user))
    form = MatrixForm(request.POST or None, matrix=competency_matrix_get())
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.level_expectations_set(cells=form.cells())
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            if changed:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d cell of the matrix changed.",
                        "%(count)d cells of the matrix changed.",
                        changed,
                    )
                    % {"count": changed},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("org:competency_matrix")
    return render(request, "org/matrix_form.html", {"form": form})


def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own account: who they are, their roles, password change."""
    return render(
        request,
        "core/profile.html",
        {
            "employee": employee_for_user(request.user),
            "roles": sorted(user_roles(request.user), key=lambda r: r.value),
        },
    )
