"""Reads of the imports app that a user sees, scoped to what they may see (STYLE.md item 5).

Import batches are an HR admin's business: everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kaopei.imports.models import ImportBatch
from kaopei.imports.rules import can_manage_imports

# The name the API and the services know (kaopei/imports/rules.py defines it).
can_import = can_manage_imports


def require_importer(user: Any) -> None:
    """PermissionDenied unless ``user`` may import (HR admins)."""
    if not can_manage_imports(user):
        raise PermissionDenied


def import_batch_list_visible_to(*, user: Any) -> QuerySet[ImportBatch]:
    """Every batch, newest first, for an HR admin; PermissionDenied for anyone else."""
    require_importer(user)
    return ImportBatch.objects.select_related("created_by", "job")


def import_batch_get_for_user(*, user: Any, batch_id: int) -> ImportBatch:
    """One batch for an HR admin (PermissionDenied for anyone else, Http404 if none)."""
    batch = import_batch_list_visible_to(user=user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch
