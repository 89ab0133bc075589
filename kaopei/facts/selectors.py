"""Reads of the facts app that a user sees, scoped to what they may see (STYLE.md item 5).

Import batches are an HR admin's business: everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kaopei.core.roles import Role, has_role
from kaopei.facts.models import ImportBatch


def can_import(user: Any) -> bool:
    """Whether ``user`` may import files and see import batches (HR admins)."""
    return bool(user is not None and user.is_authenticated and has_role(user, Role.HR_ADMIN))


def require_importer(user: Any) -> None:
    if not can_import(user):
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
