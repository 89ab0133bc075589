"""The case library: everyone employed reads active cases (a deactivated case is a 404 for
them); trainers and HR admins create, edit, deactivate and see the history."""

from __future__ import annotations

import json
from typing import Any

from kaopei.training.models import Case, DiscussionQuestion
from tests.access import GET_ONLY, JSON, OK, answer, case, one, row

MANAGERS = answer(403, trainer=200, hr=200)
MANAGERS_ACT = answer(403, trainer=302, hr=302)
MANAGERS_SEE_OLD = answer(404, trainer=200, hr=200)


def build(world: Any) -> dict[str, object]:
    live = Case.objects.create(
        code="MX-CASE",
        kind="success",
        industry="finance",
        title="矩阵案例",
        situation="情境",
    )
    DiscussionQuestion.objects.create(case=live, order=1, text="问题一")
    Case.objects.create(
        code="MX-CASE-OLD",
        kind="failure",
        industry="retail",
        title="停用案例",
        situation="情境",
        active=False,
    )
    return {}


NEW_CASE = json.dumps(
    {
        "code": "MX-CASE-NEW",
        "kind": "failure",
        "industry": "technology",
        "title": "新案例",
        "situation": "情境",
    }
)

PAGES = {
    "training:case_list": one(OK, post=GET_ONLY),
    "training:case_detail": row(
        case("active", OK, post=GET_ONLY, code="MX-CASE"),
        case("deactivated", MANAGERS_SEE_OLD, post=answer(405), code="MX-CASE-OLD"),
    ),
    # POSTs without data: the form again with its errors, nothing stored.
    "training:case_create": one(MANAGERS),
    "training:case_edit": one(MANAGERS, code="MX-CASE"),
    "training:case_history": one(MANAGERS, post=GET_ONLY, code="MX-CASE"),
    "training:case_deactivate": one(MANAGERS, post=MANAGERS_ACT, code="MX-CASE"),
}

API = {
    "GET /api/v1/training/cases": one(answer(200, anon=401)),
    "GET /api/v1/training/cases/{code}": row(
        case("active", answer(200, anon=401), code="MX-CASE"),
        case("deactivated", answer(404, anon=401, trainer=200, hr=200), code="MX-CASE-OLD"),
    ),
    "POST /api/v1/training/cases": row(
        case("no body", answer(400, anon=401)),
        case("a new case", answer(403, anon=401, trainer=201, hr=201), data={JSON: NEW_CASE}),
    ),
    # PUT is tried in tests/training/test_library_api.py.
    "PUT /api/v1/training/cases/{code}": one(answer(403, anon=401), code="MX-CASE"),
}
