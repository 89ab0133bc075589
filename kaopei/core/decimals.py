"""Decimal helpers shared across apps."""

from __future__ import annotations

from decimal import Decimal


def decimal_text(value: Decimal | None) -> str | None:
    """A Decimal as plain text without exponent or trailing zeros (``1.50`` → ``"1.5"``),
    for JSON stored on scorecards; None stays None."""
    return None if value is None else format(value.normalize(), "f")
