"""Certificates: the download (issued on first download), the public verification page and
lookup form (no sign-in; they show only the name, the course and the date), and HR's
revocation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.rules import is_hr_admin
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.training.certificate_pdf import certificate_pdf
from kaopei.training.models import Certificate
from kaopei.training.selectors import certificates as sel
from kaopei.training.services import certificates as services

LANGUAGES = ("zh-hans", "en")


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy("As printed on the certificate, e.g. ABCD-EFGH-JKMN."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=services.REASON_MAX, required=False
    )


def verify_url(code: str) -> str:
    """The absolute address of a certificate's verification page (from ``SITE_URL``, where
    people open Kaopei)."""
    return settings.SITE_URL.rstrip("/") + reverse("training:certificate_verify", args=[code])


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of an enrolment's certificate (issued now if earned and not issued yet); a
    page saying what is missing otherwise, or that it was revoked."""
    enrolment = sel.enrolment_get_for_certificate(user=request.user, pk=pk)
    try:
        certificate = services.certificate_issue(enrolment=enrolment)
    except services.NotEarned as exc:
        return render(
            request,
            "training/certificates/not_earned.html",
            {"enrolment": enrolment, "message": exc.message, "missing": exc.missing},
        )
    if certificate.revoked:
        return render(
            request,
            "training/certificates/revoked.html",
            {"enrolment": enrolment, "certificate": certificate},
        )
    pdf = certificate_pdf(
        certificate=certificate,
        verify_url=verify_url(certificate.code),
        language=_language(request),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def _result(
    request: HttpRequest, certificate: Certificate | None, extra: dict[str, Any] | None = None
) -> HttpResponse:
    context = {"certificate": certificate, "may_revoke": is_hr_admin(request.user), **(extra or {})}
    if certificate is None:
        return render(request, "training/certificates/not_found.html", context, status=404)
    return render(request, "training/certificates/verify.html", context)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "training/certificates/too_many.html", status=429)


@login_not_required
@never_cache
@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this a real certificate? Only the name, the course, the date (and whether
    it was revoked)."""
    try:
        certificate = sel.certificate_verify_lookup(request=request, code=code)
    except sel.TooManyLookups:
        return _too_many(request)
    return _result(request, certificate, {"form": LookupForm(initial={"code": code[:40]})})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """Public: type a code to check a certificate."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = sel.certificate_verify_lookup(
                request=request, code=form.cleaned_data["code"]
            )
        except sel.TooManyLookups:
            return _too_many(request)
        return _result(request, certificate, {"form": form})
    return render(request, "training/certificates/lookup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """HR: confirm, then revoke."""
    certificate = sel.certificate_get_for_revoke(user=request.user, pk=pk)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The certificate was revoked."))
        return redirect("training:certificate_verify", code=certificate.code)
    return render(
        request,
        "training/certificates/revoke.html",
        {"certificate": certificate, "form": form},
    )


CERTIFICATES_PER_PAGE = 50


CERTIFICATE_COLUMNS = (
    Column("code", gettext_lazy("Certificate code")),
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("course", gettext_lazy("Course code")),
    Column("issued_on", gettext_lazy("Issued on"), "date"),
    Column("revoked", gettext_lazy("Revoked")),
)


@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    """HR: every certificate issued, searchable, with its verification page (to revoke)."""
    query = request.GET.get("q", "")
    revoked = request.GET.get("revoked", "")
    rows = sel.certificate_list_for_hr(user=request.user, query=query, revoked=revoked)
    fmt = export_format(request)
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=CERTIFICATE_COLUMNS,
            rows=(
                [
                    c.code,
                    c.enrolment.employee.employee_no,
                    c.enrolment.employee.name,
                    c.enrolment.course.code,
                    c.issued_on,
                    _("yes") if c.revoked else _("no"),
                ]
                for c in rows
            ),
            fmt=fmt,
            name="certificates",
        )
    filters, filtered = list_filters(request)
    return render_list(
        request,
        "training/certificates/list.html",
        {
            "page_obj": paginate(request, rows, CERTIFICATES_PER_PAGE),
            "q": query,
            "revoked": revoked,
            "query_string": filters,
            "filtered": filtered,
        },
    )
