"""What the import templates say about each kind: a description, the rules that span
columns, and the values of the example row.

Each app gives them when it registers its kinds (:func:`kaopei.imports.registry.register_kind`);
used by :mod:`.templates`; a kind without an entry here still gets a template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Filled by kaopei.imports.registry.register_kind from each app's declarations.

# What each kind holds, for the templates page (kinds without an entry show their label only).
KIND_DESCRIPTIONS: dict[str, StrOrPromise] = {}

# Rules of a kind that span columns, in words (the declarations hold them as code).
KIND_NOTES: dict[str, StrOrPromise] = {}

# Example values that read well; a column without one gets a value from its type.
EXAMPLES: dict[str, dict[str, Any]] = {}
