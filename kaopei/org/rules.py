"""Who may open which organisation page (DESIGN.md §1). Scope within a page is the
selectors' job; these predicates only answer "may this role use the page at all"."""

from __future__ import annotations

from kaopei.core.rules import is_executive, is_hr_admin, is_supervisor, sees_everyone

# The org tree and the people list: HR admins, executives and supervisors.
can_browse_org = is_hr_admin | is_executive | is_supervisor
# Creating and changing units, people, levels and competencies: HR admins only.
can_manage_org = is_hr_admin
can_see_audit_history = is_hr_admin
# A supervisor sees their chain too (``visible_employee_ids``); others only themselves.
sees_their_chain = is_supervisor

__all__ = [
    "can_browse_org",
    "can_manage_org",
    "can_see_audit_history",
    "sees_everyone",
    "sees_their_chain",
]
