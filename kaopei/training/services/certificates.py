"""Certificates: issued lazily (on the first download of an enrolment that earned one) and
revoked by HR. The eligibility rule lives in :mod:`kaopei.training.selectors.certificates`."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.training.models import Certificate, Enrolment
from kaopei.training.selectors.certificates import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MISSING_COMPLETION,
    code_format,
    enrolment_eligibility,
)

CODE_TRIES = 8
REASON_MAX = 100  # the history's change reason column


class NotEarned(ApplicationError):
    """The enrolment has not earned its certificate; ``missing`` says what is lacking."""

    status = 409

    def __init__(self, missing: str) -> None:
        self.missing = missing
        if missing == MISSING_COMPLETION:
            message = _(
                "This training is not completed yet: the certificate comes once the trainer "
                "records its completion."
            )
        else:
            message = _(
                "The certificate comes once the course's post-test is passed: it has not been "
                "passed yet."
            )
        super().__init__(message)


def code_new() -> str:
    """A fresh random verification code, XXXX-XXXX-XXXX."""
    return code_format("".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH)))


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """The enrolment's certificate, issued now (today's date, a new unique code) if it has
    none yet. Two first downloads at once get the same certificate: the enrolment row is
    locked while looking. Raises :class:`NotEarned` (nothing stored) when it is not earned.
    """
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    found = Certificate.objects.filter(enrolment=locked).first()
    if found is not None:
        return found
    eligibility = enrolment_eligibility(locked)
    if not eligibility.earned:
        raise NotEarned(eligibility.missing)
    for _attempt in range(CODE_TRIES):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    enrolment=locked, code=code_new(), issued_on=timezone.localdate()
                )
        except IntegrityError:
            # Another certificate has this code (or, without row locks, this enrolment).
            found = Certificate.objects.filter(enrolment=locked).first()
            if found is not None:
                return found
    raise ConflictError(_("No free verification code was found. Please try again."))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, user: Any, reason: str = "") -> Certificate:
    """Mark ``certificate`` revoked (the verification page then says so); the history keeps
    who did it, when and ``reason``. Revoking a revoked certificate is refused."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked:
        raise ConflictError(_("This certificate is already revoked."))
    locked.revoked = True
    locked._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    locked._change_reason = (reason.strip() or "revoked")[:REASON_MAX]  # type: ignore[attr-defined]
    locked.save(update_fields=["revoked", "updated_at"])
    return locked
