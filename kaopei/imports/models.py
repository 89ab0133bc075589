"""Import batches (DESIGN.md §4.2): one row per imported file, and the "before" values of the
rows a batch updated, so that it can be rolled back. What a batch created carries its
``import_batch`` (a foreign key every imported model declares to :class:`ImportBatch`).

The tables keep the names they had when imports lived in ``facts``: moving the models to
this app moved no data (migrations ``imports.0001`` and ``facts.0007``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One imported file: who, when, what, and what it did."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        FAILED = "failed", _("Refused")
        DRY_RUN = "dry_run", _("Checked (dry run)")
        COMMITTED = "committed", _("Imported")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    kind = models.CharField(_("kind"), max_length=30)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("file hash"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped blank"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALIDATING
    )
    source = models.CharField(_("source"), max_length=10, default="web")  # web | cli | api
    stored_file = models.CharField(
        _("stored file"),
        max_length=300,
        blank=True,
        help_text=_(
            "Path of the uploaded file under MEDIA_ROOT, kept for previews and error copies."
        ),
    )
    # When the retention job removed the stored file (IMPORT_KEEP_DAYS and
    # IMPORT_KEEP_UNUSED_DAYS); the batch and what it imported stay.
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    error_report = models.JSONField(_("error report"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rolled back by"),
    )
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    # What rollback must check against final cycles, recorded at commit: the dates of the
    # records written or replaced (business records) and the cycles of the values written
    # (targets, manual scores), e.g. {"dates": ["2026-03-05"], "cycles": ["2026Q1"]}.
    touched = models.JSONField(_("touched"), default=dict, blank=True)

    class Meta:
        db_table = "facts_importbatch"  # the table it had when imports lived in facts
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} #{self.pk}"


class BatchChange(models.Model):
    """The previous values of a row that a batch updated, so the batch can be rolled back.

    Rows a batch created need no entry: they carry ``import_batch`` and simply go.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    before = models.JSONField()
    # The batch the row came from before this change (``before["import_batch_id"]``),
    # indexed: a batch whose rows a later batch changed cannot be rolled back on its own.
    before_batch = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "facts_batchchange"
        indexes = [models.Index(fields=["batch", "model"])]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"


__all__ = ["BatchChange", "ImportBatch"]
