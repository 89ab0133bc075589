"""Questionnaires built from the competency framework: items per competency on the
competency's 1–5 behaviour-anchored scale, versioned, in both languages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import Bilingual, localized
from kaopei.core.models import TimeStampedModel


class Questionnaire(Bilingual, TimeStampedModel):
    """One version of a questionnaire. A published version never changes (rounds that used
    it keep reading it); editing a published questionnaire makes the next version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True, db_default="")
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True, db_default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="uniq_questionnaire_version")
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class QuestionnaireItem(models.Model):
    """One statement rated on its competency's 1–5 behaviour-anchored scale."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("questionnaire"),
    )
    competency = models.ForeignKey(
        "org.Competency", on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("statement"))
    text_en = models.TextField(_("statement (English)"), blank=True, db_default="")

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = _("questionnaire item")
        verbose_name_plural = _("questionnaire items")

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.position}"

    @property
    def local_text(self) -> str:
        return localized(self, "text")
