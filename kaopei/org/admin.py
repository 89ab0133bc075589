"""Django admin for the organisation, for HR admins and anything without a page yet.

Models with an audit history use SimpleHistoryAdmin so the admin shows it too.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kaopei.org.models import (
    Competency,
    CompetencyAnchor,
    Employee,
    JobLevel,
    LevelExpectation,
    OrgUnit,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    raw_id_fields = ("import_batch",)


@admin.register(JobLevel)
class JobLevelAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "rank", "is_sales")
    list_filter = ("is_sales",)
    search_fields = ("code", "name")
    ordering = ("rank", "code")
    raw_id_fields = ("import_batch",)


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ("employee_no", "name", "org_unit", "level", "supervisor", "active")
    list_filter = ("active", "level", "org_unit")
    search_fields = ("employee_no", "name", "email")
    list_select_related = ("org_unit", "level", "supervisor")
    autocomplete_fields = ("org_unit", "supervisor", "user")
    raw_id_fields = ("import_batch",)
    date_hierarchy = "hire_date"


class CompetencyAnchorInline(admin.TabularInline):
    model = CompetencyAnchor
    extra = 0
    max_num = 5


@admin.register(Competency)
class CompetencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "category", "active")
    list_filter = ("category", "active")
    search_fields = ("code", "name", "description")
    inlines = [CompetencyAnchorInline]


@admin.register(CompetencyAnchor)
class CompetencyAnchorAdmin(admin.ModelAdmin):
    list_display = ("competency", "level", "behaviour")
    list_filter = ("level", "competency__category")
    search_fields = ("competency__code", "competency__name", "behaviour")
    list_select_related = ("competency",)


@admin.register(LevelExpectation)
class LevelExpectationAdmin(SimpleHistoryAdmin):
    list_display = ("level", "competency", "expected")
    list_filter = ("level", "competency__category", "expected")
    search_fields = ("competency__code", "competency__name", "level__code")
    list_select_related = ("level", "competency")
