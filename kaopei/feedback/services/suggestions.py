"""The anonymous suggestion box (DESIGN.md §7): posting, reading by receipt code, HR's triage.

**No author is stored anywhere.** :func:`suggestion_post` takes no user: it cannot write
one. It logs nothing, writes no audit history (the model has none) and the notification
it sends HR names nothing but the fact that a suggestion arrived. Its only trace of time is
the day. The receipt code is returned once; only its SHA-256 is kept.

A receipt code is 16 characters from a 32-letter alphabet without look-alikes (no 0/O,
1/I): 16 × 5 = 80 bits of entropy, shown in four groups of four.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.notifications import notify
from kaopei.core.roles import Role
from kaopei.feedback.models import Suggestion
from kaopei.org.models import Employee, OrgUnit

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 16
TEXT_MIN = 10
TEXT_MAX = 4000
REPLY_MAX = 4000
THEME_MAX = 60
SUGGESTION_NEW = "suggestion_new"


# --- Receipt codes -----------------------------------------------------------------------------


def receipt_normalise(code: str) -> str | None:
    """The 16 characters of a receipt code as typed (spaces, dashes and case ignored), or
    None when it cannot be one."""
    cleaned = "".join(ch for ch in (code or "")[:64].upper() if ch.isalnum())
    if len(cleaned) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in cleaned):
        return None
    return cleaned


def receipt_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def receipt_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def _receipt_new() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


# --- Posting -----------------------------------------------------------------------------------


def _check_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()  # a NUL is no text, and no database takes it
    if len(text) < TEXT_MIN:
        raise ApplicationError(
            _("Write at least %(n)d characters so that HR can act on it.") % {"n": TEXT_MIN}
        )
    if len(text) > TEXT_MAX:
        raise ApplicationError(_("A suggestion is at most %(n)d characters.") % {"n": TEXT_MAX})
    return text


@transaction.atomic
def suggestion_post(
    *,
    about: str,
    text: str,
    about_unit: OrgUnit | None = None,
    about_employee: Employee | None = None,
    today: date | None = None,
) -> tuple[Suggestion, str]:
    """Post a suggestion anonymously; returns it and its receipt code (formatted, shown
    once). ``about`` is one of Suggestion.About: "team" needs ``about_unit``, "person"
    needs ``about_employee``; the other target is cleared. Raises ApplicationError on bad
    input (nothing stored). Deliberately takes no user."""
    if about not in Suggestion.About.values:
        raise ApplicationError(_("Choose what the suggestion is about."))
    text = _check_text(text)
    if about == Suggestion.About.TEAM and about_unit is None:
        raise ApplicationError(_("Choose the team the suggestion is about."))
    if about == Suggestion.About.PERSON and about_employee is None:
        raise ApplicationError(_("Give the employee number of the person it is about."))
    code = _receipt_new()
    suggestion = Suggestion.objects.create(
        receipt_hash=receipt_hash(code),
        about=about,
        about_unit=about_unit if about == Suggestion.About.TEAM else None,
        about_employee=about_employee if about == Suggestion.About.PERSON else None,
        text=text,
        posted_on=today or timezone.localdate(),
    )
    return suggestion, receipt_display(code)


def suggestions_digest_send(*, today: date | None = None) -> int:
    """Tell HR admins, once a day, how many suggestions arrived before ``today`` that no
    digest has counted yet; returns that number (0: nobody is notified). Posting never
    notifies by itself, so no notification's time dates a post."""
    today = today or timezone.localdate()
    with transaction.atomic():
        pending = list(
            Suggestion.objects.select_for_update()
            .filter(announced=False, posted_on__lt=today)
            .values_list("pk", flat=True)
        )
        if not pending:
            return 0
        Suggestion.objects.filter(pk__in=pending).update(announced=True)
        hr = (
            get_user_model()
            .objects.filter(groups__name=Role.HR_ADMIN.value, is_active=True)
            .values_list("pk", flat=True)
        )
        notify(
            users=list(hr),
            kind=SUGGESTION_NEW,
            message=gettext_noop("%(n)s new suggestions are waiting in the suggestion box."),
            params={"n": len(pending)},
            url=reverse("feedback:suggestion_triage"),
        )
    return len(pending)


def suggestion_by_receipt(code: str) -> Suggestion | None:
    """The suggestion a receipt code opens, or None (a malformed code included)."""
    cleaned = receipt_normalise(code)
    if cleaned is None:
        return None
    return (
        Suggestion.objects.select_related("about_unit", "about_employee")
        .filter(receipt_hash=receipt_hash(cleaned))
        .first()
    )


# --- HR's triage -------------------------------------------------------------------------------


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


@transaction.atomic
def suggestion_review(*, suggestion: Suggestion, user: Any) -> Suggestion:
    """New → in review (HR has started on it)."""
    locked = _locked(suggestion)
    if locked.status != Suggestion.Status.NEW:
        raise ConflictError(_("This suggestion is already being handled."))
    locked.status = Suggestion.Status.IN_REVIEW
    locked.handled_by = user
    locked.save(update_fields=["status", "handled_by"])
    return locked


@transaction.atomic
def suggestion_reply(
    *, suggestion: Suggestion, reply: str, seen_reply: str, theme: str | None = None, user: Any
) -> Suggestion:
    """Write or change HR's reply (the poster reads it with their receipt code); the
    suggestion becomes answered. ``seen_reply`` is the reply the HR admin saw when they
    started: if another admin replied meanwhile, ConflictError and nothing changes."""
    reply = (reply or "").strip()
    if not reply:
        raise ApplicationError(_("Write a reply."))
    if len(reply) > REPLY_MAX:
        raise ApplicationError(_("A reply is at most %(n)d characters.") % {"n": REPLY_MAX})
    locked = _locked(suggestion)
    if locked.status == Suggestion.Status.CLOSED:
        raise ConflictError(_("This suggestion is closed."))
    if locked.reply != (seen_reply or "").strip():
        raise ConflictError(
            _("Another HR admin replied meanwhile. Read their reply before changing it.")
        )
    locked.reply = reply
    locked.replied_on = timezone.localdate()
    locked.status = Suggestion.Status.ANSWERED
    locked.handled_by = user
    fields = ["reply", "replied_on", "status", "handled_by"]
    if theme is not None:
        locked.theme = _check_theme(theme)
        fields.append("theme")
    locked.save(update_fields=fields)
    return locked


def _check_theme(theme: str) -> str:
    theme = (theme or "").strip()
    if len(theme) > THEME_MAX:
        raise ApplicationError(_("A theme is at most %(n)d characters.") % {"n": THEME_MAX})
    return theme


@transaction.atomic
def suggestion_set_theme(*, suggestion: Suggestion, theme: str, user: Any) -> Suggestion:
    """Group suggestions under a theme (free text, e.g. "CRM" or "客户跟进")."""
    locked = _locked(suggestion)
    locked.theme = _check_theme(theme)
    locked.save(update_fields=["theme"])
    return locked


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, user: Any) -> Suggestion:
    """Close a suggestion (answered or not); it can no longer be replied to."""
    locked = _locked(suggestion)
    if locked.status == Suggestion.Status.CLOSED:
        raise ConflictError(_("This suggestion is already closed."))
    locked.status = Suggestion.Status.CLOSED
    locked.handled_by = user
    locked.save(update_fields=["status", "handled_by"])
    return locked
