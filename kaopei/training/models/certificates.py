"""Certificates of completion (issue: training). The ``code`` is printed on the PDF and
checked on a public page that shows only the name, the course and the date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.models import TimeStampedModel


class Certificate(TimeStampedModel):
    """Issued once per completed enrolment that met the course's conditions."""

    enrolment = models.OneToOneField(
        "training.Enrolment",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"))
    revoked = models.BooleanField(_("revoked"), default=False)
    # Who revoked a certificate, when and why (the history's change reason).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code
