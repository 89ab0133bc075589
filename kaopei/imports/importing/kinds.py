"""The import kinds, declared as data by the apps that own them (DESIGN.md §2, §4.2 ⚑).

This module knows no kind: each app declares its kinds (``kaopei/<app>/import_kinds.py``)
and registers them with their loader from its ``AppConfig.ready`` through
:func:`kaopei.imports.registry.register_kind`, which fills :data:`SPECS`. The apps are
ready in the order of ``INSTALLED_APPS`` (org, facts, assessment), which keeps the contract's
order. The helpers below are what kind declarations share.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from .columns import Column, KindSpec, as_amount, as_date, as_key
from .errors import UnknownKindError

# The spec of every registered kind, in registration order (filled by the registry).
SPECS: dict[str, KindSpec] = {}


class _Kinds(Sequence[str]):
    """The registered kind names, in order: a live view of :data:`SPECS` (kinds register
    once the apps are ready, after this module was imported)."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return tuple(SPECS)[index]

    def __len__(self) -> int:
        return len(SPECS)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(SPECS))

    def __contains__(self, value: object) -> bool:
        return value in SPECS

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(SPECS) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(SPECS))

    def __repr__(self) -> str:
        return repr(tuple(SPECS))


KINDS: Sequence[str] = _Kinds()


def get_spec(kind: str) -> KindSpec:
    """The declaration of ``kind``; :class:`UnknownKindError` (``unknown_kind``) otherwise."""
    try:
        return SPECS[kind]
    except (KeyError, TypeError):
        raise UnknownKindError(
            "unknown_kind", kind=str(kind)[:60], kinds=", ".join(KINDS)
        ) from None


# --- helpers for declarations -------------------------------------------------------------

KEY_MAX = 60  # default length of a key (record numbers, codes)


def key_column(name: str, zh: str, *, max_length: int = KEY_MAX, **options: Any) -> Column:
    """A key or reference column: trimmed text of at most ``max_length`` characters."""
    return Column(name, zh, as_key, max_length=max_length, **options)


def amount_column(name: str, zh: str, *, allow_negative: bool = False) -> Column:
    """An amount in 元, two decimal places."""
    return Column(name, zh, as_amount, allow_negative=allow_negative, decimal_places=2, unit="元")


def date_column(name: str, zh: str, *, required: bool = True) -> Column:
    return Column(name, zh, as_date, required=required)
