"""The database half of the one import pipeline: one loader per kind (DESIGN.md §4.2 ⚑).

``LOADERS[kind]`` is the loader class of a kind; each declares in ``writes`` the models it
creates or updates. The protocol is in :mod:`.base`; the kinds are grouped by domain:

- :mod:`.facts` (declared in :mod:`.fact_kinds`) — business records, through a staging
  table and set-based SQL (millions of rows);
- :mod:`.org`, :mod:`.employees` — job levels, org units, employees (logins and roles);
- :mod:`.assessment` — targets, manual scores and templates (cycles, versions);
- :mod:`.models` — the in-memory ORM loader (with audit history) the small kinds share;
- :mod:`.runner` — one run: read, feed, check, write in one transaction.

Adding a kind: declare its columns in :mod:`kaopei.facts.importing.kinds` and its loader here.
"""

from __future__ import annotations

from kaopei.facts.importing import UnknownKindError

from .assessment import ManualScoreLoader, TargetLoader, TemplateLoader
from .base import Counts, LoadContext, Loader
from .employees import EmployeeLoader
from .fact_kinds import FACT_KINDS
from .facts import FACT_LOADERS
from .org import JobLevelLoader, OrgUnitLoader

LOADERS: dict[str, type[Loader]] = {
    **{loader.kind: loader for loader in (JobLevelLoader, OrgUnitLoader, EmployeeLoader)},
    **FACT_LOADERS,
    **{loader.kind: loader for loader in (TargetLoader, ManualScoreLoader, TemplateLoader)},
}


def get_loader(kind: str) -> type[Loader]:
    """The loader class of ``kind``; :class:`UnknownKindError` otherwise."""
    try:
        return LOADERS[kind]
    except KeyError:
        raise UnknownKindError(
            "unknown_kind", kind=str(kind)[:60], kinds=", ".join(LOADERS)
        ) from None


__all__ = ["FACT_KINDS", "LOADERS", "Counts", "LoadContext", "Loader", "get_loader"]
