"""Report card pages: the preview (with the inline SVG trend), the PDF button and download,
and the HR batch from the cycle page to the zip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kaopei.assessment.models import Cycle
from kaopei.core.models import Job, Notification
from kaopei.dashboards.report_cards_batch import KIND
from tests.assessment.factories_config import build_hand_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(personas: Any) -> Cycle:
    return build_hand_example(personas)


def test_scorecard_page_offers_the_pdf_and_the_preview(personas: Any, cycle: Cycle) -> None:
    client = personas.client(personas.alice)
    page = client.get(reverse("assessment:scorecard", args=["2026Q1", "A001"]))
    assert reverse("report_card_pdf", args=["2026Q1", "A001"]) in page.content.decode()
    preview = client.get(reverse("report_card", args=["2026Q1", "A001"]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<svg" in html and "<polyline" not in html  # one cycle: a dot, no line yet
    assert "安丽" in html and "2026Q1" in html


def test_pdf_download_is_in_the_readers_language(personas: Any, cycle: Cycle) -> None:
    client = personas.client(personas.sup)
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse("report_card_pdf", args=["2026Q1", "A001"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="A001-2026Q1.pdf"' in response["Content-Disposition"]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "安丽" in text and "A001" in text


def test_hr_batch_from_the_cycle_page_to_the_zip(
    personas: Any,
    cycle: Cycle,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr = personas.client(personas.hr)
    page = hr.get(reverse("assessment:cycle_detail", args=["2026Q1"])).content.decode()
    assert reverse("report_cards_start", args=["2026Q1"]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            reverse("report_cards_start", args=["2026Q1"]), {"unit": "BJ", "lang": "en"}
        )
    job = Job.objects.get(kind=KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("report_cards_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    status = hr.get(reverse("report_cards_job", args=[job.pk])).content.decode()
    assert reverse("report_cards_zip", args=[job.pk]) in status
    download = hr.get(reverse("report_cards_zip", args=[job.pk]))
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["A001-2026Q1.pdf", "S001-2026Q1.pdf"]
    # Only the requester and HR: a supervisor gets a 404.
    sup = personas.client(personas.sup)
    assert sup.get(reverse("report_cards_zip", args=[job.pk])).status_code == 404
    # The requester is told the zip is ready, with the way to it.
    told = Notification.objects.get(user=personas.hr.user, kind="report_cards_ready")
    assert told.url == reverse("report_cards_job", args=[job.pk])
    assert "2026Q1" in told.text_en and "2 PDFs" in told.text_en


def test_hr_batch_with_an_unknown_unit_queues_nothing(personas: Any, cycle: Cycle) -> None:
    hr = personas.client(personas.hr)
    response = hr.post(reverse("report_cards_start", args=["2026Q1"]), {"unit": "XX"})
    assert response.status_code == 200
    assert "XX" in response.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()


def test_old_batch_zips_are_purged_with_the_upload_retention(
    personas: Any, media: Path, settings: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kaopei.dashboards.report_cards_batch import HANDLER, MEDIA_DIR, report_cards_purge

    old, new = (
        Job.objects.create(kind=KIND, handler=HANDLER, created_by=personas.hr.user)
        for _ in range(2)
    )
    Job.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.IMPORT_KEEP_DAYS + 1)
    )
    for job in (old, new):
        folder = Path(settings.MEDIA_ROOT) / MEDIA_DIR / str(job.pk)
        folder.mkdir(parents=True)
        (folder / "x.zip").write_bytes(b"zip")
    assert report_cards_purge() == 1
    assert not (Path(settings.MEDIA_ROOT) / MEDIA_DIR / str(old.pk)).exists()
    assert (Path(settings.MEDIA_ROOT) / MEDIA_DIR / str(new.pk) / "x.zip").exists()
    assert Job.objects.filter(pk=old.pk).exists()  # the record stays
