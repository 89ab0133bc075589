"""The loaders (the database half of the import pipeline) and the parser's fast paths:
every kind has a loader declaring what it writes; references and loops inside a file;
manual scores, templates and logins; streaming writes that an error rolls back; a database
failure that leaves nothing written; and fast paths that parse exactly as the general
parsers do."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError
from hypothesis import given, settings
from hypothesis import strategies as st

from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.facts.loaders.facts import FactLoader
from kaopei.facts.models import Activity, ComplianceIncident
from kaopei.imports.importing import SPECS, CellError, Column, ParseContext
from kaopei.imports.importing.fast import MISS
from kaopei.imports.importing.validate import str_parser
from kaopei.imports.loaders import LOADERS, get_loader, runner
from kaopei.imports.models import BatchChange, ImportBatch
from kaopei.org.models import Employee, OrgUnit
from tests.conftest import Personas
from tests.imports.test_import_service import ACTIVITY_HEADER, activity_rows, codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
TZ = ZoneInfo("Asia/Shanghai")


# --- declarations ---------------------------------------------------------------------------


def test_every_kind_has_a_loader_that_declares_what_it_writes() -> None:
    assert set(LOADERS) == set(SPECS)
    for kind, loader in LOADERS.items():
        assert loader.kind == kind and loader.writes
        assert all("." in label for label in loader.writes)
    with pytest.raises(Exception, match="salaries"):
        get_loader("salaries")


# --- organisation ---------------------------------------------------------------------------


def test_a_parent_loop_inside_a_file_is_refused(personas: Personas, media: Path) -> None:
    rows = [["X1", "一", "X2"], ["X2", "二", "X1"], ["X3", "三", "NOPE"]]
    batch = run(write(media, "u.csv", [["code", "name", "parent_code"], *rows]), "org_units")
    assert codes(batch) == [(2, "parent_code", "parent_loop"), (3, "parent_code", "parent_loop"),
                            (4, "parent_code", "unknown_org_unit")]  # fmt: skip
    assert not OrgUnit.objects.filter(code__startswith="X").exists()


def test_moving_a_unit_under_its_own_child_is_refused(personas: Personas, media: Path) -> None:
    batch = run(write(media, "u.csv", [["code", "name", "parent_code"], ["BJ", "北京", "BJ-T1"]]),
                "org_units")  # fmt: skip
    assert codes(batch) == [(2, "parent_code", "parent_loop")]


def test_a_supervisor_loop_is_refused(personas: Personas, media: Path) -> None:
    header = ["employee_no", "name", "org_unit", "level", "supervisor_no"]
    rows = [["S001", "孙培", "BJ-T1", "AM3", "A001"]]  # Alice reports to S001 already
    batch = run(write(media, "e.csv", [header, *rows]), "employees")
    assert codes(batch) == [(2, "supervisor_no", "supervisor_loop")]


def test_employee_references_and_codes_are_checked(personas: Personas, media: Path) -> None:
    OrgUnit.objects.filter(code="SH-T1").update(active=False)
    header = ["employee_no", "name", "org_unit", "level", "supervisor_no"]
    rows = [["E 1", "甲", "BJ-T1", "AM1", ""], ["new", "乙", "BJ-T1", "AM1", ""],
            ["E3", "丙", "ZZ", "AM9", "E404"], ["E4", "丁", "SH-T1", "AM1", ""],
            ["B001", "白波", "SH-T1", "AM2", "S002"]]  # fmt: skip
    batch = run(write(media, "e.csv", [header, *rows]), "employees")
    assert codes(batch) == [
        (2, "employee_no", "invalid_code"),
        (3, "employee_no", "reserved_code"),
        (4, "org_unit", "unknown_org_unit"),
        (4, "level", "unknown_level"),
        (4, "supervisor_no", "unknown_employee"),
        (5, "org_unit", "org_unit_inactive"),  # Bob may stay in his inactive unit
    ]


def test_rows_with_a_bad_cell_still_have_their_references_checked(
    personas: Personas, media: Path
) -> None:
    header = ["employee_no", "name", "org_unit", "level", "supervisor_no", "hire_date"]
    rows = [["E1", "甲", "ZZ", "AM1", "E2", "2026/2/30"],  # E2 is defined below: fine
            ["E2", "乙", "BJ-T1", "AM9", "Q404", "2026/13/1"]]  # fmt: skip
    batch = run(write(media, "e.csv", [header, *rows]), "employees")
    assert codes(batch) == [
        (2, "hire_date", "invalid_date"),
        (2, "org_unit", "unknown_org_unit"),
        (3, "hire_date", "invalid_date"),
        (3, "level", "unknown_level"),
        (3, "supervisor_no", "unknown_employee"),
    ]


def test_a_login_of_another_employee_is_not_taken_over(personas: Personas, media: Path) -> None:
    personas.alice.user.username = "E900"  # type: ignore[union-attr]
    personas.alice.user.save()  # type: ignore[union-attr]
    header = ["employee_no", "name", "org_unit", "level"]
    batch = run(write(media, "e.csv", [header, ["E900", "王五", "BJ-T1", "AM1"]]), "employees")
    assert codes(batch) == [(2, "employee_no", "login_taken")]


def test_an_unused_login_of_the_same_name_is_linked(personas: Personas, media: Path) -> None:
    login = User.objects.create_user("E900")
    header = ["employee_no", "name", "org_unit", "level", "email"]
    run(write(media, "e.csv", [header, ["E900", "王五", "BJ-T1", "AM1", "w@example.com"]]),
        "employees")  # fmt: skip
    assert Employee.objects.get(employee_no="E900").user == login


# --- assessment -----------------------------------------------------------------------------


def test_manual_scores_are_for_manual_metrics_and_known_raters(
    personas: Personas, media: Path
) -> None:
    header = ["cycle", "employee_no", "metric", "value", "rater_no"]
    rows = [["2026Q2", "A001", "visit_count", "4", ""],
            ["2026Q2", "A001", "supervisor_rating", "4", "Z404"],
            ["2026Q2", "A001", "nope", "4.1234567", ""]]  # fmt: skip
    batch = run(write(media, "m.csv", [header, *rows]), "manual_scores")
    assert codes(batch) == [(2, "metric", "metric_not_manual"), (3, "rater_no", "unknown_employee"),
                            (4, "metric", "unknown_metric"), (4, "value", "too_many_decimals")]  # fmt: skip


def test_manual_scores_for_a_cycle_finalised_during_the_import_write_nothing(
    personas: Personas, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaopei.assessment.loaders import ManualScoreLoader
    from kaopei.assessment.models import Cycle, ManualScore
    from kaopei.assessment.services.cycles import cycle_get_or_create

    cycle = cycle_get_or_create(code="2026Q2")
    checked = ManualScoreLoader.check

    def check_then_finalise(self: Any) -> None:  # HR finalises between check and write
        checked(self)
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.FINAL)

    monkeypatch.setattr(ManualScoreLoader, "check", check_then_finalise)
    header = ["cycle", "employee_no", "metric", "value"]
    batch = run(write(media, "m.csv", [header, ["2026Q2", "A001", "supervisor_rating", "4"]]),
                "manual_scores")  # fmt: skip
    assert batch.status != S.COMMITTED
    assert not ManualScore.objects.exists()


def test_a_template_keeps_its_level_and_cycle_kind(personas: Personas, media: Path) -> None:
    template_create_version(code="T1", level=personas.am1, cycle_kind="quarterly",
                            items=[ItemSpec("visit_count", Decimal(100))])  # fmt: skip
    header = ["template", "level", "cycle_kind", "metric", "weight", "cap"]
    rows = [["T1", "AM2", "quarterly", "visit_count", "100", ""],
            ["T2", "AM9", "annual", "visit_count", "33.333", "1.255"]]  # fmt: skip
    batch = run(write(media, "t.csv", [header, *rows]), "templates")
    assert codes(batch) == [(2, "template", "template_other_level"), (3, "level", "unknown_level"),
                            (3, "weight", "too_many_decimals"), (3, "cap", "too_many_decimals")]  # fmt: skip


def test_targets_warn_about_metrics_outside_the_template(world: Personas, media: Path) -> None:
    header = ["cycle", "employee_no", "metric", "target"]
    batch = run(write(media, "t.csv", [header, ["2026Q2", "A001", "visit_count", "40"]]),
                "targets")  # fmt: skip
    assert batch.status == S.COMMITTED
    assert [(w["row"], w["code"]) for w in batch.warnings] == [(2, "target_outside_template")]


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


# --- the parser's fast paths ------------------------------------------------------------------


def _outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", parse(text)
    except CellError as error:
        return "error", (error.code, {k: str(v) for k, v in error.params.items()})


COLUMNS: list[Column] = [c for spec in SPECS.values() for c in spec.columns]
DATEISH = st.from_regex(
    r"\A[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}( ?T?[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?"
    r"([+-][0-9]{2}:?[0-9]{2}|Z)?\Z"
)
NUMBERISH = st.from_regex(r"\A-?[0-9,]{0,16}(\.[0-9]{0,8})?\Z")
KEYISH = st.text(alphabet="AZaz09_-.+/ E\t中", max_size=70)
TEXTS = st.one_of(DATEISH, NUMBERISH, KEYISH, st.text(max_size=20),
                  st.sampled_from(["visit", "拜访", "是", "TRUE", "y", "0", "1", "1.5", "1E+11"]))  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COLUMNS), TEXTS)
def test_a_fast_path_parses_exactly_as_the_general_parser(column: Column, text: str) -> None:
    ctx = ParseContext(TZ)
    fast = str_parser(column, ctx)
    if fast is None:
        return
    quick = _outcome(fast, text)
    if quick == ("ok", MISS):
        return  # not an everyday shape: the general parser decides
    general = _outcome(lambda t: column.parse(t, ctx), text)
    assert general == quick
    assert type(general[1]) is type(quick[1])
