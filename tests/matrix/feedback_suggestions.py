"""The suggestion box: anyone employed posts and reads their own by receipt code; HR admins
alone triage (and alone ever see a suggestion, one about a person included)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kaopei.feedback.models import Suggestion
from kaopei.feedback.services.suggestions import receipt_hash
from tests.access import HR_ONLY, OK, answer, one

HR_DONE = answer(403, hr=302)


def build(world: Any) -> dict[str, object]:
    suggestion = Suggestion.objects.create(
        receipt_hash=receipt_hash("MATRIXRECEIPT234"),
        about=Suggestion.About.PERSON,
        about_employee=world.p.alice,
        text="A suggestion about a person, for HR's eyes only",
        posted_on=timezone.localdate(),
    )
    return {"suggestion": suggestion}


PAGES = {
    # POSTs without data: the form again with its errors, nothing stored.
    "feedback:suggestion_post": one(OK),
    "feedback:suggestion_receipt": one(OK),
    "feedback:suggestion_triage": one(HR_ONLY, post=answer(405)),
    "feedback:suggestion_detail": one(HR_ONLY, post=answer(405), pk="@suggestion"),
    "feedback:suggestion_reply": one(answer(405), post=HR_ONLY, pk="@suggestion"),
    "feedback:suggestion_review": one(answer(405), post=HR_DONE, pk="@suggestion"),
    "feedback:suggestion_theme": one(answer(405), post=HR_DONE, pk="@suggestion"),
    "feedback:suggestion_close": one(HR_ONLY, post=HR_DONE, pk="@suggestion"),
}


API = {
    # Without a JSON body: 400 (the request cannot be read); nothing is stored.
    "POST /api/v1/feedback/suggestions": one(answer(400, anon=401)),
    # Every signed-in persona may try a code: a wrong one is a 404 for all.
    "GET /api/v1/feedback/suggestions/receipt/{code}": one(
        answer(404, anon=401), code="AAAA-BBBB-CCCC-DDDD"
    ),
}
