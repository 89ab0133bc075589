"""Django admin for the assessment models, for HR admins and anything without a page.

Only the metric library and grade policies (reference data with an audit history) are
editable here, never deleted (kaopei.core.admin.AuditedAdmin). Everything else is
read-only: cycles move through the cycle page; targets and manual scores are facts that
change through imports; templates change by a new version on the template pages;
scorecards, lines, calibrations and appeals are made by their services, which keep a final
cycle immutable (DESIGN.md §3) and audit every change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kaopei.assessment.models import (
    Appeal,
    Calibration,
    Cycle,
    GradeBand,
    GradePolicy,
    ManualScore,
    Metric,
    Scorecard,
    ScoreLine,
    Target,
    Template,
    TemplateItem,
)
from kaopei.core.admin import (
    AuditedAdmin,
    ReadOnlyAdmin,
    ReadOnlyHistoryAdmin,
    ReadOnlyTabularInline,
)


@admin.register(Metric)
class MetricAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name_zh",
        "name_en",
        "unit",
        "direction",
        "mode",
        "category",
        "source",
        "builtin",
        "active",
    )
    list_filter = ("category", "source", "mode", "builtin", "active")
    search_fields = ("code", "name_zh", "name_en")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.builtin:  # the formula of a built-in metric is fixed
            return (
                "code",
                "unit",
                "direction",
                "mode",
                "floor",
                "ceiling",
                "source",
                "category",
                "cumulative",
                "builtin",
            )
        return ("builtin",) if obj is None else ("code", "builtin")


class GradeBandInline(ReadOnlyTabularInline):
    # Bands have no history of their own: they are shown, not edited, here.
    model = GradeBand


@admin.register(GradePolicy)
class GradePolicyAdmin(AuditedAdmin):
    list_display = ("code", "name", "is_default")
    search_fields = ("code", "name")
    inlines = [GradeBandInline]


@admin.register(Cycle)
class CycleAdmin(ReadOnlyHistoryAdmin):
    # The life cycle moves only through the cycle page (its rules and notifications).
    list_display = ("code", "kind", "start", "end", "status", "appeal_deadline", "scored_at")
    list_filter = ("kind", "status")
    search_fields = ("code",)


class TemplateItemInline(ReadOnlyTabularInline):
    model = TemplateItem
    fields = ("metric", "weight", "cap", "floor", "ceiling")


@admin.register(Template)
class TemplateAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "level", "cycle_kind", "current", "created_at", "created_by")
    list_filter = ("cycle_kind", "current", "level")
    search_fields = ("code", "note")
    list_select_related = ("level", "created_by")
    inlines = [TemplateItemInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ("cycle", "employee", "metric", "value")
    list_filter = ("cycle", "metric")
    search_fields = ("employee__employee_no", "employee__name", "metric__code")
    list_select_related = ("cycle", "employee", "metric")
    raw_id_fields = ("employee", "import_batch")


@admin.register(ManualScore)
class ManualScoreAdmin(ReadOnlyHistoryAdmin):
    list_display = ("cycle", "employee", "metric", "value", "rater")
    list_filter = ("cycle", "metric")
    search_fields = ("employee__employee_no", "employee__name", "metric__code")
    list_select_related = ("cycle", "employee", "metric", "rater")
    raw_id_fields = ("employee", "rater", "import_batch")


class ScoreLineInline(ReadOnlyTabularInline):
    model = ScoreLine
    fields = (
        "metric",
        "actual",
        "target",
        "attainment",
        "points",
        "weight",
        "cap",
        "has_data",
        "warning",
    )


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "cycle",
        "employee",
        "org_unit",
        "level",
        "total",
        "grade",
        "computed_grade",
        "veto_reason",
    )
    list_filter = ("cycle", "grade", "level")
    search_fields = ("employee__employee_no", "employee__name")
    list_select_related = ("cycle", "employee", "org_unit", "level")
    inlines = [ScoreLineInline]


@admin.register(Calibration)
class CalibrationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("scorecard", "from_grade", "to_grade", "by", "at")
    list_filter = ("to_grade",)
    search_fields = ("scorecard__employee__employee_no", "reason")
    list_select_related = ("scorecard__cycle", "scorecard__employee", "by")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyHistoryAdmin):
    list_display = ("scorecard", "metric", "status", "raised_by", "resolved_by", "created_at")
    list_filter = ("status",)
    search_fields = ("scorecard__employee__employee_no", "reason", "resolution")
    list_select_related = (
        "scorecard__cycle",
        "scorecard__employee",
        "metric",
        "raised_by",
        "resolved_by",
    )
