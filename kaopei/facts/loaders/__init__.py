"""The database half of the one import pipeline: one loader per kind (DESIGN.md §4.2 ⚑).

``LOADERS[kind]`` is the loader class of a kind; each declares in ``writes`` the models it
creates or updates. The protocol is in :mod:`.base`; the kinds are grouped by domain:

- :mod:`.facts` — business records, streamed through a staging table (millions of rows);
- :mod:`.org` — job levels, org units and employees (with logins and roles);
- :mod:`.assessment` — targets, manual scores and templates (cycles, versions).

Adding a kind: declare its columns in :mod:`kaopei.facts.importing.kinds` and its loader here.
"""

from __future__ import annotations

from kaopei.facts.importing import UnknownKindError

from .assessment import ASSESSMENT_LOADERS
from .base import Counts, LoadContext, Loader
from .facts import FACT_KINDS, FACT_LOADERS
from .org import ORG_LOADERS

LOADERS: dict[str, type[Loader]] = {**ORG_LOADERS, **FACT_LOADERS, **ASSESSMENT_LOADERS}


def get_loader(kind: str) -> type[Loader]:
    """The loader class of ``kind``; :class:`UnknownKindError` otherwise."""
    try:
        return LOADERS[kind]
    except KeyError:
        raise UnknownKindError(
            "unknown_kind", kind=str(kind)[:60], kinds=", ".join(LOADERS)
        ) from None


__all__ = ["FACT_KINDS", "LOADERS", "Counts", "LoadContext", "Loader", "get_loader"]
