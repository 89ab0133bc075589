"""Who may do what: role checks, the set of people whose scorecards a user may open, and
the cycle statuses whose scorecards are published. The lowest module of the package: it
imports no other selector module."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kaopei.assessment.models import Cycle, Scorecard
from kaopei.core.roles import Role, user_roles
from kaopei.org.selectors import employee_for_user, subordinate_ids

PUBLISHED = (Cycle.Status.SCORED, Cycle.Status.CALIBRATING, Cycle.Status.FINAL)


def is_hr(user: Any) -> bool:
    return Role.HR_ADMIN in user_roles(user)


def can_calibrate(user: Any) -> bool:
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR})


def can_see_aggregates(user: Any) -> bool:
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.EXECUTIVE, Role.SUPERVISOR})


def require_hr(user: Any) -> None:
    if not is_hr(user):
        raise PermissionDenied


def scorecard_scope_ids(user: Any) -> set[int] | None:
    """Employee ids whose scorecards the user may open; None means all."""
    roles = user_roles(user)
    if Role.HR_ADMIN in roles:
        return None
    me = employee_for_user(user)
    if me is None:
        return set()
    ids: set[int] = set()
    if roles & {Role.ACCOUNT_MANAGER, Role.SUPERVISOR}:
        ids.add(me.pk)
    if Role.SUPERVISOR in roles:
        ids |= subordinate_ids(me.pk)
    return ids


def can_open_scorecards(user: Any) -> bool:
    """Roles that see individual scorecards (their own at least): HR, supervisors, AMs."""
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR, Role.ACCOUNT_MANAGER})


def can_view_calibration(user: Any) -> bool:
    """The calibration board: HR admins and supervisors act on it; executives may read its
    distributions (aggregates only, never the list of cards)."""
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR, Role.EXECUTIVE})


def is_owner(user: Any, card: Scorecard) -> bool:
    return card.employee.user_id is not None and card.employee.user_id == getattr(user, "pk", None)


def can_calibrate_card(user: Any, card: Scorecard) -> bool:
    """HR or a supervisor with the card in scope (the caller fetched it through a scoped
    selector), never one's own card, while the cycle is scored or calibrating and the grade
    is not decided by the veto or missing data."""
    return (
        can_calibrate(user)
        and not is_owner(user, card)
        and card.cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING)
        and card.grade in {"A", "B", "C"}
        and card.computed_grade in {"A", "B", "C"}
    )


def appeal_window_open(cycle: Cycle) -> bool:
    from django.utils import timezone

    return cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING) and (
        cycle.appeal_deadline is None or timezone.localdate() <= cycle.appeal_deadline
    )


def can_appeal_card(user: Any, card: Scorecard) -> bool:
    return is_owner(user, card) and appeal_window_open(card.cycle)


def can_acknowledge_card(user: Any, card: Scorecard) -> bool:
    return is_owner(user, card) and card.cycle.is_final and card.acknowledged_at is None


def can_see_targets(user: Any) -> bool:
    """HR admins set targets; supervisors set or review those of their people (DESIGN §1)."""
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR})
