"""The organisation's import loaders: references and loops inside a file, codes, logins."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from kaopei.imports.models import ImportBatch
from kaopei.org.models import Employee, OrgUnit
from tests.conftest import Personas
from tests.imports.test_import_service import codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
TZ = ZoneInfo("Asia/Shanghai")


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


def test_levels_and_units_import_their_other_language(personas: Personas, media: Path) -> None:
    from kaopei.org.models import JobLevel

    header = ["职级代码", "职级名称", "序列", "职级英文名称", "职级描述", "职级英文描述"]
    rows = [["AM1", "初级客户经理", "1", "Junior account manager", "以执行为主", "Execution first"],
            ["AM9", "见习客户经理", "0", "Trainee", "", ""]]  # fmt: skip
    assert run(write(media, "l.csv", [header, *rows]), "job_levels").status == S.COMMITTED
    am1 = JobLevel.objects.get(code="AM1")
    assert (am1.name_en, am1.description, am1.description_en) == (
        "Junior account manager", "以执行为主", "Execution first")  # fmt: skip
    assert JobLevel.objects.get(code="AM9").name_en == "Trainee"
    # A file without the optional columns leaves them as they are; a blank cell clears one.
    assert run(write(media, "l2.csv", [header[:3], ["AM1", "初级客户经理", "1"]]), "job_levels")
    assert JobLevel.objects.get(code="AM1").name_en == "Junior account manager"
    run(write(media, "l3.csv", [header[:4], ["AM1", "初级客户经理", "1", ""]]), "job_levels")
    assert JobLevel.objects.get(code="AM1").name_en == ""
    units = [
        ["机构代码", "机构名称", "上级机构代码", "机构英文名称"],
        ["BJ", "北京分行", "HQ", "Beijing branch"],
    ]
    assert run(write(media, "u.csv", units), "org_units").status == S.COMMITTED
    assert OrgUnit.objects.get(code="BJ").name_en == "Beijing branch"
