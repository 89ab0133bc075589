"""The business records' import kinds (DESIGN.md §4.2 ⚑), registered with their loaders
(:mod:`kaopei.facts.loaders`) by :class:`kaopei.facts.apps.FactsConfig`.

Names, Chinese aliases, optional flags, enum values and key columns follow the contract table
exactly; lengths follow the models' fields.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing.columns import (
    Column,
    KindSpec,
    as_bool,
    as_choice,
    as_datetime,
    as_decimal,
    as_int,
    as_text,
    not_before,
    required_when,
)
from kaopei.imports.importing.kinds import amount_column, date_column, key_column
from kaopei.imports.importing.parsers import Choices
from kaopei.org.import_kinds import employee_column

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


CUSTOMERS = KindSpec(
    "customers",
    ("customer_no",),
    (
        key_column("customer_no", "客户编号"),
        Column("name", "客户名称", as_text, max_length=200),
        employee_column("owner_no", "客户经理工号"),
        Column("segment", "客户类型", as_text, required=False, max_length=60),
        Column("strategic", "战略客户", as_bool, required=False, default=False),
        date_column("acquired_on", "获客日期"),
        date_column("lost_on", "流失日期", required=False),
    ),
    label=_("Customers"),
    rules=(not_before("lost_on", "acquired_on"),),
)


ACTIVITIES = KindSpec(
    "activities",
    ("activity_id",),
    (
        key_column("activity_id", "活动编号"),
        employee_column(),
        key_column("customer_no", "客户编号"),
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
)


OPPORTUNITIES = KindSpec(
    "opportunities",
    ("opportunity_id",),
    (
        key_column("opportunity_id", "商机编号"),
        employee_column(),
        key_column("customer_no", "客户编号"),
        date_column("created_on", "创建日期"),
        date_column("closed_on", "关闭日期", required=False),
        Column("status", "状态", as_choice, choices=OPPORTUNITY_STATUSES),
        amount_column("amount", "金额"),
    ),
    label=_("Opportunities"),
    rules=(
        required_when("closed_on", "status", ("won", "lost")),
        not_before("closed_on", "created_on"),
    ),
)


SALES = KindSpec(
    "sales",
    ("contract_no",),
    (
        key_column("contract_no", "合同编号"),
        employee_column(),
        key_column("customer_no", "客户编号"),
        date_column("signed_on", "签约日期"),
        amount_column("amount", "金额"),
        amount_column("profit", "模拟利润", allow_negative=True),
    ),
    label=_("Sales"),
)


RECEIVABLES = KindSpec(
    "receivables",
    ("invoice_no",),
    (
        key_column("invoice_no", "发票号"),
        employee_column(),
        key_column("customer_no", "客户编号"),
        date_column("invoiced_on", "开票日期"),
        amount_column("amount", "金额"),
        date_column("paid_on", "回款日期", required=False),
    ),
    label=_("Receivables"),
    rules=(not_before("paid_on", "invoiced_on"),),
)


COMPLAINTS = KindSpec(
    "complaints",
    ("complaint_id",),
    (
        key_column("complaint_id", "投诉编号"),
        employee_column(),
        key_column("customer_no", "客户编号"),
        date_column("opened_on", "投诉日期"),
        date_column("resolved_on", "解决日期", required=False),
    ),
    label=_("Complaints"),
    rules=(not_before("resolved_on", "opened_on"),),
)


SURVEYS = KindSpec(
    "surveys",
    ("response_id",),
    (
        key_column("response_id", "问卷编号"),
        employee_column(),
        key_column("customer_no", "客户编号"),
        date_column("responded_on", "填写日期"),
        Column("nps", "推荐得分", as_int, minimum=0, maximum=10),
        Column("csat", "满意度", as_int, required=False, minimum=1, maximum=5),
    ),
    label=_("Customer surveys"),
)


INCIDENTS = KindSpec(
    "incidents",
    ("incident_id",),
    (
        key_column("incident_id", "事件编号"),
        employee_column(),
        date_column("occurred_on", "发生日期"),
        Column("category", "类别", as_choice, choices=INCIDENT_CATEGORIES),
        Column("confirmed", "是否确认", as_bool),
        Column("description", "描述", as_text, required=False, max_length=10000),
    ),
    label=_("Compliance incidents"),
)


def register() -> None:
    """Register the business records' kinds (from ``FactsConfig.ready``)."""
    from datetime import date, datetime

    from kaopei.facts.loaders.facts import FACT_LOADERS
    from kaopei.imports.registry import register_kind

    register_kind(
        CUSTOMERS,
        FACT_LOADERS["customers"],
        description=_("Customers and the account manager who owns them."),
        notes=_(
            "客户经理工号 (owner_no) must be an existing employee. 流失日期 (lost_on) cannot be "
            "before 获客日期 (acquired_on)."
        ),
        example={
            "customer_no": "C0001",
            "name": "北京示例科技有限公司",
            "owner_no": "A001",
            "segment": "对公",
            "strategic": "否",
            "acquired_on": date(2025, 1, 15),
            "lost_on": None,
        },
    )
    register_kind(
        ACTIVITIES,
        FACT_LOADERS["activities"],
        description=_("Visits, calls, meetings and customer requests from the CRM."),
        notes=_(
            "客户经理工号 and 客户编号 must exist. A time without a zone is in the organisation's "
            "time zone ({tz})."
        ),
        example={
            "activity_id": "V20260305001",
            "employee_no": "A001",
            "customer_no": "C0001",
            "kind": "拜访",
            "occurred_at": datetime(2026, 3, 5, 14, 30),
            "response_hours": 2.5,
        },
    )
    register_kind(
        OPPORTUNITIES,
        FACT_LOADERS["opportunities"],
        description=_("Sales opportunities: open, won or lost, with their amount."),
        notes=_(
            "关闭日期 (closed_on) is required when 状态 (status) is won (赢单) or lost (输单), and "
            "cannot be before 创建日期 (created_on)."
        ),
        example={
            "opportunity_id": "O2026001",
            "employee_no": "A001",
            "customer_no": "C0001",
            "created_on": date(2026, 1, 10),
            "closed_on": date(2026, 3, 5),
            "status": "赢单",
            "amount": 500000,
        },
    )
    register_kind(
        SALES,
        FACT_LOADERS["sales"],
        description=_("Signed contracts with their amount and simulated profit."),
        notes=_("模拟利润 (profit) may be negative; 金额 (amount) may not."),
        example={
            "contract_no": "HT2026001",
            "employee_no": "A001",
            "customer_no": "C0001",
            "signed_on": date(2026, 3, 5),
            "amount": 500000,
            "profit": 60000,
        },
    )
    register_kind(
        RECEIVABLES,
        FACT_LOADERS["receivables"],
        description=_("Invoices and the date each was paid."),
        notes=_(
            "Leave 回款日期 (paid_on) blank while the invoice is unpaid; it cannot be before "
            "开票日期 (invoiced_on)."
        ),
        example={
            "invoice_no": "FP2026001",
            "employee_no": "A001",
            "customer_no": "C0001",
            "invoiced_on": date(2026, 3, 5),
            "amount": 500000,
            "paid_on": date(2026, 4, 2),
        },
    )
    register_kind(
        COMPLAINTS,
        FACT_LOADERS["complaints"],
        description=_("Customer complaints and the date each was resolved."),
        notes=_(
            "Leave 解决日期 (resolved_on) blank while the complaint is open; it cannot be before "
            "投诉日期 (opened_on)."
        ),
        example={
            "complaint_id": "TS2026001",
            "employee_no": "A001",
            "customer_no": "C0001",
            "opened_on": date(2026, 2, 1),
            "resolved_on": date(2026, 2, 5),
        },
    )
    register_kind(
        SURVEYS,
        FACT_LOADERS["surveys"],
        description=_("Customer survey answers: NPS (0–10) and satisfaction (1–5)."),
        example={
            "response_id": "WJ2026001",
            "employee_no": "A001",
            "customer_no": "C0001",
            "responded_on": date(2026, 3, 20),
            "nps": 9,
            "csat": 5,
        },
    )
    register_kind(
        INCIDENTS,
        FACT_LOADERS["incidents"],
        description=_("Compliance incidents (bribery, AML, data privacy, other)."),
        notes=_("A confirmed incident in a cycle makes that cycle's grade UNQUALIFIED (不合格)."),
        example={
            "incident_id": "SJ2026001",
            "employee_no": "A001",
            "occurred_on": date(2026, 2, 14),
            "category": "其他",
            "confirmed": "否",
            "description": "客户拜访记录未按规定登记",
        },
    )
