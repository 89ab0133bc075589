"""Bad query parameters and ids are a 400 or 404 with a message in the page, never a 500
(issue 8, finding 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from tests.assessment.factories_config import build_templates
from tests.conftest import Personas

HUGE = "9" * 5000


@pytest.fixture
def hr(personas: Personas) -> Client:
    return personas.client(personas.hr)


def test_a_5000_digit_row_count_on_the_new_template_page_is_a_bad_request(hr: Client):
    response = hr.get(f"/assessment/templates/new/?rows={HUGE}")
    assert response.status_code == 400
    assert "rows" in response.content.decode()
    assert b"kp-card" in response.content  # in the page layout


def test_a_row_count_that_is_not_a_number_is_a_bad_request(hr: Client):
    assert hr.get("/assessment/templates/new/?rows=abc").status_code == 400


def test_a_sensible_row_count_still_gives_that_many_rows(hr: Client):
    response = hr.get("/assessment/templates/new/?rows=12")
    assert response.status_code == 200
    assert b'name="items-11-metric"' in response.content


def test_a_5000_digit_template_version_is_a_bad_request(hr: Client, personas: Personas):
    build_templates(personas)
    response = hr.get(f"/assessment/templates/cfg-am1/?version={HUGE}")
    assert response.status_code == 400
    assert "version" in response.content.decode()


def test_a_template_version_that_does_not_exist_is_not_found(hr: Client, personas: Personas):
    build_templates(personas)
    assert hr.get("/assessment/templates/cfg-am1/?version=1").status_code == 200
    assert hr.get("/assessment/templates/cfg-am1/?version=7").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/assessment/appeals/99999999999999999999999/",
        "/assessment/appeals/9223372036854775808/",
        "/assessment/jobs/99999999999999999999999/",
        "/imports/99999999999999999999999/",
        "/imports/99999999999999999999999/errors.xlsx",
        "/accounts/tokens/99999999999999999999999/revoke/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(hr: Client, url: str):
    assert hr.get(url).status_code == 404


def test_the_largest_id_the_database_holds_is_looked_up_and_not_found(hr: Client):
    assert hr.get("/assessment/appeals/9223372036854775807/").status_code == 404


@pytest.mark.parametrize("page", [HUGE, "abc", "0", "-1", "1.5"])
def test_a_page_number_that_is_no_page_number_is_a_bad_request(hr: Client, page: str):
    response = hr.get(f"/org/people/?page={page}")
    assert response.status_code == 400
    assert "page" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(hr: Client):
    assert hr.get("/org/people/?page=999").status_code == 200


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


def test_no_page_route_takes_an_unbounded_int_from_its_path():
    unbounded = [
        route
        for route, pattern in _patterns(get_resolver())
        if not route.startswith("api/")
        and any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())
    ]
    assert unbounded == [], "use <id:...> (kaopei.core.converters), not <int:...>"
