"""The import kinds of DESIGN.md §4.2 ⚑, declared as data.

Names, Chinese aliases, optional flags, enum values and key columns follow the contract table
exactly; lengths follow the models' fields. ``SPECS`` keeps the contract's order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .columns import (
    NO_UNIT,
    Column,
    KindSpec,
    as_amount,
    as_bool,
    as_choice,
    as_choice_list,
    as_cycle,
    as_date,
    as_datetime,
    as_decimal,
    as_email,
    as_int,
    as_key,
    as_text,
    differs_from,
    not_before,
    required_when,
)
from .errors import UnknownKindError
from .parsers import Choices

# Lengths of the model fields the loaders write (kaopei/org and kaopei/facts models).
FACT_ID_MAX = 60
EMPLOYEE_NO_MAX = 40
ORG_CODE_MAX = 40
LEVEL_CODE_MAX = 20
CODE_MAX = 60  # metric and template codes
SMALLINT_MAX = 32767

ROLES = Choices(
    {
        "account_manager": ("客户经理",),
        "supervisor": ("主管",),
        "trainer": ("培训师",),
        "hr_admin": ("考核管理员",),
        "executive": ("管理层",),
    }
)
ACTIVITY_KINDS = Choices(
    {
        "visit": ("拜访",),
        "call": ("电话",),
        "meeting": ("会议",),
        "request": ("客户请求",),
    }
)
OPPORTUNITY_STATUSES = Choices({"open": ("进行中",), "won": ("赢单",), "lost": ("输单",)})
INCIDENT_CATEGORIES = Choices(
    {
        "bribery": ("反贿赂",),
        "aml": ("反洗钱",),
        "data_privacy": ("数据保密",),
        "other": ("其他",),
    }
)
CYCLE_KINDS = Choices({"quarterly": ("季度",), "annual": ("年度",)})


def _id(name: str, zh: str, *, max_length: int = FACT_ID_MAX, **options: Any) -> Column:
    return Column(name, zh, as_key, max_length=max_length, **options)


def _employee(name: str = "employee_no", zh: str = "客户经理工号", **options: Any) -> Column:
    return _id(name, zh, max_length=EMPLOYEE_NO_MAX, **options)


def _amount(name: str, zh: str, *, allow_negative: bool = False) -> Column:
    return Column(name, zh, as_amount, allow_negative=allow_negative, decimal_places=2, unit="元")


def _date(name: str, zh: str, *, required: bool = True) -> Column:
    return Column(name, zh, as_date, required=required)


SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            "job_levels",
            ("code",),
            (
                _id("code", "职级代码", max_length=LEVEL_CODE_MAX),
                Column("name", "职级名称", as_text, max_length=80),
                Column("rank", "序列", as_int, minimum=0, maximum=SMALLINT_MAX),
            ),
            label=_("Job levels"),
        ),
        KindSpec(
            "org_units",
            ("code",),
            (
                _id("code", "机构代码", max_length=ORG_CODE_MAX),
                Column("name", "机构名称", as_text, max_length=120),
                # The column is required; a blank cell makes a root unit (the head office).
                _id("parent_code", "上级机构代码", max_length=ORG_CODE_MAX, allow_blank=True),
            ),
            label=_("Org units"),
        ),
        KindSpec(
            "employees",
            ("employee_no",),
            (
                _employee("employee_no", "工号"),
                Column("name", "姓名", as_text, max_length=80),
                _id("org_unit", "机构代码", max_length=ORG_CODE_MAX),
                _id("level", "职级", max_length=LEVEL_CODE_MAX),
                _employee("supervisor_no", "上级工号", required=False),
                Column("email", "邮箱", as_email, required=False, max_length=254),
                _date("hire_date", "入职日期", required=False),
                _date("left_on", "离职日期", required=False),
                Column("active", "在职", as_bool, required=False, default=True),
                Column("roles", "角色", as_choice_list, required=False, choices=ROLES),
            ),
            label=_("Employees"),
            rules=(
                not_before("left_on", "hire_date"),
                differs_from("supervisor_no", "employee_no"),
            ),
        ),
        KindSpec(
            "customers",
            ("customer_no",),
            (
                _id("customer_no", "客户编号"),
                Column("name", "客户名称", as_text, max_length=200),
                _employee("owner_no", "客户经理工号"),
                Column("segment", "客户类型", as_text, required=False, max_length=60),
                Column("strategic", "战略客户", as_bool, required=False, default=False),
                _date("acquired_on", "获客日期"),
                _date("lost_on", "流失日期", required=False),
            ),
            label=_("Customers"),
            rules=(not_before("lost_on", "acquired_on"),),
        ),
        KindSpec(
            "activities",
            ("activity_id",),
            (
                _id("activity_id", "活动编号"),
                _employee(),
                _id("customer_no", "客户编号"),
                Column("kind", "类型", as_choice, choices=ACTIVITY_KINDS),
                Column("occurred_at", "发生时间", as_datetime),
                Column(
                    "response_hours",
                    "响应时长",
                    as_decimal,
                    required=False,
                    minimum=0,
                    maximum=Decimal("99999999.99"),
                    decimal_places=2,
                    unit="小时",
                ),
            ),
            label=_("Activities"),
        ),
        KindSpec(
            "opportunities",
            ("opportunity_id",),
            (
                _id("opportunity_id", "商机编号"),
                _employee(),
                _id("customer_no", "客户编号"),
                _date("created_on", "创建日期"),
                _date("closed_on", "关闭日期", required=False),
                Column("status", "状态", as_choice, choices=OPPORTUNITY_STATUSES),
                _amount("amount", "金额"),
            ),
            label=_("Opportunities"),
            rules=(
                required_when("closed_on", "status", ("won", "lost")),
                not_before("closed_on", "created_on"),
            ),
        ),
        KindSpec(
            "sales",
            ("contract_no",),
            (
                _id("contract_no", "合同编号"),
                _employee(),
                _id("customer_no", "客户编号"),
                _date("signed_on", "签约日期"),
                _amount("amount", "金额"),
                _amount("profit", "模拟利润", allow_negative=True),
            ),
            label=_("Sales"),
        ),
        KindSpec(
            "receivables",
            ("invoice_no",),
            (
                _id("invoice_no", "发票号"),
                _employee(),
                _id("customer_no", "客户编号"),
                _date("invoiced_on", "开票日期"),
                _amount("amount", "金额"),
                _date("paid_on", "回款日期", required=False),
            ),
            label=_("Receivables"),
            rules=(not_before("paid_on", "invoiced_on"),),
        ),
        KindSpec(
            "complaints",
            ("complaint_id",),
            (
                _id("complaint_id", "投诉编号"),
                _employee(),
                _id("customer_no", "客户编号"),
                _date("opened_on", "投诉日期"),
                _date("resolved_on", "解决日期", required=False),
            ),
            label=_("Complaints"),
            rules=(not_before("resolved_on", "opened_on"),),
        ),
        KindSpec(
            "surveys",
            ("response_id",),
            (
                _id("response_id", "问卷编号"),
                _employee(),
                _id("customer_no", "客户编号"),
                _date("responded_on", "填写日期"),
                Column("nps", "推荐得分", as_int, minimum=0, maximum=10),
                Column("csat", "满意度", as_int, required=False, minimum=1, maximum=5),
            ),
            label=_("Customer surveys"),
        ),
        KindSpec(
            "incidents",
            ("incident_id",),
            (
                _id("incident_id", "事件编号"),
                _employee(),
                _date("occurred_on", "发生日期"),
                Column("category", "类别", as_choice, choices=INCIDENT_CATEGORIES),
                Column("confirmed", "是否确认", as_bool),
                Column("description", "描述", as_text, required=False, max_length=10000),
            ),
            label=_("Compliance incidents"),
        ),
        KindSpec(
            "targets",
            ("cycle", "employee_no", "metric"),
            (
                Column("cycle", "考核周期", as_cycle),
                _employee("employee_no", "工号"),
                _id("metric", "指标代码", max_length=CODE_MAX),
                Column("target", "目标值", as_decimal),
            ),
            label=_("Targets"),
        ),
        KindSpec(
            "manual_scores",
            ("cycle", "employee_no", "metric"),
            (
                Column("cycle", "考核周期", as_cycle),
                _employee("employee_no", "工号"),
                _id("metric", "指标代码", max_length=CODE_MAX),
                Column("value", "得分", as_decimal),
                _employee("rater_no", "评分人工号", required=False),
            ),
            label=_("Manual scores"),
        ),
        KindSpec(
            "templates",
            ("template", "metric"),
            (
                _id("template", "模板代码", max_length=CODE_MAX),
                _id("level", "职级", max_length=LEVEL_CODE_MAX),
                Column("cycle_kind", "周期类型", as_choice, choices=CYCLE_KINDS),
                _id("metric", "指标代码", max_length=CODE_MAX),
                Column("weight", "权重", as_decimal, minimum=0, maximum=100, unit="%"),
                # A fraction (1.5 = 150 points), so a header unit such as (%) would rescale it.
                Column(
                    "cap",
                    "封顶",
                    as_decimal,
                    required=False,
                    minimum=0,
                    min_exclusive=True,
                    default=Decimal("1.5"),
                    unit=NO_UNIT,
                ),
            ),
            label=_("Templates"),
            consistent=(("template", ("level", "cycle_kind")),),
        ),
    )
}

KINDS: tuple[str, ...] = tuple(SPECS)


def get_spec(kind: str) -> KindSpec:
    """The declaration of ``kind``; :class:`UnknownKindError` (``unknown_kind``) otherwise."""
    try:
        return SPECS[kind]
    except (KeyError, TypeError):
        raise UnknownKindError(
            "unknown_kind", kind=str(kind)[:60], kinds=", ".join(KINDS)
        ) from None
