"""The deterministic demo organisation: one registry that each domain adds a step to.

An app contributes by defining ``demo.py`` with a function decorated ``@demo_step(order)``;
:func:`demo_build` imports every installed app's ``demo`` module and runs the steps in order
with one shared :class:`DemoContext` (a seeded random generator and what earlier steps made).
The same seed gives the same data on every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction

SEED = 20260101
DEMO_PASSWORD = "kaopei2026"


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    today: date = date(2026, 12, 31)
    year: int = 2026
    data: dict[str, Any] = field(default_factory=dict)
    personas: list[tuple[str, str, str]] = field(default_factory=list)  # (role, login, name)
    log: Callable[[str], None] = print


Step = Callable[[DemoContext], None]
_STEPS: list[tuple[int, str, Step]] = []


def demo_step(order: int) -> Callable[[Step], Step]:
    def register(func: Step) -> Step:
        key = f"{func.__module__}.{func.__name__}"
        if all(k != key for _, k, _ in _STEPS):
            _STEPS.append((order, key, func))
        return func

    return register


def _discover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("kaopei."):
            try:
                import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise


def demo_build(*, log: Callable[[str], None] = print, until: int | None = None) -> DemoContext:
    """Build the demo in one transaction and return the context (personas included).

    ``until`` stops after the steps of that order (tests use it to build part of the demo).
    """
    _discover()
    ctx = DemoContext(log=log)
    with transaction.atomic():
        for order, key, step in sorted(_STEPS):
            if until is not None and order > until:
                break
            app = key.split(".")[1]
            summary = (step.__doc__ or key).strip().splitlines()[0]
            log(f"  · {app}: {summary}")
            step(ctx)
    return ctx
