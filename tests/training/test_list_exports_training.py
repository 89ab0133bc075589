"""Training lists export the filtered list with headers in the reader's language and the
page's scope: records (enrolments), overdue people and certificates (HR)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kaopei.training.models import Certificate
from tests.training.factories import EnrolmentFactory, MandatoryRuleFactory

pytestmark = pytest.mark.django_db


def _client(personas: Any, who: Any, lang: str) -> Any:
    client = personas.client(who)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def _rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_records_export_with_localised_headers_and_numbers(personas: Any) -> None:
    EnrolmentFactory(employee=personas.alice)
    url = reverse("training:enrolment_list")
    en = _rows(_client(personas, personas.hr, "en").get(url, {"export": "csv"}))
    assert en[0][:3] == ["Course code", "Employee number", "Name"] and en[1][1] == "A001"
    zh = _rows(_client(personas, personas.hr, "zh-hans").get(url, {"export": "csv"}))
    assert zh[0][1] == "工号"
    xlsx = _client(personas, personas.hr, "en").get(url, {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None and ws["H2"].data_type == "n"
    assert isinstance(ws["D2"].value, dt.datetime)
    bad = _client(personas, personas.hr, "en").get(url, {"export": "pdf"})
    assert bad.status_code == 400


def test_overdue_export_keeps_the_supervisors_scope(personas: Any) -> None:
    MandatoryRuleFactory(level=personas.am1, due_on=dt.date(2020, 12, 31))
    MandatoryRuleFactory(level=personas.am2, due_on=dt.date(2020, 12, 31))
    url = reverse("training:overdue")
    rows = _rows(_client(personas, personas.sup, "en").get(url, {"export": "csv"}))
    assert rows[0][0] == "Employee number"
    assert [r[0] for r in rows[1:]] == ["A001"]
    assert personas.client(personas.alice).get(url, {"export": "csv"}).status_code == 403


def test_certificates_export_for_hr_only_with_a_fixed_query_count(personas: Any) -> None:
    url = reverse("training:certificate_list")
    client = _client(personas, personas.hr, "en")
    client.get(url)
    counts = []
    for n in (3, 30):
        for i in range(n - sum(1 for _ in Certificate.objects.all())):
            e = EnrolmentFactory(employee=personas.alice, completed=True)
            Certificate.objects.create(enrolment=e, code=f"C-{n}-{i:03d}", issued_on=e.session_on)
        with CaptureQueriesContext(connection) as queries:
            rows = _rows(client.get(url, {"export": "csv"}))
        assert len(rows) == n + 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert rows[0][0] == "Certificate code"
    assert personas.client(personas.sup).get(url, {"export": "csv"}).status_code in (403, 404)
