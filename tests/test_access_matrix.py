"""The access matrix: every route and every API operation, tried by every persona.

Every URL pattern of the resolver (the admin's included) and every operation of the
OpenAPI schema must have a row in ``PAGES`` or ``API`` below saying who gets which answer —
a route or operation without one fails, so no new capability can forget to decide.

Personas (tests/conftest.py): anonymous, Alice (account manager, BJ-T1, reports to Sun
Pei), Bob (account manager, SH-T1, reports to Shen Er), Sun Pei (``sup``, supervisor of
BJ-T1), Shen Er (``sup2``, supervisor of SH-T1, the other branch), a trainer, an executive
and an HR admin. Nobody is staff or superuser. The objects (tests/access.py): cycle 2026Q1
scored with cards for Alice, Bob, Sun Pei and Shen Er; a draft 2026Q2; an open appeal on
Alice's card and one on Bob's; an import batch and a job of HR's; an API token and a
notification of Alice's.

Each route row lists cases: the URL parameters (an object of Alice's, one of Bob's, …) and
the expected answer per persona for GET and for POST. ``answer(default, anon=…, who=…)``
gives ``default`` to every signed-in persona not named. Answers: a status code, ``LOGIN``
(302 to the sign-in page), ``ADMIN_LOGIN`` (302 to the admin's) or ``REFUSED`` (302 back
with an error message: a service said no). A refused request (LOGIN, ADMIN_LOGIN, REFUSED,
401, 403, 404, 405) must also write nothing.

To add a route: add a row (its name, or its path template when unnamed) with a case per
kind of object that matters — one the persona may see and one of someone else's. Values
starting with "@" are looked up on the World (``@appeal_alice`` → that appeal's pk).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests import matrix
from tests.access import (
    ADMIN_LOGIN,
    ALICES_CARD,
    ANON,
    BOBS_CARD,
    BROWSERS,
    CARD_READERS,
    CUSTOMERS_CSV,
    DENIALS,
    FILE,
    GET_ONLY,
    HR_ACTS,
    HR_ONLY,
    JSON,
    LOGIN,
    OK,
    PERSONAS,
    POST_ONLY,
    REFUSED,
    Case,
    Expect,
    Row,
    World,
    admin_values,
    answer,
    api_operations,
    build_world,
    case,
    describe,
    matches,
    one,
    page_path,
    resolver_routes,
    row,
    send,
    temporary_media,
)

RECORD = os.environ.get("KAOPEI_MATRIX_RECORD") == "1"


APPEAL = {"metric": "sales_amount", "reason": "A contract is missing"}
APPEAL_BOB = {"metric": "visit_count", "reason": "A visit is missing"}
VOID = {"reason": "Recorded twice"}
CALIBRATE = {"to_grade": "B", "reason": "Strong pipeline"}


def to_card(employee_no: str) -> str:
    return f"/assessment/cycles/2026Q1/scorecards/{employee_no}/"


PAGES: dict[str, Row] = {
    # Sign-in, account and language (kaopei/core)
    "/": one(answer(302, anon=LOGIN)),  # to the home page
    "login": one(answer(302, anon=200)),  # signed in: to the home page
    "logout": one(answer(405), post=answer(LOGIN)),
    "password_change": one(OK),  # POST without data: the form again
    "password_change_done": one(OK, post=answer(405)),
    "profile": one(OK),
    "api_tokens": one(OK),  # POST without a name: the form again with the reason
    "api_token_revoke": row(
        case("alice's token", POST_ONLY, post=answer(404, alice=302), pk="@token_alice"),
    ),
    "set_language": one(answer(302, anon=302)),
    # Notifications (kaopei/core/views_notifications.py): each person's own; reading is a GET
    # that writes nothing, opening and marking read are POSTs; another's is a 404.
    "notifications:list": one(OK, post=GET_ONLY),
    "notifications:open": row(
        case("alice's", POST_ONLY, post=answer(404, alice=302), pk="@notification_alice"),
    ),
    "notifications:mark_read": row(
        case("alice's", POST_ONLY, post=answer(404, alice=302), pk="@notification_alice"),
    ),
    "notifications:mark_all_read": one(POST_ONLY, post=answer(302)),
    "notifications:settings": one(OK),  # POST without data: the form again with the reason
    "javascript-catalog": one(OK, post=answer(405)),
    "home": one(OK, post=answer(405)),
    # Organisation (kaopei/org/rules.py)
    "org:unit_tree": one(BROWSERS),
    "org:unit_create": one(HR_ONLY),
    "org:unit_detail": row(
        case("BJ-T1", answer(403, sup=200, sup2=404, exec=200, hr=200), code="BJ-T1"),
        case("SH-T1", answer(403, sup=404, sup2=200, exec=200, hr=200), code="SH-T1"),
    ),
    "org:unit_edit": row(
        case("BJ-T1", HR_ONLY, code="BJ-T1"), case("SH-T1", HR_ONLY, code="SH-T1")
    ),
    "org:unit_deactivate": row(
        case("BJ-T1", HR_ONLY, post=HR_ACTS, code="BJ-T1"),
        case("SH-T1", HR_ONLY, post=HR_ACTS, code="SH-T1"),
    ),
    "org:employee_list": one(BROWSERS),
    "org:employee_create": one(HR_ONLY),
    "org:employee_detail": row(
        case("alice", answer(404, alice=200, sup=200, exec=200, hr=200), employee_no="A001"),
        case("bob", answer(404, bob=200, sup2=200, exec=200, hr=200), employee_no="B001"),
    ),
    "org:employee_edit": row(
        case("alice", HR_ONLY, employee_no="A001"), case("bob", HR_ONLY, employee_no="B001")
    ),
    "org:employee_deactivate": row(
        case("alice", HR_ONLY, employee_no="A001"), case("bob", HR_ONLY, employee_no="B001")
    ),
    "org:employee_set_password": row(
        case("alice", HR_ONLY, employee_no="A001"), case("bob", HR_ONLY, employee_no="B001")
    ),
    "org:level_list": one(HR_ONLY),
    "org:level_create": one(HR_ONLY),
    "org:level_edit": one(HR_ONLY, code="AM1"),
    "org:competency_matrix": one(OK),
    "org:competency_create": one(HR_ONLY),
    "org:matrix_edit": one(HR_ONLY),
    "org:competency_detail": one(OK, code="C01"),
    "org:competency_edit": one(HR_ONLY, code="C01"),
    # Imports (kaopei/imports/rules.py): HR admins only; a batch of HR's is refused to others
    "facts:import_list": one(HR_ONLY, post=GET_ONLY),
    "facts:import_upload": one(HR_ONLY),
    "facts:template_list": one(HR_ONLY, post=GET_ONLY),
    "facts:template_download": one(HR_ONLY, post=GET_ONLY, kind="customers"),
    "facts:import_detail": one(answer(403, hr=302), post=GET_ONLY, pk="@batch"),  # → preview
    "facts:import_preview": one(HR_ONLY, post=GET_ONLY, pk="@batch"),
    "facts:import_start": one(POST_ONLY, post=HR_ACTS, pk="@batch"),
    "facts:import_errors_download": one(answer(403, hr=302), post=GET_ONLY, pk="@batch"),
    "facts:import_rollback": one(POST_ONLY, post=HR_ACTS, pk="@batch"),
    # Assessment: cycles, configuration, targets (kaopei/assessment/rules.py)
    "assessment:cycle_list": one(OK, post=GET_ONLY),
    "assessment:cycle_create": one(HR_ONLY),
    "assessment:cycle_detail": row(
        case("scored", OK, post=GET_ONLY, code="2026Q1"),
        case("draft", answer(404, hr=200), post=GET_ONLY, code="2026Q2"),
    ),
    "assessment:cycle_status": one(POST_ONLY, post=HR_ACTS, code="2026Q1"),
    "assessment:cycle_settings": one(HR_ONLY, code="2026Q1"),
    "assessment:cycle_score": one(POST_ONLY, post=HR_ACTS, code="2026Q1"),
    "assessment:job_status": one(answer(404, hr=200), post=GET_ONLY, job_id="@job_hr"),
    "assessment:cycle_export": one(
        HR_ONLY, post=GET_ONLY, code="2026Q1", what="scorecards", fmt="csv"
    ),
    "assessment:metric_list": one(OK, post=GET_ONLY),
    "assessment:metric_create": one(HR_ONLY),
    "assessment:metric_edit": one(HR_ONLY, code="visit_count"),
    "assessment:template_list": one(BROWSERS, post=GET_ONLY),
    "assessment:template_create": one(HR_ONLY),
    "assessment:template_detail": one(BROWSERS, post=GET_ONLY, code="cfg-am1"),
    "assessment:template_new_version": one(HR_ONLY, code="cfg-am1"),
    "assessment:target_list": row(
        case("scored", answer(403, sup=200, sup2=200, hr=200), post=GET_ONLY, code="2026Q1"),
        case("draft", answer(403, sup=200, sup2=200, hr=200), post=GET_ONLY, code="2026Q2"),
    ),
    "assessment:target_bulk": one(HR_ONLY, code="2026Q1"),
    "assessment:target_copy": one(HR_ONLY, code="2026Q1"),
    "assessment:audit_log": one(HR_ONLY, post=GET_ONLY),
    # Scorecards, calibration and appeals
    "assessment:scorecard_list": one(CARD_READERS, code="2026Q1"),
    "assessment:scorecard": row(
        case("alice", ALICES_CARD, code="2026Q1", employee_no="A001"),
        case("bob", BOBS_CARD, code="2026Q1", employee_no="B001"),
        case("sup", answer(404, sup=200, hr=200), code="2026Q1", employee_no="S001"),
    ),
    "assessment:line_evidence": row(
        case("alice", ALICES_CARD, code="2026Q1", employee_no="A001", metric="sales_amount"),
        case("bob", BOBS_CARD, code="2026Q1", employee_no="B001", metric="visit_count"),
    ),
    # Only the owner acknowledges, once the cycle is final: here everyone who may see the
    # card is sent back to it with a message (the cycle is only scored), and nothing is written.
    "assessment:scorecard_acknowledge": row(
        case(
            "alice",
            POST_ONLY,
            post=answer(404, alice=REFUSED, sup=REFUSED, hr=REFUSED),
            code="2026Q1",
            employee_no="A001",
        ),
        case(
            "bob",
            POST_ONLY,
            post=answer(404, bob=REFUSED, sup2=REFUSED, hr=REFUSED),
            code="2026Q1",
            employee_no="B001",
        ),
    ),
    # HR and the supervisor in the chain calibrate; Bob's card is vetoed: refused with a message.
    "assessment:scorecard_calibrate": row(
        case(
            "alice",
            POST_ONLY,
            post=answer(403, sup=302, sup2=404, hr=302),
            data=CALIBRATE,
            code="2026Q1",
            employee_no="A001",
        ),
        case(
            "bob",
            POST_ONLY,
            post=answer(403, sup=404, sup2=302, hr=302),
            data=CALIBRATE,
            code="2026Q1",
            employee_no="B001",
        ),
    ),
    # Only HR removes a card, and only one kept for someone no longer eligible: these cards
    # are of eligible people, so HR is shown the page and refused the removal.
    "assessment:scorecard_remove": row(
        case("alice", HR_ONLY, post=answer(403, hr=REFUSED), code="2026Q1", employee_no="A001"),
        case("bob", HR_ONLY, post=answer(403, hr=REFUSED), code="2026Q1", employee_no="B001"),
    ),
    # Only the owner appeals a line of their card: the others who may see it are sent back
    # with "Only the scorecard's owner can appeal it." and nothing is written.
    "assessment:appeal_create": row(
        case(
            "alice",
            POST_ONLY,
            post=answer(404, alice=302, sup=REFUSED, hr=REFUSED),
            data=APPEAL,
            code="2026Q1",
            employee_no="A001",
        ),
        case(
            "bob",
            POST_ONLY,
            post=answer(404, bob=302, sup2=REFUSED, hr=REFUSED),
            data=APPEAL_BOB,
            code="2026Q1",
            employee_no="B001",
        ),
    ),
    # The board: HR and supervisors act, executives read distributions; only HR posts.
    "assessment:calibration": one(
        answer(403, sup=200, sup2=200, exec=200, hr=200), post=HR_ACTS, code="2026Q1"
    ),
    "assessment:my_scorecards": one(OK),
    "assessment:appeal_list": one(CARD_READERS),
    # An appeal is read by the appellant and resolved by their supervisor chain or HR.
    "assessment:appeal_detail": row(
        case(
            "alice's",
            answer(404, alice=200, sup=200, hr=200),
            post=answer(404, alice=403, sup=200, hr=200),
            pk="@appeal_alice",
        ),
        case(
            "bob's",
            answer(404, bob=200, sup2=200, hr=200),
            post=answer(404, bob=403, sup2=200, hr=200),
            pk="@appeal_bob",
        ),
    ),
    # Correcting what is behind an appealed line: HR, or the appellant's supervisor chain,
    # while the appeal is open; the appellant is refused (403), everyone else never sees it.
    "assessment:appeal_record_void": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=403, sup=302, hr=302),
            data=VOID,
            pk="@appeal_alice",
            kind="sale",
            record="@sale_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=403, sup2=302, hr=302),
            data=VOID,
            pk="@appeal_bob",
            kind="activity",
            record="@visit_bob",
        ),
    ),
    "assessment:appeal_record_correct": row(
        case(
            "alice's",
            answer(404, alice=403, sup=200, hr=200),
            post=answer(404, alice=403, sup=200, hr=200),
            pk="@appeal_alice",
            kind="sale",
            record="@sale_alice",
        ),
        case(
            "bob's",
            answer(404, bob=403, sup2=200, hr=200),
            post=answer(404, bob=403, sup2=200, hr=200),
            pk="@appeal_bob",
            kind="activity",
            record="@visit_bob",
        ),
    ),
    "assessment:appeal_record_add": row(
        case(
            "alice's",
            answer(404, alice=403, sup=200, hr=200),
            post=answer(404, alice=403, sup=200, hr=200),
            pk="@appeal_alice",
        ),
        case(
            "bob's",
            answer(404, bob=403, sup2=200, hr=200),
            post=answer(404, bob=403, sup2=200, hr=200),
            pk="@appeal_bob",
        ),
    ),
    "assessment:appeal_target": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=403, sup=302, hr=302),
            pk="@appeal_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=403, sup2=302, hr=302),
            pk="@appeal_bob",
        ),
    ),
    # HR corrects records from a line's evidence page; others who may read the card: 403.
    "assessment:line_record_void": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=403, sup=403, hr=302),
            data=VOID,
            code="2026Q1",
            employee_no="A001",
            metric="sales_amount",
            kind="sale",
            record="@sale_alice",
        ),
    ),
    "assessment:line_record_correct": row(
        case(
            "alice's",
            answer(404, alice=403, sup=403, hr=200),
            post=answer(404, alice=403, sup=403, hr=200),
            code="2026Q1",
            employee_no="A001",
            metric="sales_amount",
            kind="sale",
            record="@sale_alice",
        ),
    ),
    # The Django admin's own pages (the model pages are ADMIN_FAMILY below): nobody here
    # is staff, so all are sent to the admin's sign-in page, which refuses them.
    "admin:index": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN)),
    "admin:login": one(answer(200, anon=200)),
    "admin:logout": one(answer(302, anon=ADMIN_LOGIN)),  # signed in: back to /admin/
    "admin:password_change": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN)),
    "admin:password_change_done": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN)),
    "admin:autocomplete": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN)),
    "admin:jsi18n": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN)),
    "admin:view_on_site": one(
        answer(ADMIN_LOGIN, anon=ADMIN_LOGIN), content_type_id="1", object_id="1"
    ),
    "admin:app_list": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN), app_label="org"),
    "/admin/(?P<url>.*)$": one(answer(ADMIN_LOGIN, anon=ADMIN_LOGIN), url="nowhere/"),
    # The API's documentation (its operations are in API below).
    "api:openapi-json": one(answer(200, anon=401)),  # the API's map: signed-in users only
    "api:openapi-view": one(answer(200, anon=LOGIN)),
    "api:api-root": one(answer(404, anon=404)),
    **matrix.pages(),
}

# API operations, tried with each persona's bearer token (anonymous: none).
API_ALL = answer(200, anon=401)
API: dict[str, Row] = {
    "GET /api/v1/me": one(API_ALL),
    "GET /api/v1/employees": one(API_ALL),  # scoped: each sees whom they may see
    "GET /api/v1/employees/{employee_no}": row(
        case(
            "alice", answer(404, anon=401, alice=200, sup=200, exec=200, hr=200), employee_no="A001"
        ),
        case("bob", answer(404, anon=401, bob=200, sup2=200, exec=200, hr=200), employee_no="B001"),
    ),
    "GET /api/v1/org-units": one(API_ALL),
    "GET /api/v1/cycles": one(API_ALL),
    "POST /api/v1/cycles/{code}/score": row(
        case("scored", answer(403, anon=401, hr=202), code="2026Q1"),
        case("draft", answer(403, anon=401, hr=202), code="2026Q2"),
    ),
    "GET /api/v1/cycles/{code}/scorecards": row(
        case("scored", API_ALL, code="2026Q1"),  # scoped: executives and trainers get none
        case("draft", answer(404, anon=401, hr=200), code="2026Q2"),
    ),
    "GET /api/v1/cycles/{code}/scorecards/{employee_no}": row(
        case(
            "alice",
            answer(404, anon=401, alice=200, sup=200, hr=200),
            code="2026Q1",
            employee_no="A001",
        ),
        case(
            "bob",
            answer(404, anon=401, bob=200, sup2=200, hr=200),
            code="2026Q1",
            employee_no="B001",
        ),
    ),
    "GET /api/v1/jobs/{job_id}": one(answer(404, anon=401, hr=200), job_id="@job_hr"),
    "GET /api/v1/imports/{batch_id}": one(answer(403, anon=401, hr=200), batch_id="@batch"),
    "POST /api/v1/imports/{kind}": one(
        answer(403, anon=401, hr=200), data={"file": FILE}, kind="customers"
    ),
    **matrix.api(),
}

# Admin routes are one family: Django's admin lets in active staff only, and none of the
# personas is staff (HR admins included: they are refused and sent to the admin's sign-in).
# Anonymous visitors meet the sign-in requirement first (the model pages are not marked
# login_not_required as the admin site's own pages are).
ADMIN_FAMILY = answer(ADMIN_LOGIN, anon=LOGIN)


# --- Building the cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One test case: a persona trying one case of a route (GET, then POST) or of an API
    operation; or a route or operation nobody declared."""

    id: str
    kind: str  # "page", "api", "undeclared", "stale"
    key: str
    persona: str = ""
    path: str = ""  # the template of an API operation
    values: dict[str, str] = field(default_factory=dict)
    get: Expect | None = None
    post: Expect | None = None
    data: dict[str, str] | None = None
    message: str = ""


def _label(c: Case) -> str:
    return f"[{c.label}]" if c.label else ""


def build_checks() -> Iterator[Check]:
    seen: set[str] = set()
    for route in ROUTES:
        if route.is_api_operation:
            continue
        seen.add(route.key)
        declared = PAGES.get(route.key)
        if declared is None and route.template.startswith("/admin/"):
            declared = Row((Case("", admin_values(route), ADMIN_FAMILY),))
        if declared is None:
            message = f"declare who may use {route.template} ({route.key}) in {HERE}"
            yield Check(
                id=f"undeclared:{route.key}", kind="undeclared", key=route.key, message=message
            )
            continue
        for c in declared.cases:
            post = c.post if c.post is not None else c.get
            for persona in PERSONAS:
                yield Check(
                    id=f"{route.key}{_label(c)}-{persona}",
                    kind="page",
                    key=route.key,
                    persona=persona,
                    values=c.values,
                    get=c.get[persona],
                    post=post[persona],
                    data=c.data,
                )
    for key in sorted(set(PAGES) - seen):
        message = f"{key} is declared in {HERE} but is no route"
        yield Check(id=f"stale:{key}", kind="stale", key=key, message=message)
    operations = {f"{method} {path}": (method, path) for method, path in api_operations()}
    for key, (method, path) in operations.items():
        declared = API.get(key)
        if declared is None:
            message = f"declare who may use {key} in {HERE}"
            yield Check(id=f"undeclared:{key}", kind="undeclared", key=key, message=message)
            continue
        for c in declared.cases:
            for persona in PERSONAS:
                expected = c.get[persona]
                yield Check(
                    id=f"{key}{_label(c)}-{persona}",
                    kind="api",
                    key=key,
                    persona=persona,
                    path=path,
                    values=c.values,
                    get=expected if method == "GET" else None,
                    post=expected if method == "POST" else None,
                    data=c.data,
                )
    for key in sorted(set(API) - set(operations)):
        message = f"{key} is declared in {HERE} but is no API operation"
        yield Check(id=f"stale:{key}", kind="stale", key=key, message=message)


HERE = "tests/test_access_matrix.py"
ROUTES = resolver_routes()
ROUTE_BY_KEY = {r.key: r for r in ROUTES}
CHECKS = list(build_checks())


# --- The world, built once for the module ---------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The personas and objects, built once in a transaction rolled back at the end; each
    test runs in a savepoint inside it (pytest-django's ``db``)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=temporary_media()):
        outer = transaction.atomic()
        outer.__enter__()
        outer._from_testcase = True  # type: ignore[attr-defined]
        try:
            world = build_world()
            world.extra.update(matrix.build(world))
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _resolve(world: World, values: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, value in values.items():
        if value.startswith("@"):
            name_ = value[1:]
            obj = world.extra[name_] if name_ in world.extra else getattr(world, name_)
            value = str(obj.pk)
        out[name] = value
    return out


def _post_data(data: dict[str, str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in (data or {}).items():
        if value == FILE:
            out[name] = SimpleUploadedFile("客户.csv", CUSTOMERS_CSV, content_type="text/csv")
        else:
            out[name] = value
    return out


def _try(
    check: Check, client: Client, method: str, path: str, expected: Expect, headers: dict[str, str]
) -> None:
    if method == "GET":
        response, writes = send(lambda: client.get(path, **headers))
    else:
        json_body = (check.data or {}).get(JSON)
        if json_body is not None:  # an API body: sent as JSON
            response, writes = send(
                lambda: client.post(path, json_body, content_type="application/json", **headers)
            )
        else:
            response, writes = send(lambda: client.post(path, _post_data(check.data), **headers))
    if RECORD:
        print(f"\nRECORD {check.id} {method} {describe(response)}")
        return
    who = f"{check.persona} {method} {path}"
    assert matches(response, expected), f"{who}: expected {expected}, got {describe(response)}"
    if expected in DENIALS:
        assert not writes, f"{who} was refused but wrote: {writes}"


@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_access(check: Check, world: World, db: Any) -> None:
    if check.kind in ("undeclared", "stale"):
        pytest.fail(check.message)
    values = _resolve(world, check.values)
    headers: dict[str, str] = {}
    if check.kind == "page":
        client = world.client(check.persona)
        path = page_path(ROUTE_BY_KEY[check.key], values)
    else:
        # The API is tried with each persona's token, never with the session.
        client = world.client(ANON)
        path = check.path.format(**values)
        if check.persona in world.tokens:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[check.persona]}"
    if check.get is not None:
        _try(check, client, "GET", path, check.get, headers)
    if check.post is not None:
        _try(check, client, "POST", path, check.post, headers)
