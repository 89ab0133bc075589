"""Django admin for the organisation, for HR admins and anything without a page yet.

Editable models use kaopei.core.admin.AuditedAdmin: every change leaves a history row naming
the admin user, and nothing is deleted here (units, levels and people feed cycles: deactivate
them on their pages). Competency anchors have no history of their own: they are read-only
here and change on the competency page.
"""

from __future__ import annotations

from django.contrib import admin

from kaopei.core.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyTabularInline
from kaopei.org.models import (
    Competency,
    CompetencyAnchor,
    Employee,
    JobLevel,
    LevelExpectation,
    OrgUnit,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    raw_id_fields = ("import_batch",)


@admin.register(JobLevel)
class JobLevelAdmin(AuditedAdmin):
    list_display = ("code", "name", "rank", "is_sales")
    list_filter = ("is_sales",)
    search_fields = ("code", "name", "name_en")
    ordering = ("rank", "code")
    raw_id_fields = ("import_batch",)


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    list_display = ("employee_no", "name", "org_unit", "level", "supervisor", "active")
    list_filter = ("active", "level", "org_unit")
    search_fields = ("employee_no", "name", "email")
    list_select_related = ("org_unit", "level", "supervisor")
    autocomplete_fields = ("org_unit", "supervisor", "user")
    raw_id_fields = ("import_batch",)
    date_hierarchy = "hire_date"


class CompetencyAnchorInline(ReadOnlyTabularInline):
    model = CompetencyAnchor


@admin.register(Competency)
class CompetencyAdmin(AuditedAdmin):
    list_display = ("code", "name", "category", "active")
    list_filter = ("category", "active")
    search_fields = ("code", "name", "name_en", "description", "description_en")
    inlines = [CompetencyAnchorInline]


@admin.register(CompetencyAnchor)
class CompetencyAnchorAdmin(ReadOnlyAdmin):
    list_display = ("competency", "level", "behaviour")
    list_filter = ("level", "competency__category")
    search_fields = ("competency__code", "competency__name", "behaviour", "behaviour_en")
    list_select_related = ("competency",)


@admin.register(LevelExpectation)
class LevelExpectationAdmin(AuditedAdmin):
    list_display = ("level", "competency", "expected")
    list_filter = ("level", "competency__category", "expected")
    search_fields = ("competency__code", "competency__name", "level__code")
    list_select_related = ("level", "competency")
