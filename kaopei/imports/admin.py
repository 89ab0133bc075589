"""Django admin for import batches (for HR admins and support).

Read-only (kaopei.core.admin): batches are made and rolled back by the import pipeline
(kaopei.imports.services), which refuses what feeds a final cycle and audits every change;
the admin would bypass both.
"""

from __future__ import annotations

from django.contrib import admin

from kaopei.core.admin import ReadOnlyAdmin
from kaopei.imports.models import BatchChange, ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "kind",
        "file_name",
        "status",
        "rows",
        "created",
        "updated",
        "unchanged",
        "source",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "status", "source")
    search_fields = ("file_name", "sha256")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"


@admin.register(BatchChange)
class BatchChangeAdmin(ReadOnlyAdmin):
    list_display = ("batch", "model", "object_id", "before_batch")
    list_filter = ("model",)
    raw_id_fields = ("batch",)
