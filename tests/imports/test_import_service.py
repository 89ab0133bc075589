"""The import service (DESIGN.md §4.2 ⚑): every kind from a GB18030 CSV with Chinese headers
and from an xlsx, all-or-nothing, re-imports that change nothing, updates that clear optional
values, references inside a file, final cycles, templates, dry runs and background jobs.

The helpers here (files as users make them) are shared by the other import test modules.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kaopei.assessment.models import Cycle, ManualScore, Target, Template
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.models import Job
from kaopei.facts.models import (
    Activity,
    Complaint,
    ComplianceIncident,
    Customer,
    Opportunity,
    Receivable,
    Sale,
    SurveyResponse,
)
from kaopei.imports.models import BatchChange, ImportBatch
from kaopei.imports.services import (
    import_batch_rollback,
    import_file,
    import_preview,
    import_run,
    import_start,
    import_upload,
)
from kaopei.org.models import Employee, JobLevel, OrgUnit
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
S = ImportBatch.Status


# --- files as users make them -------------------------------------------------------------


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "gb18030") -> bytes:
    """CSV as Chinese Excel saves it: GBK-family encoding, CRLF, quotes when needed."""
    out = io.StringIO()
    for row in rows:
        cells = ["" if c is None else str(c) for c in row]
        out.write(",".join(f'"{c}"' if ("," in c or '"' in c) else c for c in cells) + "\r\n")
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(tmp: Path, name: str, rows: Sequence[Sequence[Any]], encoding: str = "gb18030") -> Path:
    path = tmp / name
    path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, encoding))
    return path


def run(path: Path, kind: str, *, dry_run: bool = False, user: Any = None) -> ImportBatch:
    return import_file(path=path, kind=kind, dry_run=dry_run, user=user)


def codes(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["code"]) for e in batch.error_report]


# Every kind: Chinese headers, rows as a Chinese user types them (2026/3/5 dates), the same
# rows as an xlsx writes them (native dates and numbers), and what they create.
KINDS: dict[str, dict[str, Any]] = {
    "job_levels": {
        "header": ["职级代码", "职级名称", "序列"],
        "rows": [["AM9", "资深客户经理", "9"], ["AM8", "客户经理八级", "8"]],
        "xlsx": [["AM9", "资深客户经理", 9], ["AM8", "客户经理八级", 8]],
        "count": lambda: JobLevel.objects.filter(code__in=["AM8", "AM9"]).count(),
    },
    "org_units": {
        "header": ["机构代码", "机构名称", "上级机构代码"],
        "rows": [["GZ", "广州分行", "HQ"], ["GZ-T1", "广州一组", "GZ"]],
        "xlsx": [["GZ", "广州分行", "HQ"], ["GZ-T1", "广州一组", "GZ"]],
        "count": lambda: OrgUnit.objects.filter(code__startswith="GZ").count(),
    },
    "employees": {
        "header": [
            "工号",
            "姓名",
            "机构代码",
            "职级",
            "上级工号",
            "邮箱",
            "入职日期",
            "离职日期",
            "在职",
            "角色",
        ],
        "rows": [
            [
                "E900",
                "王五",
                "BJ-T1",
                "AM1",
                "S001",
                "wang@example.com",
                "2026/3/5",
                "",
                "是",
                "客户经理",
            ],
            ["E901", "赵六", "BJ-T1", "AM2", "E900", "", "2026年3月6日", "", "", "客户经理,主管"],
        ],
        "xlsx": [
            [
                "E900",
                "王五",
                "BJ-T1",
                "AM1",
                "S001",
                "wang@example.com",
                datetime(2026, 3, 5),
                None,
                True,
                "客户经理",
            ],
            [
                "E901",
                "赵六",
                "BJ-T1",
                "AM2",
                "E900",
                None,
                datetime(2026, 3, 6),
                None,
                None,
                "客户经理,主管",
            ],
        ],
        "count": lambda: Employee.objects.filter(employee_no__in=["E900", "E901"]).count(),
    },
    "customers": {
        "header": [
            "客户编号",
            "客户名称",
            "客户经理工号",
            "客户类型",
            "战略客户",
            "获客日期",
            "流失日期",
        ],
        "rows": [
            ["C100", "丙公司", "A001", "制造业", "是", "2026/3/5", ""],
            ["C101", "丁公司", "B001", "", "否", "2026.3.6", "2026/3/30"],
        ],
        "xlsx": [
            ["C100", "丙公司", "A001", "制造业", "是", datetime(2026, 3, 5), None],
            ["C101", "丁公司", "B001", None, False, datetime(2026, 3, 6), datetime(2026, 3, 30)],
        ],
        "count": lambda: Customer.objects.filter(customer_no__in=["C100", "C101"]).count(),
    },
    "activities": {
        "header": ["活动编号", "客户经理工号", "客户编号", "类型", "发生时间", "响应时长(小时)"],
        "rows": [
            ["AC1", "A001", "C001", "拜访", "2026/3/5 14:30", "2.5"],
            ["AC2", "B001", "C002", "电话", "2026-03-06", ""],
        ],
        "xlsx": [
            ["AC1", "A001", "C001", "拜访", datetime(2026, 3, 5, 14, 30), 2.5],
            ["AC2", "B001", "C002", "电话", datetime(2026, 3, 6), None],
        ],
        "count": lambda: Activity.objects.count(),
    },
    "opportunities": {
        "header": [
            "商机编号",
            "客户经理工号",
            "客户编号",
            "创建日期",
            "关闭日期",
            "状态",
            "金额(元)",
        ],
        "rows": [
            ["OP1", "A001", "C001", "2026/3/5", "2026/3/20", "赢单", "1,200,000.50"],
            ["OP2", "B001", "C002", "2026/3/6", "", "进行中", "80000"],
        ],
        "xlsx": [
            ["OP1", "A001", "C001", datetime(2026, 3, 5), datetime(2026, 3, 20), "赢单", 1200000.5],
            ["OP2", "B001", "C002", datetime(2026, 3, 6), None, "进行中", 80000],
        ],
        "count": lambda: Opportunity.objects.count(),
    },
    "sales": {
        "header": ["合同编号", "客户经理工号", "客户编号", "签约日期", "金额（元）", "模拟利润"],
        "rows": [
            ["HT1", "A001", "C001", "2026/3/5", "500000", "-1200.5"],
            ["HT2", "B001", "C002", "2026/3/7", "250,000", "30000"],
        ],
        "xlsx": [
            ["HT1", "A001", "C001", datetime(2026, 3, 5), 500000, -1200.5],
            ["HT2", "B001", "C002", datetime(2026, 3, 7), 250000, 30000],
        ],
        "count": lambda: Sale.objects.count(),
    },
    "receivables": {
        "header": ["发票号", "客户经理工号", "客户编号", "开票日期", "金额", "回款日期"],
        "rows": [
            ["INV1", "A001", "C001", "2026/3/5", "1000", "2026/3/25"],
            ["INV2", "B001", "C002", "2026/3/6", "2000", ""],
        ],
        "xlsx": [
            ["INV1", "A001", "C001", datetime(2026, 3, 5), 1000, datetime(2026, 3, 25)],
            ["INV2", "B001", "C002", datetime(2026, 3, 6), 2000, None],
        ],
        "count": lambda: Receivable.objects.count(),
    },
    "complaints": {
        "header": ["投诉编号", "客户经理工号", "客户编号", "投诉日期", "解决日期"],
        "rows": [
            ["TS1", "A001", "C001", "2026/3/5", "2026/3/8"],
            ["TS2", "B001", "C002", "2026/3/6", ""],
        ],
        "xlsx": [
            ["TS1", "A001", "C001", datetime(2026, 3, 5), datetime(2026, 3, 8)],
            ["TS2", "B001", "C002", datetime(2026, 3, 6), None],
        ],
        "count": lambda: Complaint.objects.count(),
    },
    "surveys": {
        "header": ["问卷编号", "客户经理工号", "客户编号", "填写日期", "推荐得分", "满意度"],
        "rows": [
            ["WJ1", "A001", "C001", "2026/3/5", "9", "5"],
            ["WJ2", "B001", "C002", "2026/3/6", "6", ""],
        ],
        "xlsx": [
            ["WJ1", "A001", "C001", datetime(2026, 3, 5), 9, 5],
            ["WJ2", "B001", "C002", datetime(2026, 3, 6), 6, None],
        ],
        "count": lambda: SurveyResponse.objects.count(),
    },
    "incidents": {
        "header": ["事件编号", "客户经理工号", "发生日期", "类别", "是否确认", "描述"],
        "rows": [
            ["SJ1", "A001", "2026/3/5", "反洗钱", "是", "未按规定报告大额交易"],
            ["SJ2", "B001", "2026/3/6", "其他", "否", ""],
        ],
        "xlsx": [
            ["SJ1", "A001", datetime(2026, 3, 5), "反洗钱", True, "未按规定报告大额交易"],
            ["SJ2", "B001", datetime(2026, 3, 6), "其他", False, None],
        ],
        "count": lambda: ComplianceIncident.objects.count(),
    },
    "targets": {
        "header": ["考核周期", "工号", "指标代码", "目标值"],
        "rows": [
            ["2026Q2", "A001", "visit_count", "40"],
            ["2026Q2", "B001", "sales_amount", "300000"],
        ],
        "xlsx": [["2026Q2", "A001", "visit_count", 40], ["2026Q2", "B001", "sales_amount", 300000]],
        "count": lambda: Target.objects.filter(cycle__code="2026Q2").count(),
    },
    "manual_scores": {
        "header": ["考核周期", "工号", "指标代码", "得分", "评分人工号"],
        "rows": [
            ["2026Q2", "A001", "supervisor_rating", "4.5", "S001"],
            ["2026Q2", "B001", "supervisor_rating", "3", ""],
        ],
        "xlsx": [
            ["2026Q2", "A001", "supervisor_rating", 4.5, "S001"],
            ["2026Q2", "B001", "supervisor_rating", 3, None],
        ],
        "count": lambda: ManualScore.objects.filter(cycle__code="2026Q2").count(),
    },
    "templates": {
        "header": ["模板代码", "职级", "周期类型", "指标代码", "权重(%)", "封顶"],
        "rows": [
            ["T-AM1", "AM1", "季度", "visit_count", "60", "1.5"],
            ["T-AM1", "AM1", "季度", "sales_amount", "40", ""],
        ],
        "xlsx": [
            ["T-AM1", "AM1", "季度", "visit_count", 60, 1.5],
            ["T-AM1", "AM1", "季度", "sales_amount", 40, None],
        ],
        "count": lambda: Template.objects.get(code="T-AM1", current=True).items.count(),
    },
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_imports_a_gb18030_csv_with_chinese_headers_and_reimports_as_a_no_op(
    world: Personas, media: Path, kind: str
) -> None:
    case = KINDS[kind]
    path = write(media, f"{kind}.csv", [case["header"], *case["rows"]])
    batch = run(path, kind, user=world.hr.user)
    assert batch.error_report == []
    assert (batch.status, batch.kind, batch.rows, batch.created) == (S.COMMITTED, kind, 2, 2)
    assert batch.created_by == world.hr.user and len(batch.sha256) == 64
    assert case["count"]() == 2

    again = run(path, kind, user=world.hr.user)
    assert again.status == S.COMMITTED
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert not BatchChange.objects.filter(batch=again).exists()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_imports_an_xlsx_with_native_cells(
    world: Personas, media: Path, kind: str
) -> None:
    case = KINDS[kind]
    path = write(media, f"{kind}.xlsx", [case["header"], *case["xlsx"]])
    batch = run(path, kind)
    assert batch.error_report == []
    assert (batch.status, batch.created) == (S.COMMITTED, 2)
    assert case["count"]() == 2
    # The same data as a CSV changes nothing.
    csv = run(write(media, f"{kind}.csv", [case["header"], *case["rows"]]), kind)
    assert (csv.created, csv.updated, csv.unchanged) == (0, 0, 2)


def test_values_land_in_the_right_fields(world: Personas, media: Path) -> None:
    for kind in ("customers", "activities", "opportunities", "incidents"):
        case = KINDS[kind]
        run(write(media, f"{kind}.csv", [case["header"], *case["rows"]]), kind)
    c100 = Customer.objects.get(customer_no="C100")
    assert (c100.owner, c100.segment, c100.strategic, c100.acquired_on, c100.lost_on) == (
        world.alice,
        "制造业",
        True,
        date(2026, 3, 5),
        None,
    )
    assert Customer.objects.get(customer_no="C101").segment == ""  # blank text → ""
    ac1 = Activity.objects.get(activity_id="AC1")
    assert (ac1.employee, ac1.customer.customer_no, ac1.kind) == (world.alice, "C001", "visit")
    assert ac1.occurred_at == datetime(2026, 3, 5, 14, 30, tzinfo=TZ)
    assert (ac1.occurred_on, ac1.response_hours) == (date(2026, 3, 5), Decimal("2.5"))
    assert Activity.objects.get(activity_id="AC2").response_hours is None
    op1 = Opportunity.objects.get(opportunity_id="OP1")
    assert (op1.status, op1.amount) == ("won", Decimal("1200000.50"))
    sj1 = ComplianceIncident.objects.get(incident_id="SJ1")
    assert (sj1.category, sj1.confirmed) == ("aml", True)
    assert ac1.import_batch is not None and ac1.import_batch.kind == "activities"


def test_an_activity_takes_its_local_date_in_the_organisations_time_zone(
    world: Personas, media: Path
) -> None:
    header = ["activity_id", "employee_no", "customer_no", "kind", "occurred_at"]
    run(
        write(
            media,
            "a.csv",
            [
                header,
                ["late", "A001", "C001", "visit", "2026-03-31 23:30"],
                ["utc", "A001", "C001", "call", "2026-03-31T20:00:00-05:00"],
                ["z", "A001", "C001", "call", "2026-03-31T16:30:00Z"],
            ],
        ),
        "activities",
    )
    days = dict(Activity.objects.values_list("activity_id", "occurred_on"))
    assert days == {"late": date(2026, 3, 31), "utc": date(2026, 4, 1), "z": date(2026, 4, 1)}


# --- all or nothing -----------------------------------------------------------------------


ACTIVITY_HEADER = ["活动编号", "客户经理工号", "客户编号", "类型", "发生时间", "响应时长(小时)"]


def activity_rows(n: int) -> list[list[str]]:
    return [
        [
            f"A{i:05d}",
            "A001" if i % 2 else "B001",
            "C001" if i % 2 else "C002",
            ("拜访", "电话", "会议", "客户请求")[i % 4],
            f"2026/3/{i % 28 + 1} 09:{i % 60:02d}",
            f"{i % 48}.5" if i % 3 else "",
        ]
        for i in range(n)
    ]


def test_one_bad_row_among_thousands_imports_nothing_and_names_the_row(
    world: Personas, media: Path
) -> None:
    rows = activity_rows(3000)
    rows[1733][4] = "2026/2/30 10:00"  # spreadsheet row 1735 (header = row 1)
    batch = run(write(media, "big.csv", [ACTIVITY_HEADER, *rows]), "activities")
    assert batch.status == S.FAILED
    assert codes(batch) == [(1735, "occurred_at", "invalid_datetime")]
    assert batch.error_report[0]["value"] == "2026/2/30 10:00"
    assert batch.rows == 3000
    assert Activity.objects.count() == 0

    rows[1733][4] = "2026/2/28 10:00"
    good = run(write(media, "big.csv", [ACTIVITY_HEADER, *rows]), "activities")
    assert (good.status, good.created) == (S.COMMITTED, 3000)
    again = run(write(media, "big.csv", [ACTIVITY_HEADER, *rows]), "activities")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3000)


def test_every_error_is_reported_in_row_order_and_nothing_is_written(
    world: Personas, media: Path
) -> None:
    rows = [
        ["S1", "A001", "C001", "2026/3/5", "100", "1"],
        ["S2", "Z999", "C001", "2026/3/5", "100", "1"],  # unknown employee
        ["S3", "A001", "C404", "2026/3/5", "-5", "1"],  # unknown customer, negative amount
        ["S1", "A001", "C001", "2026/3/5", "100", "1"],  # duplicate key
    ]
    batch = run(write(media, "s.csv", [KINDS["sales"]["header"], *rows]), "sales")
    assert batch.status == S.FAILED
    assert codes(batch) == [
        (3, "employee_no", "unknown_employee"),
        (4, "amount", "negative"),
        (4, "customer_no", "unknown_customer"),
        (5, "contract_no", "duplicate_key"),
    ]
    assert Sale.objects.count() == 0


def test_unknown_references_are_row_errors(world: Personas, media: Path) -> None:
    rows = [["S2", "Z999", "C404", "2026/3/5", "100", "1"]]
    batch = run(write(media, "s.csv", [KINDS["sales"]["header"], *rows]), "sales")
    assert codes(batch) == [
        (2, "employee_no", "unknown_employee"),
        (2, "customer_no", "unknown_customer"),
    ]
    assert "Z999" in batch.error_report[0]["reason"]


def test_a_header_problem_refuses_the_file(world: Personas, media: Path) -> None:
    header = ["合同编号", "客户经理工号", "客户编号", "签约日期", "金额(万元)"]
    batch = run(write(media, "s.csv", [header, ["S1", "A001", "C001", "2026/3/5", "1"]]), "sales")
    assert {c for _r, _c, c in codes(batch)} == {"unit_unknown", "missing_column"}
    assert Sale.objects.count() == 0


def test_an_unreadable_file_is_refused_with_a_file_error(world: Personas, media: Path) -> None:
    path = media / "x.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    batch = run(path, "sales")
    assert batch.status == S.FAILED
    assert codes(batch) == [(0, "", "wrong_content")]


def test_blank_rows_are_skipped_and_counted(world: Personas, media: Path) -> None:
    rows = [
        KINDS["complaints"]["header"],
        KINDS["complaints"]["rows"][0],
        ["", "", "", "", ""],
        [],
        KINDS["complaints"]["rows"][1],
    ]
    batch = run(write(media, "c.csv", rows), "complaints")
    assert (batch.status, batch.rows, batch.created, batch.skipped) == (S.COMMITTED, 2, 2, 2)


def test_unknown_extra_columns_are_warnings(world: Personas, media: Path) -> None:
    header = [*KINDS["complaints"]["header"], "备注"]
    rows = [[*r, "说明"] for r in KINDS["complaints"]["rows"]]
    batch = run(write(media, "c.csv", [header, *rows]), "complaints")
    assert batch.status == S.COMMITTED
    assert [w["code"] for w in batch.warnings] == ["unknown_column"]


# --- updates ------------------------------------------------------------------------------


def test_an_update_replaces_the_columns_of_the_file_and_a_blank_clears_an_optional_value(
    world: Personas, media: Path
) -> None:
    header = ["客户编号", "客户名称", "客户经理工号", "客户类型", "获客日期", "流失日期"]
    run(
        write(
            media,
            "c.csv",
            [
                header,
                ["C100", "丙公司", "A001", "制造业", "2026/3/5", "2026/3/9"],
                ["C101", "丁公司", "A001", "农业", "2026/3/5", ""],
            ],
        ),
        "customers",
    )
    Customer.objects.filter(customer_no="C100").update(strategic=True)
    batch = run(
        write(
            media,
            "c2.csv",
            [
                header,
                ["C100", "丙公司（新）", "B001", "", "2026/3/5", ""],
                ["C101", "丁公司", "A001", "农业", "2026/3/5", ""],
            ],
        ),
        "customers",
    )
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 1)
    c100 = Customer.objects.get(customer_no="C100")
    assert (c100.name, c100.owner, c100.segment, c100.lost_on) == (
        "丙公司（新）",
        world.bob,
        "",
        None,
    )
    assert c100.strategic is True  # the column is not in the file: untouched
    assert c100.import_batch == batch
    change = BatchChange.objects.get(batch=batch)
    assert (change.model, change.object_id) == ("facts.customer", c100.pk)
    assert change.before["segment"] == "制造业" and change.before["lost_on"] == "2026-03-09"
    # Records absent from the file are untouched.
    assert Customer.objects.filter(customer_no="C001").exists()


def test_a_dry_run_counts_and_writes_nothing(world: Personas, media: Path) -> None:
    case = KINDS["targets"]
    batch = run(write(media, "t.csv", [case["header"], *case["rows"]]), "targets", dry_run=True)
    assert (batch.status, batch.dry_run, batch.created, batch.rows) == (S.DRY_RUN, True, 2, 2)
    assert not Cycle.objects.filter(code="2026Q2").exists()  # not even the cycle
    assert Target.objects.count() == 0
    committed = import_run(batch=batch, kind="targets", dry_run=False, user=None)
    assert (committed.status, committed.created) == (S.COMMITTED, 2)
    assert Cycle.objects.get(code="2026Q2").status == Cycle.Status.DRAFT
    with pytest.raises(ConflictError):
        import_run(batch=committed, kind="targets", dry_run=False, user=None)


# --- references inside a file ---------------------------------------------------------------


def test_employees_may_name_a_supervisor_from_a_later_or_earlier_row(
    personas: Personas, media: Path
) -> None:
    header = ["employee_no", "name", "org_unit", "level", "supervisor_no", "roles"]
    rows = [
        ["E1", "甲", "BJ-T1", "AM1", "E3", "account_manager"],
        ["E2", "乙", "BJ-T1", "AM1", "E1", ""],
        ["E3", "丙", "BJ-T1", "AM3", "S001", "supervisor；account_manager"],
    ]
    batch = run(write(media, "e.csv", [header, *rows]), "employees")
    assert batch.error_report == [] and batch.created == 3
    people = {e.employee_no: e for e in Employee.objects.select_related("supervisor", "user")}
    assert people["E1"].supervisor == people["E3"]
    assert people["E2"].supervisor == people["E1"]
    assert people["E3"].supervisor == personas.sup
    login = people["E3"].user
    assert login is not None and login.username == "E3" and not login.has_usable_password()
    assert set(login.groups.values_list("name", flat=True)) == {"supervisor", "account_manager"}
    assert not people["E2"].user.groups.exists()  # type: ignore[union-attr]
    assert people["E1"].history.count() == 1  # one "created" record, with its supervisor
    assert run(write(media, "e.csv", [header, *rows]), "employees").unchanged == 3


def test_org_units_may_name_a_parent_from_the_same_file(personas: Personas, media: Path) -> None:
    rows = [["GZ-T1", "广州一组", "GZ"], ["GZ", "广州分行", "HQ"], ["XN", "西南总部", ""]]
    batch = run(write(media, "u.csv", [["code", "name", "parent_code"], *rows]), "org_units")
    assert batch.created == 3
    units = {u.code: u for u in OrgUnit.objects.select_related("parent")}
    assert units["GZ-T1"].parent == units["GZ"] and units["GZ"].parent == personas.hq
    assert units["XN"].parent is None
    assert (units["GZ"].kind, units["GZ-T1"].kind, units["XN"].kind) == ("branch", "team", "hq")


def test_employee_updates_move_people_and_set_roles(personas: Personas, media: Path) -> None:
    header = ["工号", "姓名", "机构代码", "职级", "上级工号", "邮箱", "在职", "角色"]
    rows = [["A001", "安丽", "SH-T1", "AM2", "S002", "anli@example.com", "否", "客户经理,培训师"]]
    batch = run(write(media, "e.csv", [header, *rows]), "employees", user=personas.hr.user)
    assert (batch.updated, batch.created) == (1, 0)
    alice = Employee.objects.select_related("user").get(employee_no="A001")
    assert (alice.org_unit, alice.level, alice.supervisor) == (
        personas.sh_t1,
        personas.am2,
        personas.sup2,
    )
    assert alice.active is False and alice.user is not None and alice.user.is_active is False
    assert alice.user.email == "anli@example.com"
    assert set(alice.user.groups.values_list("name", flat=True)) == {"account_manager", "trainer"}
    assert alice.history.first().history_user == personas.hr.user  # type: ignore[union-attr]
    before = BatchChange.objects.get(batch=batch).before
    assert before["roles"] == ["account_manager"] and before["org_unit_id"] == personas.bj_t1.pk


# --- final cycles -------------------------------------------------------------------------


def finalise(code: str) -> Cycle:
    cycle = cycle_get_or_create(code=code)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.FINAL)
    return Cycle.objects.get(pk=cycle.pk)


def test_a_final_cycle_refuses_targets_and_manual_scores(world: Personas, media: Path) -> None:
    finalise("2026Q2")
    for kind in ("targets", "manual_scores"):
        case = KINDS[kind]
        batch = run(write(media, f"{kind}.csv", [case["header"], *case["rows"]]), kind)
        assert codes(batch) == [(2, "cycle", "final_cycle"), (3, "cycle", "final_cycle")]
        assert "2026Q2" in batch.error_report[0]["reason"]
    assert Target.objects.count() == ManualScore.objects.count() == 0


def test_a_final_cycle_refuses_facts_dated_inside_it(world: Personas, media: Path) -> None:
    finalise("2026Q1")
    case = KINDS["activities"]
    rows = [*case["rows"], ["AC3", "A001", "C001", "拜访", "2026/4/2 10:00", ""]]
    batch = run(write(media, "a.csv", [case["header"], *rows]), "activities")
    assert codes(batch) == [
        (2, "occurred_at", "final_cycle_date"),
        (3, "occurred_at", "final_cycle_date"),
    ]
    assert "2026Q1" in batch.error_report[0]["reason"]
    assert Activity.objects.count() == 0


def test_a_final_cycle_refuses_moving_a_fact_out_of_it_but_not_an_unchanged_row(
    world: Personas, media: Path
) -> None:
    header = ["contract_no", "employee_no", "customer_no", "signed_on", "amount", "profit"]
    run(
        write(
            media,
            "s.csv",
            [
                header,
                ["S1", "A001", "C001", "2026/3/5", "100", "1"],
                ["S2", "A001", "C001", "2026/4/5", "100", "1"],
            ],
        ),
        "sales",
    )
    finalise("2026Q1")
    unchanged = run(
        write(
            media,
            "s.csv",
            [
                header,
                ["S1", "A001", "C001", "2026/3/5", "100", "1"],
                ["S2", "A001", "C001", "2026/4/5", "200", "1"],
            ],
        ),
        "sales",
    )
    assert (unchanged.status, unchanged.updated, unchanged.unchanged) == (S.COMMITTED, 1, 1)
    moved = run(
        write(media, "s.csv", [header, ["S1", "A001", "C001", "2026/4/5", "100", "1"]]), "sales"
    )
    assert codes(moved) == [(2, "signed_on", "final_cycle_date")]
    assert Sale.objects.get(contract_no="S1").signed_on == date(2026, 3, 5)


# --- templates ----------------------------------------------------------------------------


TEMPLATE_HEADER = ["template", "level", "cycle_kind", "metric", "weight", "cap"]


def test_template_weights_must_add_up_to_100(personas: Personas, media: Path) -> None:
    rows = [
        ["T1", "AM1", "quarterly", "visit_count", "60", ""],
        ["T1", "AM1", "quarterly", "sales_amount", "30", ""],
        ["T2", "AM2", "quarterly", "visit_count", "100", ""],
    ]
    batch = run(write(media, "t.csv", [TEMPLATE_HEADER, *rows]), "templates")
    assert codes(batch) == [(2, "weight", "template_weights")]
    assert "90" in batch.error_report[0]["reason"] and "T1" in batch.error_report[0]["reason"]
    assert not Template.objects.exists()  # T2 was fine, but the whole file is refused


def test_importing_an_existing_template_makes_a_new_version(
    personas: Personas, media: Path
) -> None:
    first = template_create_version(
        code="T1",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(60)), ItemSpec("sales_amount", Decimal(40))],
    )
    rows = [
        ["T1", "AM1", "季度", "visit_count", "50", "1.2"],
        ["T1", "AM1", "季度", "response_hours", "10", ""],
    ]
    batch = run(write(media, "t.csv", [TEMPLATE_HEADER, *rows]), "templates")
    assert batch.error_report == []
    assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 0)
    second = Template.objects.get(code="T1", current=True)
    assert second.version == 2 and second.import_batch == batch
    items = {i.metric.code: (i.weight, i.cap) for i in second.items.select_related("metric")}
    assert items == {
        "visit_count": (Decimal(50), Decimal("1.2")),
        "sales_amount": (Decimal(40), Decimal("1.5")),
        "response_hours": (Decimal(10), Decimal("1.5")),
    }
    first.refresh_from_db()
    assert first.current is False and first.items.count() == 2
    # The same file again changes nothing: no third version.
    again = run(write(media, "t.csv", [TEMPLATE_HEADER, *rows]), "templates")
    assert (again.unchanged, Template.objects.filter(code="T1").count()) == (2, 2)


def test_a_weight_of_zero_removes_a_metric_from_the_next_version(
    personas: Personas, media: Path
) -> None:
    template_create_version(
        code="T1",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(60)), ItemSpec("sales_amount", Decimal(40))],
    )
    rows = [
        ["T1", "AM1", "quarterly", "visit_count", "100", ""],
        ["T1", "AM1", "quarterly", "sales_amount", "0", ""],
    ]
    batch = run(write(media, "t.csv", [TEMPLATE_HEADER, *rows]), "templates")
    assert batch.updated == 2
    current = Template.objects.get(code="T1", current=True)
    assert list(current.items.values_list("metric__code", "weight")) == [("visit_count", 100)]


# --- upload, preview, start ------------------------------------------------------------------


def test_an_upload_is_stored_with_its_hash_and_size(
    personas: Personas, media: Path, settings: Any
) -> None:
    content = csv_bytes([KINDS["sales"]["header"], *KINDS["sales"]["rows"]])
    upload = SimpleUploadedFile("销售.csv", content, content_type="text/csv")
    batch = import_upload(fileobj=upload, filename="../../销售.csv", user=personas.hr.user)
    assert (batch.status, batch.file_name, batch.size) == (S.UPLOADED, "销售.csv", len(content))
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    assert stored.read_bytes() == content and batch.stored_file.startswith("imports/")
    import hashlib

    assert batch.sha256 == hashlib.sha256(content).hexdigest()


def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(
    personas: Personas, media: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.csv", b"x" * 101)
    with pytest.raises(ApplicationError) as caught:
        import_upload(fileobj=upload, filename="big.csv", user=personas.hr.user)
    assert caught.value.errors == [{"code": "file_too_large"}]
    assert not ImportBatch.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "imports").exists() or not any(
        (Path(settings.MEDIA_ROOT) / "imports").iterdir()
    )


def test_a_preview_maps_the_headers_and_shows_the_first_rows(
    personas: Personas, media: Path
) -> None:
    header = ["客户编号", "客户名称", "客户经理工号", "获客日期", "金额(万元)", "备注", ""]
    rows = [[f"C{i}", f"公司{i}", "A001", "2026/3/5", "1", "", ""] for i in range(15)]
    content = csv_bytes([header, *rows])
    batch = import_upload(fileobj=io.BytesIO(content), filename="c.csv", user=None)
    preview = import_preview(batch=batch)
    assert (preview.kind, preview.kind_guess) == ("customers", "customers")
    assert len(preview.rows) == 10 and preview.rows[0][:4] == ["C0", "公司0", "A001", "2026/3/5"]
    statuses = [(m["header"], m["column"], m["status"]) for m in preview.mapping]
    assert statuses[:4] == [
        ("客户编号", "customer_no", "ok"),
        ("客户名称", "name", "ok"),
        ("客户经理工号", "owner_no", "ok"),
        ("获客日期", "acquired_on", "ok"),
    ]
    assert statuses[4][2] == statuses[5][2] == "unknown"
    assert preview.mapping[5]["message"]
    assert preview.errors == []
    as_sales = import_preview(batch=batch, kind="sales")
    assert as_sales.kind == "sales" and as_sales.kind_guess == "customers"
    assert {e["code"] for e in as_sales.errors} == {"missing_column", "unit_unknown"}
    with pytest.raises(ApplicationError):
        import_preview(batch=batch, kind="salaries")


def test_a_small_file_runs_at_once_and_a_big_one_as_a_job(
    world: Personas, media: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    content = csv_bytes([ACTIVITY_HEADER, *activity_rows(50)])
    small = import_upload(fileobj=io.BytesIO(content), filename="a.csv", user=world.hr.user)
    done = import_start(batch=small, kind="activities", dry_run=True, user=world.hr.user)
    assert (done.status, done.job) == (S.DRY_RUN, None)

    settings.IMPORT_BACKGROUND_ROWS = 20
    big = import_upload(fileobj=io.BytesIO(content), filename="a.csv", user=world.hr.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = import_start(batch=big, kind="activities", dry_run=False, user=world.hr.user)
    assert started.status == S.VALIDATING and started.job is not None
    assert started.job.total == 50 and started.job.created_by == world.hr.user
    for callback in callbacks:
        callback()
    started.refresh_from_db()
    job = Job.objects.get(pk=started.job_id)
    assert (started.status, started.created) == (S.COMMITTED, 50)
    assert (job.status, job.progress, job.total) == (Job.Status.SUCCEEDED, 50, 50)
    assert job.result["status"] == "committed"


def test_an_unknown_kind_is_refused_before_anything_is_stored(
    personas: Personas, media: Path
) -> None:
    path = write(media, "s.csv", [KINDS["sales"]["header"]])
    with pytest.raises(ApplicationError):
        run(path, "salaries")
    assert not ImportBatch.objects.exists()


def test_rolling_back_the_journey(world: Personas, media: Path) -> None:
    case = KINDS["customers"]
    batch = run(write(media, "c.csv", [case["header"], *case["rows"]]), "customers")
    import_batch_rollback(batch=batch, user=world.hr.user)
    assert not Customer.objects.filter(customer_no__in=["C100", "C101"]).exists()
    assert User.objects.filter(username="HR001").exists()
