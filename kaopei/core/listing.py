"""Filterable list pages (people, imports, scorecards, targets, appeals, audit): what their
templates share — the filters to carry into page links, and htmx refreshing only the
``#results`` partial of the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def list_filters(request: HttpRequest) -> tuple[str, bool]:
    """The request's filters without the page number, as a query string for page links,
    and whether any filter has a value (to tell "nothing matches" from "nothing yet")."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode(), any(value for _name, value in query.items())


def render_list(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The list page, or only its ``#results`` partial when htmx asks for a refresh."""
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)
