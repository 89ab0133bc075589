"""Reading the toolkit (issue: practice): everyone employed browses the library and
downloads any published version; trainers and HR also see inactive items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaopei.training.models import ToolkitVersion
from kaopei.training.rules import can_browse_catalogue, can_manage_catalogue


def toolkit_version_get_for_user(*, user: Any, pk: int) -> ToolkitVersion:
    """A version to download: 403 for someone with no role, 404 for a version that does
    not exist or whose item is inactive (unless the reader manages the catalogue)."""
    if not can_browse_catalogue(user):
        raise PermissionDenied
    version = ToolkitVersion.objects.select_related("item").filter(pk=pk).first()
    if version is None or (not version.item.active and not can_manage_catalogue(user)):
        raise Http404
    return version
