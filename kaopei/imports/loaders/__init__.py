"""The database half of the one import pipeline: one loader per kind (DESIGN.md §4.2 ⚑).

``LOADERS[kind]`` is the loader class of a kind; each declares in ``writes`` the models it
creates or updates. The loaders live with the app that owns what they write, and register
themselves with their kind (:func:`kaopei.imports.registry.register_kind`):

- ``kaopei/org/loaders/`` — job levels, org units, employees (logins and roles);
- ``kaopei/facts/loaders/`` — business records, through a staging table and set-based SQL;
- ``kaopei/assessment/loaders.py`` — targets, manual scores and templates.

Here is what they share: the protocol (:mod:`.base`), the in-memory ORM loader with audit
history the small kinds use (:mod:`.models`), temporary staging tables and a writer thread
(:mod:`.staging`), and one run: read, feed, check, write in one transaction (:mod:`.runner`).
"""

from __future__ import annotations

from kaopei.imports.importing import UnknownKindError

from .base import Counts, LoadContext, Loader

# The loader of every registered kind, in registration order (filled by the registry).
LOADERS: dict[str, type[Loader]] = {}


def get_loader(kind: str) -> type[Loader]:
    """The loader class of ``kind``; :class:`UnknownKindError` otherwise."""
    try:
        return LOADERS[kind]
    except KeyError:
        raise UnknownKindError(
            "unknown_kind", kind=str(kind)[:60], kinds=", ".join(LOADERS)
        ) from None


__all__ = ["LOADERS", "Counts", "LoadContext", "Loader", "get_loader"]
