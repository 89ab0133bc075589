"""Feedback pages: reports (360 reports, the unit heatmap, rater bias, the 9-box)."""

from django.urls import path

from kaopei.feedback.views import reports

urlpatterns = [
    path("reports/", reports.reports_index, name="reports_index"),
    path("cycles/<str:code>/reports/", reports.cycle_reports, name="cycle_reports"),
    path(
        "cycles/<str:code>/reports/<str:employee_no>/",
        reports.report_detail,
        name="report_detail",
    ),
    path("cycles/<str:code>/heatmap/", reports.heatmap, name="heatmap"),
    path(
        "cycles/<str:code>/heatmap/export.<str:fmt>",
        reports.heatmap_export,
        name="heatmap_export",
    ),
    path("cycles/<str:code>/rater-bias/", reports.rater_bias, name="rater_bias"),
    path("cycles/<str:code>/nine-box/", reports.nine_box, name="nine_box"),
]
