"""``kaopei score CYCLE`` and ``kaopei export scorecards|score-lines CYCLE -o FILE``
(DESIGN.md §4.1 ⚑)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from kaopei.assessment.models import Cycle, Scorecard
from kaopei.assessment.services.cycles import cycle_set_status
from tests.assessment.factories_config import build_hand_example
from tests.conftest import Personas

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_score_prints_the_count_the_grades_and_who_was_skipped(personas: Personas) -> None:
    build_hand_example(personas, score=False)
    output = run("score", "2026q1")
    assert "Scored 4 employees for cycle 2026Q1." in output
    assert "Grades: C 1, UNQUALIFIED 1, INSUFFICIENT 2" in output
    assert "Skipped 3:" in output
    for no in ("HR001", "EX001", "T001"):
        assert f"  {no}\tno template for their job level" in output
    assert Scorecard.objects.filter(cycle__code="2026Q1").count() == 4
    assert Cycle.objects.get(code="2026Q1").status == Cycle.Status.SCORED


def test_score_creates_the_cycle_if_needed(personas: Personas) -> None:
    output = run("score", "2027")
    assert "Scored 0 employees for cycle 2027." in output
    assert Cycle.objects.get(code="2027").kind == Cycle.Kind.ANNUAL


def test_score_refuses_a_bad_code_clearly(db: None) -> None:
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("score", "2026Q5")
    assert "“2026Q5” is not a cycle code" in str(caught.value)
    assert not Cycle.objects.exists()


def test_score_refuses_a_final_cycle(personas: Personas) -> None:
    cycle = build_hand_example(personas)
    cycle = cycle_set_status(cycle=cycle, status=Cycle.Status.CALIBRATING)
    cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL)
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("score", "2026Q1")
    assert "2026Q1 is final" in str(caught.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "2026Q9"], "is not a cycle code"),
        (["export", "scorecards", "2026Q1", "-o", "out.txt"], "must end in .csv or .xlsx"),
    ],
)
def test_the_command_line_exits_1_with_the_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KAOPEI_DATA_DIR": str(tmp_path),
        "LANGUAGE_CODE": "en",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert message in done.stderr
    assert not (tmp_path / "out.txt").exists()


def test_export_writes_csv_with_a_bom(personas: Personas, tmp_path: Path) -> None:
    build_hand_example(personas)
    target = tmp_path / "cards.csv"
    output = run("export", "scorecards", "2026Q1", "-o", str(target))
    assert "Wrote 4 rows of scorecards for 2026Q1" in output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfemployee_no,name,org_unit,level,cycle,total,grade,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["A001", "安丽", "BJ-T1", "AM1", "2026Q1", "99.94", "C", ""]
    assert not list(tmp_path.glob(".*partial"))


def test_export_writes_xlsx_by_extension(personas: Personas, tmp_path: Path) -> None:
    build_hand_example(personas)
    target = tmp_path / "lines.XLSX"
    run("export", "score-lines", "2026Q1", "-o", str(target))
    ws = load_workbook(target).active
    assert ws is not None
    assert [c.value for c in ws[1]] == [
        "employee_no",
        "metric",
        "actual",
        "target",
        "attainment",
        "points",
        "weight",
        "has_data",
    ]
    assert ws.max_row == 1 + 8


def test_export_refuses_an_unknown_extension_and_writes_nothing(
    personas: Personas, tmp_path: Path
) -> None:
    build_hand_example(personas)
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("export", "scorecards", "2026Q1", "-o", str(tmp_path / "cards.xls"))
    assert "“cards.xls”" in str(caught.value) and ".csv or .xlsx" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_cycle_that_does_not_exist(db: None, tmp_path: Path) -> None:
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("export", "scorecards", "2031Q2", "-o", str(tmp_path / "x.csv"))
    assert "Cycle 2031Q2 does not exist yet" in str(caught.value)


def test_export_refuses_a_missing_folder(personas: Personas, tmp_path: Path) -> None:
    build_hand_example(personas)
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("export", "scorecards", "2026Q1", "-o", str(tmp_path / "no" / "x.csv"))
    assert "does not exist" in str(caught.value)


def test_export_refuses_an_unknown_export(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("export", "people", "2026Q1", "-o", str(tmp_path / "x.csv"))
