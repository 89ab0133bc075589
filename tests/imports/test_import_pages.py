"""The import pages: upload → preview → check → import, progress, errors, templates, history.

HR admins only; every page has an "allowed" and a "denied" test. The journey runs the real
services (kaopei/imports/services.py) on a small GB18030 CSV as Chinese Excel saves it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kaopei.core.models import Job
from kaopei.facts.models import Customer
from kaopei.imports.importing import SPECS
from kaopei.imports.models import ImportBatch
from kaopei.imports.workbooks import ERROR_HEADER, HELP_SHEET
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

CUSTOMERS_CSV = (
    "客户编号,客户名称,客户经理工号,战略客户,获客日期\r\n"
    "C9001,北京甲科技有限公司,A001,是,2026/3/5\r\n"
    "\r\n"
    "C9002,上海乙贸易有限公司,B001,否,2026年3月6日\r\n"
).encode("gb18030")

BAD_CUSTOMERS_CSV = (
    "客户编号,客户名称,客户经理工号,获客日期,备注\r\n"
    "C9101,甲公司,A001,2026/3/5,\r\n"
    "C9102,乙公司,A001,2026/13/5,\r\n"
    "C9103,丙公司,A001,2026/3/7,好客户\r\n"
).encode("gb18030")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def hr(personas: Personas) -> Client:
    return personas.client(personas.hr)


def csv_upload(content: bytes, name: str = "客户.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def text_of(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def stored_batch(media: Path, content: bytes, name: str = "c.csv", **fields: Any) -> ImportBatch:
    """A batch made directly (as the services would leave it), its file under MEDIA_ROOT."""
    (media / "imports").mkdir(exist_ok=True)
    (media / "imports" / name).write_bytes(content)
    fields.setdefault("kind", "customers")
    fields.setdefault("status", ImportBatch.Status.UPLOADED)
    return ImportBatch.objects.create(
        file_name=name, sha256="ab" * 32, size=len(content), stored_file=f"imports/{name}",
        **fields,
    )  # fmt: skip


def report(n: int) -> list[dict[str, Any]]:
    return [
        {"row": i + 2, "column": "acquired_on", "value": f"x{i}", "reason": f"坏日期 {i}",
         "code": "invalid_date"}
        for i in range(n)
    ]  # fmt: skip


# ------------------------------------------------------------------------ permissions


PAGES = [
    ("facts:import_list", {}),
    ("facts:import_upload", {}),
    ("facts:template_list", {}),
    ("facts:template_download", {"kind": "customers"}),
]
BATCH_PAGES = ["facts:import_detail", "facts:import_preview", "facts:import_errors_download"]
BATCH_ACTIONS = ["facts:import_start", "facts:import_rollback"]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_hr_admin_can_open_the_import_pages(
    personas: Personas, hr: Client, name: str, kwargs: dict[str, str]
) -> None:
    assert hr.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
@pytest.mark.parametrize("who", ["alice", "sup", "exec", "trainer"])
def test_nobody_else_can_open_the_import_pages(
    personas: Personas, who: str, name: str, kwargs: dict[str, str]
) -> None:
    client = personas.client(getattr(personas, who))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(
    personas: Personas, name: str, kwargs: dict[str, str]
) -> None:
    response = Client().get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", BATCH_PAGES + BATCH_ACTIONS)
@pytest.mark.parametrize("who", ["alice", "sup", "exec"])
def test_nobody_else_can_see_or_act_on_a_batch(
    personas: Personas, media: Path, who: str, name: str
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.COMMITTED)
    client = personas.client(getattr(personas, who))
    url = reverse(name, args=[batch.pk])
    response = client.post(url, {"kind": "customers"}) if name in BATCH_ACTIONS else client.get(url)
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


@pytest.mark.parametrize("name", BATCH_PAGES + BATCH_ACTIONS)
def test_anonymous_visitors_cannot_see_a_batch(personas: Personas, media: Path, name: str) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV)
    response = Client().get(reverse(name, args=[batch.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", BATCH_PAGES + BATCH_ACTIONS)
def test_a_batch_that_does_not_exist_is_not_found(
    personas: Personas, hr: Client, name: str
) -> None:
    url = reverse(name, args=[987654])
    response = hr.post(url) if name in BATCH_ACTIONS else hr.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("name", BATCH_ACTIONS)
def test_batch_actions_refuse_a_get(personas: Personas, hr: Client, media: Path, name: str) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV)
    assert hr.get(reverse(name, args=[batch.pk])).status_code == 405


# ---------------------------------------------------------------------------- upload


def test_the_upload_page_explains_formats_and_links_every_template(
    personas: Personas, hr: Client
) -> None:
    page = text_of(hr.get(reverse("facts:import_upload")))
    assert 'enctype="multipart/form-data"' in page
    assert "GB18030" in page and ".xlsx" in page and "200 MB" in page
    for kind in SPECS:
        assert reverse("facts:template_download", args=[kind]) in page
    assert 'value="" selected' in page  # "guess from the headers" is the default kind


def test_uploading_nothing_asks_for_a_file(personas: Personas, hr: Client) -> None:
    response = hr.post(reverse("facts:import_upload"), {"kind": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0


def test_uploading_a_file_that_is_neither_csv_nor_xlsx_is_refused(
    personas: Personas, hr: Client
) -> None:
    upload = SimpleUploadedFile(
        "old.xls", b"\xd0\xcf\x11\xe0 not really", "application/vnd.ms-excel"
    )
    response = hr.post(reverse("facts:import_upload"), {"file": upload})
    assert response.status_code == 200
    assert "old.xls" in response.context["form"].errors["file"][0]
    assert ImportBatch.objects.count() == 0


def test_uploading_with_an_unknown_kind_is_refused(personas: Personas, hr: Client) -> None:
    response = hr.post(
        reverse("facts:import_upload"), {"file": csv_upload(CUSTOMERS_CSV), "kind": "salaries"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    personas: Personas, hr: Client, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 50
    response = hr.post(reverse("facts:import_upload"), {"file": csv_upload(CUSTOMERS_CSV)})
    assert response.status_code == 200
    assert "MB" in response.context["form"].errors["file"][0]
    assert ImportBatch.objects.count() == 0


def test_an_empty_file_is_refused_with_a_clear_message(personas: Personas, hr: Client) -> None:
    response = hr.post(reverse("facts:import_upload"), {"file": csv_upload(b"")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0


# ------------------------------------------------------------- the journey (services)


def test_upload_preview_check_and_import_a_gb18030_csv(personas: Personas, hr: Client) -> None:
    response = hr.post(reverse("facts:import_upload"), {"file": csv_upload(CUSTOMERS_CSV)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("facts:import_preview", args=[batch.pk])
    assert batch.file_name == "客户.csv" and batch.created_by == personas.hr.user

    # Preview: the kind is guessed, the headers are mapped, the first rows are shown.
    preview = hr.get(response["Location"])
    page = text_of(preview)
    assert preview.context["preview"].kind == "customers"
    assert preview.context["preview"].errors == []
    assert "获客日期 · acquired_on" in page
    assert "北京甲科技有限公司" in page and "2026/3/5" in page
    assert f'action="{reverse("facts:import_start", args=[batch.pk])}"' in page

    # Check (dry run): nothing is written, the counts say what would happen.
    checked = hr.post(
        reverse("facts:import_start", args=[batch.pk]), {"kind": "customers", "mode": "check"}
    )
    assert checked["Location"] == reverse("facts:import_detail", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DRY_RUN
    assert Customer.objects.filter(customer_no__in=["C9001", "C9002"]).count() == 0
    detail = text_of(hr.get(checked["Location"]))
    assert "Import now" in detail or "立即导入" in detail

    # Import now: the same batch is committed.
    imported = hr.post(
        reverse("facts:import_start", args=[batch.pk]), {"kind": "customers", "mode": "import"}
    )
    assert imported.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created, batch.rows) == (2, 2)
    assert Customer.objects.filter(customer_no__in=["C9001", "C9002"]).count() == 2
    result = hr.get(reverse("facts:import_detail", args=[batch.pk]))
    assert result.context["batch"].created == 2
    assert 'id="kp-counts"' in text_of(result)

    # History: the batch, its hash and a rollback button; rolling back removes the rows.
    history = text_of(hr.get(reverse("facts:import_list")))
    assert "客户.csv" in history and batch.sha256[:12] in history
    rollback_url = reverse("facts:import_rollback", args=[batch.pk])
    assert f'action="{rollback_url}"' in history
    rolled = hr.post(rollback_url, {"next": reverse("facts:import_list")}, follow=True)
    assert rolled.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    assert Customer.objects.filter(customer_no__in=["C9001", "C9002"]).count() == 0


def test_a_refused_file_shows_its_errors_and_the_error_copy(personas: Personas, hr: Client) -> None:
    hr.post(reverse("facts:import_upload"), {"file": csv_upload(BAD_CUSTOMERS_CSV, "坏.csv")})
    batch = ImportBatch.objects.get()
    preview = hr.get(reverse("facts:import_preview", args=[batch.pk]) + "?kind=customers")
    statuses = {m.header: m.status for m in preview.context["mapping"]}
    assert statuses["备注"] == "unknown" and statuses["客户编号"] == "ok"

    hr.post(reverse("facts:import_start", args=[batch.pk]), {"kind": "customers", "mode": "import"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert Customer.objects.filter(customer_no__startswith="C91").count() == 0
    page = text_of(hr.get(reverse("facts:import_detail", args=[batch.pk])))
    assert "2026/13/5" in page
    download = reverse("facts:import_errors_download", args=[batch.pk])
    assert download in page

    response = hr.get(download)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0][-1] == ERROR_HEADER
    assert rows[2][0] == "C9102" and rows[2][-1] and "获客日期" in rows[2][-1]
    assert rows[1][-1] is None and rows[3][-1] is None


def test_a_preview_with_a_kind_that_misses_columns_shows_the_header_errors(
    personas: Personas, hr: Client
) -> None:
    hr.post(reverse("facts:import_upload"), {"file": csv_upload(CUSTOMERS_CSV)})
    batch = ImportBatch.objects.get()
    response = hr.get(reverse("facts:import_preview", args=[batch.pk]) + "?kind=activities")
    assert response.status_code == 200
    assert response.context["preview"].kind == "activities"
    assert response.context["preview"].errors
    assert 'id="kp-header-errors"' in text_of(response)


def test_a_preview_with_an_unknown_kind_says_so_and_guesses(personas: Personas, hr: Client) -> None:
    hr.post(reverse("facts:import_upload"), {"file": csv_upload(CUSTOMERS_CSV)})
    batch = ImportBatch.objects.get()
    response = hr.get(reverse("facts:import_preview", args=[batch.pk]) + "?kind=salaries")
    assert response.status_code == 200
    assert any("salaries" in m for m in messages_of(response))
    assert response.context["preview"].kind == "customers"


def test_starting_with_an_unknown_kind_is_refused_with_a_message(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV)
    response = hr.post(
        reverse("facts:import_start", args=[batch.pk]), {"kind": "salaries", "mode": "import"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert any("salaries" in m for m in messages_of(response))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED


def test_a_committed_batch_cannot_be_imported_again(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.COMMITTED)
    response = hr.post(
        reverse("facts:import_start", args=[batch.pk]), {"kind": "customers", "mode": "import"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert messages_of(response)  # the service's refusal, shown as a message
    assert hr.get(reverse("facts:import_preview", args=[batch.pk])).status_code == 302


def test_a_preview_of_an_unreadable_file_goes_back_to_the_upload_with_the_reason(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="pic.csv")
    response = hr.get(reverse("facts:import_preview", args=[batch.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("facts:import_upload")
    assert messages_of(response)


# --------------------------------------------------------------- result and progress


def test_a_running_import_shows_its_progress_and_polls_every_second(
    personas: Personas, hr: Client, media: Path
) -> None:
    job = Job.objects.create(
        kind="import", handler="x.y", status=Job.Status.RUNNING, progress=1500, total=6000
    )
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.VALIDATING, job=job)
    url = reverse("facts:import_detail", args=[batch.pk])
    page = text_of(hr.get(url))
    assert "1500" in page and "6000" in page and "25%" in page
    assert 'hx-trigger="every 1s"' in page and f'hx-get="{url}"' in page

    fragment = text_of(hr.get(url, headers={"HX-Request": "true"}))
    assert "<html" not in fragment and 'id="kp-import-result"' in fragment
    assert 'hx-trigger="every 1s"' in fragment

    job.status, job.progress = Job.Status.SUCCEEDED, 6000
    job.save()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.COMMITTED, rows=6000, created=6000
    )
    done = text_of(hr.get(url, headers={"HX-Request": "true"}))
    assert "hx-trigger" not in done and 'id="kp-counts"' in done


def test_a_big_file_runs_in_the_background_and_its_page_follows_it_to_the_end(
    personas: Personas, hr: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 1
    hr.post(reverse("facts:import_upload"), {"file": csv_upload(CUSTOMERS_CSV)})
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = hr.post(
            reverse("facts:import_start", args=[batch.pk]), {"kind": "customers", "mode": "import"}
        )
    url = reverse("facts:import_detail", args=[batch.pk])
    assert started["Location"] == url
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.VALIDATING and batch.job is not None
    page = text_of(hr.get(url))  # a reload while it runs
    assert 'hx-trigger="every 1s"' in page and 'id="kp-progress"' in page

    for run in queued:  # the worker runs the job
        run()
    done = text_of(hr.get(url, headers={"HX-Request": "true"}))
    assert "hx-trigger" not in done and 'id="kp-counts"' in done
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Customer.objects.filter(customer_no__in=["C9001", "C9002"]).count() == 2


def test_a_crashed_import_job_says_nothing_was_written(
    personas: Personas, hr: Client, media: Path
) -> None:
    job = Job.objects.create(kind="import", handler="x.y", status=Job.Status.FAILED,
                             result={"detail": "磁盘已满"})  # fmt: skip
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.VALIDATING, job=job)
    page = text_of(hr.get(reverse("facts:import_detail", args=[batch.pk])))
    assert "磁盘已满" in page and "hx-trigger" not in page


def test_a_batch_refused_without_a_report_says_it_stopped(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.FAILED)
    page = text_of(hr.get(reverse("facts:import_detail", args=[batch.pk])))
    assert 'class="error"' in page and 'id="kp-errors"' not in page


def test_an_error_about_the_whole_file_has_no_row_number(
    personas: Personas, hr: Client, media: Path
) -> None:
    problem = {"row": 0, "column": "", "value": "c.csv", "reason": "文件第 9 行附近损坏。",
               "code": "decode_failed"}  # fmt: skip
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.FAILED,
                         error_report=[problem])  # fmt: skip
    page = text_of(hr.get(reverse("facts:import_detail", args=[batch.pk])))
    assert "文件第 9 行附近损坏。" in page
    assert '<td class="num">0</td>' not in page


def test_the_error_table_shows_100_errors_a_page(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(
        media, CUSTOMERS_CSV, status=ImportBatch.Status.FAILED, error_report=report(250)
    )
    url = reverse("facts:import_detail", args=[batch.pk])
    first = hr.get(url)
    assert len(first.context["errors"]) == 100
    assert first.context["errors"][0]["column_label"] == "获客日期 · acquired_on"
    page = text_of(first)
    assert "坏日期 0" in page and "坏日期 100" not in page
    assert reverse("facts:import_errors_download", args=[batch.pk]) in page
    last = hr.get(url + "?page=3")
    assert len(last.context["errors"]) == 50 and "坏日期 249" in text_of(last)


def test_an_uploaded_batch_opens_on_its_preview(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV)
    response = hr.get(reverse("facts:import_detail", args=[batch.pk]))
    assert response["Location"] == reverse("facts:import_preview", args=[batch.pk])


def test_a_batch_without_errors_has_no_error_copy(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.DRY_RUN)
    response = hr.get(reverse("facts:import_errors_download", args=[batch.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("facts:import_detail", args=[batch.pk])


def test_the_error_copy_of_a_vanished_file_is_a_message_not_a_500(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.FAILED,
                         error_report=report(1))  # fmt: skip
    (media / batch.stored_file).unlink()
    response = hr.get(reverse("facts:import_errors_download", args=[batch.pk]), follow=True)
    assert response.status_code == 200 and messages_of(response)


# ------------------------------------------------------------------------- templates


def test_the_templates_page_lists_every_kind_with_a_download(
    personas: Personas, hr: Client
) -> None:
    page = text_of(hr.get(reverse("facts:template_list")))
    for kind, spec in SPECS.items():
        assert reverse("facts:template_download", args=[kind]) in page
        assert spec.columns[0].zh in page


@pytest.mark.parametrize("kind", list(SPECS))
def test_every_template_downloads_as_xlsx(personas: Personas, hr: Client, kind: str) -> None:
    response = hr.get(reverse("facts:template_download", args=[kind]))
    assert response.status_code == 200
    assert f"kaopei-{kind}-template.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert HELP_SHEET in book.sheetnames
    assert [c.value for c in book.worksheets[0][1]] == [c.zh for c in SPECS[kind].columns]


def test_a_template_of_an_unknown_kind_is_not_found(personas: Personas, hr: Client) -> None:
    assert hr.get(reverse("facts:template_download", args=["salaries"])).status_code == 404


# --------------------------------------------------------------------------- history


def test_the_history_filters_by_kind_status_and_file_name(
    personas: Personas, hr: Client, media: Path
) -> None:
    stored_batch(media, CUSTOMERS_CSV, name="客户一月.csv", status=ImportBatch.Status.COMMITTED)
    stored_batch(media, CUSTOMERS_CSV, name="客户二月.csv", status=ImportBatch.Status.FAILED)
    stored_batch(media, CUSTOMERS_CSV, name="活动.csv", kind="activities",
                 status=ImportBatch.Status.COMMITTED)  # fmt: skip
    url = reverse("facts:import_list")

    def names(query: str) -> set[str]:
        response = hr.get(f"{url}?{query}")
        return {row["batch"].file_name for row in response.context["rows"]}

    assert names("") == {"客户一月.csv", "客户二月.csv", "活动.csv"}
    assert names("kind=activities") == {"活动.csv"}
    assert names("status=failed") == {"客户二月.csv"}
    assert names("q=一月") == {"客户一月.csv"}
    assert names("kind=customers&status=committed") == {"客户一月.csv"}
    assert names("status=nonsense") == {"客户一月.csv", "客户二月.csv", "活动.csv"}
    fragment = text_of(hr.get(f"{url}?kind=activities", headers={"HX-Request": "true"}))
    assert "<html" not in fragment and "活动.csv" in fragment


def test_the_history_shows_who_when_hash_counts_and_rollback_state(
    personas: Personas, hr: Client, media: Path
) -> None:
    committed = stored_batch(
        media, CUSTOMERS_CSV, name="ok.csv", status=ImportBatch.Status.COMMITTED,
        created_by=personas.hr.user, rows=2, created=2,
    )  # fmt: skip
    failed = stored_batch(media, CUSTOMERS_CSV, name="bad.csv",
                          status=ImportBatch.Status.FAILED)  # fmt: skip
    response = hr.get(reverse("facts:import_list"))
    page = text_of(response)
    assert personas.hr.name in page
    assert committed.sha256[:12] in page
    assert reverse("facts:import_detail", args=[committed.pk]) in page
    rows = {row["batch"].pk: row for row in response.context["rows"]}
    assert rows[committed.pk]["can_rollback"] is True
    assert rows[failed.pk]["can_rollback"] is False
    assert f'action="{reverse("facts:import_rollback", args=[committed.pk])}"' in page
    assert 'data-confirm="' in page
    assert reverse("facts:import_rollback", args=[failed.pk]) not in page


def test_the_history_is_paginated(personas: Personas, hr: Client, media: Path) -> None:
    ImportBatch.objects.bulk_create(
        ImportBatch(kind="customers", file_name=f"f{i}.csv", sha256=f"{i:064d}",
                    status=ImportBatch.Status.FAILED)
        for i in range(55)
    )  # fmt: skip
    first = hr.get(reverse("facts:import_list"))
    assert len(first.context["rows"]) == 50
    second = hr.get(reverse("facts:import_list") + "?page=2")
    assert len(second.context["rows"]) == 5


def test_the_history_runs_the_same_queries_for_few_or_many_batches(
    personas: Personas, hr: Client, media: Path, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        ImportBatch.objects.bulk_create(
            ImportBatch(kind="customers", file_name=f"f{i}.csv", sha256=f"{i:064d}",
                        status=status, created_by=personas.hr.user)
            for i in range(n)
            for status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.FAILED)
        )  # fmt: skip

    add(2)
    url = reverse("facts:import_list")
    hr.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        hr.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        hr.get(url)


def test_rolling_back_a_batch_that_cannot_be_is_a_message(
    personas: Personas, hr: Client, media: Path
) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.FAILED)
    response = hr.post(reverse("facts:import_rollback", args=[batch.pk]), follow=True)
    assert response.status_code == 200 and messages_of(response)
    assert response.redirect_chain[-1][0] == reverse("facts:import_list")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_rollback_never_redirects_off_site(personas: Personas, hr: Client, media: Path) -> None:
    batch = stored_batch(media, CUSTOMERS_CSV, status=ImportBatch.Status.FAILED)
    response = hr.post(
        reverse("facts:import_rollback", args=[batch.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("facts:import_list")
