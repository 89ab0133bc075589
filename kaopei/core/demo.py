"""The deterministic demo organisation: one registry that each domain adds a step to.

An app contributes by defining ``demo.py`` with a function decorated ``@demo_step(order)``;
:func:`demo_build` imports every installed app's ``demo`` module and runs the steps in order
with one shared :class:`DemoContext` (a seeded random generator, the day the demo is built,
and what earlier steps made). The demo is anchored to that day: records never come after
it, cycles that ended are final (or still in calibration when they ended lately), the
current one is scored, the next one is a draft. The same seed and the same day give the
same data on every run; tests pass ``today`` to pin it.
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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.core.notifications import emails_held

SEED = 20260101
DEMO_PASSWORD = "kaopei2026"
# The supervisor persona is a team lead: a supervisor who is assessed too.
TEAM_LEAD_LABEL = _("Team lead (supervisor)")


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    today: date = field(default_factory=timezone.localdate)
    data: dict[str, Any] = field(default_factory=dict)
    personas: list[tuple[str, str, str]] = field(default_factory=list)  # (role, login, name)
    log: Callable[[str], None] = print

    @property
    def year(self) -> int:
        """The current year (the one ``today`` is in)."""
        return self.today.year

    @property
    def first_day(self) -> date:
        """The first day with records: two full years of history up to ``today``."""
        return date(self.today.year - 1, 1, 1)


Step = Callable[[DemoContext], None]
_STEPS: list[tuple[int, str, Step]] = []


def demo_step(order: int) -> Callable[[Step], Step]:
    def register(func: Step) -> Step:
        key = f"{func.__module__}.{func.__name__}"
        if all(k != key for _, k, _ in _STEPS):
            _STEPS.append((order, key, func))
        return func

    return register


# What an app puts back after ``flush`` (the reference data its data migrations made), and
# the one function that names the stored demo's personas: registered from the apps' demo
# modules, so the demo command names no app.
_REFILLS: list[Callable[[], None]] = []
_PERSONAS: list[Callable[[], list[tuple[str, str, str]]]] = []


def demo_refill(func: Callable[[], None]) -> Callable[[], None]:
    if func not in _REFILLS:
        _REFILLS.append(func)
    return func


def demo_personas(
    func: Callable[[], list[tuple[str, str, str]]],
) -> Callable[[], list[tuple[str, str, str]]]:
    if func not in _PERSONAS:
        _PERSONAS.append(func)
    return func


def demo_refill_reference_data() -> None:
    """After ``flush``: the role groups, then every app's reference data."""
    from kaopei.core.roles import ensure_role_groups

    _discover()
    ensure_role_groups()
    for func in _REFILLS:
        func()


def demo_stored_personas() -> list[tuple[str, str, str]]:
    """(role, login, name) of the personas of a demo built earlier."""
    _discover()
    return [persona for func in _PERSONAS for persona in func()]


def _discover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("kaopei."):
            try:
                import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise


def demo_build(
    *,
    log: Callable[[str], None] = print,
    until: int | None = None,
    today: date | None = None,
) -> DemoContext:
    """Build the demo in one transaction and return the context (personas included).

    ``today`` is the day the demo is built for (default: today in the configured time zone);
    ``until`` stops after the steps of that order (tests use it to build part of the demo).
    """
    _discover()
    ctx = DemoContext(log=log, today=today or timezone.localdate())
    # The demo's past events are notified in the app, not mailed to its invented people.
    with emails_held(), transaction.atomic():
        for order, key, step in sorted(_STEPS):
            if until is not None and order > until:
                break
            app = key.split(".")[1]
            # The docstring's first paragraph on one line (never cut in the middle).
            summary = " ".join((step.__doc__ or key).strip().split("\n\n")[0].split())
            log(f"  · {app}: {summary}")
            step(ctx)
    return ctx
