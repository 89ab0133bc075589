"""The access matrix's rows, capability by capability (tests/test_access_matrix.py).

Each module here declares the rows of one capability's routes and API operations, and may
build the objects they are tried on:

- ``PAGES: dict[str, Row]`` and ``API: dict[str, Row]`` (tests.access ``one``/``row``/``case``);
- optionally ``build(world) -> dict[str, object]``, called once with the World; a value
  ``"@name"`` in a case finds the object named ``name`` among those returned.

Modules are found by name, so a capability adds its module and touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any


def _parts() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
    ]


def _merged(attribute: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in _parts():
        for key, value in getattr(part, attribute, {}).items():
            if key in out:
                raise ValueError(f"{key} is declared twice in tests/matrix ({part.__name__})")
            out[key] = value
    return out


def pages() -> dict[str, Any]:
    return _merged("PAGES")


def api() -> dict[str, Any]:
    return _merged("API")


def build(world: Any) -> dict[str, Any]:
    objects: dict[str, Any] = {}
    for part in _parts():
        builder = getattr(part, "build", None)
        if builder is not None:
            built = builder(world)
            twice = set(built) & set(objects)
            if twice:
                raise ValueError(f"{sorted(twice)} built twice in tests/matrix ({part.__name__})")
            objects.update(built)
    return objects
