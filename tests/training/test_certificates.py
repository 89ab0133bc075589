"""Certificates: the eligibility rule, the lazy issue on download, the PDF's text and font,
the public verification page and HR's revocation."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from kaopei.core.pdf import FONT_POSTSCRIPT_NAME
from kaopei.training.certificate_pdf import certificate_pdf
from kaopei.training.models import Certificate, Enrolment, QuizAttempt
from kaopei.training.selectors.certificates import (
    MISSING_COMPLETION,
    MISSING_POST_TEST,
    certificate_list_for_hr,
    code_normalise,
    enrolment_eligibility,
)
from kaopei.training.services.certificates import (
    NotEarned,
    certificate_issue,
    certificate_revoke,
    code_new,
)
from tests.training.factories import CourseFactory, EnrolmentFactory, QuizFactory

pytestmark = pytest.mark.django_db

CODE_SHAPE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


@pytest.fixture(autouse=True)
def _fresh_lookup_allowance() -> None:
    cache.clear()


def spin_course() -> object:
    return CourseFactory(
        code="SPIN-101", title="需求挖掘：SPIN 提问法", title_en="Needs discovery: SPIN questioning"
    )


def attempt(quiz: object, employee: object, *, passed: bool, number: int = 1) -> QuizAttempt:
    now = timezone.now()
    return QuizAttempt.objects.create(
        quiz=quiz,
        employee=employee,
        number=number,
        started_at=now,
        submitted_at=now,
        score=Decimal("80") if passed else Decimal("40"),
        passed=passed,
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


# --- eligibility ----------------------------------------------------------------------------


def test_a_completed_enrolment_of_a_course_without_post_test_earns_one(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    assert enrolment_eligibility(e).earned


def test_an_enrolment_not_completed_lacks_completion(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=False)
    assert enrolment_eligibility(e).missing == MISSING_COMPLETION


def test_a_passed_post_test_attempt_earns_it_and_a_failed_one_does_not(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    quiz = QuizFactory(course=e.course)
    attempt(quiz, personas.alice, passed=False)
    assert enrolment_eligibility(e).missing == MISSING_POST_TEST
    attempt(quiz, personas.alice, passed=True, number=2)
    assert enrolment_eligibility(e).earned


def test_an_unpublished_post_test_is_not_required(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    QuizFactory(course=e.course, published=False)
    assert enrolment_eligibility(e).earned


def test_an_imported_post_score_counts_against_the_pass_mark(personas) -> None:
    course = CourseFactory()
    QuizFactory(course=course, pass_mark=70)
    low = EnrolmentFactory(
        course=course,
        employee=personas.alice,
        completed=True,
        post_score=Decimal("69.5"),
        source=Enrolment.Source.IMPORT,
    )
    exact = EnrolmentFactory(
        course=course,
        employee=personas.bob,
        completed=True,
        post_score=Decimal("70"),
        source=Enrolment.Source.IMPORT,
    )
    assert enrolment_eligibility(low).missing == MISSING_POST_TEST
    assert enrolment_eligibility(exact).earned


# --- issue ------------------------------------------------------------------------------------


def test_the_first_download_issues_one_certificate_and_later_ones_reuse_it(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    first = certificate_issue(enrolment=e)
    again = certificate_issue(enrolment=e)
    assert first.pk == again.pk
    assert CODE_SHAPE.match(first.code)
    assert first.issued_on == timezone.localdate()


def test_a_not_earned_enrolment_stores_nothing(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=False)
    with pytest.raises(NotEarned) as exc:
        certificate_issue(enrolment=e)
    assert exc.value.missing == MISSING_COMPLETION
    assert not Certificate.objects.exists()


def test_codes_use_the_unambiguous_alphabet_and_normalise_as_typed() -> None:
    codes = {code_new() for _i in range(200)}
    assert len(codes) == 200
    assert all(CODE_SHAPE.match(c) for c in codes)
    assert code_normalise(" abcd efgh-jkmn ") == "ABCD-EFGH-JKMN"
    assert code_normalise("ABCD-EFGH-JKM0") is None  # 0 is not in the alphabet
    assert code_normalise("短") is None


# --- the PDF ----------------------------------------------------------------------------------


def test_the_pdf_prints_the_chinese_that_went_in_with_the_shipped_font(personas) -> None:
    e = EnrolmentFactory(course=spin_course(), employee=personas.alice, completed=True)
    cert = certificate_issue(enrolment=e)
    data = certificate_pdf(certificate=cert, verify_url="https://kp.example/v/", language="zh-hans")
    text = pdf_text(data)
    assert "安丽" in text
    assert "需求挖掘：SPIN 提问法" in text
    assert "Needs discovery: SPIN questioning" in text
    assert cert.code in text
    assert "结业证书" in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert all(FONT_POSTSCRIPT_NAME in str(f["/BaseFont"]) for f in fonts)
    descriptor = fonts[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor  # embedded: no system font is needed to read it
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_the_pdf_follows_the_readers_language(personas, client) -> None:
    e = EnrolmentFactory(course=spin_course(), employee=personas.alice, completed=True)
    client.force_login(personas.alice.user)
    url = reverse("training:certificate_download", args=[e.pk])
    response = client.get(url, {"lang": "en"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Certificate of Completion" in text
    cert = Certificate.objects.get(enrolment=e)
    assert reverse("training:certificate_verify", args=[cert.code]) in text.replace("\n", "")


def test_the_download_of_a_not_earned_enrolment_says_what_is_missing(personas, client) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    QuizFactory(course=e.course)
    client.force_login(personas.alice.user)
    response = client.get(reverse("training:certificate_download", args=[e.pk]))
    assert response.status_code == 200
    assert f'data-missing="{MISSING_POST_TEST}"' in response.content.decode()
    assert not Certificate.objects.exists()


def test_another_account_manager_cannot_download_alices(personas) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    response = personas.client(personas.bob).get(
        reverse("training:certificate_download", args=[e.pk])
    )
    assert response.status_code == 404
    assert not Certificate.objects.exists()


# --- verification -----------------------------------------------------------------------------


def test_the_public_page_shows_only_name_course_and_date(personas, client) -> None:
    e = EnrolmentFactory(course=spin_course(), employee=personas.alice, completed=True)
    cert = certificate_issue(enrolment=e)
    response = client.get(reverse("training:certificate_verify", args=[cert.code.lower()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "安丽" in html and "需求挖掘：SPIN 提问法" in html
    assert e.session_on.isoformat() in html
    assert personas.alice.employee_no not in html
    assert personas.alice.org_unit.name not in html
    assert 'data-revoked="0"' in html


def test_an_unknown_code_is_a_404_page(client) -> None:
    response = client.get(reverse("training:certificate_verify", args=["ABCD-EFGH-JKMN"]))
    assert response.status_code == 404
    assert "data-certificate-missing" in response.content.decode()
    assert client.post(reverse("training:certificate_lookup"), {"code": "x"}).status_code == 404


def test_the_lookup_form_finds_a_certificate(personas, client) -> None:
    cert = certificate_issue(enrolment=EnrolmentFactory(employee=personas.alice, completed=True))
    response = client.post(reverse("training:certificate_lookup"), {"code": cert.code})
    assert response.status_code == 200
    assert f'data-certificate="{cert.code}"' in response.content.decode()


def test_lookups_are_throttled_per_address(client, settings, monkeypatch) -> None:
    monkeypatch.setattr("kaopei.training.selectors.certificates.LOOKUPS_PER_HOUR", 3)
    url = reverse("training:certificate_verify", args=["ABCD-EFGH-JKMN"])
    assert [client.get(url).status_code for _i in range(4)] == [404, 404, 404, 429]


def test_the_api_verifies_a_code_without_sign_in(personas, client) -> None:
    cert = certificate_issue(enrolment=EnrolmentFactory(employee=personas.alice, completed=True))
    body = client.get(f"/api/v1/training/certificates/{cert.code}").json()
    assert body["name"] == "安丽" and body["valid"] is True
    assert set(body) == {"name", "course", "course_en", "date", "issued_on", "valid"}
    assert client.get("/api/v1/training/certificates/ABCD-EFGH-JKMN").status_code == 404


def test_the_api_lists_ones_own_certificates_earned_ones_included(personas) -> None:
    issued = EnrolmentFactory(employee=personas.alice, completed=True)
    cert = certificate_issue(enrolment=issued)
    earned = EnrolmentFactory(employee=personas.alice, completed=True)
    EnrolmentFactory(employee=personas.alice, completed=False)
    EnrolmentFactory(employee=personas.bob, completed=True)
    body = personas.client(personas.alice).get("/api/v1/training/certificates").json()
    by_id = {row["enrolment_id"]: row for row in body}
    assert set(by_id) == {issued.pk, earned.pk}
    assert by_id[issued.pk]["code"] == cert.code
    assert by_id[earned.pk]["code"] is None


# --- revocation -------------------------------------------------------------------------------


def test_hr_revokes_with_confirmation_and_the_history_keeps_who_and_why(personas, client) -> None:
    e = EnrolmentFactory(employee=personas.alice, completed=True)
    cert = certificate_issue(enrolment=e)
    hr = personas.client(personas.hr)
    url = reverse("training:certificate_revoke", args=[cert.pk])
    assert hr.get(url).status_code == 200
    assert hr.post(url, {"reason": "培训记录有误"}).status_code == 302
    cert.refresh_from_db()
    assert cert.revoked
    last = cert.history.first()
    assert last.history_user == personas.hr.user
    assert last.history_change_reason == "培训记录有误"
    page = client.get(reverse("training:certificate_verify", args=[cert.code]))
    assert 'data-revoked="1"' in page.content.decode()
    api = client.get(f"/api/v1/training/certificates/{cert.code}").json()
    assert api["valid"] is False
    alice = personas.client(personas.alice)
    download = alice.get(reverse("training:certificate_download", args=[e.pk]))
    assert download["Content-Type"].startswith("text/html")
    with override("en"), pytest.raises(Exception, match="already revoked"):
        certificate_revoke(certificate=cert, user=personas.hr.user)


def test_only_hr_may_revoke(personas) -> None:
    cert = certificate_issue(enrolment=EnrolmentFactory(employee=personas.alice, completed=True))
    url = reverse("training:certificate_revoke", args=[cert.pk])
    for who in (personas.trainer, personas.sup, personas.alice):
        assert personas.client(who).post(url).status_code == 403
    cert.refresh_from_db()
    assert not cert.revoked


def test_hr_lists_and_searches_the_certificates_issued(personas: Any, client: Any) -> None:
    mine = EnrolmentFactory(
        course=CourseFactory(code="AML-101"), employee=personas.alice, completed=True
    )
    other = EnrolmentFactory(
        course=CourseFactory(code="SPIN-101"), employee=personas.bob, completed=True
    )
    Certificate.objects.create(enrolment=mine, code="AAAA-BBBB-CCCC", issued_on=mine.session_on)
    Certificate.objects.create(
        enrolment=other, code="DDDD-EEEE-FFFF", issued_on=other.session_on, revoked=True
    )

    hr = personas.hr.user
    assert [c.code for c in certificate_list_for_hr(user=hr, query="AML")] == ["AAAA-BBBB-CCCC"]
    assert [c.code for c in certificate_list_for_hr(user=hr, query=personas.bob.employee_no)] == [
        "DDDD-EEEE-FFFF"
    ]
    assert [c.code for c in certificate_list_for_hr(user=hr, revoked="yes")] == ["DDDD-EEEE-FFFF"]
    with pytest.raises(PermissionDenied):
        certificate_list_for_hr(user=personas.trainer.user)

    client.force_login(hr)
    page = client.get(reverse("training:certificate_list"), {"q": "SPIN"}).content.decode()
    assert "DDDD-EEEE-FFFF" in page and "AAAA-BBBB-CCCC" not in page
