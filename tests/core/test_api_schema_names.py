"""Every response and request schema of the API has a name of its own: the OpenAPI
document keys its components by class name, so two classes called ``RowOut`` would leave
one operation documented with the other's fields."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import config.api  # noqa: F401  (loads every router and its schemas)


def _subclasses(cls: type) -> set[type]:
    out: set[type] = set()
    for sub in cls.__subclasses__():
        out.add(sub)
        out |= _subclasses(sub)
    return out


def test_no_two_api_schemas_share_a_name() -> None:
    where: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("kaopei."):
            where[cls.__name__].add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in where.items() if len(mods) > 1}
    assert not shared, f"schema names used in more than one module: {shared}"
