"""Who may do what in training (DESIGN.md §1: a trainer manages courses, sessions and
quizzes and sees training data; an account manager takes training and quizzes; a
supervisor follows and enrols their chain; HR admins do everything; executives read the
effect figures). Named predicates built on the shared role predicates
(``kaopei.core.rules``); selectors scope and authorise with them, views use them only to
show or hide actions.
"""

from __future__ import annotations

from kaopei.core.rules import (
    has_a_role,
    is_executive,
    is_hr_admin,
    is_supervisor,
    is_trainer,
)

# --- Catalogue -------------------------------------------------------------------------------
# Everyone employed browses the catalogue and downloads its materials.
can_browse_catalogue = has_a_role
# Writing courses, materials and question banks: trainers and HR admins.
can_manage_catalogue = is_hr_admin | is_trainer
# Which courses a level must take, by when: HR admins.
can_manage_mandatory = is_hr_admin

# --- Sessions and enrolment ------------------------------------------------------------------
# Scheduling sessions, attendance and completion: trainers and HR admins.
can_manage_sessions = is_hr_admin | is_trainer
# Enrolling other people or whole teams: HR admins and trainers (anyone), supervisors (their
# chain, checked by the selectors).
can_enrol_others = is_hr_admin | is_trainer | is_supervisor
# Enrolling oneself, rating a session one attended, taking quizzes: anyone employed.
can_enrol_self = has_a_role
can_take_quizzes = has_a_role
# Training records of other people: HR admins and trainers (everyone), supervisors (their
# chain, checked by the selectors). Everyone sees their own.
can_see_training_records = is_hr_admin | is_trainer | is_supervisor
# Who is overdue on mandatory training: HR admins, trainers, supervisors (their chain).
can_see_overdue = is_hr_admin | is_trainer | is_supervisor

# --- Quizzes ---------------------------------------------------------------------------------
# Quiz results, item analysis and reaction comments (comments never name their writer).
can_see_quiz_results = is_hr_admin | is_trainer
can_see_reactions = is_hr_admin | is_trainer

# --- Effect (Kirkpatrick, DESIGN.md §8) ------------------------------------------------------
can_see_effect = is_hr_admin | is_trainer | is_executive

# --- Trainer workspace -----------------------------------------------------------------------
can_use_trainer_workspace = is_hr_admin | is_trainer

# --- certificates (added) ---
# The list of every certificate issued (and revoking one): HR admins.
can_list_certificates = is_hr_admin

# --- competitions ---
# Organising group competitions (teams, opening, review phase, closing): trainers and HR.
can_organise_competitions = is_hr_admin | is_trainer
# Seeing the list of competitions and their tasks: anyone employed. Who sees a leaderboard
# and a team's reviews is decided per competition by the selectors (participants, experts,
# organisers and HR).
can_see_competitions = has_a_role
# --- roleplays ---
# Writing role-plays and rubrics, recording performances, naming assessors, closing them and
# reading every score with its assessor's name and the agreement figures: trainers and HR.
can_manage_roleplays = is_hr_admin | is_trainer
# Who may be named an expert assessor (by a trainer or HR): trainers, HR admins, supervisors.
can_assess_roleplays = is_hr_admin | is_trainer | is_supervisor
# The role-play library (learner's brief and rubric): anyone employed.
can_browse_roleplays = has_a_role
# --- sandbox ---
# Writing decision-sandbox scenarios: trainers and HR admins (as the catalogue).
can_manage_scenarios = can_manage_catalogue
# Playing published scenarios, solo or in a group: anyone employed.
can_play_scenarios = has_a_role
# Sandbox results: trainers and HR admins (everyone's runs), supervisors (their chain's,
# scoped by ``record_scope``).
can_see_sandbox_results = is_hr_admin | is_trainer | is_supervisor

__all__ = [
    "can_browse_catalogue",
    "can_manage_catalogue",
    "can_manage_mandatory",
    "can_manage_sessions",
    "can_enrol_others",
    "can_enrol_self",
    "can_take_quizzes",
    "can_see_training_records",
    "can_see_overdue",
    "can_see_quiz_results",
    "can_see_reactions",
    "can_see_effect",
    "can_use_trainer_workspace",
    "can_list_certificates",
    "can_organise_competitions",
    "can_see_competitions",
    "can_manage_roleplays",
    "can_assess_roleplays",
    "can_browse_roleplays",
    "can_manage_scenarios",
    "can_play_scenarios",
    "can_see_sandbox_results",
    "is_executive",
    "is_supervisor",
]
