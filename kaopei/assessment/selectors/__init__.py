"""Reads of assessment data, scoped to what the user may see.

- HR admins: every cycle and scorecard.
- Supervisors: scorecards of themself and everyone below them in the supervisor chain.
- Account managers: their own scorecard, once the cycle is scored (marked provisional
  until it is final).
- Executives: aggregates (grade distributions), not individual scorecards.
- Trainers: none.

What lives where (every public name is re-exported here, so import from
``kaopei.assessment.selectors``):

- ``access``: role checks (``is_hr``, ``can_*``, ``require_hr``, ``is_owner``), the scope of
  scorecards a user may open (``scorecard_scope_ids``) and ``PUBLISHED``.
- ``cycles``: cycle lists and lookups, the jobs of a cycle.
- ``scorecards``: scorecard lists, search, grade counts and bands, my scorecards, the audit
  trail, lines and their sources, the veto incident.
- ``calibration``: the calibration board (scope, units, distribution, cards) and appeals.
- ``targets``: targets, the metric library and templates (configuration pages).
- ``unit_targets``: org-level targets and their roll-up against the people's targets.
"""

from __future__ import annotations

from kaopei.assessment.selectors.access import (
    PUBLISHED,
    appeal_window_open,
    can_acknowledge_card,
    can_appeal_card,
    can_calibrate,
    can_calibrate_card,
    can_open_scorecards,
    can_see_aggregates,
    can_see_targets,
    can_view_calibration,
    can_view_scorecard,
    is_hr,
    is_owner,
    require_hr,
    scorecard_scope_ids,
)
from kaopei.assessment.selectors.calibration import (
    CalibrationBoard,
    appeal_get_for_user,
    appeals_visible_to,
    calibration_board,
    calibration_cards,
    calibration_distribution,
    calibration_scope,
    calibration_units,
    can_answer_appeal,
    can_resolve_appeal,
)
from kaopei.assessment.selectors.cycles import (
    cycle_by_code,
    cycle_get_for_user,
    cycle_list_visible_to,
    job_get_for_user,
    score_jobs_for_cycle,
)
from kaopei.assessment.selectors.scorecards import (
    grade_bands_for,
    grade_counts,
    grade_distribution,
    grade_scale_for,
    line_sources,
    my_scorecard_list,
    scorecard_gaps,
    scorecard_get_for_user,
    scorecard_history,
    scorecard_line_get,
    scorecard_list_visible_to,
    scorecard_removal_preview,
    scorecard_search,
    veto_incident,
)
from kaopei.assessment.selectors.targets import (
    bulk_target_employees,
    current_templates,
    metric_get,
    metric_list,
    target_copy_plan,
    target_count,
    target_list_visible_to,
    target_values,
    targets_cycle_get_for_user,
    template_list,
    template_versions,
)
from kaopei.assessment.selectors.unit_targets import (
    RollupRow,
    rollup_margin,
    rollup_root_ids,
    target_rollup_for_user,
    unit_target_get_for_user,
    unit_target_list_visible_to,
    unit_target_warnings,
)

__all__ = [
    "PUBLISHED",
    "is_hr",
    "can_calibrate",
    "can_see_aggregates",
    "require_hr",
    "scorecard_scope_ids",
    "can_open_scorecards",
    "can_view_calibration",
    "can_view_scorecard",
    "is_owner",
    "can_calibrate_card",
    "appeal_window_open",
    "can_appeal_card",
    "can_acknowledge_card",
    "can_see_targets",
    "cycle_list_visible_to",
    "cycle_get_for_user",
    "cycle_by_code",
    "job_get_for_user",
    "score_jobs_for_cycle",
    "scorecard_list_visible_to",
    "scorecard_gaps",
    "scorecard_get_for_user",
    "grade_distribution",
    "grade_scale_for",
    "my_scorecard_list",
    "scorecard_removal_preview",
    "scorecard_search",
    "grade_counts",
    "grade_bands_for",
    "veto_incident",
    "scorecard_history",
    "scorecard_line_get",
    "line_sources",
    "calibration_scope",
    "calibration_units",
    "calibration_distribution",
    "CalibrationBoard",
    "calibration_board",
    "calibration_cards",
    "appeals_visible_to",
    "appeal_get_for_user",
    "can_answer_appeal",
    "can_resolve_appeal",
    "metric_list",
    "template_list",
    "targets_cycle_get_for_user",
    "target_list_visible_to",
    "bulk_target_employees",
    "metric_get",
    "current_templates",
    "target_count",
    "target_values",
    "target_copy_plan",
    "template_versions",
    "RollupRow",
    "rollup_margin",
    "rollup_root_ids",
    "target_rollup_for_user",
    "unit_target_get_for_user",
    "unit_target_list_visible_to",
    "unit_target_warnings",
]
