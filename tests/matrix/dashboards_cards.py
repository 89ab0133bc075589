"""Report cards: the preview and the PDF of a card follow the scorecard readers' rule (the
person, their supervisor chain and HR; 404 for the rest, executives included: they see
aggregates only); the batch of a cycle is for HR admins (403 for the rest), and its job
page and zip for whoever started it and HR (404 for the rest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from kaopei.core.models import Job
from kaopei.dashboards.report_cards_batch import HANDLER, KIND, MEDIA_DIR
from tests.access import (
    ALICES_CARD,
    BOBS_CARD,
    GET_ONLY,
    HR_ACTS,
    HR_ONLY,
    answer,
    case,
    one,
    row,
)


def build(world: Any) -> dict[str, object]:
    job = Job.objects.create(
        kind=KIND,
        handler=HANDLER,
        params={"code": "2026Q1", "unit": "", "lang": "zh-hans"},
        created_by=world.p.hr.user,
        status=Job.Status.SUCCEEDED,
        progress=4,
        total=4,
    )
    relative = f"{MEDIA_DIR}/{job.pk}/report-cards-2026Q1.zip"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    job.result = {"code": "2026Q1", "unit": "", "files": 4, "zip": relative}
    job.save(update_fields=["result"])
    return {"report_cards_job": job}


HR_JOB = answer(404, hr=200)

PAGES = {
    "report_card": row(
        case("alice", ALICES_CARD, post=GET_ONLY, code="2026Q1", employee_no="A001"),
        case("bob", BOBS_CARD, post=GET_ONLY, code="2026Q1", employee_no="B001"),
    ),
    "report_card_pdf": row(
        case("alice", ALICES_CARD, post=GET_ONLY, code="2026Q1", employee_no="A001"),
        case("bob", BOBS_CARD, post=GET_ONLY, code="2026Q1", employee_no="B001"),
    ),
    # HR queues the batch (POST redirects to its job page); everyone else is refused.
    "report_cards_start": one(HR_ONLY, post=HR_ACTS, code="2026Q1"),
    "report_cards_job": one(HR_JOB, post=GET_ONLY, job_id="@report_cards_job"),
    "report_cards_zip": one(HR_JOB, post=GET_ONLY, job_id="@report_cards_job"),
}
