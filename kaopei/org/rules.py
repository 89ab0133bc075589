"""Who may open which organisation page (DESIGN.md §1). Scope within a page is the
selectors' job; these predicates only answer "may this role use the page at all"."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kaopei.core.roles import Role, has_role

User = AbstractBaseUser | AnonymousUser


def can_browse_org(user: User) -> bool:
    """The org tree and the people list: HR admins, executives and supervisors."""
    return has_role(user, Role.HR_ADMIN, Role.EXECUTIVE, Role.SUPERVISOR)


def can_manage_org(user: User) -> bool:
    """Creating and changing units, people, levels and competencies: HR admins only."""
    return has_role(user, Role.HR_ADMIN)


def can_see_audit_history(user: User) -> bool:
    return has_role(user, Role.HR_ADMIN)
