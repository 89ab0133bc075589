"""The optimisation toolkit experts hand out (issue: practice): script templates (话术模板)
and checklists (检查清单), tagged by competency and course, each kept as numbered versions
so that a piece of feedback points at exactly the version its writer attached."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import localized
from kaopei.core.models import TimeStampedModel


class ToolkitKind(models.TextChoices):
    SCRIPT = "script", _("Script template")
    CHECKLIST = "checklist", _("Checklist")


class ToolkitItem(TimeStampedModel):
    """A template or checklist of the library. Its content lives in its versions; the
    item carries what stays across versions (code, kind, tags)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ToolkitKind.choices)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    summary = models.TextField(_("summary"), blank=True, default="")
    summary_en = models.TextField(_("summary (English)"), blank=True, default="")
    competencies = models.ManyToManyField(
        "org.Competency",
        blank=True,
        related_name="toolkit_items",
        verbose_name=_("competencies"),
    )
    courses = models.ManyToManyField(
        "training.Course",
        blank=True,
        related_name="toolkit_items",
        verbose_name=_("courses"),
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[competencies, courses])

    class Meta:
        ordering = ["code"]
        verbose_name = _("toolkit item")
        verbose_name_plural = _("toolkit items")

    def __str__(self) -> str:
        return f"{self.local_title} ({self.code})"

    @property
    def local_title(self) -> str:
        return localized(self, "title")

    @property
    def local_summary(self) -> str:
        return localized(self, "summary")


def toolkit_file_path(instance: ToolkitVersion, filename: str) -> str:
    return f"training/toolkit/{instance.item_id}/{instance.number}/{filename}"


class ToolkitVersion(TimeStampedModel):
    """One version of an item: a text body (Chinese, with an optional English one) and/or
    a file (type- and size-checked like course materials). Versions are never edited or
    deleted once published; a change is a new number."""

    item = models.ForeignKey(
        ToolkitItem, on_delete=models.CASCADE, related_name="versions", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("content"), blank=True, default="")
    body_en = models.TextField(_("content (English)"), blank=True, default="")
    file = models.FileField(
        _("file"), upload_to=toolkit_file_path, max_length=300, blank=True, default=""
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    content_type = models.CharField(_("content type"), max_length=100, blank=True, default="")
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("toolkit version")
        verbose_name_plural = _("toolkit versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="toolkit_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="toolkit_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"

    @property
    def local_body(self) -> str:
        return localized(self, "body")
