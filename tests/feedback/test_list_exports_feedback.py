"""The interviews list and one's agreed actions export the filtered list with the page's
scope and headers in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.feedback.services import meetings as svc

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _client(personas: Any, who: Any, lang: str = "en") -> Any:
    client = personas.client(who)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def test_interviews_and_actions_export_with_the_pages_scope(personas: Any) -> None:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SCORED)
    cycle.refresh_from_db()
    interview = svc.interview_plan(
        employee=personas.alice, cycle=cycle, scheduled_on=date(2026, 3, 20), user=personas.sup.user
    )
    svc.interview_action_add(
        interview=interview,
        text="=跟进三家战略客户",
        owner=personas.alice,
        due_on=date(2026, 4, 30),
        user=personas.sup.user,
    )
    url = reverse("feedback:interview_list")
    sup = _rows(_client(personas, personas.sup).get(url, {"export": "csv"}))
    assert sup[0][:2] == ["Cycle", "Employee number"] and sup[1][1] == "A001"
    assert _rows(_client(personas, personas.sup2).get(url, {"export": "csv"}))[1:] == []
    zh = _rows(_client(personas, personas.hr, "zh-hans").get(url, {"export": "csv"}))
    assert zh[0][1] == "工号"
    assert _client(personas, personas.hr).get(url, {"export": "xls"}).status_code == 400
    actions = _rows(
        _client(personas, personas.alice).get(reverse("feedback:action_list"), {"export": "csv"})
    )
    assert actions[1][0] == "'=跟进三家战略客户" and actions[1][2] == "2026-04-30"
