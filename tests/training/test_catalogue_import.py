"""The ``courses`` import (DESIGN.md §4.2 ⚑): Chinese or English headers, module and format
by code or Chinese word, metric and competency codes that must exist, re-imports that
update or report unchanged, dry runs, and files with any bad row writing nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_batch_rollback
from kaopei.org.models import Competency
from kaopei.training.models import Course
from tests.conftest import Personas
from tests.imports.test_import_service import codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
KIND = "courses"
HEADER = ["课程代码", "课程名称", "模块", "形式", "学时(小时)", "关联指标", "关联能力"]
EN_HEADER = ["code", "title", "module", "format", "hours", "metrics", "competencies"]


@pytest.fixture
def framework(personas: Personas) -> Personas:
    Competency.objects.create(code="needs_discovery", name="需求挖掘", category="professional")
    Competency.objects.create(code="risk_compliance", name="风险合规", category="compliance")
    return personas


def good_rows() -> list[list[Any]]:
    return [
        [
            "SPIN-101",
            "需求挖掘：SPIN 提问法",
            "需求挖掘",
            "角色扮演",
            "6",
            "opportunity_win_rate、visit_count",
            "needs_discovery",
        ],
        [
            "AML-101",
            "反洗钱与客户尽职调查",
            "compliance",
            "lecture",
            "3.5",
            "compliance_incidents",
            "risk_compliance",
        ],
        ["BI-101", "BI 驾驶舱", "数字工具", "线上", "2", "", ""],
    ]


def import_file(media: Path, rows: list[list[Any]], name: str = "c.csv", **kw: Any) -> ImportBatch:
    header = EN_HEADER if name.endswith(".xlsx") else HEADER
    return run(write(media, name, [header, *rows]), KIND, **kw)


def test_a_good_csv_with_chinese_headers_creates_the_courses(
    framework: Personas, media: Path
) -> None:
    batch = import_file(media, good_rows())
    assert batch.error_report == []
    assert (batch.status, batch.created) == (S.COMMITTED, 3)
    spin = Course.objects.get(code="SPIN-101")
    assert (spin.module, spin.format, spin.hours) == ("needs_discovery", "role_play", Decimal("6"))
    assert sorted(m.code for m in spin.metrics.all()) == ["opportunity_win_rate", "visit_count"]
    assert [c.code for c in spin.competencies.all()] == ["needs_discovery"]
    assert Course.objects.get(code="AML-101").hours == Decimal("3.5")
    assert not Course.objects.get(code="BI-101").metrics.exists()


def test_an_xlsx_with_english_headers_and_numbers_imports_the_same(
    framework: Personas, media: Path
) -> None:
    rows = [[r[0], r[1], r[2], r[3], float(r[4]), r[5], r[6]] for r in good_rows()]
    batch = import_file(media, rows, name="c.xlsx")
    assert (batch.status, batch.created) == (S.COMMITTED, 3), batch.error_report
    assert Course.objects.get(code="AML-101").hours == Decimal("3.5")


def test_reimporting_an_identical_file_reports_every_row_unchanged(
    framework: Personas, media: Path
) -> None:
    import_file(media, good_rows())
    again = import_file(media, good_rows(), name="again.csv")
    assert (again.status, again.created, again.updated, again.unchanged) == (S.COMMITTED, 0, 0, 3)
    # Comma-separated (full-width) in another order is the same list.
    rows = good_rows()
    rows[0][5] = "visit_count，opportunity_win_rate"
    third = import_file(media, rows, name="third.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 0, 3)


def test_reimporting_a_code_updates_the_course_and_a_blank_list_clears_it(
    framework: Personas, media: Path
) -> None:
    import_file(media, good_rows())
    rows = good_rows()
    rows[0][4] = "8"
    rows[0][5] = ""
    batch = import_file(media, rows, name="b.csv")
    assert (batch.status, batch.created, batch.updated, batch.unchanged) == (S.COMMITTED, 0, 1, 2)
    spin = Course.objects.get(code="SPIN-101")
    assert spin.hours == Decimal("8") and not spin.metrics.exists()
    assert spin.history.count() >= 2
    # Rolling the batch back puts the hours and the metrics back.
    import_batch_rollback(batch=batch, user=None)
    spin.refresh_from_db()
    assert spin.hours == Decimal("6")
    assert sorted(m.code for m in spin.metrics.all()) == ["opportunity_win_rate", "visit_count"]


def test_every_kind_of_bad_row_is_reported_and_nothing_is_written(
    framework: Personas, media: Path
) -> None:
    rows = [
        *good_rows(),
        ["X-1", "未知模块", "销售", "讲授", "2", "", ""],
        ["X-2", "未知形式", "other", "直播", "2", "", ""],
        ["X-3", "负学时", "other", "讲授", "-1", "", ""],
        ["X-4", "未知指标", "other", "讲授", "2", "visit_count, no_such_metric", ""],
        ["X-5", "未知能力", "other", "讲授", "2", "", "needs_discovery、no_such_skill"],
        ["X 6", "坏代码", "other", "讲授", "2", "", ""],
        ["", "无代码", "other", "讲授", "2", "", ""],
        ["X-8", "", "other", "讲授", "2", "", ""],
        ["X-9", "学时不是数", "other", "讲授", "两小时", "", ""],
    ]
    batch = import_file(media, rows)
    assert batch.status == S.FAILED
    found = codes(batch)
    assert (4 + 1, "module", "invalid_choice") in found
    assert (5 + 1, "format", "invalid_choice") in found
    assert any(r == 6 + 1 and c == "hours" for r, c, _ in found)
    assert (7 + 1, "metrics", "unknown_metric") in found
    assert (8 + 1, "competencies", "unknown_competency") in found
    assert (9 + 1, "code", "invalid_course_code") in found
    assert any(r == 10 + 1 and c == "code" for r, c, _ in found)
    assert any(r == 11 + 1 and c == "title" for r, c, _ in found)
    assert any(r == 12 + 1 and c == "hours" for r, c, _ in found)
    unknown = next(e for e in batch.error_report if e["code"] == "unknown_metric")
    assert unknown["value"] == "no_such_metric"
    assert not Course.objects.exists()


def test_a_wrong_hours_unit_is_refused(framework: Personas, media: Path) -> None:
    header = [*HEADER[:4], "学时(天)", *HEADER[5:]]
    batch = run(write(media, "u.csv", [header, *good_rows()]), KIND)
    assert batch.status == S.FAILED
    assert not Course.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(framework: Personas, media: Path) -> None:
    batch = import_file(media, good_rows(), dry_run=True)
    assert (batch.status, batch.created) == (S.DRY_RUN, 3)
    assert not Course.objects.exists()


def test_a_file_without_the_optional_columns_keeps_the_lists(
    framework: Personas, media: Path
) -> None:
    import_file(media, good_rows())
    rows = [r[:5] for r in good_rows()]
    batch = run(write(media, "short.csv", [HEADER[:5], *rows]), KIND)
    assert (batch.status, batch.unchanged) == (S.COMMITTED, 3)
    assert Course.objects.get(code="SPIN-101").metrics.count() == 2


def test_a_batch_whose_courses_are_now_used_cannot_be_rolled_back(
    framework: Personas, media: Path
) -> None:
    from kaopei.imports.services import import_batch_can_rollback
    from tests.training.factories import EnrolmentFactory

    batch = import_file(media, good_rows())
    EnrolmentFactory(course=Course.objects.get(code="AML-101"), employee=framework.alice)
    allowed, reason = import_batch_can_rollback(batch)
    assert not allowed and reason
