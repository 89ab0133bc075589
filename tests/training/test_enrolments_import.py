"""The ``enrolments`` import (DESIGN.md §4.2 ⚑): Chinese headers in CSV and xlsx, the key
course + employee number + training date, source ``import``, unknown course or person →
row errors and nothing stored, an identical file unchanged, a dry run writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from kaopei.imports.models import ImportBatch
from kaopei.training.models import Enrolment
from tests.conftest import Personas
from tests.imports.test_import_service import codes, run, write
from tests.training.factories import CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
KIND = "enrolments"
HEADER = ["课程代码", "工号", "培训日期", "学时", "是否完成", "满意度", "前测成绩", "后测成绩"]
EN = ["course", "employee_no", "session_on", "hours", "completed", "reaction", "pre_score",
      "post_score"]  # fmt: skip


@pytest.fixture
def courses(personas: Personas) -> Personas:
    CourseFactory(code="AML-101")
    CourseFactory(code="SPIN-101")
    return personas


ROWS: list[list[Any]] = [
    ["AML-101", "A001", "2026/3/18", "3", "是", "5", "62", "88"],
    ["SPIN-101", "A001", "2026/3/20", "6", "否", "", "", ""],
    ["AML-101", "B001", "2026/3/18", "3", "是", "4", "70.5", "90"],
]


def test_a_good_csv_creates_imported_enrolments(courses: Personas, media: Path) -> None:
    batch = run(write(media, "a.csv", [HEADER, *ROWS]), KIND)
    assert batch.error_report == [] and (batch.status, batch.created) == (S.COMMITTED, 3)
    e = Enrolment.objects.get(employee=courses.alice, course__code="AML-101")
    assert (e.session_on, e.hours, e.completed, e.reaction) == (date(2026, 3, 18), D(3), True, 5)
    assert (e.pre_score, e.post_score, e.source) == (D(62), D(88), "import")
    assert e.session_id is None and e.status == Enrolment.Status.ENROLLED
    spin = Enrolment.objects.get(course__code="SPIN-101")
    assert (spin.completed, spin.reaction, spin.pre_score) == (False, None, None)


def test_an_identical_file_is_unchanged_and_an_xlsx_reads_the_same(
    courses: Personas, media: Path
) -> None:
    run(write(media, "a.csv", [HEADER, *ROWS]), KIND)
    again = run(write(media, "b.csv", [HEADER, *ROWS]), KIND)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    xlsx_rows = [["AML-101", "A001", date(2026, 3, 18), 3, "是", 5, 62, 88]]
    xlsx = run(write(media, "c.xlsx", [HEADER, *xlsx_rows]), KIND)
    assert (xlsx.created, xlsx.updated, xlsx.unchanged) == (0, 0, 1)
    changed = run(
        write(media, "d.xlsx", [EN, ["AML-101", "A001", date(2026, 3, 18), 2, "是", 4, 62, 90]]),
        KIND,
    )
    assert (changed.created, changed.updated) == (0, 1)
    assert Enrolment.objects.count() == 3


def test_unknown_course_or_person_is_a_row_error_and_nothing_is_stored(
    courses: Personas, media: Path
) -> None:
    bad = [*ROWS, ["NOPE-1", "A001", "2026/3/18", "3", "是", "", "", ""],
           ["AML-101", "Z999", "2026/3/18", "3", "是", "", "", ""]]  # fmt: skip
    batch = run(write(media, "a.csv", [HEADER, *bad]), KIND)
    assert batch.status == S.FAILED
    assert codes(batch) == [(5, "course", "unknown_course"), (6, "employee_no", "unknown_employee")]
    assert "NOPE-1" in str(batch.error_report) and "Z999" in str(batch.error_report)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("column", "value"), [(5, "6"), (6, "101"), (7, "-1"), (3, "-2"), (4, "也许")]
)
def test_out_of_range_values_are_refused(
    courses: Personas, media: Path, column: int, value: str
) -> None:
    row = list(ROWS[0])
    row[column] = value
    batch = run(write(media, "a.csv", [HEADER, row]), KIND)
    assert batch.status == S.FAILED and batch.error_report
    assert not Enrolment.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(courses: Personas, media: Path) -> None:
    batch = run(write(media, "a.csv", [HEADER, *ROWS]), KIND, dry_run=True)
    assert (batch.status, batch.created) == (S.DRY_RUN, 3)
    assert not Enrolment.objects.exists()


def test_a_record_kept_in_kaopei_is_not_overwritten_by_a_file(
    courses: Personas, media: Path
) -> None:
    s = SessionFactory(course=CourseFactory(code="AML-101"))
    EnrolmentFactory(session=s, employee=courses.alice, session_on=date(2026, 3, 18))
    batch = run(write(media, "a.csv", [HEADER, ROWS[0]]), KIND)
    assert codes(batch) == [(2, "employee_no", "kept_in_kaopei")]
    assert Enrolment.objects.get().source == "kaopei"
