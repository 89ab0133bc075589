"""Certificates: the download is for the person, their supervisor chain, trainers and HR
(404 for the rest); the verification page and the lookup form are public; HR alone
revokes."""

from __future__ import annotations

from typing import Any

from kaopei.training.models import Certificate
from kaopei.training.selectors.certificates import lookups_forget
from tests.access import HR_ONLY, answer, one
from tests.training.factories import CourseFactory, EnrolmentFactory

CODE = "MTRX-CERT-2345"
PUBLIC = answer(200, anon=200)


def build(world: Any) -> dict[str, object]:
    # The public lookups are throttled per address: earlier tests in this process (the API
    # conformance run) may have used the test client's allowance.
    lookups_forget(address="127.0.0.1")
    course = CourseFactory(code="MTX-CERT", title="矩阵课程", title_en="Matrix course")
    alices = EnrolmentFactory(course=course, employee=world.p.alice, completed=True)
    other = EnrolmentFactory(
        course=CourseFactory(code="MTX-CERT2"), employee=world.p.bob, completed=True
    )
    certificate = Certificate.objects.create(enrolment=other, code=CODE, issued_on=other.session_on)
    return {"cert_enrolment_alice": alices, "certificate": certificate}


PAGES = {
    # Alice's earned enrolment: her, her supervisor, trainers and HR get the PDF.
    "training:certificate_download": one(
        answer(404, alice=200, sup=200, trainer=200, hr=200),
        post=answer(405),
        pk="@cert_enrolment_alice",
    ),
    # POST without data: the form again with its errors.
    "training:certificate_lookup": one(PUBLIC, post=PUBLIC),
    "training:certificate_verify": one(PUBLIC, post=answer(405, anon=405), code=CODE),
    "training:certificate_list": one(HR_ONLY, post=answer(405)),
    "training:certificate_revoke": one(HR_ONLY, post=answer(403, hr=302), pk="@certificate"),
}

API = {
    "GET /api/v1/training/certificates/{code}": one(PUBLIC, code=CODE),
    "GET /api/v1/training/certificates": one(answer(200, anon=401)),
}
