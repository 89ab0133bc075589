"""Django admin for business records (for HR admins and support).

Everything here is read-only (kaopei.core.admin): records are made and rolled
back by the import pipeline (kaopei.imports.services), which refuses what feeds a final cycle
and audits every change; the admin would bypass both. Records are searchable by their keys;
foreign keys use raw ids, as the tables can hold millions of rows.
"""

from __future__ import annotations

from django.contrib import admin

from kaopei.core.admin import ReadOnlyAdmin
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


class FactAdmin(ReadOnlyAdmin):
    show_full_result_count = False  # no COUNT(*) over millions of rows on every page


@admin.register(Customer)
class CustomerAdmin(FactAdmin):
    list_display = (
        "customer_no",
        "name",
        "owner",
        "segment",
        "strategic",
        "acquired_on",
        "lost_on",
    )
    list_filter = ("strategic",)
    search_fields = ("customer_no", "name")
    raw_id_fields = ("owner", "import_batch")
    list_select_related = ("owner",)


@admin.register(Activity)
class ActivityAdmin(FactAdmin):
    list_display = ("activity_id", "employee", "customer", "kind", "occurred_at", "response_hours")
    list_filter = ("kind",)
    search_fields = ("activity_id", "employee__employee_no", "customer__customer_no")
    date_hierarchy = "occurred_on"
    raw_id_fields = ("employee", "customer", "import_batch")
    list_select_related = ("employee", "customer")


@admin.register(Opportunity)
class OpportunityAdmin(FactAdmin):
    list_display = (
        "opportunity_id",
        "employee",
        "customer",
        "status",
        "created_on",
        "closed_on",
        "amount",
    )
    list_filter = ("status",)
    search_fields = ("opportunity_id", "employee__employee_no", "customer__customer_no")
    raw_id_fields = ("employee", "customer", "import_batch")
    list_select_related = ("employee", "customer")


@admin.register(Sale)
class SaleAdmin(FactAdmin):
    list_display = ("contract_no", "employee", "customer", "signed_on", "amount", "profit")
    search_fields = ("contract_no", "employee__employee_no", "customer__customer_no")
    raw_id_fields = ("employee", "customer", "import_batch")
    list_select_related = ("employee", "customer")


@admin.register(Receivable)
class ReceivableAdmin(FactAdmin):
    list_display = ("invoice_no", "employee", "customer", "invoiced_on", "amount", "paid_on")
    search_fields = ("invoice_no", "employee__employee_no", "customer__customer_no")
    raw_id_fields = ("employee", "customer", "import_batch")
    list_select_related = ("employee", "customer")


@admin.register(Complaint)
class ComplaintAdmin(FactAdmin):
    list_display = ("complaint_id", "employee", "customer", "opened_on", "resolved_on")
    search_fields = ("complaint_id", "employee__employee_no", "customer__customer_no")
    raw_id_fields = ("employee", "customer", "import_batch")
    list_select_related = ("employee", "customer")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(FactAdmin):
    list_display = ("response_id", "employee", "customer", "responded_on", "nps", "csat")
    search_fields = ("response_id", "employee__employee_no", "customer__customer_no")
    raw_id_fields = ("employee", "customer", "import_batch")
    list_select_related = ("employee", "customer")


@admin.register(ComplianceIncident)
class ComplianceIncidentAdmin(FactAdmin):
    list_display = ("incident_id", "employee", "occurred_on", "category", "confirmed")
    list_filter = ("category", "confirmed")
    search_fields = ("incident_id", "employee__employee_no")
    raw_id_fields = ("employee", "import_batch")
    list_select_related = ("employee",)
