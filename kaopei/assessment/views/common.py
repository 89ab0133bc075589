"""Plumbing shared by the assessment's pages: page sizes, refusing, going back, naming who
(``who``: :func:`kaopei.core.history.person_name`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kaopei.assessment.models import Scorecard
from kaopei.core.history import person_name as who

PER_PAGE = 50
EVIDENCE_PER_PAGE = 100


def require(allowed: bool) -> None:
    """403 unless ``allowed`` (a rules predicate's answer)."""
    if not allowed:
        raise PermissionDenied


def back_url(request: HttpRequest, fallback: str) -> str:
    """A same-site ``next`` from the form, else ``fallback``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def card_url(card: Scorecard) -> str:
    return reverse("assessment:scorecard", args=[card.cycle.code, card.employee.employee_no])


__all__ = ["EVIDENCE_PER_PAGE", "PER_PAGE", "back_url", "card_url", "require", "who"]
