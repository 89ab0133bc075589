"""The loaders of the organisation's import kinds (DESIGN.md §4.2 ⚑): job levels and org
units (:mod:`.units`), employees with their logins and roles (:mod:`.employees`), the
competency framework and matrix (:mod:`.competencies`). Their columns are declared in
:mod:`kaopei.org.import_kinds`, which registers them."""

from .competencies import CompetencyLevelLoader, CompetencyLoader
from .employees import EmployeeLoader
from .units import JobLevelLoader, OrgUnitLoader

__all__ = [
    "CompetencyLevelLoader",
    "CompetencyLoader",
    "EmployeeLoader",
    "JobLevelLoader",
    "OrgUnitLoader",
]
