"""The machinery of the access matrix (tests/test_access_matrix.py): the routes and API
operations that exist, the people who try them, the objects they try them on, and how an
answer is checked.

The table of expected answers lives in the test module; this module knows no route.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kaopei.assessment.models import Appeal, Calibration, Cycle, Metric, Scorecard
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.models import ApiToken, Job, Notification
from kaopei.core.services import api_token_create
from kaopei.facts.models import Activity, Customer, Sale
from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_upload
from kaopei.org.models import Competency
from tests.assessment.factories_config import build_hand_example
from tests.conftest import Personas, build_personas

# The people who try every route, in the order of the test ids.
ANON = "anon"
PERSONAS = ("anon", "alice", "bob", "sup", "sup2", "trainer", "exec", "hr")

# Answers that are not a bare status code.
LOGIN = "login"  # 302 to the sign-in page (LoginRequiredMiddleware)
ADMIN_LOGIN = "admin-login"  # 302 to the Django admin's own sign-in page
REFUSED = "refused"  # 302 back to the page with an error message (a service said no)
Expect = int | str

# Answers that refuse: a request answered so must write nothing.
DENIALS: set[Expect] = {LOGIN, ADMIN_LOGIN, REFUSED, 401, 403, 404, 405}

# Tables a refused request may still touch: the session (idle timeout) and a token's
# "last used" time (bearer authentication).
BOOKKEEPING_TABLES = ("django_session", "core_apitoken")


def answer(default: Expect, *, anon: Expect = LOGIN, **who: Expect) -> dict[str, Expect]:
    """Expected answers per persona: ``default`` for every signed-in persona not named."""
    unknown = set(who) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}")
    out: dict[str, Expect] = dict.fromkeys(PERSONAS, default)
    out[ANON] = anon
    out.update(who)
    return out


# --- How a route's answers are declared ----------------------------------------------------


@dataclass(frozen=True)
class Case:
    label: str
    values: dict[str, str]
    get: dict[str, Expect]
    post: dict[str, Expect] | None = None  # None: the same answers as GET
    data: dict[str, str] | None = None  # what a POST sends (none by default)


@dataclass(frozen=True)
class Row:
    cases: tuple[Case, ...]


def row(*cases: Case) -> Row:
    return Row(cases)


def one(
    get: dict[str, Expect],
    post: dict[str, Expect] | None = None,
    data: dict[str, str] | None = None,
    **values: str,
) -> Row:
    return Row((Case("", values, get, post, data),))


def case(
    label: str,
    get: dict[str, Expect],
    post: dict[str, Expect] | None = None,
    data: dict[str, str] | None = None,
    **values: str,
) -> Case:
    return Case(label, values, get, post, data)


FILE = "<customers.csv>"  # a POST value replaced by a small customers file
JSON = "<json>"  # a POST data key whose value (JSON text) is sent as the request's JSON body


# Shorthands for the common answers.
OK = answer(200)  # every signed-in persona
GET_ONLY = answer(405)  # a page that only reads: POST is not allowed
POST_ONLY = answer(405)  # an action: GET is not allowed
HR_ONLY = answer(403, hr=200)
HR_ACTS = answer(403, hr=302)  # an HR action that redirects when done
BROWSERS = answer(403, sup=200, sup2=200, exec=200, hr=200)  # org tree and people list
CARD_READERS = answer(403, alice=200, bob=200, sup=200, sup2=200, hr=200)
# Alice's things: her own, her supervisor's (Sun Pei) and HR's; hidden (404) from the rest.
ALICES = answer(404, alice=200, sup=200, exec=200, hr=200)
BOBS = answer(404, bob=200, sup2=200, exec=200, hr=200)
ALICES_CARD = answer(404, alice=200, sup=200, hr=200)  # executives see aggregates only
BOBS_CARD = answer(404, bob=200, sup2=200, hr=200)


# --- What exists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern from the resolver: its name ("ns:name"), or for an unnamed pattern
    its path template, and the names of its parameters (positional ones as "0", "1", …)."""

    key: str
    template: str
    named: bool
    params: tuple[str, ...]
    callback: str

    @property
    def is_api_operation(self) -> bool:
        """Operations of the JSON API are checked from the OpenAPI schema instead."""
        return self.callback.startswith("ninja.operation.")


def _params(pattern: Any) -> list[str]:
    regex = pattern.regex
    named = list(regex.groupindex)
    positional = [str(i) for i in range(regex.groups - len(named))]
    return named + positional


def resolver_routes() -> list[Route]:
    """Every URL pattern of the project, the admin's and the API's included."""

    def walk(
        resolver: URLResolver, prefix: str, ns: str | None, params: list[str]
    ) -> Iterator[Route]:
        for item in resolver.url_patterns:
            here = params + _params(item.pattern)
            if isinstance(item, URLResolver):
                inner = ns
                if item.namespace:
                    inner = f"{ns}:{item.namespace}" if ns else item.namespace
                yield from walk(item, prefix + str(item.pattern), inner, here)
            elif isinstance(item, URLPattern):
                template = "/" + prefix + str(item.pattern)
                callback = f"{item.callback.__module__}.{getattr(item.callback, '__name__', '')}"
                name = f"{ns}:{item.name}" if ns and item.name else item.name
                key = name or template
                yield Route(key, template, bool(item.name), tuple(here), callback)

    return list(walk(get_resolver(), "", None, []))


def api_operations() -> list[tuple[str, str]]:
    """Every operation of the JSON API as ("METHOD", "/api/v1/path/{param}")."""
    from config.api import api

    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def fill_template(template: str, values: dict[str, str]) -> str:
    """A concrete path from a route template (``<conv:name>`` or a regex group)."""

    def sub(match: re.Match[str]) -> str:
        return values[match.group(1)]

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", sub, template)
    path = re.sub(r"<(?:\w+:)?(\w+)>", sub, path)
    return path.replace("^", "").replace("$", "")


# --- Who tries, and on what -----------------------------------------------------------------


@dataclass
class World:
    """The personas, a client for each (signed in) and an API token for each, and the
    objects the object routes are tried on."""

    p: Personas
    cycle: Cycle  # 2026Q1, scored: cards for Alice, Bob, Sun Pei and Shen Er
    draft: Cycle  # 2026Q2, draft: no cards, invisible to anyone but HR
    appeal_alice: Appeal  # open, on Alice's card
    appeal_bob: Appeal  # open, on Bob's card
    batch: ImportBatch  # uploaded by HR
    job_hr: Job  # a scoring job started by HR
    token_alice: ApiToken
    competency: Competency
    notification_alice: Notification
    sale_alice: Sale  # behind Alice's appealed line (sales_amount)
    visit_bob: Activity  # behind Bob's appealed line (visit_count)
    # Objects the capability modules of tests/matrix/ build (``@name`` finds them here too).
    extra: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def employee(self, persona: str) -> Any:
        return getattr(self.p, persona)

    def client(self, persona: str) -> Client:
        """A fresh client reading in English, signed in as ``persona`` (a session made once:
        a request that signs out or changes language leaves the next test untouched)."""
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


CUSTOMERS_CSV = (
    "客户编号,客户名称,客户经理工号,获客日期\r\nC9001,甲公司,A001,2026/3/5\r\n"
).encode("gb18030")


def build_world() -> World:
    """Build everything once (the caller owns the transaction that undoes it)."""
    p = build_personas()
    cycle = build_hand_example(p)  # scored as of SCORED_ON
    assert cycle.status == Cycle.Status.SCORED, cycle.status
    draft = cycle_get_or_create(code="2026Q2")
    m = dict(Metric.objects.values_list("code", "pk"))
    card_alice = Scorecard.objects.get(cycle=cycle, employee=p.alice)
    card_bob = Scorecard.objects.get(cycle=cycle, employee=p.bob)
    appeal_alice = Appeal.objects.create(
        scorecard=card_alice,
        metric_id=m["sales_amount"],
        reason="Missing contract",
        raised_by=p.alice.user,
    )
    appeal_bob = Appeal.objects.create(
        scorecard=card_bob, metric_id=m["visit_count"], reason="Missing visit", raised_by=p.bob.user
    )
    Calibration.objects.create(
        scorecard=card_alice, from_grade="C", to_grade="B", reason="Strong pipeline", by=p.hr.user
    )
    batch = import_upload(
        fileobj=SimpleUploadedFile("客户.csv", CUSTOMERS_CSV, content_type="text/csv"),
        filename="客户.csv",
        user=p.hr.user,
    )
    job_hr = Job.objects.create(kind="score", handler="x", created_by=p.hr.user)
    token_alice, _raw = api_token_create(user=p.alice.user, name="alice's script")
    notification_alice = Notification.objects.create(
        user=p.alice.user, text_zh="通知", text_en="Notice", url="/assessment/my/"
    )
    competency = Competency.objects.create(code="C01", name="沟通")
    sale_alice = Sale.objects.filter(employee=p.alice).first() or Sale.objects.create(
        contract_no="MX-S1",
        employee=p.alice,
        customer=Customer.objects.create(
            customer_no="MX-CA", name="甲", owner=p.alice, acquired_on=cycle.start
        ),
        signed_on=cycle.start,
        amount=1000,
        profit=100,
    )
    visit_bob = Activity.objects.filter(employee=p.bob).first() or Activity.objects.create(
        activity_id="MX-V1",
        employee=p.bob,
        customer=Customer.objects.create(
            customer_no="MX-CB", name="乙", owner=p.bob, acquired_on=cycle.start
        ),
        kind="visit",
        occurred_at=cycle.created_at,
        occurred_on=cycle.start,
    )
    world = World(
        p=p,
        cycle=cycle,
        draft=draft,
        appeal_alice=appeal_alice,
        appeal_bob=appeal_bob,
        batch=batch,
        job_hr=job_hr,
        token_alice=token_alice,
        competency=competency,
        notification_alice=notification_alice,
        sale_alice=sale_alice,
        visit_bob=visit_bob,
    )
    for persona in PERSONAS:
        if persona == ANON:
            continue
        user = world.employee(persona).user
        client = Client()
        client.force_login(user)
        world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        _token, raw = api_token_create(user=user, name="matrix")
        world.tokens[persona] = raw
    return world


def temporary_media() -> Path:
    return Path(tempfile.mkdtemp(prefix="kaopei-matrix-"))


# --- How an answer is checked ---------------------------------------------------------------


def writes_in(queries: list[dict[str, Any]]) -> list[str]:
    """The statements that changed data, except the bookkeeping a refused request may do."""
    out = []
    for q in queries:
        sql = q["sql"].lstrip().upper()
        if not sql.startswith(("INSERT", "UPDATE", "DELETE")):
            continue
        if any(f'"{t.upper()}"' in sql or f" {t.upper()} " in sql for t in BOOKKEEPING_TABLES):
            continue
        out.append(q["sql"])
    return out


def describe(response: HttpResponse) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def matches(response: HttpResponse, expected: Expect) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        return status == 302 and location.split("?")[0] == resolve_url(settings.LOGIN_URL)
    if expected == REFUSED:
        return status == 302
    if expected == ADMIN_LOGIN:
        return status == 302 and location.split("?")[0] == "/admin/login/"
    return status == expected


def send(request: Callable[[], HttpResponse]) -> tuple[HttpResponse, list[str]]:
    """Send a request, capturing the statements it ran; the writes are returned."""
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    return response, writes_in(ctx.captured_queries)


def admin_values(route: Route) -> dict[str, str]:
    """Parameters for an admin model page: non-staff are turned away before any lookup."""
    return dict.fromkeys(route.params, "1")


def page_path(route: Route, values: dict[str, str]) -> str:
    if not route.named:
        return fill_template(route.template, values)
    positional = [values[p] for p in route.params if p.isdigit()]
    if positional:
        return reverse(route.key, args=positional)
    return reverse(route.key, kwargs={k: v for k, v in values.items() if not k.isdigit()})
