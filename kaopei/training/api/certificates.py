"""Training API: certificates. ``GET /training/certificates/{code}`` is the public
verification (no sign-in; throttled per address like the page: only the name, the course,
the date and whether it is valid); ``GET /training/certificates`` lists the caller's own
certificates, the earned ones not downloaded yet included."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from kaopei.core.api import ERRORS, ErrorOut
from kaopei.training.selectors import certificates as sel

router = Router(tags=["training"])


class VerificationOut(Schema):
    name: str
    course: str
    course_en: str
    date: dt.date = Field(description="The training date.")
    issued_on: dt.date
    valid: bool = Field(description="False once HR revoked it.")


class OwnCertificateOut(Schema):
    enrolment_id: int
    course_code: str
    course: str
    course_en: str
    session_on: dt.date
    hours: float
    code: str | None = Field(description="None until first downloaded (issued then).")
    issued_on: dt.date | None
    revoked: bool
    download_url: str


@router.get(
    "/training/certificates/{code}",
    auth=None,
    response={200: VerificationOut, 429: ErrorOut, **ERRORS},
)
def certificate_verify(request: HttpRequest, code: str) -> Any:
    """Check a certificate by its verification code; 404 when no certificate has it, 429
    after too many lookups from one address within the hour."""
    try:
        found = sel.certificate_verify_lookup(request=request, code=code)
    except sel.TooManyLookups:
        return Status(
            429, {"detail": _("Too many codes were checked. Try again in an hour."), "errors": []}
        )
    if found is None:
        raise Http404
    enrolment = found.enrolment
    return VerificationOut(
        name=enrolment.employee.name,
        course=enrolment.course.title,
        course_en=enrolment.course.title_en,
        date=enrolment.session_on,
        issued_on=found.issued_on,
        valid=not found.revoked,
    )


@router.get("/training/certificates", response={200: list[OwnCertificateOut], **ERRORS})
def certificate_list_own(request: HttpRequest) -> Any:
    """The caller's certificates, latest training first."""
    out = []
    for item in sel.certificates_of_user(user=request.user):
        e, cert = item.enrolment, item.certificate
        out.append(
            OwnCertificateOut(
                enrolment_id=e.pk,
                course_code=e.course.code,
                course=e.course.title,
                course_en=e.course.title_en,
                session_on=e.session_on,
                hours=float(e.hours),
                code=cert.code if cert else None,
                issued_on=cert.issued_on if cert else None,
                revoked=cert.revoked if cert else False,
                download_url=reverse("training:certificate_download", args=[e.pk]),
            )
        )
    return out
