"""What the import templates say about each kind: a description, the rules that span
columns, and the values of the example row.

Used by :mod:`.templates`; a kind without an entry here still gets a template.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What each kind holds, for the templates page (kinds without an entry show their label only).
KIND_DESCRIPTIONS: dict[str, StrOrPromise] = {
    "job_levels": gettext_lazy("Job levels and their seniority (a higher rank is more senior)."),
    "org_units": gettext_lazy("The organisation tree: head office, branches and teams."),
    "employees": gettext_lazy(
        "People with their org unit, job level, supervisor and roles; each gets a login."
    ),
    "customers": gettext_lazy("Customers and the account manager who owns them."),
    "activities": gettext_lazy("Visits, calls, meetings and customer requests from the CRM."),
    "opportunities": gettext_lazy("Sales opportunities: open, won or lost, with their amount."),
    "sales": gettext_lazy("Signed contracts with their amount and simulated profit."),
    "receivables": gettext_lazy("Invoices and the date each was paid."),
    "complaints": gettext_lazy("Customer complaints and the date each was resolved."),
    "surveys": gettext_lazy("Customer survey answers: NPS (0–10) and satisfaction (1–5)."),
    "incidents": gettext_lazy("Compliance incidents (bribery, AML, data privacy, other)."),
    "targets": gettext_lazy("Targets per cycle, employee and metric."),
    "manual_scores": gettext_lazy("Hand-entered scores per cycle, such as supervisor ratings."),
    "templates": gettext_lazy("Assessment templates: the metrics and weights of each job level."),
}

# Rules of a kind that span columns, in words (the declarations hold them as code).
KIND_NOTES: dict[str, StrOrPromise] = {
    "org_units": gettext_lazy(
        "Leave 上级机构代码 (parent_code) blank for the head office. A parent may be a unit "
        "that exists already or one earlier in the same file."
    ),
    "employees": gettext_lazy(
        "机构代码 (org_unit) and 职级 (level) must exist; 上级工号 (supervisor_no) must be "
        "another employee, existing or earlier in the file. 离职日期 (left_on) cannot be "
        "before 入职日期 (hire_date)."
    ),
    "customers": gettext_lazy(
        "客户经理工号 (owner_no) must be an existing employee. 流失日期 (lost_on) cannot be "
        "before 获客日期 (acquired_on)."
    ),
    "activities": gettext_lazy(
        "客户经理工号 and 客户编号 must exist. A time without a zone is in the organisation's "
        "time zone ({tz})."
    ),
    "opportunities": gettext_lazy(
        "关闭日期 (closed_on) is required when 状态 (status) is won (赢单) or lost (输单), and "
        "cannot be before 创建日期 (created_on)."
    ),
    "sales": gettext_lazy("模拟利润 (profit) may be negative; 金额 (amount) may not."),
    "receivables": gettext_lazy(
        "Leave 回款日期 (paid_on) blank while the invoice is unpaid; it cannot be before "
        "开票日期 (invoiced_on)."
    ),
    "complaints": gettext_lazy(
        "Leave 解决日期 (resolved_on) blank while the complaint is open; it cannot be before "
        "投诉日期 (opened_on)."
    ),
    "incidents": gettext_lazy(
        "A confirmed incident in a cycle makes that cycle's grade UNQUALIFIED (不合格)."
    ),
    "targets": gettext_lazy(
        "A cycle that does not exist yet is created as a draft; a final cycle refuses the "
        "whole file."
    ),
    "manual_scores": gettext_lazy(
        "A cycle that does not exist yet is created as a draft; a final cycle refuses the "
        "whole file."
    ),
    "templates": gettext_lazy(
        "The weights of each template in the file must add up to 100, and all rows of a "
        "template must name the same job level and cycle type. Importing a template that "
        "exists makes a new version."
    ),
}

# Example values that read well; a column without one gets a value from its type.
EXAMPLES: dict[str, dict[str, Any]] = {
    "job_levels": {"code": "AM1", "name": "初级客户经理", "rank": 1},
    "org_units": {"code": "BJ-T1", "name": "北京一组", "parent_code": "BJ"},
    "employees": {
        "employee_no": "A001",
        "name": "安丽",
        "org_unit": "BJ-T1",
        "level": "AM1",
        "supervisor_no": "S001",
        "email": "anli@example.com",
        "hire_date": date(2024, 7, 1),
        "left_on": None,
        "active": "是",
        "roles": "客户经理",
    },
    "customers": {
        "customer_no": "C0001",
        "name": "北京示例科技有限公司",
        "owner_no": "A001",
        "segment": "对公",
        "strategic": "否",
        "acquired_on": date(2025, 1, 15),
        "lost_on": None,
    },
    "activities": {
        "activity_id": "V20260305001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "kind": "拜访",
        "occurred_at": datetime(2026, 3, 5, 14, 30),
        "response_hours": 2.5,
    },
    "opportunities": {
        "opportunity_id": "O2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "created_on": date(2026, 1, 10),
        "closed_on": date(2026, 3, 5),
        "status": "赢单",
        "amount": 500000,
    },
    "sales": {
        "contract_no": "HT2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "signed_on": date(2026, 3, 5),
        "amount": 500000,
        "profit": 60000,
    },
    "receivables": {
        "invoice_no": "FP2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "invoiced_on": date(2026, 3, 5),
        "amount": 500000,
        "paid_on": date(2026, 4, 2),
    },
    "complaints": {
        "complaint_id": "TS2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "opened_on": date(2026, 2, 1),
        "resolved_on": date(2026, 2, 5),
    },
    "surveys": {
        "response_id": "WJ2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "responded_on": date(2026, 3, 20),
        "nps": 9,
        "csat": 5,
    },
    "incidents": {
        "incident_id": "SJ2026001",
        "employee_no": "A001",
        "occurred_on": date(2026, 2, 14),
        "category": "其他",
        "confirmed": "否",
        "description": "客户拜访记录未按规定登记",
    },
    "targets": {
        "cycle": "2026Q1",
        "employee_no": "A001",
        "metric": "sales_amount",
        "target": 1000000,
    },
    "manual_scores": {
        "cycle": "2026Q1",
        "employee_no": "A001",
        "metric": "supervisor_rating",
        "value": 4,
        "rater_no": "S001",
    },
    "templates": {
        "template": "AM1-Q",
        "level": "AM1",
        "cycle_kind": "季度",
        "metric": "visit_count",
        "weight": 100,
        "cap": 1.5,
    },
}
