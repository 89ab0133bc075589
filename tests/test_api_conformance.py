"""The API keeps its published contract (DESIGN.md §4.3 ⚑), tried by schemathesis.

Every operation in ``/api/v1/openapi.json`` is called in-process (the Django WSGI app, no
server) by HR (who may see everything) with a bearer token, on a scored cycle so that the
answers carry real bodies. Generated requests, valid and invalid, must never get a 500,
every answer must be one the schema declares, with its content type and body shape.

Bounded and deterministic: a fixed number of examples per operation, derandomised, no
shrinking and no example database, so a run takes the same time and finds the same things.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from kaopei.core.services import api_token_create
from tests.assessment.conftest import Scored, scored_cycle  # noqa: F401  (a fixture)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is shown as found
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def hr_token(scored_cycle: Scored) -> str:  # noqa: F811
    _token, raw = api_token_create(user=scored_cycle.personas.hr.user, name="conformance")
    return raw


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The Django app, called inside the test's transaction as the test client does: a
    request must not close the connection that holds the test's data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def published_schema() -> dict[str, Any]:
    """The schema ``/api/v1/openapi.json`` serves, built without a request (collection has
    no database); ``test_the_schema_tried_is_the_one_served`` proves they are the same."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(published_schema())


def call_as_hr(case: Any, app: WSGIHandler, token: str) -> None:
    case.call_and_validate(
        app=app,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        checks=CHECKS,
    )


@schema.include(method="GET").parametrize()
@bounded(25)
def test_every_read_keeps_its_contract(case: Any, wsgi_app: WSGIHandler, hr_token: str) -> None:
    call_as_hr(case, wsgi_app, hr_token)


# Writes (an upload, a scoring run) get fewer examples: each may store a file or start a job.
@schema.exclude(method="GET").parametrize()
@bounded(12)
def test_every_write_keeps_its_contract(case: Any, wsgi_app: WSGIHandler, hr_token: str) -> None:
    call_as_hr(case, wsgi_app, hr_token)


def test_the_schema_tried_is_the_one_served(hr_token: str) -> None:
    served = Client().get("/api/v1/openapi.json", headers={"authorization": f"Bearer {hr_token}"})
    assert served.status_code == 200
    assert served.json() == published_schema()
