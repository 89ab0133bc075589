"""The anonymous suggestion box (DESIGN.md §7): no author is stored anywhere."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    """A suggestion posted anonymously. The poster keeps the receipt code (only its hash is
    stored) to read the reply. There is deliberately no author, no address, no time finer
    than the day it was posted and no audit history of the post; HR's triage is recorded
    on the suggestion itself (``handled_by``), which names HR, never the poster."""

    class About(models.TextChoices):
        PROCESS = "process", _("A process or the way we work")
        TEAM = "team", _("A team")
        PERSON = "person", _("A person")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receipt_hash = models.CharField(_("receipt hash"), max_length=64, unique=True)
    about = models.CharField(_("about"), max_length=10, choices=About.choices)
    about_unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    about_employee = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    text = models.TextField(_("suggestion"))
    posted_on = models.DateField(_("posted on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    # Whether HR's daily digest has counted it (HR is told once a day how many arrived,
    # never at the moment one is posted: a notification's time would date the post).
    announced = models.BooleanField(_("announced to HR"), default=False, db_default=False)
    theme = models.CharField(_("theme"), max_length=60, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        # By day, then a random-looking key: never the order of arrival within a day.
        ordering = ["-posted_on", "receipt_hash"]
        indexes = [models.Index(fields=["status", "posted_on"])]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return f"{self.posted_on} {self.about}"
