"""Import endpoints (DESIGN.md §4.3 ⚑): upload a file as one kind, and read a batch.

HR admins only, as on the pages. A refused file answers 422 with every error (and the
batch); a request that cannot start (unknown kind, file too large) answers 400; a big file
answers 202 with the batch still validating and its job (poll ``GET /imports/{id}``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, PathEx, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from kaopei.core.api import ERRORS
from kaopei.core.api_params import object_id, text_param
from kaopei.imports.models import ImportBatch
from kaopei.imports.selectors import import_batch_get_for_user, require_importer
from kaopei.imports.services import import_check_kind, import_start, import_upload

router = Router(tags=["imports"])


class ImportJobOut(Schema):
    id: int
    status: str
    progress: int
    total: int


class BatchOut(Schema):
    id: int
    kind: str
    status: str
    dry_run: bool
    file_name: str
    sha256: str
    size: int
    source: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    job: ImportJobOut | None
    created_by: str | None
    created_at: datetime
    rolled_back_at: datetime | None


class RefusedOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = []
    batch: BatchOut | None = None


def _batch_out(batch: ImportBatch) -> BatchOut:
    job = batch.job
    return BatchOut(
        id=batch.pk,
        kind=batch.kind,
        status=batch.status,
        dry_run=batch.dry_run,
        file_name=batch.file_name,
        sha256=batch.sha256,
        size=batch.size,
        source=batch.source,
        rows=batch.rows,
        created=batch.created,
        updated=batch.updated,
        unchanged=batch.unchanged,
        skipped=batch.skipped,
        errors=list(batch.error_report or []),
        warnings=list(batch.warnings or []),
        job=(
            ImportJobOut(id=job.pk, status=job.status, progress=job.progress, total=job.total)
            if job is not None
            else None
        ),
        created_by=batch.created_by.get_username() if batch.created_by else None,
        created_at=batch.created_at,
        rolled_back_at=batch.rolled_back_at,
    )


# ``/imports/{id}`` (GET) and ``/imports/{kind}`` (POST) are two URL patterns, and the first
# that matches a path wins whatever the method: ``GET /imports/abc`` reaches the kind's
# pattern and ``POST /imports/7`` the id's. Each pattern therefore answers the other method
# too, outside the schema, with what the documented operation would say: no batch has a
# name for an id (404), and no kind is a number (400, from the kind check).


@router.get("/imports/{int:batch_id}", response={200: BatchOut, **ERRORS}, summary="An import")
def import_detail(request: HttpRequest, batch_id: int) -> BatchOut:
    """One import batch: status, counts, errors and warnings, and its job while it runs."""
    batch_id = object_id(batch_id)
    return _batch_out(import_batch_get_for_user(user=request.user, batch_id=batch_id))


@router.post("/imports/{int:batch_id}", response={**ERRORS}, include_in_schema=False)
def import_create_numbered(request: HttpRequest, batch_id: int) -> Any:
    require_importer(request.user)
    import_check_kind(kind=str(batch_id))  # always refuses: no kind is a number
    raise Http404


@router.get("/imports/{kind}", response={**ERRORS}, include_in_schema=False)
def import_detail_named(request: HttpRequest, kind: str) -> Any:
    raise Http404


@router.post(
    "/imports/{kind}",
    response={200: BatchOut, 202: BatchOut, **ERRORS, 422: RefusedOut},
    summary="Import a file",
)
def import_create(
    request: HttpRequest,
    kind: PathEx[str, text_param(40, "An import kind: employees, sales, targets…")],
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
) -> Any:
    """Upload a ``.csv`` or ``.xlsx`` file as ``kind`` and import it (or only check it with
    ``dry_run``). 200: imported or checked, with the counts; 202: a big file, running as a
    job; 422: refused, with every error (row, column, value, reason, code), nothing written;
    400: unknown kind or a file too large."""
    require_importer(request.user)
    import_check_kind(kind=kind)  # before anything is stored
    batch = import_upload(
        fileobj=file, filename=file.name or "upload", user=request.user, source="api"
    )
    batch = import_start(batch=batch, kind=kind, dry_run=dry_run, user=request.user)
    batch = ImportBatch.objects.select_related("job", "created_by").get(pk=batch.pk)
    out = _batch_out(batch)
    if batch.status == ImportBatch.Status.FAILED:
        detail = _("%(count)d errors; nothing was imported.") % {"count": len(out.errors)}
        return Status(422, RefusedOut(detail=detail, errors=out.errors, batch=out))
    if batch.status == ImportBatch.Status.VALIDATING:
        return Status(202, out)
    return out
