"""How an app plugs into the import pipeline (DESIGN.md §2, STYLE.md item 14).

The pipeline knows no domain. Each app declares its kinds (a :class:`KindSpec`: the columns
of the file) and their loaders (what the rows become in the database), and registers them
from its ``AppConfig.ready``::

    class <App>Config(AppConfig):
        def ready(self) -> None:
            from kaopei.<app>.import_kinds import register

            register()   # register_kind(spec, loader, description=…, notes=…, example=…)

Kinds are listed in registration order: the order of ``INSTALLED_APPS``, then of the calls.
The app that owns cycles also says which cycles are final (:func:`register_final_cycles`)
and which final cycles use rows of another app's model (:func:`register_final_use`), so that
imports and rollbacks refuse to change what a final cycle relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models

from kaopei.imports.importing import KindSpec
from kaopei.imports.importing.kinds import SPECS
from kaopei.imports.loaders import LOADERS
from kaopei.imports.loaders.base import FINAL_CYCLE_SOURCES, FINAL_USE_CHECKS, Loader
from kaopei.imports.workbooks.kind_content import EXAMPLES, KIND_DESCRIPTIONS, KIND_NOTES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def register_kind(
    spec: KindSpec,
    loader: type[Loader],
    *,
    description: StrOrPromise = "",
    notes: StrOrPromise = "",
    example: Mapping[str, Any] | None = None,
) -> None:
    """Make ``spec.kind`` an import kind written by ``loader``.

    ``description`` (what the kind holds), ``notes`` (its rules across columns, in words) and
    ``example`` (values of the template's example row, by column) make its template workbook
    read well; a kind without them still gets one. Registering the same kind again with the
    same spec and loader does nothing; with another, it is an error.
    """
    kind = spec.kind
    if loader.kind != kind:
        raise ValueError(f"loader {loader.__name__} is for {loader.kind}, not {kind}")
    if kind in SPECS:
        if SPECS[kind] is spec and LOADERS[kind] is loader:
            return
        raise ValueError(f"import kind {kind} is registered twice")
    if example is not None and not set(example) <= set(spec.column_names):
        raise ValueError(f"{kind}: the example names unknown columns")
    SPECS[kind] = spec
    LOADERS[kind] = loader
    if description:
        KIND_DESCRIPTIONS[kind] = description
    if notes:
        KIND_NOTES[kind] = notes
    if example is not None:
        EXAMPLES[kind] = dict(example)


def register_final_cycles(source: Callable[[], Iterable[tuple[str, date, date]]]) -> None:
    """``source()`` yields the final cycles as (code, first day, last day): records dated in
    one can no longer be imported, changed or rolled back."""
    if source not in FINAL_CYCLE_SOURCES:
        FINAL_CYCLE_SOURCES.append(source)


def register_final_use(
    model: str, check: Callable[[models.QuerySet[Any]], Iterable[tuple[int, str]]]
) -> None:
    """``check(created)`` tells which final cycles use some of ``created`` (rows of ``model``,
    ``"app_label.model"``, that import batches created) as (batch id, cycle code) pairs: such
    batches cannot be rolled back."""
    checks = FINAL_USE_CHECKS.setdefault(model.lower(), [])
    if check not in checks:
        checks.append(check)


__all__ = ["register_final_cycles", "register_final_use", "register_kind"]
