"""Who may do what in assessment (DESIGN.md §1): named predicates built on the shared role
predicates (``kaopei.core.rules``). Selectors use them to scope and authorise; views ask the
selectors (STYLE.md item 5) and use these only to show or hide actions.

Object predicates take the object as second argument, e.g. ``can_view_scorecard(user,
card)`` (the ``rules`` library gives a one-argument predicate the user, so predicates about
the object alone still take ``(user, obj)``). A card is looked up through a scoped selector before any of them is asked.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from kaopei.assessment.grades import SPECIAL
from kaopei.assessment.models import Appeal, Cycle, Scorecard
from kaopei.core.rules import (
    is_account_manager,
    is_executive,
    is_hr_admin,
    is_supervisor,
    sees_everyone,
)
from kaopei.org.selectors import employee_for_user, subordinate_ids

PUBLISHED = (Cycle.Status.SCORED, Cycle.Status.CALIBRATING, Cycle.Status.FINAL)

# --- Pages and capabilities by role ----------------------------------------------------------

# Configuration, cycles' state, targets in bulk, exports and the audit log.
can_manage_assessment = is_hr_admin
# HR admins and supervisors move grades (supervisors within their chain).
can_calibrate = is_hr_admin | is_supervisor
# Templates and grade distributions: HR admins, executives and supervisors.
can_see_aggregates = is_hr_admin | is_executive | is_supervisor
# Individual scorecards (their own at least): HR admins, supervisors, account managers.
can_open_scorecards = is_hr_admin | is_supervisor | is_account_manager
# The calibration board: HR admins and supervisors act on it; executives read its
# distributions (aggregates only, never the list of cards).
can_view_calibration = is_hr_admin | is_supervisor | is_executive
# Targets: HR admins set them; supervisors set or review those of their people.
can_see_targets = is_hr_admin | is_supervisor
# Every card of a cycle on the board's distribution (others: their chain).
sees_every_card = sees_everyone


def scorecard_scope_ids(user: Any) -> set[int] | None:
    """Employee ids whose scorecards the user may open; None means all (HR admins)."""
    if is_hr_admin(user):
        return None
    me = employee_for_user(user)
    if me is None:
        return set()
    ids: set[int] = set()
    if is_account_manager(user) or is_supervisor(user):
        ids.add(me.pk)
    if is_supervisor(user):
        ids |= subordinate_ids(me.pk)
    return ids


# --- Object predicates -------------------------------------------------------------------------


@rules.predicate
def is_card_owner(user: Any, card: Scorecard) -> bool:
    return card.employee.user_id is not None and card.employee.user_id == getattr(user, "pk", None)


@rules.predicate
def can_view_scorecard(user: Any, card: Scorecard) -> bool:
    """HR admins every card; others a card in their scope once its cycle is published."""
    ids = scorecard_scope_ids(user)
    if ids is None:
        return True
    return card.cycle.status in PUBLISHED and card.employee_id in ids


@rules.predicate
def card_open_to_calibration(_user: Any, card: Scorecard) -> bool:
    """Scored or calibrating, and a grade not decided by the veto or missing data."""
    return (
        card.cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING)
        and card.grade not in SPECIAL  # a grade of the policy, not the veto's or missing data's
        and card.computed_grade not in SPECIAL
    )


# HR or a supervisor with the card in scope (the caller fetched it through a scoped
# selector), never one's own card.
can_calibrate_card = can_calibrate & ~is_card_owner & card_open_to_calibration


def appeal_window_open(cycle: Cycle) -> bool:
    return cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING) and (
        cycle.appeal_deadline is None or timezone.localdate() <= cycle.appeal_deadline
    )


@rules.predicate
def card_open_to_appeal(_user: Any, card: Scorecard) -> bool:
    return appeal_window_open(card.cycle)


@rules.predicate
def card_to_acknowledge(_user: Any, card: Scorecard) -> bool:
    return card.cycle.is_final and card.acknowledged_at is None


can_appeal_card = is_card_owner & card_open_to_appeal
can_acknowledge_card = is_card_owner & card_to_acknowledge


@rules.predicate
def supervises_appellant(user: Any, appeal: Appeal) -> bool:
    me = employee_for_user(user)
    return me is not None and appeal.scorecard.employee_id in subordinate_ids(me.pk)


@rules.predicate
def appeal_is_open(_user: Any, appeal: Appeal) -> bool:
    return appeal.status == Appeal.Status.OPEN


@rules.predicate
def is_appellant(user: Any, appeal: Appeal) -> bool:
    return bool(is_card_owner(user, appeal.scorecard))


# HR, or a supervisor of the appellant (direct or indirect); never the appellant. Who may
# answer an appeal someone else has just answered is told so by the service, not refused.
can_answer_appeal = ~is_appellant & (is_hr_admin | (is_supervisor & supervises_appellant))
can_resolve_appeal = appeal_is_open & can_answer_appeal


@rules.predicate
def can_correct_records_of(user: Any, employee: Any) -> bool:
    """HR admins: anyone's records; a supervisor: those of the people below them (the
    pages offer it only while answering an appeal of that person)."""
    if is_hr_admin(user):
        return True
    if not is_supervisor(user):
        return False
    me = employee_for_user(user)
    return me is not None and me.pk != employee.pk and employee.pk in subordinate_ids(me.pk)


# Correcting the records behind an appealed line: whoever may answer the open appeal.
can_correct_for_appeal = can_resolve_appeal


@rules.predicate
def can_see_job(user: Any, job: Any) -> bool:
    """A job: the person who started it, and HR admins."""
    return bool(is_hr_admin(user)) or (
        job.created_by_id is not None and job.created_by_id == getattr(user, "pk", None)
    )


# --- unit targets ------------------------------------------------------------------------------
# Org-level (strategic) targets: HR admins set them; HR admins and executives read every
# unit's roll-up, supervisors that of their own unit and the units below it (the people in
# their chain only); account managers and trainers none.
can_manage_unit_targets = is_hr_admin
can_see_target_rollup = is_hr_admin | is_executive | is_supervisor
