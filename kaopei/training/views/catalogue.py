"""The course catalogue's pages: the list and a course's page for everyone employed;
creating, editing, deactivating and deleting courses and their materials for trainers and
HR admins. Materials are only ever served through :func:`material_download`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.training.forms_catalogue import CourseFilterForm, CourseForm, MaterialForm
from kaopei.training.models import Course, Module
from kaopei.training.panels import course_panels
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors import catalogue as sel
from kaopei.training.services import catalogue as services

PER_PAGE = 24


@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    """Every active course, grouped by module; search and filters."""
    manager = bool(can_manage_catalogue(request.user))
    form = CourseFilterForm(request.GET or None, manager=manager)
    courses = sel.course_search(user=request.user, **form.filters())
    page = paginate(request, courses, PER_PAGE)
    groups: list[tuple[str, str, list[Course]]] = []
    labels = dict(Module.choices)
    for course in page.object_list:
        if not groups or groups[-1][0] != course.module:
            groups.append((course.module, str(labels.get(course.module, course.module)), []))
        groups[-1][2].append(course)
    query, filtered = list_filters(request)
    return render_list(
        request,
        "training/catalogue/course_list.html",
        {
            "form": form,
            "page_obj": page,
            "groups": groups,
            "query_string": query,
            "filtered": filtered,
            "may_manage": manager,
        },
    )


@require_GET
def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    course = sel.course_get_for_user(user=request.user, code=code)
    manager = bool(can_manage_catalogue(request.user))
    return render(
        request,
        "training/catalogue/course_detail.html",
        {
            "course": course,
            "objectives": [
                line.strip() for line in course.local_objectives.splitlines() if line.strip()
            ],
            "panels": course_panels(request, course),
            "may_manage": manager,
            "history": sel.course_history(course) if manager else [],
            "has_enrolments": manager and sel.course_has_enrolments(course),
        },
    )


def _apply_errors(
    form: CourseForm | MaterialForm, exc: ApplicationError, default: str | None = None
) -> None:
    names = {e.get("field") for e in exc.errors if isinstance(e, dict)}
    target = next((n for n in names if n in form.fields), default)
    form.add_error(target, str(exc.message))


@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, data=form.course_data())
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Course %(code)s created.") % {"code": course.code})
            return redirect("training:course_detail", code=course.code)
    return render(request, "training/catalogue/course_form.html", {"form": form, "course": None})


def _initial(course: Course) -> dict[str, Any]:
    return {
        "code": course.code,
        "title": course.title,
        "title_en": course.title_en,
        "module": course.module,
        "format": course.format,
        "hours": course.hours,
        "description": course.description,
        "description_en": course.description_en,
        "objectives": course.objectives,
        "objectives_en": course.objectives_en,
        "competencies": [c.code for c in course.competencies.all()],
        "metrics": [m.code for m in course.metrics.all()],
        "trainers": [t.employee_no for t in course.trainers.all()],
        "version": services.course_version(course),
    }


@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, code: str) -> HttpResponse:
    course = sel.course_get_for_manager(user=request.user, code=code)
    form = CourseForm(request.POST or None, initial=_initial(course), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(
                actor=request.user,
                course=course,
                data=form.course_data(code=course.code),
                version=form.cleaned_data.get("version") or None,
            )
        except ConflictError as exc:
            messages.error(request, str(exc.message))
            return redirect("training:course_edit", code=course.code)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Course %(code)s saved.") % {"code": course.code})
            return redirect("training:course_detail", code=course.code)
    return render(request, "training/catalogue/course_form.html", {"form": form, "course": course})


@require_http_methods(["GET", "POST"])
def course_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then deactivate the course (or bring a deactivated one back)."""
    course = sel.course_get_for_manager(user=request.user, code=code)
    if request.method == "POST":
        course = services.course_set_active(
            actor=request.user, course=course, active=not course.active
        )
        if course.active:
            messages.success(request, _("Course %(code)s is active again.") % {"code": code})
        else:
            messages.success(request, _("Course %(code)s deactivated.") % {"code": code})
        return redirect("training:course_detail", code=course.code)
    return render(
        request,
        "training/catalogue/course_confirm.html",
        {"course": course, "action": "deactivate"},
    )


@require_http_methods(["GET", "POST"])
def course_delete(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then delete a course nobody was enrolled in."""
    course = sel.course_get_for_manager(user=request.user, code=code)
    if request.method == "POST":
        try:
            services.course_delete(actor=request.user, course=course)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect("training:course_detail", code=course.code)
        messages.success(request, _("Course %(code)s deleted.") % {"code": code})
        return redirect("training:course_list")
    return render(
        request,
        "training/catalogue/course_confirm.html",
        {
            "course": course,
            "action": "delete",
            "has_enrolments": sel.course_has_enrolments(course),
        },
    )


@require_http_methods(["GET", "POST"])
def material_upload(request: HttpRequest, code: str) -> HttpResponse:
    course = sel.course_get_for_manager(user=request.user, code=code)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_upload(
                actor=request.user,
                course=course,
                title=form.cleaned_data.get("title", ""),
                upload=form.cleaned_data["file"],
            )
        except ApplicationError as exc:
            _apply_errors(form, exc, default="file")
        else:
            messages.success(request, _("Material added."))
            return redirect("training:course_detail", code=course.code)
    return render(
        request, "training/catalogue/material_upload.html", {"form": form, "course": course}
    )


@require_GET
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, as an attachment under its original name (never a public media URL)."""
    material = sel.material_get_for_user(user=request.user, pk=pk)
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = sel.material_get_for_manager(user=request.user, pk=pk)
    code = material.course.code
    if request.method == "POST":
        services.material_delete(actor=request.user, material=material)
        messages.success(request, _("Material removed."))
        return redirect("training:course_detail", code=code)
    return render(request, "training/catalogue/material_delete.html", {"material": material})
