"""The inputs hash of a scored card: every input that can change the result, written
canonically (numbers by value), so the same inputs always give the same hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from kaopei.assessment.scoring.types import (
    _HASH_VERSION,
    GradePolicy,
    Veto,
    _Prepared,
)


def _hash(
    prepared: _Prepared,
    values: Sequence[tuple[Decimal | None, bool]],
    targets: Sequence[Decimal | None],
    policy_text: str,
    veto: Veto | None,
) -> str:
    """sha256 of a canonical text of everything that can change the result.

    Items are sorted by metric code and numbers written by value (1.5 and 1.50 agree);
    labels and behaviour examples are left out (they are translated, and never score).
    Fields are joined with separators that cannot occur in codes or numbers.
    """
    parts = [_HASH_VERSION]
    canonical = _canonical
    for i in prepared.hash_order:
        actual, with_data = values[i]
        parts.append(
            f"{prepared.lines[i].hash_head}{canonical(actual)};{int(with_data)};"
            f"{canonical(targets[i])}{prepared.lines[i].hash_tail}"
        )
    parts.append(policy_text)
    parts.append(f"{veto.incident_id}:{veto.category}" if veto is not None else "-")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _policy_text(policy: GradePolicy) -> str:
    return ",".join(f"{band.code}:{_canonical(band.min_total)}" for band in policy.bands)


_CANONICAL: dict[Decimal | None, str | None] = {None: None}


def _canonical(value: Decimal | None) -> str | None:
    """A number's text by value (1.5 and 1.50 both give "1.5"); ``None`` stays ``None``.

    Memoised by value (equal Decimals hash alike); the memo is emptied when it grows large.
    """
    try:
        return _CANONICAL[value]
    except KeyError:
        pass
    assert value is not None
    if value.is_zero():
        text = "0"
    else:
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if len(_CANONICAL) > 50_000:
        _CANONICAL.clear()
        _CANONICAL[None] = None
    _CANONICAL[value] = text
    return text
