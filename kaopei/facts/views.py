from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaopei.facts.models import ImportBatch
from kaopei.org.selectors import can_manage_org


def import_list(request: HttpRequest) -> HttpResponse:
    """Import history (HR admins only)."""
    if not can_manage_org(request.user):
        raise PermissionDenied
    page = Paginator(ImportBatch.objects.select_related("created_by"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "facts/import_list.html", {"page_obj": page})
