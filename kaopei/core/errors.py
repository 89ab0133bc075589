"""The one domain error (STYLE.md item 8). Web and API layers map it to messages and 4xx."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A domain rule refused the request.

    ``message`` is translatable text for the user; ``errors`` optional details (row errors,
    field errors) as plain JSON-able dicts; ``status`` the HTTP status it maps to.
    """

    status = 400

    def __init__(
        self, message: Any, *, errors: list[dict[str, Any]] | None = None, status: int | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.errors = errors or []
        if status is not None:
            self.status = status


class ConflictError(ApplicationError):
    status = 409
