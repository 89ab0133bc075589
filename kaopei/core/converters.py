"""The ``id`` path converter: every numeric id in a page path (issue 8, finding 10).

Django's ``int`` converter takes any number of digits, and a 30-digit id reaches the
database: "bigint out of range" on PostgreSQL, OverflowError on SQLite — a 500. ``id``
matches only what fits a 64-bit primary key, so anything longer is a plain 404. It is
registered once, in CoreConfig.ready; every urls.py uses ``<id:...>``, and
tests/core/test_params.py fails if a page route still uses ``int``.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
