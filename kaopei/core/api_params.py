"""Bounds for the API's query and path parameters (DESIGN.md §4.3: never a 500 for bad input).

Every parameter an operation takes is declared with one of these, so the OpenAPI schema says
what is accepted and anything else is refused with a JSON 422 before a query is built:
a page is 1–500 items, an offset at most a million, text has no control characters (a NUL
is a database error on PostgreSQL) and is no longer than the column it is compared with.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import P

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
MAX_SEARCH = 100
BIGINT_MAX = 2**63 - 1
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def limit_param() -> dict[str, Any]:
    return P(ge=1, le=MAX_LIMIT, description=f"Items per page, 1–{MAX_LIMIT}.")


def offset_param() -> dict[str, Any]:
    return P(ge=0, le=MAX_OFFSET, description=f"Items to skip, 0–{MAX_OFFSET}.")


def text_param(max_length: int, description: str = "") -> dict[str, Any]:
    """Text of at most ``max_length`` characters, without control characters."""
    return P(max_length=max_length, pattern=PRINTABLE, description=description or None)


def object_id(value: int) -> int:
    """A database id from a path: one no row can have (≤ 0, beyond a bigint) is a 404 before
    any query, on every database."""
    if not 0 < value <= BIGINT_MAX:
        raise Http404
    return value
