"""Writes of the organisation (DESIGN.md §3), a module per entity: ``units``, ``employees``
(people, their logins and roles), ``levels`` (job levels) and ``competencies`` (the
competency framework and matrix); ``common`` holds the shared checks. Import from here.

Every rule lives here (STYLE.md item 3); a refused request raises :class:`ApplicationError` whose ``errors`` may name the form field at fault
(``{"field": "supervisor"}``) so that pages can show the message next to it.

The audit history (django-simple-history) records who made each change; on a web request
its middleware supplies the user.
"""

from __future__ import annotations

from kaopei.org.services.common import CODE_RE, RESERVED_CODES, Actor
from kaopei.org.services.competencies import (
    competency_create,
    competency_update,
    level_expectations_set,
)
from kaopei.org.services.employees import (
    employee_create,
    employee_deactivate,
    employee_set_password,
    employee_set_roles,
    employee_update,
)
from kaopei.org.services.levels import (
    job_level_create,
    job_level_update,
)
from kaopei.org.services.units import (
    org_unit_create,
    org_unit_deactivate,
    org_unit_update,
)

__all__ = [
    "Actor",
    "CODE_RE",
    "RESERVED_CODES",
    "competency_create",
    "competency_update",
    "employee_create",
    "employee_deactivate",
    "employee_set_password",
    "employee_set_roles",
    "employee_update",
    "job_level_create",
    "job_level_update",
    "level_expectations_set",
    "org_unit_create",
    "org_unit_deactivate",
    "org_unit_update",
]
