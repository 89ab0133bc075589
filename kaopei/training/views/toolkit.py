"""The toolkit's pages (issue: practice): the library and an item's page with all its
versions for everyone employed; creating items, editing their tags, publishing versions and
deactivating for trainers and HR admins. Versions are only served by :func:`toolkit_download`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.training.forms_toolkit import ToolkitFilterForm, ToolkitItemForm, ToolkitVersionForm
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors import toolkit as sel
from kaopei.training.services import toolkit as services


@require_GET
def toolkit_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One version as an attachment: its file under the original name, or else its text
    in the reader's language as a UTF-8 ``.txt`` named after the item and the version."""
    version = sel.toolkit_version_get_for_user(user=request.user, pk=pk)
    if version.file:
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, OSError, ValueError):
            raise Http404 from None
        response: HttpResponseBase = FileResponse(
            handle,
            as_attachment=True,
            filename=version.original_name or version.file.name.rsplit("/", 1)[-1],
            content_type=version.content_type or "application/octet-stream",
        )
    else:
        item = version.item
        text = f"{item.local_title}\n{item.code} v{version.number}\n\n{version.local_body}\n"
        name = slugify(item.code) or "toolkit"
        response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


PER_PAGE = 20


@require_GET
def toolkit_list(request: HttpRequest) -> HttpResponse:
    """The toolkit library: search, filters, pagination."""
    manager = bool(can_manage_catalogue(request.user))
    form = ToolkitFilterForm(request.GET or None, manager=manager)
    page = paginate(request, sel.toolkit_search(user=request.user, **form.filters()), PER_PAGE)
    query, filtered = list_filters(request)
    return render_list(
        request,
        "training/toolkit/toolkit_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query,
            "filtered": filtered,
            "may_manage": manager,
        },
    )


@require_GET
def toolkit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An item with all its versions: what changed, who, when; download each."""
    item = sel.toolkit_item_get_for_user(user=request.user, code=code)
    manager = bool(can_manage_catalogue(request.user))
    versions = list(item.versions.all())
    return render(
        request,
        "training/toolkit/toolkit_detail.html",
        {
            "item": item,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "may_manage": manager,
            "history": sel.toolkit_item_history(item) if manager else [],
        },
    )


def _apply_errors(form: Any, exc: ApplicationError, default: str | None = None) -> None:
    names = {e.get("field") for e in exc.errors if isinstance(e, dict)}
    target = next((n for n in names if n in form.fields), default)
    form.add_error(target, str(exc.message))


@require_http_methods(["GET", "POST"])
def toolkit_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = ToolkitItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.toolkit_item_create(actor=request.user, data=form.item_data())
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Toolkit item %(code)s created. Publish its first version.")
                % {"code": item.code},
            )
            return redirect("training:toolkit_publish", code=item.code)
    return render(request, "training/toolkit/toolkit_form.html", {"form": form, "item": None})


@require_http_methods(["GET", "POST"])
def toolkit_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change an item's titles, summary and tags."""
    item = sel.toolkit_item_get_for_manager(user=request.user, code=code)
    initial = {
        "code": item.code,
        "kind": item.kind,
        "title": item.title,
        "title_en": item.title_en,
        "summary": item.summary,
        "summary_en": item.summary_en,
        "competencies": [c.code for c in item.competencies.all()],
        "courses": [c.code for c in item.courses.all()],
    }
    form = ToolkitItemForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.toolkit_item_update(
                actor=request.user, item=item, data=form.item_data(code=item.code)
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Toolkit item %(code)s saved.") % {"code": item.code})
            return redirect("training:toolkit_detail", code=item.code)
    return render(request, "training/toolkit/toolkit_form.html", {"form": form, "item": item})


@require_http_methods(["GET", "POST"])
def toolkit_publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish the next version: a text and/or a file."""
    item = sel.toolkit_item_get_for_manager(user=request.user, code=code)
    latest = item.versions.first()
    form = ToolkitVersionForm(
        request.POST or None,
        request.FILES or None,
        initial={"body": latest.body, "body_en": latest.body_en} if latest else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.toolkit_version_publish(
                actor=request.user,
                item=item,
                body=form.cleaned_data.get("body", ""),
                body_en=form.cleaned_data.get("body_en", ""),
                upload=form.cleaned_data.get("file"),
                note=form.cleaned_data.get("note", ""),
            )
        except ApplicationError as exc:
            _apply_errors(form, exc, default="file")
        else:
            messages.success(
                request,
                _("Version %(number)d of %(code)s published.")
                % {"number": version.number, "code": item.code},
            )
            return redirect("training:toolkit_detail", code=item.code)
    return render(
        request,
        "training/toolkit/toolkit_publish.html",
        {"form": form, "item": item, "latest": latest},
    )


@require_http_methods(["GET", "POST"])
def toolkit_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then deactivate the item (or bring a deactivated one back)."""
    item = sel.toolkit_item_get_for_manager(user=request.user, code=code)
    if request.method == "POST":
        item = services.toolkit_item_set_active(
            actor=request.user, item=item, active=not item.active
        )
        if item.active:
            messages.success(request, _("Toolkit item %(code)s is active again.") % {"code": code})
        else:
            messages.success(request, _("Toolkit item %(code)s deactivated.") % {"code": code})
        return redirect("training:toolkit_detail", code=item.code)
    return render(request, "training/toolkit/toolkit_confirm.html", {"item": item})
