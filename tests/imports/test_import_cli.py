"""``kaopei import KIND FILE [--dry-run]`` (DESIGN.md §4.1 ⚑): exit 0 with the counts, or
exit 1 with every error as "row N, column C, value V: reason" in the user's language and
nothing written."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kaopei.facts.models import Sale
from kaopei.imports.models import ImportBatch
from tests.conftest import Personas
from tests.imports.test_import_service import KINDS, write

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", *args, stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1
    return str(caught.value), err.getvalue()


SALES = [KINDS["sales"]["header"], *KINDS["sales"]["rows"], ["", "", "", "", "", ""],
         ["HT3", "A001", "C001", "2026/3/9", "10", "1"]]  # fmt: skip


def test_it_imports_a_file_and_prints_the_counts(world: Personas, media: Path) -> None:
    path = write(media, "销售.csv", SALES)
    out, _err = cli("sales", str(path), "--lang", "en")
    assert "3 created, 0 updated, 0 unchanged; 1 blank rows skipped." in out
    assert Sale.objects.count() == 3
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.created_by, batch.file_name) == ("cli", None, "销售.csv")
    again, _err = cli("sales", str(path), "--lang", "en")
    assert "0 created, 0 updated, 3 unchanged" in again


def test_a_dry_run_says_what_would_happen_and_writes_nothing(world: Personas, media: Path) -> None:
    out, _err = cli("sales", str(write(media, "s.csv", SALES)), "--dry-run", "--lang", "en")
    assert "dry run, nothing written" in out and "3 created" in out
    assert Sale.objects.count() == 0


def test_every_error_is_printed_with_row_column_and_value_and_nothing_is_written(
    world: Personas, media: Path
) -> None:
    rows = [KINDS["sales"]["header"],
            ["HT1", "A001", "C001", "2026/2/30", "100", "1"],
            ["HT2", "Z999", "C404", "2026/3/5", "-1", "1"]]  # fmt: skip
    summary, err = refused("sales", str(write(media, "s.csv", rows)), "--lang", "en")
    assert err.strip().splitlines() == [
        "row 2, column signed_on (签约日期), value 2026/2/30: This is not a date. Use a date "
        "such as 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日.",
        "row 3, column amount (金额), value -1: The amount cannot be negative.",
        # A row with a bad cell still has its references checked.
        "row 3, column employee_no (客户经理工号), value Z999: "
        "There is no employee with the number “Z999”.",
        "row 3, column customer_no (客户编号), value C404: "
        "There is no customer with the number “C404”.",
    ]
    assert "4 errors" in summary and "nothing was imported" in summary
    assert Sale.objects.count() == 0


def test_errors_are_printed_in_chinese_by_default(
    world: Personas, media: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    rows = [KINDS["sales"]["header"], ["HT2", "Z999", "C001", "2026/3/5", "1", "1"]]
    summary, err = refused("sales", str(write(media, "s.csv", rows)))
    assert "第 2 行" in err and "没有工号为“Z999”的员工" in err
    assert "未导入任何数据" in summary


def test_an_unreadable_file_is_one_error_about_the_file(world: Personas, media: Path) -> None:
    path = media / "x.csv"
    path.write_bytes(b"%PDF-1.7 not a csv")
    _summary, err = refused("sales", str(path), "--lang", "en")
    assert err.startswith("the file, value x.csv: The file is not what its extension says")


def test_an_unknown_kind_or_a_missing_file_is_refused(world: Personas, media: Path) -> None:
    message, _err = refused("salaries", str(write(media, "s.csv", SALES)), "--lang", "en")
    assert "“salaries” is not an import kind" in message
    message, _err = refused("sales", str(media / "nope.csv"), "--lang", "en")
    assert "nope.csv" in message
    assert not ImportBatch.objects.filter(file_name="nope.csv").exists()


def test_warnings_are_printed(world: Personas, media: Path) -> None:
    rows = [[*KINDS["sales"]["header"], "备注"], [*KINDS["sales"]["rows"][0], "x"]]
    _out, err = cli("sales", str(write(media, "s.csv", rows)), "--lang", "en")
    assert err.startswith("Warning: row 1, value 备注: The column “备注” is not part")
