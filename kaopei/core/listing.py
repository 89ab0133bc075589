"""Filterable list pages (people, imports, scorecards, targets, appeals, audit): what their
templates share — the page number, the filters to carry into page links, and htmx
refreshing only the ``#results`` partial of the page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaopei.core.params import int_param

MAX_PAGE = 10**9


def paginate(request: HttpRequest, items: Any, per_page: int, *, param: str = "page") -> Page[Any]:
    """The page of ``items`` that ``?<param>=`` asks for (the first when absent).

    A number past the last page gives the last page (a filter may have shrunk the list);
    anything that is not a page number is a 400 (``BadParameter``).
    """
    number = int_param(request, param, default=1, min_value=1, max_value=MAX_PAGE)
    return Paginator(items, per_page).get_page(number)


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
