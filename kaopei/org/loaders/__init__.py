"""The loaders of the organisation's import kinds (DESIGN.md §4.2 ⚑): job levels and org
units (:mod:`.units`), employees with their logins and roles (:mod:`.employees`). Their
columns are declared in :mod:`kaopei.org.import_kinds`, which registers both."""

from .employees import EmployeeLoader
from .units import JobLevelLoader, OrgUnitLoader

__all__ = ["EmployeeLoader", "JobLevelLoader", "OrgUnitLoader"]
