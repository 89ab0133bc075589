"""Where each metric's values come from: the registry of metric sources (DESIGN.md §5).

A metric computed from records is *available* only when an app has registered the formula
that computes it, from its ``AppConfig.ready`` (assessment registers the formulas over the
facts, ``metrics.FORMULAS``; kaopei.feedback registers the 360 ones; the training app
will register its own). Until
then the metric says so and cannot be put in a template. Manual metrics are fed by the
``manual_scores`` import and are always available.

The registry holds plain callables (``metrics.Context`` → ``metrics.Values``), so this module
imports nothing of the metrics it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ApplicationError

Formula = Callable[[Any], Any]

# The library's metrics whose records arrive with a capability not built yet, and which one.
PENDING: dict[str, str] = {}
CAPABILITIES = {"training": _("training")}

_formulas: dict[str, Formula] = {}


class UnknownMetricError(ApplicationError):
    """A metric code no source computes (a typo, or a metric whose source is not built)."""


def metric_source_register(*, code: str, formula: Formula) -> None:
    """Declare that ``formula`` computes metric ``code`` (from an ``AppConfig.ready``).
    Registering a code twice with another formula is a programming error."""
    existing = _formulas.get(code)
    if existing is not None and existing is not formula:
        raise ValueError(f"metric {code!r} already has a source")
    _formulas[code] = formula


def formula_for(code: str) -> Formula:
    """The registered formula of ``code``; raises UnknownMetricError when there is none."""
    formula = _formulas.get(code)
    if formula is None:
        raise UnknownMetricError(unavailable_reason(code))
    return formula


def metric_available(*, code: str, source: str) -> bool:
    """Whether values of this metric can exist: manual ones always, computed ones once an
    app has registered their source."""
    return source == "manual" or code in _formulas


def unavailable_reason(code: str) -> str:
    """Why metric ``code`` has no values, in the reader's language."""
    capability = PENDING.get(code)
    if capability is not None:
        return str(
            _("Not yet available: “%(metric)s” arrives with %(capability)s.")
            % {"metric": code, "capability": CAPABILITIES[capability]}
        )
    return str(_("No source computes the metric “%(metric)s”.") % {"metric": code})
