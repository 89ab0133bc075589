"""The business records' loaders: streaming writes that an error rolls back, a database failure that leaves nothing written, free text that survives."""

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError

from kaopei.facts.loaders.facts import FactLoader
from kaopei.facts.models import Activity, ComplianceIncident
from kaopei.imports.loaders import runner
from kaopei.imports.models import BatchChange, ImportBatch
from tests.conftest import Personas
from tests.imports.test_import_service import ACTIVITY_HEADER, activity_rows, codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
TZ = ZoneInfo("Asia/Shanghai")


# --- streaming, failures --------------------------------------------------------------------


def test_an_error_after_chunks_were_written_rolls_everything_back(
    world: Personas, media: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(runner, "CHUNK_ROWS", 300)
    rows = activity_rows(2000)
    rows[1900][2] = "C404"  # an unknown customer in the last chunk: spreadsheet row 1902
    rows[1950][4] = "not a date"
    batch = run(write(media, "a.csv", [ACTIVITY_HEADER, *rows]), "activities")
    assert codes(batch) == [(1902, "customer_no", "unknown_customer"),
                            (1952, "occurred_at", "invalid_datetime")]  # fmt: skip
    assert Activity.objects.count() == 0 and not BatchChange.objects.exists()
    rows[1900][2], rows[1950][4] = "C001", "2026/3/1 10:00"
    good = run(write(media, "a.csv", [ACTIVITY_HEADER, *rows]), "activities")
    assert (good.status, good.created) == (S.COMMITTED, 2000)
    rows[5][0] = "NEW"  # one new row, one changed row, the rest unchanged, across chunks
    rows[1999][3] = "会议" if rows[1999][3] != "会议" else "拜访"
    again = run(write(media, "a.csv", [ACTIVITY_HEADER, *rows]), "activities")
    assert (again.created, again.updated, again.unchanged) == (1, 1, 1998)


def test_a_database_failure_while_writing_writes_nothing(
    world: Personas, media: Path, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("disk full")

    monkeypatch.setattr(FactLoader, "_upsert_sql", broken)
    batch = run(write(media, "a.csv", [ACTIVITY_HEADER, *activity_rows(20)]), "activities")
    assert (batch.status, codes(batch)) == (S.FAILED, [(0, "", "database_error")])
    assert "disk full" in batch.error_report[0]["reason"]
    assert Activity.objects.count() == 0


def test_free_text_with_tabs_newlines_and_backslashes_survives(
    world: Personas, media: Path
) -> None:
    text = 'line one\ttab\nline two \\ "quoted", 中文'
    header = ["incident_id", "employee_no", "occurred_on", "category", "confirmed", "description"]
    run(write(media, "i.xlsx", [header, ["SJ1", "A001", datetime(2026, 3, 5), "aml", True, text]]),
        "incidents")  # fmt: skip
    assert ComplianceIncident.objects.get().description == text
