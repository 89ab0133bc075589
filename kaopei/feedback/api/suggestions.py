"""Feedback API: the suggestion box. Every operation applies the same rules as the pages:
anyone employed posts (no author is stored: the operation hands the service only the
suggestion) and reads their own by receipt code, throttled like the page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from kaopei.core.api import ERRORS, ErrorOut
from kaopei.core.api_params import PRINTABLE
from kaopei.core.errors import ApplicationError
from kaopei.feedback.models import Suggestion
from kaopei.feedback.rules import can_post_suggestion
from kaopei.feedback.selectors import suggestions as sel
from kaopei.feedback.services import suggestions as services
from kaopei.org.models import Employee, OrgUnit

router = Router(tags=["feedback"])


class SuggestionIn(Schema):
    about: str = Field(
        max_length=20, pattern=PRINTABLE, description="process, team, person or other"
    )
    text: str = Field(min_length=services.TEXT_MIN, max_length=services.TEXT_MAX)
    unit: str = Field(
        "", max_length=40, pattern=PRINTABLE, description="The team's code (about = team)."
    )
    employee_no: str = Field(
        "", max_length=40, pattern=PRINTABLE, description="The person's number (about = person)."
    )


class ReceiptOut(Schema):
    receipt_code: str = Field(description="Shown once: keep it to read the reply.")
    posted_on: date


class SuggestionOut(Schema):
    about: str
    text: str
    posted_on: date
    status: str
    reply: str
    replied_on: date | None


@router.post("/feedback/suggestions", response={201: ReceiptOut, **ERRORS})
def suggestion_post(request: HttpRequest, payload: SuggestionIn) -> Any:
    """Post a suggestion anonymously; returns the receipt code (the only time it exists)."""
    if not can_post_suggestion(request.user):
        raise PermissionDenied
    unit = employee = None
    if payload.about == Suggestion.About.TEAM:
        unit = OrgUnit.objects.filter(code=payload.unit, active=True).first()
        if unit is None:
            raise ApplicationError(_("Choose the team the suggestion is about."))
    if payload.about == Suggestion.About.PERSON:
        employee = Employee.objects.filter(employee_no=payload.employee_no, active=True).first()
        if employee is None:
            raise ApplicationError(_("Give the employee number of a current employee."))
    suggestion, code = services.suggestion_post(
        about=payload.about, text=payload.text, about_unit=unit, about_employee=employee
    )
    return Status(201, ReceiptOut(receipt_code=code, posted_on=suggestion.posted_on))


@router.get(
    "/feedback/suggestions/receipt/{code}", response={200: SuggestionOut, 429: ErrorOut, **ERRORS}
)
def suggestion_receipt(request: HttpRequest, code: str) -> Any:
    """One's own suggestion with its status and HR's reply; 404 for a wrong code; 429 after
    too many tries within the hour."""
    try:
        suggestion = sel.suggestion_read_by_receipt(user=request.user, code=code)
    except sel.TooManyTries:
        raise ApplicationError(
            _("Too many codes were tried. Try again in an hour."), status=429
        ) from None
    if suggestion is None:
        raise Http404
    return SuggestionOut(
        about=suggestion.about,
        text=suggestion.text,
        posted_on=suggestion.posted_on,
        status=suggestion.status,
        reply=suggestion.reply,
        replied_on=suggestion.replied_on,
    )
