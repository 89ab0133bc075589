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
# The rounds list and a round's page: HR admins (every round) and supervisors (the rounds
# whose subjects include people of their chain, showing those people only).
can_see_rounds = is_hr_admin | is_supervisor
# Nominating peers for one's own 360 (checked against the round's subjects by the selectors).
can_nominate_peers = has_a_role

# --- Reports ---------------------------------------------------------------------------------
# Individual reports: the subject, their supervisor chain and HR admins (scoped by selectors).
can_open_reports = is_hr_admin | is_supervisor | is_account_manager
# Who reads every individual report (so a heatmap cell of one person tells them nothing new).
reads_every_report = is_hr_admin
# The organisation heatmap (units × competencies, displayed scores only).
can_see_heatmap = is_hr_admin | is_executive
# Rater bias (attributed ratings only) before calibration.
can_see_rater_bias = is_hr_admin
# The 9-box (performance × competency): HR admins and supervisors (their chain, who also
# move grades from it); executives read its counts, never names.
can_see_nine_box = is_hr_admin | is_supervisor | is_executive

# --- Customer surveys and interviews ---------------------------------------------------------
# Sending surveys and recording customer interviews: HR admins (everyone) and supervisors
# (the people below them in the chain, checked by the selectors).
can_send_surveys = is_hr_admin | is_supervisor
can_record_customer_interviews = is_hr_admin | is_supervisor
# Reading interviews: the above, and every employee the interviews about themself.
can_read_customer_interviews = has_a_role

# --- Suggestion box --------------------------------------------------------------------------
# Anyone employed posts and reads their own by receipt code; only HR admins triage (and
# only they ever see a suggestion about a person).
can_post_suggestion = has_a_role
can_triage_suggestions = is_hr_admin

# --- Performance interviews and review meetings ----------------------------------------------
# Planning interviews: HR admins (anyone with a supervisor) and supervisors (their chain);
# the feedback itself is written by the supervisors above the person (selectors decide).
can_hold_interviews = is_hr_admin | is_supervisor
# Recording review meetings: HR admins, and supervisors for the teams where they supervise at
# least one active member (selectors decide which).
can_hold_review_meetings = is_hr_admin | is_supervisor
# Everyone employed opens their own interviews, the review meetings of their team and the
# actions agreed for them; executives see interview counts per status, no record.
can_open_interviews = has_a_role
can_open_review_meetings = has_a_role
can_follow_actions = has_a_role

__all__ = [
    "can_adjust_raters",
    "can_answer_feedback",
    "can_follow_actions",
    "can_hold_interviews",
    "can_hold_review_meetings",
    "can_manage_rounds",
    "can_nominate_peers",
    "can_open_interviews",
    "can_open_reports",
    "can_open_review_meetings",
    "can_post_suggestion",
    "can_read_customer_interviews",
    "can_record_customer_interviews",
    "can_see_heatmap",
    "can_see_nine_box",
    "can_see_rater_bias",
    "can_see_rounds",
    "can_send_surveys",
    "can_triage_suggestions",
    "is_executive",
    "reads_every_report",
]
