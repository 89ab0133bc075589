"""Import pages (DESIGN.md §4.2 ⚑): upload → preview → check (dry run) → import, the result
and progress of a batch, its error copy, the templates and the import history.

HR admins only; batches are shared between HR admins. Views stay thin (STYLE.md item 3):
they parse the request, call one service of :mod:`kaopei.imports.services` and render; a
service's :class:`ApplicationError` becomes a message, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.imports import services, workbooks
from kaopei.imports.forms import BatchFilterForm, PreviewKindForm, StartForm, UploadForm
from kaopei.imports.importing import SPECS, KindSpec, max_file_bytes
from kaopei.imports.models import ImportBatch
from kaopei.imports.rules import can_manage_imports

BATCHES_PER_PAGE = 50
ERRORS_PER_PAGE = 100
# A batch in these states has written nothing: it can be (re)checked or imported.
STARTABLE = frozenset(services.STARTABLE)


def _require_hr(request: HttpRequest) -> None:
    if not can_manage_imports(request.user):
        raise PermissionDenied


def _batches() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("created_by__employee", "job")


def _batch_for(request: HttpRequest, pk: int) -> ImportBatch:
    """The batch ``pk`` for an HR admin (403 for anyone else, 404 if there is none)."""
    _require_hr(request)
    return get_object_or_404(_batches(), pk=pk)


def _column_label(spec: KindSpec | None, name: str | None) -> str:
    """``金额 · amount`` for a column of the kind; the name as given otherwise."""
    if not name:
        return ""
    if spec is not None:
        try:
            column = spec.column(name)
        except KeyError:
            return name
        return f"{column.zh} · {column.name}"
    return name


def _preview_url(batch: ImportBatch, kind: str | None = None) -> str:
    url = reverse("facts:import_preview", args=[batch.pk])
    return f"{url}?kind={kind}" if kind else url


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


# --- Upload and preview -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file and pick its kind (or let it be guessed from the headers)."""
    _require_hr(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                fileobj=upload, filename=upload.name, user=request.user, source="web"
            )
        except ApplicationError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect(_preview_url(batch, form.cleaned_data["kind"]))
    return render(
        request,
        "imports/import_upload.html",
        {"form": form, "max_mb": max_file_bytes() // (1024 * 1024), "kinds": SPECS.values()},
    )


@dataclass(frozen=True)
class MappingRow:
    header: str
    column: str
    unit: str
    status: str
    message: str


@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: the detected kind, how each header maps, the first rows and header errors."""
    batch = _batch_for(request, pk)
    if batch.status not in STARTABLE:
        return redirect("facts:import_detail", pk=batch.pk)
    kind_form = PreviewKindForm(request.GET or None)
    kind: str | None = None
    if kind_form.is_bound:
        if kind_form.is_valid():
            kind = kind_form.cleaned_data["kind"] or None
        else:
            messages.error(
                request,
                _("“%(kind)s” is not an import kind; the kind is guessed from the headers.")
                % {"kind": request.GET.get("kind", "")[:60]},
            )
    try:
        preview = services.import_preview(batch=batch, kind=kind)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("facts:import_upload")
    spec = SPECS.get(preview.kind or "")
    mapping = [
        MappingRow(
            header=str(m.get("header") or ""),
            column=_column_label(spec, m.get("column")),
            unit=str(m.get("unit") or ""),
            status=str(m.get("status") or ""),
            message=str(m.get("message") or ""),
        )
        for m in preview.mapping
    ]
    mapped = {m.get("column") for m in preview.mapping if m.get("column")}
    absent_optional = (
        [c for c in spec.columns if not c.required and c.name not in mapped] if spec else []
    )
    width = len(preview.headers)
    rows = [list(r[:width]) + [""] * (width - len(r)) for r in preview.rows]
    if not kind_form.is_bound or not kind_form.is_valid():
        kind_form = PreviewKindForm(initial={"kind": kind or ""})
    return render(
        request,
        "imports/import_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "spec": spec,
            "mapping": mapping,
            "rows": rows,
            "absent_optional": absent_optional,
            "kind_form": kind_form,
            "chosen_kind": kind,
            "guessed_label": SPECS[preview.kind_guess].label if preview.kind_guess in SPECS else "",
        },
    )


@require_POST
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: check the batch (dry run) or import it; big files run as a background job."""
    batch = _batch_for(request, pk)
    form = StartForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_preview_url(batch))
    kind = form.cleaned_data["kind"]
    try:
        batch = services.import_start(
            batch=batch, kind=kind, dry_run=form.dry_run, user=request.user
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        if batch.status in STARTABLE:
            return redirect(_preview_url(batch, kind))
        return redirect("facts:import_detail", pk=batch.pk)
    return redirect("facts:import_detail", pk=batch.pk)


# --- Result, progress, error copy ---------------------------------------------------------


def _job_state(batch: ImportBatch) -> dict[str, Any]:
    """Whether the batch is still being processed, and its progress in rows."""
    job = batch.job
    validating = batch.status == ImportBatch.Status.VALIDATING
    # A job that failed without the batch recording an outcome crashed (nothing was written);
    # otherwise a batch still validating is running, even in the instant after its job ends.
    failed_job = validating and job is not None and job.status == job.Status.FAILED
    running = validating and not failed_job
    done = job.progress if job is not None else 0
    total = job.total if job is not None else 0
    return {
        "job": job,
        "running": running,
        "failed_job": failed_job,
        "job_error": ((job.result or {}).get("detail") if job is not None else "") or "",
        "done": done,
        "total": total,
        "percent": job.percent if job is not None else 0,
    }


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch: its progress while it runs (polled every second), then its result — counts,
    warnings and, when refused, the error table with the error copy to download."""
    batch = _batch_for(request, pk)
    if batch.status == ImportBatch.Status.UPLOADED:
        return redirect("facts:import_preview", pk=batch.pk)
    spec = SPECS.get(batch.kind)
    report = [e for e in (batch.error_report or []) if isinstance(e, dict)]
    page = paginate(request, report, ERRORS_PER_PAGE)
    errors = [{**e, "column_label": _column_label(spec, e.get("column"))} for e in page]
    warnings = [
        {**w, "column_label": _column_label(spec, w.get("column"))}
        for w in (batch.warnings or [])
        if isinstance(w, dict)
    ]
    can_rollback, rollback_reason = services.import_batch_can_rollback(batch)
    context = {
        "batch": batch,
        "spec": spec,
        "page_obj": page,
        "errors": errors,
        "warnings": warnings,
        "can_rollback": can_rollback,
        "rollback_reason": rollback_reason,
        "can_start": batch.status in STARTABLE and batch.file_removed_at is None,
        "file_removed": (
            services.upload_removed_message(batch) if batch.file_removed_at is not None else ""
        ),
        **_job_state(batch),
    }
    template = "imports/import_detail.html"
    if getattr(request, "htmx", False):
        template += "#result"
    return render(request, template, context)


@require_GET
def import_errors_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded file as .xlsx with an added error column."""
    batch = _batch_for(request, pk)
    if not batch.error_report:
        messages.info(request, _("This import has no errors to download."))
        return redirect("facts:import_detail", pk=batch.pk)
    if batch.file_removed_at is not None:
        messages.info(request, services.upload_removed_message(batch))
        return redirect("facts:import_detail", pk=batch.pk)
    try:
        content = workbooks.error_workbook(batch)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("facts:import_detail", pk=batch.pk)
    stem = (batch.file_name or "import").rsplit(".", 1)[0]
    return _xlsx_response(content, f"{stem}-errors.xlsx")


@require_POST
def import_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a committed batch: its rows go, the rows it updated get their old values back."""
    batch = _batch_for(request, pk)
    try:
        services.import_batch_rollback(batch=batch, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The import of “%(file)s” has been rolled back.") % {"file": batch.file_name},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("facts:import_list")


# --- History ------------------------------------------------------------------------------


@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    """Every batch: who, when, file, hash, kind, counts and status, with filters; each
    committed batch offers a rollback or says why it cannot be rolled back."""
    _require_hr(request)
    form = BatchFilterForm(request.GET or None)
    batches = _batches()
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            batches = batches.filter(file_name__icontains=data["q"].strip())
        if data["kind"]:
            batches = batches.filter(kind=data["kind"])
        if data["status"]:
            batches = batches.filter(status=data["status"])
        filtered = any(data.values())
    page = paginate(request, batches, BATCHES_PER_PAGE)
    states = services.import_batches_rollback_state(page.object_list)
    rows = []
    for batch in page:
        allowed, reason = states.get(batch.pk, (False, ""))
        spec = SPECS.get(batch.kind)
        rows.append(
            {"batch": batch, "can_rollback": allowed, "reason": reason,
             "kind_label": spec.label if spec else batch.kind}
        )  # fmt: skip
    return render_list(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "filtered": filtered,
            "query_string": list_filters(request)[0],
        },
    )


# --- Templates ----------------------------------------------------------------------------


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    """Every import kind with what it holds, its columns and its template to download."""
    _require_hr(request)
    kinds = [
        {
            "spec": spec,
            "description": workbooks.kind_description(kind),
            "required": [c for c in spec.columns if c.required],
            "optional": [c for c in spec.columns if not c.required],
        }
        for kind, spec in SPECS.items()
    ]
    return render(request, "imports/template_list.html", {"kinds": kinds})


@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The .xlsx import template of one kind."""
    _require_hr(request)
    if kind not in SPECS:
        raise Http404
    return _xlsx_response(workbooks.template_workbook(kind), workbooks.template_filename(kind))
