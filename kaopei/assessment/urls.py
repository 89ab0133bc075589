from django.urls import path

from kaopei.assessment.views import (
    appeals,
    calibration,
    config,
    cycles,
    removal,
    scorecards,
    unit_targets,
)

app_name = "assessment"
urlpatterns = [
    # cycles (views/cycles.py)
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("cycles/<str:code>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<str:code>/status/", cycles.cycle_status, name="cycle_status"),
    path("cycles/<str:code>/settings/", cycles.cycle_settings, name="cycle_settings"),
    path("cycles/<str:code>/score/", cycles.cycle_score_start, name="cycle_score"),
    path("jobs/<id:job_id>/", cycles.job_status, name="job_status"),
    path("cycles/<str:code>/export/<str:what>.<str:fmt>", cycles.cycle_export, name="cycle_export"),
    # configuration (views/config.py)
    path("metrics/", config.metric_list, name="metric_list"),
    path("metrics/new/", config.metric_create, name="metric_create"),
    path("metrics/<str:code>/edit/", config.metric_edit, name="metric_edit"),
    path("templates/", config.template_list, name="template_list"),
    path("templates/new/", config.template_create, name="template_create"),
    path("templates/<str:code>/", config.template_detail, name="template_detail"),
    path(
        "templates/<str:code>/new-version/",
        config.template_new_version,
        name="template_new_version",
    ),
    path("cycles/<str:code>/targets/", config.target_list, name="target_list"),
    path("cycles/<str:code>/targets/bulk/", config.target_bulk, name="target_bulk"),
    path("cycles/<str:code>/targets/copy/", config.target_copy, name="target_copy"),
    path("audit/", config.audit_log, name="audit_log"),
    # org-level targets and their roll-up (views/unit_targets.py)
    path("unit-targets/", unit_targets.unit_target_list, name="unit_target_list"),
    path("unit-targets/new/", unit_targets.unit_target_create, name="unit_target_create"),
    path("unit-targets/<id:pk>/edit/", unit_targets.unit_target_edit, name="unit_target_edit"),
    path(
        "unit-targets/<id:pk>/delete/", unit_targets.unit_target_delete, name="unit_target_delete"
    ),
    path("target-rollup/", unit_targets.target_rollup, name="target_rollup"),
    # scorecards (views/scorecards.py; calibration: views/calibration.py)
    path("cycles/<str:code>/scorecards/", scorecards.scorecard_list, name="scorecard_list"),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/",
        scorecards.scorecard_detail,
        name="scorecard",
    ),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/lines/<str:metric>/",
        scorecards.line_evidence,
        name="line_evidence",
    ),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/acknowledge/",
        scorecards.scorecard_acknowledge,
        name="scorecard_acknowledge",
    ),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/calibrate/",
        calibration.scorecard_calibrate,
        name="scorecard_calibrate",
    ),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/appeal/",
        appeals.appeal_create,
        name="appeal_create",
    ),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/remove/",
        removal.scorecard_remove,
        name="scorecard_remove",
    ),
    path("cycles/<str:code>/calibration/", calibration.calibration_board, name="calibration"),
    path("my/", scorecards.my_scorecards, name="my_scorecards"),
    path("appeals/", appeals.appeal_list, name="appeal_list"),
    path("appeals/<id:pk>/", appeals.appeal_detail, name="appeal_detail"),
    # corrections while answering an appeal, and HR's on the evidence page (views/appeals.py)
    path(
        "appeals/<id:pk>/records/<str:kind>/<id:record>/void/",
        appeals.appeal_record_void,
        name="appeal_record_void",
    ),
    path(
        "appeals/<id:pk>/records/<str:kind>/<id:record>/correct/",
        appeals.appeal_record_correct,
        name="appeal_record_correct",
    ),
    path("appeals/<id:pk>/records/add/", appeals.appeal_record_add, name="appeal_record_add"),
    path("appeals/<id:pk>/target/", appeals.appeal_target_correct, name="appeal_target"),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/lines/<str:metric>/records/"
        "<str:kind>/<id:record>/void/",
        appeals.line_record_void,
        name="line_record_void",
    ),
    path(
        "cycles/<str:code>/scorecards/<str:employee_no>/lines/<str:metric>/records/"
        "<str:kind>/<id:record>/correct/",
        appeals.line_record_correct,
        name="line_record_correct",
    ),
]
