"""Who may do what in feedback (DESIGN.md §1, §7): named predicates built on the shared
role predicates (``kaopei.core.rules``). Selectors scope and authorise with them; views
ask the selectors and use these only to show or hide actions.

Nobody — HR admins and superusers included — may learn an anonymous rater's identity or a
withheld score: no predicate here opens that, because nothing stores or shows it.
"""

from __future__ import annotations

from kaopei.core.rules import (
    has_a_role,
    is_account_manager,
    is_executive,
    is_hr_admin,
    is_supervisor,
)

# --- 360 rounds and questionnaires -----------------------------------------------------------
# Questionnaires and rounds (open, close, remind): HR admins.
can_manage_rounds = is_hr_admin
# Adjusting a subject's raters and approving nominations: HR admins and supervisors (their
# chain, checked by the selectors).
can_adjust_raters = is_hr_admin | is_supervisor
# Answering the invitations addressed to oneself: anyone employed.
can_answer_feedback = has_a_role

# --- Reports ---------------------------------------------------------------------------------
# Individual reports: the subject, their supervisor chain and HR admins (scoped by selectors).
can_open_reports = is_hr_admin | is_supervisor | is_account_manager
# The organisation heatmap (units × competencies, displayed scores only).
can_see_heatmap = is_hr_admin | is_executive
# Rater bias (attributed ratings only) before calibration.
can_see_rater_bias = is_hr_admin
# The 9-box (performance × competency): HR admins and supervisors (their chain, who also
# move grades from it); executives read its counts, never names.
can_see_nine_box = is_hr_admin | is_supervisor | is_executive

# --- Customer surveys and interviews ---------------------------------------------------------
can_send_surveys = is_hr_admin | is_supervisor
can_record_customer_interviews = is_hr_admin | is_supervisor

# --- Suggestion box --------------------------------------------------------------------------
can_post_suggestion = has_a_role
can_triage_suggestions = is_hr_admin

# --- Performance interviews and review meetings ----------------------------------------------
can_hold_interviews = is_hr_admin | is_supervisor
can_hold_review_meetings = is_hr_admin | is_supervisor

__all__ = [
    "can_adjust_raters",
    "can_answer_feedback",
    "can_hold_interviews",
    "can_hold_review_meetings",
    "can_manage_rounds",
    "can_open_reports",
    "can_post_suggestion",
    "can_record_customer_interviews",
    "can_see_heatmap",
    "can_see_nine_box",
    "can_see_rater_bias",
    "can_send_surveys",
    "can_triage_suggestions",
    "is_executive",
]
