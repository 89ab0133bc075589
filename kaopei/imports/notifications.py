"""What the imports tell people: whoever started an import that ran as a background job
hears how it ended (sent through :mod:`kaopei.core.notifications`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kaopei.core.jobs import JobNotice, register_job_notice
from kaopei.core.models import Job
from kaopei.core.notifications import register_kind
from kaopei.imports.importing.errors import ImportPipelineError
from kaopei.imports.importing.kinds import get_spec
from kaopei.imports.models import ImportBatch

IMPORT = "import"


def register() -> None:
    """Declare the import kind and the import job's notice (ImportsConfig.ready)."""
    register_kind(IMPORT, _("Import I started finished or failed"))
    register_job_notice(kind="import", builder=import_notice)


def _kind_label(kind: str) -> object:
    try:
        return get_spec(kind).label  # lazy: read in each language
    except ImportPipelineError:
        return kind


def import_notice(job: Job) -> JobNotice | None:
    """The notice for whoever started an import job, once it ended: imported, checked (a
    dry run) or refused, with the figures; failed when the job itself failed."""
    params = job.params or {}
    batch_id = params.get("batch_id")
    if batch_id is None:
        return None
    url = reverse("facts:import_detail", args=[batch_id])
    result = job.result or {}
    status = result.get("status")
    figures = {
        "batch": batch_id,
        "kind": _kind_label(params.get("kind", "")),
        "rows": result.get("rows", 0),
        "errors": result.get("errors", 0),
    }
    if job.status == Job.Status.SUCCEEDED and status == ImportBatch.Status.COMMITTED:
        message = gettext_noop(
            "Import #%(batch)s (%(kind)s) finished: %(rows)s rows, %(errors)s errors."
        )
    elif job.status == Job.Status.SUCCEEDED and status == ImportBatch.Status.DRY_RUN:
        message = gettext_noop(
            "The check of import #%(batch)s (%(kind)s) finished: %(rows)s rows, "
            "%(errors)s errors. Nothing was written."
        )
    else:
        message = gettext_noop(
            "Import #%(batch)s (%(kind)s) failed: nothing was written. Open it to see why."
        )
    return JobNotice(kind=IMPORT, message=message, params=figures, url=url)
