"""Reads of the suggestion box. HR admins triage every suggestion (they alone ever see one
about a person); everyone else reads only their own, by receipt code.

Guessing receipt codes is throttled per signed-in user (a counter in the cache, keyed by
the user; it records how many codes were tried, never which suggestion was opened).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kaopei.core.throttle import cache_tries
from kaopei.feedback.models import Suggestion
from kaopei.feedback.rules import can_post_suggestion, can_triage_suggestions
from kaopei.feedback.services.suggestions import suggestion_by_receipt

RECEIPT_TRIES_PER_HOUR = 20
_WINDOW = 3600


def suggestion_list_for_triage(*, user: Any) -> QuerySet[Suggestion]:
    """Every suggestion, by day then a random key (never the order of arrival)."""
    if not can_triage_suggestions(user):
        raise PermissionDenied
    return Suggestion.objects.select_related("about_unit", "about_employee").order_by(
        "-posted_on", "receipt_hash"
    )


def suggestions_filter(
    qs: QuerySet[Suggestion], *, status: str = "", about: str = "", theme: str = "", q: str = ""
) -> QuerySet[Suggestion]:
    if status:
        qs = qs.filter(status=status)
    if about:
        qs = qs.filter(about=about)
    if theme:
        qs = qs.filter(theme=theme)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(reply__icontains=q) | Q(theme__icontains=q))
    return qs


def suggestion_get_for_triage(*, user: Any, pk: Any) -> Suggestion:
    suggestion = suggestion_list_for_triage(user=user).filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


def suggestion_themes() -> list[str]:
    """The themes in use, for the filter and the theme field's suggestions."""
    return sorted(set(Suggestion.objects.exclude(theme="").values_list("theme", flat=True)))


class TooManyTries(Exception):
    """Too many receipt codes tried within the hour."""


def _tries_key(user: Any) -> str:
    return f"kaopei:suggestion-receipt-tries:{user.pk}"


def receipt_tries_left(*, user: Any) -> int:
    return max(0, RECEIPT_TRIES_PER_HOUR - int(cache.get(_tries_key(user), 0)))


def suggestion_read_by_receipt(*, user: Any, code: str) -> Suggestion | None:
    """The poster's own suggestion by its receipt code, or None for a wrong code. Every
    try counts against the user's hourly allowance; past it, TooManyTries (the code is not
    even looked up)."""
    if not can_post_suggestion(user):
        raise PermissionDenied
    if cache_tries(_tries_key(user), _WINDOW) > RECEIPT_TRIES_PER_HOUR:
        raise TooManyTries
    return suggestion_by_receipt(code)
