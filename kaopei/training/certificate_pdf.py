"""The certificate of completion as a PDF (landscape A4, on :mod:`kaopei.core.pdf`), in the
reader's language: the person's name, the course (Chinese and English titles when both
exist), its hours, the date, and the code with the address where anyone can check it."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from kaopei.core.pdf import Document
from kaopei.training.models import Certificate

INK = (33, 37, 41)
ACCENT = (139, 26, 26)  # a seal red
MUTED = (108, 117, 125)
ZH_TITLE = "结业证书"
EN_TITLE = "Certificate of Completion"


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def certificate_pdf(*, certificate: Certificate, verify_url: str, language: str) -> bytes:
    """The PDF of ``certificate`` in ``language`` ("zh-hans" or "en")."""
    enrolment = certificate.enrolment
    course = enrolment.course
    with translation.override(language):
        english = language == "en"
        # The title is printed in both languages, the reader's first.
        title, other_title = ZH_TITLE, EN_TITLE
        if english:
            title, other_title = other_title, title
        doc = Document(orientation="landscape", title=f"{title} {certificate.code}", margin=20)
        doc.set_auto_page_break(auto=False)
        doc.add_page()
        # A double frame.
        doc.set_draw_color(*ACCENT)
        doc.set_line_width(1.2)
        doc.rect(10, 10, doc.w - 20, doc.h - 20)
        doc.set_line_width(0.3)
        doc.rect(14, 14, doc.w - 28, doc.h - 28)
        doc.set_y(30)
        doc.text_block(title, size=34, bold=True, align="C", color=ACCENT)
        doc.text_block(other_title, size=14, align="C", color=MUTED)
        doc.ln(8)
        doc.text_block(_("This is to certify that"), size=14, align="C", color=INK)
        doc.ln(2)
        doc.text_block(enrolment.employee.name, size=28, bold=True, align="C", color=INK)
        doc.ln(2)
        doc.text_block(_("has completed the course"), size=14, align="C", color=INK)
        doc.ln(2)
        first, second = (
            (course.title_en, course.title) if english else (course.title, course.title_en)
        )
        first = first or second
        doc.text_block(first, size=20, bold=True, align="C", color=INK)
        if second and second != first:
            doc.text_block(second, size=14, align="C", color=INK)
        doc.ln(4)
        hours = _("%(hours)s hours of training, on %(date)s") % {
            "hours": _hours(enrolment.hours),
            "date": enrolment.session_on.isoformat(),
        }
        doc.text_block(hours, size=12, align="C", color=INK)
        doc.set_y(doc.h - 52)
        issued = _("Issued on %(date)s") % {"date": certificate.issued_on.isoformat()}
        doc.text_block(issued, size=11, align="C", color=INK)
        code = _("Verification code: %(code)s") % {"code": certificate.code}
        doc.text_block(code, size=13, bold=True, align="C", color=INK)
        check = _("Check it at %(url)s") % {"url": verify_url}
        doc.text_block(check, size=10, align="C", color=MUTED)
        return doc.to_bytes()
