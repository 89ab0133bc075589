"""Django admin for the assessment models, for HR admins and anything without a page.

Models with an audit history use SimpleHistoryAdmin. Results (scorecards, lines,
calibrations) are computed or recorded by services and are read-only here; so are template
versions (a change is a new version, made on the template pages) and anything belonging to
a final cycle, which is immutable (DESIGN.md §3).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

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


class ReadOnlyMixin:
    """Viewable, never changed, added or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FinalCycleLockMixin:
    """Rows of a final cycle are read-only (nothing that feeds a final cycle may change)."""

    def _final(self, obj: Any) -> bool:
        return obj is not None and obj.cycle.is_final

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._final(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._final(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
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


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(GradePolicy)
class GradePolicyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "is_default")
    search_fields = ("code", "name")
    inlines = [GradeBandInline]


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "kind", "start", "end", "status", "appeal_deadline", "scored_at")
    list_filter = ("kind", "status")
    search_fields = ("code",)
    # The life cycle moves only through the cycle page (its rules and notifications).
    readonly_fields = (
        "code",
        "kind",
        "start",
        "end",
        "status",
        "opened_at",
        "scored_at",
        "finalised_at",
        "finalised_by",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_final) and super().has_change_permission(
            request, obj
        )


class TemplateItemInline(ReadOnlyMixin, admin.TabularInline):
    model = TemplateItem
    extra = 0
    fields = ("metric", "weight", "cap", "floor", "ceiling")


@admin.register(Template)
class TemplateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "version", "level", "cycle_kind", "current", "created_at", "created_by")
    list_filter = ("cycle_kind", "current", "level")
    search_fields = ("code", "note")
    list_select_related = ("level", "created_by")
    inlines = [TemplateItemInline]


@admin.register(Target)
class TargetAdmin(FinalCycleLockMixin, SimpleHistoryAdmin):
    list_display = ("cycle", "employee", "metric", "value")
    list_filter = ("cycle", "metric")
    search_fields = ("employee__employee_no", "employee__name", "metric__code")
    list_select_related = ("cycle", "employee", "metric")
    raw_id_fields = ("employee", "import_batch")


@admin.register(ManualScore)
class ManualScoreAdmin(FinalCycleLockMixin, SimpleHistoryAdmin):
    list_display = ("cycle", "employee", "metric", "value", "rater")
    list_filter = ("cycle", "metric")
    search_fields = ("employee__employee_no", "employee__name", "metric__code")
    list_select_related = ("cycle", "employee", "metric", "rater")
    raw_id_fields = ("employee", "rater", "import_batch")


class ScoreLineInline(ReadOnlyMixin, admin.TabularInline):
    model = ScoreLine
    extra = 0
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
class ScorecardAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
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
class CalibrationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("scorecard", "from_grade", "to_grade", "by", "at")
    list_filter = ("to_grade",)
    search_fields = ("scorecard__employee__employee_no", "reason")
    list_select_related = ("scorecard__cycle", "scorecard__employee", "by")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
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
