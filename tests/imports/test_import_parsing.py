"""Cell parsers, column declarations, header mapping and row validation (DESIGN.md §4.2).

Errors are compared by their stable codes; the messages are checked once, against the
translation fragment, and by rendering every message the tests produce.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kaopei.facts.import_kinds import ACTIVITY_KINDS
from kaopei.imports.importing import (
    KINDS,
    MESSAGES,
    SPECS,
    CellError,
    ExcelErrorValue,
    ParseResult,
    RowError,
    RowStream,
    Uncalculated,
    UnknownKindError,
    chunked,
    get_spec,
    guess_kind,
    map_headers,
    parse_rows,
    split_header,
    table_from_rows,
)
from kaopei.imports.importing import parsers as p
from kaopei.org.import_kinds import ROLES

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kaopei" / "imports" / "importing"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def code_of(parse: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(CellError) as caught:
        parse(*args, **kwargs)
    assert str(caught.value.message)  # the message renders with the params given
    return caught.value.code


def parse(kind: str, header: Sequence[Any], *rows: Sequence[Any], **options: Any) -> ParseResult:
    result = parse_rows(table_from_rows(header, rows), kind, **options)
    for problem in [*result.errors, *result.warnings]:
        assert str(problem.reason)  # every message renders with its params
    return result


def problems(result: ParseResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in result.errors]


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        " 2026 年 3 月 5 日 ",
        "２０２６-０３-０５",
        date(2026, 3, 5),
        datetime(2026, 3, 5),
        "2026-03-05 00:00",
        "2026/3/5 00:00:00",
    ],
)
def test_it_reads_every_date_form_of_the_contract(value: Any) -> None:
    assert p.parse_date(value) == date(2026, 3, 5)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (datetime(2026, 3, 5, 14, 30), "date_has_time"),
        ("2026-03-05 09:00", "date_has_time"),
        ("2026-02-30", "invalid_date"),
        ("2026-3-5-1", "invalid_date"),
        ("2026/03.05", "invalid_date"),
        ("05/03/2026", "invalid_date"),
        ("next monday", "invalid_date"),
        ("2026-03-05T00:00+08:00", "invalid_date"),
        (46086, "invalid_date"),
        (46086.0, "invalid_date"),
        (True, "invalid_date"),
        (time(9, 0), "invalid_date"),
        ("0202-03-05", "date_out_of_range"),
        (date(1899, 12, 31), "date_out_of_range"),
        (Uncalculated("=TODAY()"), "formula_without_value"),
        (ExcelErrorValue("#VALUE!"), "excel_error"),
    ],
)
def test_it_refuses_what_is_not_a_plain_date(value: Any, code: str) -> None:
    assert code_of(p.parse_date, value) == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-05 14:30", datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)),
        ("2026/3/5 9:05:07", datetime(2026, 3, 5, 9, 5, 7, tzinfo=SHANGHAI)),
        ("2026年3月5日 14:30", datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)),
        ("2026-03-05", datetime(2026, 3, 5, tzinfo=SHANGHAI)),
        ("2026-03-05T14:30:00+08:00", datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)),
        ("2026-03-05T06:30:00Z", datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)),
        ("2026-03-05T06:30:00.5+0000", datetime(2026, 3, 5, 14, 30, 0, 500000, tzinfo=SHANGHAI)),
        (datetime(2026, 3, 5, 14, 30), datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)),
        (date(2026, 3, 5), datetime(2026, 3, 5, tzinfo=SHANGHAI)),
    ],
)
def test_it_reads_datetimes_as_aware_times_in_the_organisations_zone(
    value: Any, expected: datetime
) -> None:
    parsed = p.parse_datetime(value, SHANGHAI)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(hours=8)


def test_a_naive_time_belongs_to_the_zone_passed_in() -> None:
    parsed = p.parse_datetime("2026-03-05 14:30", ZoneInfo("UTC"))
    assert parsed == datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    assert p.parse_datetime("2026-03-05 14:30") == datetime(2026, 3, 5, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "value", ["2026-03-05 25:00", "2026-03-05 14:60", "14:30", "2026-03-05T14", "x", 1.5]
)
def test_it_refuses_bad_datetimes(value: Any) -> None:
    assert code_of(p.parse_datetime, value, SHANGHAI) == "invalid_datetime"


# ---------------------------------------------------------------------- bools, numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True), ("FALSE", False), ("Yes", True), ("no", False), ("Y", True),
        ("n", False), ("1", True), ("0", False), ("是", True), ("否", False), (True, True),
        (False, False), (1, True), (0.0, False),
    ],
)  # fmt: skip
def test_it_reads_booleans(value: Any, expected: bool) -> None:
    assert p.parse_bool(value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", 2, "对", "t"])
def test_it_refuses_other_booleans(value: Any) -> None:
    assert code_of(p.parse_bool, value) == "invalid_bool"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1200", "1200"), ("1,200.50", "1200.50"), ("1,234,567", "1234567"), (" 12.5 ", "12.5"),
        (0.1, "0.1"), (30.000000000000004, "30"), (1200, "1200"), (".5", "0.5"),
    ],
)  # fmt: skip
def test_it_reads_amounts_exactly(value: Any, expected: str) -> None:
    assert p.parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-1", "negative"),
        (-0.01, "negative"),
        ("1,5", "invalid_number"),
        ("12,34.5", "invalid_number"),
        ("1 200", "invalid_number"),
        ("¥100", "invalid_number"),
        ("NaN", "invalid_number"),
        ("inf", "invalid_number"),
        (float("nan"), "invalid_number"),
        (float("inf"), "invalid_number"),
        (True, "invalid_number"),
        (Decimal("NaN"), "invalid_number"),
        ("abc", "invalid_number"),
        ("1.23457E+11", "scientific_notation"),
        ("1e3", "scientific_notation"),
        ("1000000000000000", "number_too_large"),
        ("1.005", "too_many_decimals"),
    ],
)
def test_it_refuses_bad_amounts(value: Any, code: str) -> None:
    assert code_of(p.parse_amount, value) == code


def test_profit_may_be_negative() -> None:
    assert p.parse_amount("-1,000.25", allow_negative=True) == Decimal("-1000.25")


@pytest.mark.parametrize(
    ("value", "code"), [("7.5", "not_integer"), ("11", "out_of_range"), (-1, "out_of_range")]
)
def test_integers_must_be_whole_and_in_range(value: Any, code: str) -> None:
    assert p.parse_int("7.0", minimum=0, maximum=10) == 7
    assert p.parse_int(7.0, minimum=0, maximum=10) == 7
    assert code_of(p.parse_int, value, minimum=0, maximum=10) == code


def test_a_strict_minimum_excludes_the_bound() -> None:
    assert p.parse_decimal("0.01", minimum=0, min_exclusive=True) == Decimal("0.01")
    assert code_of(p.parse_decimal, "0", minimum=0, min_exclusive=True) == "out_of_range"


# ------------------------------------------------------------------------- keys, text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(123, "123"), (123.0, "123"), (" A-01 ", "A-01"), ("00123", "00123"), (12.5, "12.5")],
)
def test_keys_are_trimmed_text_and_whole_numbers_lose_their_point(
    value: Any, expected: str
) -> None:
    assert p.parse_key(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("   ", "required"),
        (datetime(2026, 3, 5), "invalid_key"),
        (True, "invalid_key"),
        ("A\n1", "invalid_key"),
        (float("nan"), "invalid_key"),
        (1e20, "invalid_key"),
        ("1.23457E+11", "scientific_notation"),
        ("x" * 61, "too_long"),
    ],
)
def test_it_refuses_bad_keys(value: Any, code: str) -> None:
    assert code_of(p.parse_key, value, max_length=60) == code


def test_text_keeps_inner_lines_and_has_a_maximum_length() -> None:
    assert p.parse_text(" a\nb ") == "a\nb"
    assert p.parse_text(3.0) == "3"
    assert code_of(p.parse_text, "abc", max_length=2) == "too_long"


def test_emails_and_cycles() -> None:
    assert p.parse_email(" an.li@example.com ") == "an.li@example.com"
    assert code_of(p.parse_email, "an.li@") == "invalid_email"
    assert p.parse_cycle("2026q1") == "2026Q1"
    assert p.parse_cycle(2026.0) == "2026"
    assert code_of(p.parse_cycle, "2026Q5") == "invalid_cycle"


def test_enums_accept_codes_and_chinese_aliases_in_any_case() -> None:
    assert p.parse_choice("Visit", ACTIVITY_KINDS) == "visit"
    assert p.parse_choice(" 拜访 ", ACTIVITY_KINDS) == "visit"
    assert p.parse_choice("客户请求", ACTIVITY_KINDS) == "request"
    assert code_of(p.parse_choice, "lunch", ACTIVITY_KINDS) == "invalid_choice"


def test_roles_are_a_list_with_any_chinese_or_latin_separator() -> None:
    value = "客户经理，supervisor、培训师; hr_admin；管理层,客户经理"
    assert p.parse_choice_list(value, ROLES) == (
        "account_manager", "supervisor", "trainer", "hr_admin", "executive",
    )  # fmt: skip
    assert code_of(p.parse_choice_list, "客户经理, boss", ROLES) == "invalid_choice"


# ---------------------------------------------------------------------- declarations

OPT = "optional"
CONTRACT: dict[str, tuple[tuple[str, ...], list[tuple[str, str] | tuple[str, str, str]]]] = {
    "job_levels": (("code",), [("code", "职级代码"), ("name", "职级名称"), ("rank", "序列")]),
    "org_units": (
        ("code",),
        [("code", "机构代码"), ("name", "机构名称"), ("parent_code", "上级机构代码")],
    ),
    "employees": (("employee_no",), [
        ("employee_no", "工号"), ("name", "姓名"), ("org_unit", "机构代码"), ("level", "职级"),
        ("supervisor_no", "上级工号", OPT), ("email", "邮箱", OPT), ("hire_date", "入职日期", OPT),
        ("left_on", "离职日期", OPT), ("active", "在职", OPT), ("roles", "角色", OPT),
    ]),
    "competencies": (("code",), [
        ("code", "能力代码"), ("name", "能力名称"), ("category", "类别", OPT),
        ("description", "描述", OPT),
    ]),
    "competency_levels": (("level", "competency"), [
        ("level", "职级"), ("competency", "能力代码"), ("expected", "期望等级"),
    ]),
    "customers": (("customer_no",), [
        ("customer_no", "客户编号"), ("name", "客户名称"), ("owner_no", "客户经理工号"),
        ("segment", "客户类型", OPT), ("strategic", "战略客户", OPT), ("acquired_on", "获客日期"),
        ("lost_on", "流失日期", OPT),
    ]),
    "activities": (("activity_id",), [
        ("activity_id", "活动编号"), ("employee_no", "客户经理工号"), ("customer_no", "客户编号"),
        ("kind", "类型"), ("occurred_at", "发生时间"), ("response_hours", "响应时长", OPT),
    ]),
    "opportunities": (("opportunity_id",), [
        ("opportunity_id", "商机编号"), ("employee_no", "客户经理工号"),
        ("customer_no", "客户编号"), ("created_on", "创建日期"), ("closed_on", "关闭日期", OPT),
        ("status", "状态"), ("amount", "金额"),
    ]),
    "sales": (("contract_no",), [
        ("contract_no", "合同编号"), ("employee_no", "客户经理工号"), ("customer_no", "客户编号"),
        ("signed_on", "签约日期"), ("amount", "金额"), ("profit", "模拟利润"),
    ]),
    "receivables": (("invoice_no",), [
        ("invoice_no", "发票号"), ("employee_no", "客户经理工号"), ("customer_no", "客户编号"),
        ("invoiced_on", "开票日期"), ("amount", "金额"), ("paid_on", "回款日期", OPT),
    ]),
    "complaints": (("complaint_id",), [
        ("complaint_id", "投诉编号"), ("employee_no", "客户经理工号"), ("customer_no", "客户编号"),
        ("opened_on", "投诉日期"), ("resolved_on", "解决日期", OPT),
    ]),
    "surveys": (("response_id",), [
        ("response_id", "问卷编号"), ("employee_no", "客户经理工号"), ("customer_no", "客户编号"),
        ("responded_on", "填写日期"), ("nps", "推荐得分"), ("csat", "满意度", OPT),
    ]),
    "incidents": (("incident_id",), [
        ("incident_id", "事件编号"), ("employee_no", "客户经理工号"), ("occurred_on", "发生日期"),
        ("category", "类别"), ("confirmed", "是否确认"), ("description", "描述", OPT),
    ]),
    "targets": (("cycle", "employee_no", "metric"), [
        ("cycle", "考核周期"), ("employee_no", "工号"), ("metric", "指标代码"), ("target", "目标值"),
    ]),
    "manual_scores": (("cycle", "employee_no", "metric"), [
        ("cycle", "考核周期"), ("employee_no", "工号"), ("metric", "指标代码"), ("value", "得分"),
        ("rater_no", "评分人工号", OPT),
    ]),
    "templates": (("template", "metric"), [
        ("template", "模板代码"), ("level", "职级"), ("cycle_kind", "周期类型"),
        ("metric", "指标代码"), ("weight", "权重"), ("cap", "封顶", OPT),
    ]),
    "feedback_answers": (("response", "competency"), [
        ("cycle", "考核周期"), ("subject_no", "被评人工号"), ("relationship", "关系"),
        ("response", "答卷编号"), ("competency", "能力项"), ("score", "评分"),
        ("comment", "评语", OPT),
    ]),
    "courses": (("code",), [
        ("code", "课程代码"), ("title", "课程名称"), ("module", "模块"), ("format", "形式"),
        ("hours", "学时"), ("metrics", "关联指标", OPT), ("competencies", "关联能力", OPT),
    ]),
    "enrolments": (("course", "employee_no", "session_on"), [
        ("course", "课程代码"), ("employee_no", "工号"), ("session_on", "培训日期"),
        ("hours", "学时"), ("completed", "是否完成"), ("reaction", "满意度", OPT),
        ("pre_score", "前测成绩", OPT), ("post_score", "后测成绩", OPT),
    ]),
    # Issue 11 (training): a course's question bank (docs/imports.md).
    "questions": (("course", "code"), [
        ("course", "课程代码"), ("code", "题目编号"), ("kind", "题型"), ("text", "题干"),
        ("text_en", "英文题干", OPT), ("options", "选项"), ("options_en", "英文选项", OPT),
        ("answer", "答案"), ("explanation", "解析", OPT), ("explanation_en", "英文解析", OPT),
        ("competency", "能力项", OPT),
    ]),
}  # fmt: skip
ENUMS = {
    ("employees", "roles"): {
        "account_manager": "客户经理", "supervisor": "主管", "trainer": "培训师",
        "hr_admin": "考核管理员", "executive": "管理层",
    },
    ("activities", "kind"): {"visit": "拜访", "call": "电话", "meeting": "会议", "request": "客户请求"},
    ("opportunities", "status"): {"open": "进行中", "won": "赢单", "lost": "输单"},
    ("incidents", "category"): {
        "bribery": "反贿赂", "aml": "反洗钱", "data_privacy": "数据保密", "other": "其他",
    },
    ("templates", "cycle_kind"): {"quarterly": "季度", "annual": "年度"},
    # The contract's five categories, then the framework's two others (docs/imports.md).
    ("competencies", "category"): {
        "professional": "专业能力", "soft": "软技能", "collaboration": "协作",
        "compliance": "合规", "other": "其他", "digital": "数字工具", "leadership": "领导力",
    },
    ("feedback_answers", "relationship"): {
        "self": "自评", "supervisor": "上级", "peer": "同事", "subordinate": "下属",
        "customer": "客户",
    },
    ("courses", "module"): {
        "needs_discovery": "需求挖掘", "value_communication": "价值沟通", "compliance": "风险合规",
        "digital_tools": "数字工具", "product": "产品知识", "other": "其他",
    },
    ("courses", "format"): {
        "lecture": "讲授", "case": "案例", "role_play": "角色扮演", "sandbox": "沙盘",
        "competition": "竞赛", "e_learning": "线上",
    },
    ("questions", "kind"): {"single": "单选", "multiple": "多选", "true_false": "判断"},
}  # fmt: skip


# Optional columns beyond the contract, after its own (issue 9: master data in both languages).
EXTENSIONS: dict[str, list[tuple[str, str]]] = {
    "job_levels": [
        ("name_en", "职级英文名称"),
        ("description", "职级描述"),
        ("description_en", "职级英文描述"),
    ],
    "org_units": [("name_en", "机构英文名称")],
    "competencies": [("name_en", "能力英文名称"), ("description_en", "英文描述")],
}


def test_every_kind_of_the_contract_is_declared_exactly() -> None:
    assert tuple(CONTRACT) == KINDS
    for kind, (key, columns) in CONTRACT.items():
        spec = get_spec(kind)
        extra = EXTENSIONS.get(kind, [])
        assert spec.key == key, kind
        assert [(c.name, c.zh) for c in spec.columns] == [c[:2] for c in columns] + extra, kind
        optional = [len(c) == 3 for c in columns] + [True] * len(extra)
        assert [not c.required for c in spec.columns] == optional, kind


def test_every_enum_of_the_contract_is_declared_exactly() -> None:
    declared = {
        (spec.kind, c.name): c.choices for spec in SPECS.values() for c in spec.columns if c.choices
    }
    assert set(declared) == set(ENUMS)
    for where, choices in ENUMS.items():
        declared_choices = declared[where]
        assert declared_choices is not None
        assert declared_choices.aliases == {code: (zh,) for code, zh in choices.items()}


def test_an_unknown_kind_is_refused_with_the_list_of_kinds() -> None:
    with pytest.raises(UnknownKindError) as caught:
        get_spec("payroll")
    assert caught.value.code == "unknown_kind"
    assert "employees" in str(caught.value.params["kinds"])
    with pytest.raises(UnknownKindError):
        parse_rows(table_from_rows(["a"], [["b"]]), "payroll")


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("金额(元)", ("金额", "元")),
        ("金额（元）", ("金额", "元")),
        ("金额[元]", ("金额", "元")),
        ("金额【元】", ("金额", "元")),
        (" Amount ( 元 ) ", ("amount", "元")),
        ("Response Hours（小时）", ("responsehours", "小时")),
        ("权重(%)", ("权重", "%")),
        ("权重（％）", ("权重", "%")),
        ("Employee_No", ("employeeno", None)),
        ("()", ("()", None)),
    ],
)
def test_headers_ignore_case_spaces_and_a_trailing_unit(
    header: str, expected: tuple[str, str | None]
) -> None:
    assert split_header(header) == expected


def test_headers_map_by_english_name_or_chinese_alias() -> None:
    spec = get_spec("sales")
    headers = ["Contract No", "客户经理工号", "CUSTOMER_NO", "签约日期", "金额（元）", "Profit[元]"]
    mapped = map_headers(headers, spec)
    assert mapped.ok and not mapped.warnings
    assert mapped.positions == {name: i for i, name in enumerate(spec.column_names)}


def test_it_reports_every_missing_column_at_once_and_unknown_ones_as_warnings() -> None:
    mapped = map_headers(["合同编号", "备注", "金额", ""], get_spec("sales"))
    assert [(e.column, e.code) for e in mapped.errors] == [
        ("employee_no", "missing_column"),
        ("customer_no", "missing_column"),
        ("signed_on", "missing_column"),
        ("profit", "missing_column"),
    ]
    assert [(w.value, w.code) for w in mapped.warnings] == [("备注", "unknown_column")]


def test_a_column_given_twice_is_an_error() -> None:
    mapped = map_headers(["合同编号", "contract_no"], get_spec("sales"))
    assert ("contract_no", "duplicate_column") in [(e.column, e.code) for e in mapped.errors]


@pytest.mark.parametrize(
    ("kind", "header", "code"),
    [
        ("sales", "金额(万元)", "unit_unknown"),
        ("sales", "amount (CNY)", "unit_unknown"),
        ("activities", "响应时长(天)", "unit_mismatch"),
        ("sales", "金额(%)", "unit_mismatch"),
        ("templates", "封顶(%)", "unit_not_allowed"),
    ],
)
def test_a_unit_that_would_rescale_values_is_an_error(kind: str, header: str, code: str) -> None:
    mapped = map_headers([header], get_spec(kind))
    assert [e.code for e in mapped.errors if e.value == header] == [code]


def test_units_the_contract_accepts_pass_on_columns_without_their_own_unit() -> None:
    mapped = map_headers(["考核周期", "工号", "指标代码", "目标值(%)"], get_spec("targets"))
    assert mapped.ok


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["工号", "姓名", "机构代码", "职级", "邮箱"], "employees"),
        (["考核周期", "工号", "指标代码", "目标值"], "targets"),
        (["考核周期", "工号", "指标代码", "得分"], "manual_scores"),
        (["合同编号", "客户经理工号", "客户编号", "签约日期", "金额(元)", "模拟利润"], "sales"),
        (["code", "name", "rank"], "job_levels"),
        (["code", "name", "parent_code"], "org_units"),
        (["code", "name"], "competencies"),
        (["foo", "bar"], None),
    ],
)
def test_it_guesses_the_kind_from_the_headers(headers: list[str], kind: str | None) -> None:
    assert guess_kind(headers, SPECS) == kind


# ------------------------------------------------------------------------- parse_rows

SALES = ["合同编号", "客户经理工号", "客户编号", "签约日期", "金额(元)", "模拟利润"]


def test_it_parses_rows_into_python_values_by_english_name() -> None:
    result = parse("sales", SALES, ["HT1", "E1", "C1", "2026/3/5", "1,200.50", "-30"])
    assert result.ok and result.rows_read == 1
    row = result.rows[0]
    assert row.row == 2
    assert row.as_dict() == {
        "contract_no": "HT1", "employee_no": "E1", "customer_no": "C1",
        "signed_on": date(2026, 3, 5), "amount": Decimal("1200.50"), "profit": Decimal("-30"),
    }  # fmt: skip


def test_it_collects_every_error_of_every_row() -> None:
    result = parse(
        "sales",
        SALES,
        ["HT1", "E1", "C1", "2026-13-01", "abc", "-5"],
        [],
        ["HT2", "", "C1", "2026-03-05", "-100", "x"],
        ["HT3", "E1", "C1", "2026-03-05", "100", "-5"],
    )
    assert problems(result) == [
        (2, "signed_on", "invalid_date"),
        (2, "amount", "invalid_number"),
        (4, "employee_no", "required"),
        (4, "amount", "negative"),
        (4, "profit", "invalid_number"),
    ]
    assert [r.row for r in result.rows] == [5]
    assert result.errors[1].value == "abc" and result.errors[1].header == "金额(元)"


def test_a_duplicate_key_names_both_rows() -> None:
    result = parse("sales", SALES, *[["HT1", "E1", "C1", "2026-03-05", "1", "1"]] * 2)
    assert problems(result) == [(3, "contract_no", "duplicate_key")]
    assert result.errors[0].params["other_row"] == 2


def test_a_composite_key_is_duplicate_only_when_every_part_matches() -> None:
    header = ["cycle", "employee_no", "metric", "target"]
    result = parse(
        "targets", header,
        ["2026Q1", "E1", "sales_amount", "100"],
        ["2026q1", "E1", "sales_amount", "200"],
        ["2026Q2", "E1", "sales_amount", "100"],
    )  # fmt: skip
    assert problems(result) == [(3, "cycle+employee_no+metric", "duplicate_key")]


def test_a_numeric_xlsx_key_matches_its_text_form() -> None:
    result = parse("sales", SALES, [1001.0, "E1", "C1", "2026-03-05", 1, 1], ["1001", "E1", "C1", "2026-03-05", 1, 1])  # fmt: skip
    assert problems(result) == [(3, "contract_no", "duplicate_key")]


OPPS = ["商机编号", "客户经理工号", "客户编号", "创建日期", "关闭日期", "状态", "金额"]


def test_opportunity_dates_and_status_must_agree() -> None:
    result = parse(
        "opportunities", OPPS,
        ["O1", "E1", "C1", "2026-03-05", "2026-03-01", "won", "10"],
        ["O2", "E1", "C1", "2026-03-05", "", "输单", "10"],
        ["O3", "E1", "C1", "2026-03-05", "", "进行中", "10"],
        ["O4", "E1", "C1", "bad", "2026-03-01", "won", "10"],
    )  # fmt: skip
    assert problems(result) == [
        (2, "closed_on", "date_order"),
        (3, "closed_on", "required_when"),
        (5, "created_on", "invalid_date"),
    ]
    assert [r["status"] for r in result.rows] == ["open"]


def test_closed_on_is_required_for_won_even_when_its_column_is_absent() -> None:
    header = ["opportunity_id", "employee_no", "customer_no", "created_on", "status", "amount"]
    result = parse("opportunities", header, ["O1", "E1", "C1", "2026-03-05", "won", "1"])
    assert problems(result) == [(2, "closed_on", "required_when")]


@pytest.mark.parametrize(
    ("kind", "header", "row", "column"),
    [
        ("employees", ["工号", "姓名", "机构代码", "职级", "入职日期", "离职日期"],
         ["E1", "An", "BJ", "AM1", "2026-03-05", "2026-03-04"], "left_on"),
        ("customers", ["客户编号", "客户名称", "客户经理工号", "获客日期", "流失日期"],
         ["C1", "X", "E1", "2026-03-05", "2026-01-01"], "lost_on"),
        ("receivables", ["发票号", "客户经理工号", "客户编号", "开票日期", "金额", "回款日期"],
         ["I1", "E1", "C1", "2026-03-05", "1", "2026-03-04"], "paid_on"),
        ("complaints", ["投诉编号", "客户经理工号", "客户编号", "投诉日期", "解决日期"],
         ["K1", "E1", "C1", "2026-03-05", "2026-03-04"], "resolved_on"),
    ],
)  # fmt: skip
def test_an_end_date_before_its_start_date_is_an_error(
    kind: str, header: list[str], row: list[str], column: str
) -> None:
    assert problems(parse(kind, header, row)) == [(2, column, "date_order")]


def test_nps_and_csat_are_whole_numbers_in_their_ranges() -> None:
    header = ["问卷编号", "客户经理工号", "客户编号", "填写日期", "推荐得分", "满意度"]
    result = parse(
        "surveys", header,
        ["S1", "E1", "C1", "2026-03-05", "11", "5"],
        ["S2", "E1", "C1", "2026-03-05", "-1", "0"],
        ["S3", "E1", "C1", "2026-03-05", "8.5", ""],
        ["S4", "E1", "C1", "2026-03-05", "10", ""],
    )  # fmt: skip
    assert problems(result) == [
        (2, "nps", "out_of_range"),
        (3, "nps", "out_of_range"),
        (3, "csat", "out_of_range"),
        (4, "nps", "not_integer"),
    ]
    assert result.rows[0].as_dict()["csat"] is None


def test_optional_blanks_give_defaults_and_absent_columns_stay_absent() -> None:
    header = ["工号", "姓名", "机构代码", "职级", "在职", "角色", "上级工号"]
    result = parse("employees", header, ["E1", "An", "BJ", "AM1", "", "", ""])
    row = result.rows[0]
    assert row["active"] is True and row["roles"] is None and row["supervisor_no"] is None
    assert "email" not in row and "hire_date" not in row
    assert result.columns == (
        "employee_no", "name", "org_unit", "level", "supervisor_no", "active", "roles",
    )  # fmt: skip


def test_an_employee_cannot_be_their_own_supervisor() -> None:
    header = ["工号", "姓名", "机构代码", "职级", "上级工号"]
    result = parse("employees", header, ["E1", "An", "BJ", "AM1", "E1"])
    assert problems(result) == [(2, "supervisor_no", "must_differ")]


def test_a_blank_parent_makes_a_root_unit_but_a_blank_code_is_an_error() -> None:
    result = parse(
        "org_units", ["code", "name", "parent_code"], ["HQ", "总行", ""], ["", "x", "HQ"]
    )
    assert problems(result) == [(3, "code", "required")]
    assert result.rows[0]["parent_code"] is None


def test_templates_default_the_cap_and_keep_a_template_consistent() -> None:
    header = ["模板代码", "职级", "周期类型", "指标代码", "权重(%)", "封顶"]
    result = parse(
        "templates", header,
        ["T1", "AM1", "季度", "visit_count", "60", ""],
        ["T1", "AM1", "quarterly", "nps", "40", "2"],
        ["T1", "AM2", "annual", "csat", "0", "0"],
        ["T2", "AM2", "annual", "csat", "101", "1"],
    )  # fmt: skip
    assert problems(result) == [
        (4, "cap", "out_of_range"),
        (4, "level", "inconsistent_value"),
        (4, "cycle_kind", "inconsistent_value"),
        (5, "weight", "out_of_range"),
    ]
    assert [r["cap"] for r in result.rows] == [Decimal("1.5"), Decimal("2")]


def test_header_errors_do_not_stop_the_rows_being_checked() -> None:
    result = parse("sales", ["合同编号", "金额(万元)"], ["HT1", "x"])
    codes = [(e.row, e.column, e.code) for e in result.errors]
    assert (1, "amount", "unit_unknown") in codes
    assert (1, "profit", "missing_column") in codes
    assert (2, "amount", "invalid_number") in codes


def test_a_value_under_no_header_is_an_error() -> None:
    result = parse("job_levels", ["code", "", "name", "rank"], ["AM1", "x", "初级", "1", "", "y"])
    assert [(e.code, e.params["position"], e.value) for e in result.errors] == [
        ("extra_cell", "B", "x"),
        ("extra_cell", "F", "y"),
    ]


def test_a_formula_without_a_value_is_reported_not_read_as_blank() -> None:
    header = ["code", "name", "parent_code"]
    result = parse("org_units", header, ["BJ", "北京", Uncalculated("=A1")])
    assert problems(result) == [(2, "parent_code", "formula_without_value")]
    assert result.errors[0].value == "=A1"


def test_a_loader_can_stream_rows_in_chunks() -> None:
    rows: list[list[Any]] = [[f"L{i}", f"level {i}", i] for i in range(25)] + [["bad", "x", "y"]]
    stream = RowStream(table_from_rows(["code", "name", "rank"], rows), get_spec("job_levels"))
    sizes = [len(chunk) for chunk in chunked(stream, 10)]
    assert sizes == [10, 10, 5]
    assert [(e.row, e.code) for e in stream.errors] == [(27, "invalid_number")]
    assert not stream.ok and stream.rows_read == 26


def test_parse_rows_can_drop_rows_and_accepts_another_time_zone() -> None:
    header = ["活动编号", "客户经理工号", "客户编号", "类型", "发生时间"]
    row = ["A1", "E1", "C1", "visit", "2026-03-05 23:30"]
    utc = parse("activities", header, row, tz=ZoneInfo("UTC")).rows[0]["occurred_at"]
    assert utc.utcoffset() == timedelta(0)
    assert parse("activities", header, row, keep_rows=False).rows == []


def test_row_errors_compare_and_print_without_rendering_translations() -> None:
    error = RowError.of("required", row=3, column="name", value="")
    assert error == RowError.of("required", row=3, column="name", value="")
    assert "required" in repr(error) or "name" in repr(error)
    assert error.as_dict()["code"] == "required"


# ----------------------------------------------------------------------- translations


def msgids() -> dict[str, str]:
    """Every ``_("…")`` literal in the package, as makemessages would extract it."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                argument = node.args[0]
                assert isinstance(argument, ast.Constant), f"non-literal msgid in {path.name}"
                assert isinstance(argument.value, str)
                found[argument.value] = path.name
    return found


def test_every_error_code_has_a_message() -> None:
    tree = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "MESSAGES"
    )
    assert isinstance(table, ast.Dict)
    assert [key.value for key in table.keys if isinstance(key, ast.Constant)] == list(MESSAGES)


def test_an_offset_other_than_the_zones_is_converted_into_the_zone() -> None:
    parsed = p.parse_datetime("2026-03-05T14:30+05:30", SHANGHAI)
    assert parsed.tzinfo == SHANGHAI
    assert parsed.astimezone(timezone(timedelta(hours=5, minutes=30))).hour == 14
    assert (parsed.hour, parsed.minute) == (17, 0)
