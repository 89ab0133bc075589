"""Customer surveys by link and customer interview notes (客户访谈): every write.

A survey link carries a random token (``secrets.token_urlsafe(32)``); only its SHA-256 is
stored. The raw token leaves this module once, in what :func:`survey_invitations_send`
returns (and in the customer's e-mail when an address is given).

Single use: once answered, the invitation's status is ANSWERED and the page refuses the
token. The hash stays on the row (it is unique and required, and replacing it would gain
nothing: without the raw token nobody can use it) — the status, read and changed under a
row lock, is what makes the link single-use.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.facts.models import Customer, SurveyResponse
from kaopei.feedback.models import CustomerInterview, SurveyInvitation
from kaopei.feedback.tokens import hash_token, new_token
from kaopei.org.models import Employee

log = logging.getLogger(__name__)

EXPIRY_DAYS_DEFAULT = 30
EXPIRY_DAYS_MIN = 1
EXPIRY_DAYS_MAX = 90
MAX_CUSTOMERS_PER_SEND = 200
NOTES_MAX = 4000


# --- Tokens ------------------------------------------------------------------------------------


def _token_new() -> tuple[str, str]:
    return new_token()


class SurveyLinkUnusable(ApplicationError):
    """The one answer for an unknown, answered, expired or cancelled link: nothing tells
    which, so a guessed token learns nothing."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            _(
                "This survey link cannot be used: it may have been answered already, "
                "have expired or been withdrawn. Thank you for your time."
            ),
            status=404,
        )


def survey_link_path(raw: str) -> str:
    return reverse("feedback:survey_answer", args=[raw])


def _absolute(path: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if base else path


# --- Sending -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentLink:
    """One survey sent: the invitation and its link (the raw token, shown once)."""

    invitation: SurveyInvitation
    url: str


def survey_customers_for(employee: Employee) -> Any:
    """The customers a survey may go to: owned by ``employee``, not lost, not voided."""
    return Customer.objects.filter(
        owner=employee, lost_on__isnull=True, voided_at__isnull=True
    ).order_by("name", "customer_no")


@transaction.atomic
def survey_invitations_send(
    *,
    employee: Employee,
    customer_ids: Sequence[int],
    emails: Mapping[int, str] | None = None,
    ask_csat: bool = True,
    expiry_days: int = EXPIRY_DAYS_DEFAULT,
    user: Any,
) -> list[SentLink]:
    """Send an NPS (and optionally CSAT) survey about ``employee`` to each customer.

    Every customer must be one of the employee's current customers (owned, not lost);
    ``emails`` maps every customer id to the address that receives the link after the
    commit (required: staff never see a link). Returns the invitations with their links,
    for the mail and for tests — callers show no link.
    Raises ApplicationError (nothing stored) for no customer, a customer who is not the
    employee's, or an expiry outside 1–90 days. Authorisation is the caller's (selectors).
    """
    ids = list(dict.fromkeys(int(i) for i in customer_ids))
    if not ids:
        raise ApplicationError(_("Choose at least one customer."))
    if len(ids) > MAX_CUSTOMERS_PER_SEND:
        raise ApplicationError(
            _("Send to at most %(n)d customers at once.") % {"n": MAX_CUSTOMERS_PER_SEND}
        )
    if not EXPIRY_DAYS_MIN <= expiry_days <= EXPIRY_DAYS_MAX:
        raise ApplicationError(
            _("A link stays valid for %(min)d to %(max)d days.")
            % {"min": EXPIRY_DAYS_MIN, "max": EXPIRY_DAYS_MAX}
        )
    customers = {c.pk: c for c in survey_customers_for(employee).filter(pk__in=ids)}
    if len(customers) != len(ids):
        raise ApplicationError(
            _("A survey can only go to a current customer of %(name)s.") % {"name": employee.name}
        )
    emails = {int(k): (v or "").strip() for k, v in (emails or {}).items()}
    # A link goes to the customer only: whoever held it could answer in the customer's
    # place and move the account manager's nps (so staff never see it).
    missing = [customers[pk].name for pk in ids if not emails.get(pk)]
    if missing:
        raise ApplicationError(
            _(
                "Give the e-mail address of every customer (missing: %(names)s): the link goes to the customer only."
            )
            % {"names": "、".join(missing[:10])}
        )
    expires_at = timezone.now() + timedelta(days=expiry_days)
    sent: list[SentLink] = []
    mails: list[tuple[str, str]] = []
    for pk in ids:
        raw, digest = _token_new()
        invitation = SurveyInvitation.objects.create(
            employee=employee,
            customer=customers[pk],
            email=emails.get(pk, ""),
            ask_csat=ask_csat,
            token_hash=digest,
            expires_at=expires_at,
            sent_by=user,
        )
        url = _absolute(survey_link_path(raw))
        sent.append(SentLink(invitation=invitation, url=url))
        if invitation.email:
            mails.append((invitation.email, url))
    if mails:
        manager = employee.name
        transaction.on_commit(lambda: _mail_links(mails, manager=manager, days=expiry_days))
    return sent


def _mail_links(mails: list[tuple[str, str]], *, manager: str, days: int) -> int:
    """E-mail each link, Chinese first then English. Logs (never raises) on failure."""
    messages = []
    for to, url in mails:
        parts = []
        for language in ("zh-hans", "en"):
            with translation.override(language):
                parts.append(
                    gettext(
                        "Your account manager %(manager)s would value your opinion. "
                        "The survey takes a minute: %(url)s\n"
                        "The link works once and for %(days)d days."
                    )
                    % {"manager": manager, "url": url, "days": days}
                )
        with translation.override("zh-hans"):
            zh_subject = gettext("A one-minute survey about your account manager")
        with translation.override("en"):
            en_subject = gettext("A one-minute survey about your account manager")
        messages.append(
            EmailMessage(subject=f"{zh_subject} / {en_subject}", body="\n\n".join(parts), to=[to])
        )
    try:
        get_connection().send_messages(messages)
    except Exception:  # noqa: BLE001 - mail is best effort; the survey list shows the unanswered
        log.exception("sending %d survey link e-mails failed", len(messages))
        return 0
    return len(messages)


# --- Answering (the public page) ---------------------------------------------------------------


def survey_invitation_usable(raw: str) -> SurveyInvitation:
    """The invitation behind a raw token while it can be answered (sent, not expired), with
    its employee and customer; raises SurveyLinkUnusable otherwise (the same for every
    reason). Reads only."""
    if not raw or len(raw) > 100:
        raise SurveyLinkUnusable
    invitation = (
        SurveyInvitation.objects.select_related("employee", "customer")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if (
        invitation is None
        or invitation.status != SurveyInvitation.Status.SENT
        or invitation.expires_at <= timezone.now()
    ):
        raise SurveyLinkUnusable
    return invitation


def _response_id() -> str:
    """A response id no import uses: "LINK-" and 12 random hex digits."""
    return f"LINK-{secrets.token_hex(6).upper()}"


@transaction.atomic
def survey_answer(
    *, raw_token: str, nps: int, csat: int | None, today: date | None = None
) -> SurveyResponse:
    """Store a customer's answer as a ``facts.SurveyResponse`` (source "link") and mark the
    invitation answered — once: the invitation row is locked, so two submissions at once
    store one answer and the other gets SurveyLinkUnusable.

    ``nps`` 0–10; ``csat`` 1–5, required when the survey asks for it and ignored otherwise.
    Raises ApplicationError for a score out of range (nothing stored).
    """
    if not 0 <= nps <= 10:
        raise ApplicationError(_("The recommendation score is a whole number from 0 to 10."))
    found = survey_invitation_usable(raw_token)
    invitation = SurveyInvitation.objects.select_for_update().get(pk=found.pk)
    if invitation.status != SurveyInvitation.Status.SENT or invitation.expires_at <= timezone.now():
        raise SurveyLinkUnusable
    if invitation.ask_csat:
        if csat is None or not 1 <= csat <= 5:
            raise ApplicationError(_("The satisfaction score is a whole number from 1 to 5."))
    else:
        csat = None
    day = today or timezone.localdate()
    response = SurveyResponse.objects.create(
        response_id=_response_id(),
        employee_id=invitation.employee_id,
        customer_id=invitation.customer_id,
        responded_on=day,
        nps=nps,
        csat=csat,
        source=SurveyResponse.Source.LINK,
    )
    invitation.status = SurveyInvitation.Status.ANSWERED
    invitation.answered_on = day
    invitation.response = response
    invitation.save(update_fields=["status", "answered_on", "response", "updated_at"])
    return response


@transaction.atomic
def survey_invitation_cancel(*, invitation: SurveyInvitation, user: Any) -> SurveyInvitation:
    """Withdraw a link not yet answered (its page then refuses it). Raises ConflictError
    when it was answered or withdrawn meanwhile."""
    locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != SurveyInvitation.Status.SENT:
        raise ConflictError(_("This survey was already answered or withdrawn."))
    locked.status = SurveyInvitation.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    log.info("survey invitation %s withdrawn by user %s", locked.pk, getattr(user, "pk", None))
    return locked


# --- Customer interviews -------------------------------------------------------------------------


def _interview_checks(
    *, employee: Employee, customer: Customer, held_on: date, satisfaction: int | None, notes: str
) -> None:
    if customer.owner_id != employee.pk:
        raise ApplicationError(
            _("%(customer)s is not a customer of %(name)s.")
            % {"customer": customer.name, "name": employee.name}
        )
    if held_on > timezone.localdate():
        raise ApplicationError(_("An interview cannot be dated in the future."))
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ApplicationError(_("Satisfaction is a whole number from 1 to 5."))
    if not notes.strip():
        raise ApplicationError(_("Write what the customer said."))
    if len(notes) > NOTES_MAX:
        raise ApplicationError(_("Notes are at most %(n)d characters.") % {"n": NOTES_MAX})


@transaction.atomic
def customer_interview_create(
    *,
    employee: Employee,
    customer: Customer,
    held_on: date,
    satisfaction: int | None,
    notes: str,
    follow_up: str = "",
    user: Any,
) -> CustomerInterview:
    """Record a customer interview about ``employee`` (``customer`` must be theirs; the day
    not in the future). Raises ApplicationError (nothing stored) otherwise."""
    _interview_checks(
        employee=employee,
        customer=customer,
        held_on=held_on,
        satisfaction=satisfaction,
        notes=notes,
    )
    interview = CustomerInterview(
        employee=employee,
        customer=customer,
        held_on=held_on,
        satisfaction=satisfaction,
        notes=notes.strip(),
        follow_up=follow_up.strip(),
        interviewer=user,
    )
    interview._history_user = user  # type: ignore[attr-defined]
    interview.save()
    return interview


@transaction.atomic
def customer_interview_update(
    *,
    interview: CustomerInterview,
    held_on: date,
    satisfaction: int | None,
    notes: str,
    follow_up: str = "",
    user: Any,
) -> CustomerInterview:
    """Change an interview's notes (the audit history keeps who changed what). Locked, so
    two edits at once apply one after the other."""
    locked = (
        CustomerInterview.objects.select_for_update()
        .select_related("employee", "customer")
        .get(pk=interview.pk)
    )
    _interview_checks(
        employee=locked.employee,
        customer=locked.customer,
        held_on=held_on,
        satisfaction=satisfaction,
        notes=notes,
    )
    locked.held_on = held_on
    locked.satisfaction = satisfaction
    locked.notes = notes.strip()
    locked.follow_up = follow_up.strip()
    locked._history_user = user  # type: ignore[attr-defined]
    locked.save()
    return locked


__all__ = [
    "EXPIRY_DAYS_DEFAULT",
    "EXPIRY_DAYS_MAX",
    "EXPIRY_DAYS_MIN",
    "SentLink",
    "SurveyLinkUnusable",
    "customer_interview_create",
    "customer_interview_update",
    "survey_answer",
    "survey_customers_for",
    "survey_invitation_cancel",
    "survey_invitation_usable",
    "survey_invitations_send",
]
