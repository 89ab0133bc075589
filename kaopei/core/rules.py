"""The role predicates every app shares (DESIGN.md §1, §3): the one definition of "is HR
admin", "is executive", … built on ``kaopei.core.roles`` with the ``rules`` library.

Each app's own ``rules.py`` composes these into what may be done in that app
(``can_manage_org``, ``can_view_scorecard``, …); selectors and views ask those, never a role
name. A superuser counts as an HR admin (``user_roles``). Anonymous users and ``None`` hold
no role.
"""

from __future__ import annotations

from typing import Any

import rules

from kaopei.core.roles import Role, user_roles


def _holds(user: Any, role: Role) -> bool:
    return user is not None and role in user_roles(user)


@rules.predicate
def is_hr_admin(user: Any) -> bool:
    return _holds(user, Role.HR_ADMIN)


@rules.predicate
def is_executive(user: Any) -> bool:
    return _holds(user, Role.EXECUTIVE)


@rules.predicate
def is_supervisor(user: Any) -> bool:
    return _holds(user, Role.SUPERVISOR)


@rules.predicate
def is_account_manager(user: Any) -> bool:
    return _holds(user, Role.ACCOUNT_MANAGER)


@rules.predicate
def is_trainer(user: Any) -> bool:
    return _holds(user, Role.TRAINER)


@rules.predicate
def has_a_role(user: Any) -> bool:
    """Any of the five roles: a signed-in person without one sees nothing of the product."""
    return user is not None and bool(user_roles(user))


# Who sees the whole organisation rather than their own chain.
sees_everyone = is_hr_admin | is_executive
