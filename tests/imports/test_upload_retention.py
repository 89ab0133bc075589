"""Uploaded files are not kept forever: refused, dry-run and never started uploads go after
IMPORT_KEEP_UNUSED_DAYS, imported ones after IMPORT_KEEP_DAYS — by ``kaopei purge-uploads``,
the Celery beat task, and after each import. The batch records the removal and keeps
everything else; its pages say the file was removed, never a 500."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kaopei.facts.models import Sale
from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_file, stored_path, upload_purge
from kaopei.imports.tasks import purge_uploads
from tests.conftest import Personas
from tests.imports.test_import_service import KINDS, csv_bytes

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
GOOD = csv_bytes([KINDS["sales"]["header"], *KINDS["sales"]["rows"]])
BAD = csv_bytes([KINDS["sales"]["header"], ["S1", "Z999", "C001", "2026/2/30", "1", "1"]])


@pytest.fixture(autouse=True)
def retention(settings: Any) -> None:
    settings.IMPORT_KEEP_DAYS = 90
    settings.IMPORT_KEEP_UNUSED_DAYS = 2


def imported(
    tmp_path: Path, content: bytes, *, dry_run: bool = False, days_ago: int
) -> ImportBatch:
    path = tmp_path / f"sales-{len(list(tmp_path.iterdir()))}.csv"
    path.write_bytes(content)
    batch = import_file(path=path, kind="sales", dry_run=dry_run)
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    batch.refresh_from_db()
    return batch


def test_refused_and_dry_run_uploads_go_after_a_few_days_imports_after_months(
    world: Personas, tmp_path: Path
) -> None:
    refused = imported(tmp_path, BAD, days_ago=3)
    checked = imported(tmp_path, GOOD, dry_run=True, days_ago=3)
    recent_refused = imported(tmp_path, BAD, days_ago=1)
    done = imported(tmp_path, GOOD, days_ago=30)
    assert (refused.status, checked.status, done.status) == (S.FAILED, S.DRY_RUN, S.COMMITTED)

    upload_purge()  # (each import after the first already ran it too)

    for batch in (refused, checked, recent_refused, done):
        batch.refresh_from_db()
    assert not stored_path(refused).exists() and refused.file_removed_at is not None
    assert not stored_path(checked).exists() and checked.file_removed_at is not None
    assert stored_path(recent_refused).exists() and recent_refused.file_removed_at is None
    assert stored_path(done).exists() and done.file_removed_at is None

    ImportBatch.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert upload_purge() == 1
    done.refresh_from_db()
    assert not stored_path(done).exists() and done.file_removed_at is not None
    # The records stay, and what was imported stays.
    assert ImportBatch.objects.count() == 4
    assert done.status == S.COMMITTED and done.created == 2 and Sale.objects.count() == 2


def test_purging_twice_removes_nothing_more(world: Personas, tmp_path: Path) -> None:
    imported(tmp_path, BAD, days_ago=5)
    assert upload_purge() == 1
    assert upload_purge() == 0


def test_the_command_and_the_scheduled_task_purge(world: Personas, tmp_path: Path) -> None:
    imported(tmp_path, BAD, days_ago=5)
    imported(tmp_path, BAD, days_ago=6)
    call_command("purge-uploads", stdout=(out := _Out()))
    assert "1" in out.text or "2" in out.text
    assert ImportBatch.objects.filter(file_removed_at__isnull=True).count() == 0
    imported(tmp_path, BAD, days_ago=7)
    assert purge_uploads() == 1


def test_each_import_purges_the_old_uploads(world: Personas, tmp_path: Path) -> None:
    old = imported(tmp_path, BAD, days_ago=5)
    old.refresh_from_db()
    assert old.file_removed_at is None
    imported(tmp_path, GOOD, dry_run=True, days_ago=0)
    old.refresh_from_db()
    assert old.file_removed_at is not None and not stored_path(old).exists()


def test_the_pages_of_a_purged_batch_say_the_file_was_removed(
    world: Personas, tmp_path: Path
) -> None:
    batch = imported(tmp_path, BAD, days_ago=5)
    upload_purge()
    hr = world.client(world.hr)
    hr.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    detail = hr.get(reverse("facts:import_detail", args=[batch.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "was removed on" in page and "kept 2 days" in page
    assert reverse("facts:import_errors_download", args=[batch.pk]) not in page

    download = hr.get(reverse("facts:import_errors_download", args=[batch.pk]), follow=True)
    assert download.status_code == 200
    assert "was removed on" in download.content.decode()

    preview = hr.get(reverse("facts:import_preview", args=[batch.pk]), follow=True)
    assert preview.status_code == 200
    assert "was removed on" in preview.content.decode()

    start = hr.post(reverse("facts:import_start", args=[batch.pk]), {"kind": "sales"}, follow=True)
    assert start.status_code == 200
    assert "was removed on" in start.content.decode()
    batch.refresh_from_db()
    assert batch.status == S.FAILED


def test_the_api_still_reads_a_purged_batch(world: Personas, tmp_path: Path) -> None:
    batch = imported(tmp_path, BAD, days_ago=5)
    upload_purge()
    response = world.client(world.hr).get(f"/api/v1/imports/{batch.pk}")
    assert response.status_code == 200 and response.json()["status"] == "failed"


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
