"""Query parameters of pages, read in one place (issue 8, finding 10).

A page that reads a number from the query string uses ``int_param``: a value that is not a
whole number, or is outside the bounds the page declares, raises ``BadParameter`` — a
``BadRequest`` that Django hands to ``bad_request`` (``handler400`` in config/urls.py), which
answers 400 with the reason in the page layout. Nothing the visitor types reaches ``int()``
unchecked, so a 5000-digit number is a 400, never a 500. Ids in paths are bounded by the
``id`` path converter (kaopei.core.converters).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Longer than any number a page accepts: refused before int() is even tried.
_MAX_DIGITS = 18


class BadParameter(BadRequest):
    """A query parameter the page cannot use; ``message`` says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def int_param(
    request: HttpRequest,
    name: str,
    *,
    default: int | None,
    min_value: int,
    max_value: int,
) -> int | None:
    """The whole number ``request.GET[name]`` within ``min_value``..``max_value``.

    Returns ``default`` when the parameter is absent or empty. Raises ``BadParameter`` for
    anything else that is not a whole number in the bounds.
    """
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    digits = raw[1:] if raw[0] == "-" else raw
    value: int | None = None
    if digits.isascii() and digits.isdigit() and len(digits) <= _MAX_DIGITS:
        value = int(raw)
    if value is None or not min_value <= value <= max_value:
        raise BadParameter(
            _("“%(name)s” must be a whole number from %(min)s to %(max)s.")
            % {"name": name, "min": min_value, "max": max_value}
        )
    return value


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page: the reason when it is a ``BadParameter``, a general one otherwise."""
    detail = (
        exception.message
        if isinstance(exception, BadParameter)
        else _("The request could not be understood. Check the address and try again.")
    )
    return render(
        request, "core/error.html", {"title": _("Bad request"), "detail": detail}, status=400
    )
