"""The demo's case library and toolkit: a dozen bilingual cases of both kinds across
industries, each with discussion questions and tags; eight or more toolkit items, some with
two versions, the latest of which other demo steps can attach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count

from kaopei.core.demo import DemoContext
from kaopei.training.demo_toolkit import demo_toolkit_version
from kaopei.training.models import Case, ToolkitItem
from kaopei.training.selectors.cases import case_search
from kaopei.training.selectors.toolkit import toolkit_versions_for_picker
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    yield from demo_for_module(django_db_blocker, TODAY)


def test_a_dozen_bilingual_cases_with_questions_and_tags(demo: DemoContext, db: None) -> None:
    cases = list(
        Case.objects.annotate(
            q=Count("questions", distinct=True),
            k=Count("competencies", distinct=True),
            m=Count("metrics", distinct=True),
            c=Count("courses", distinct=True),
        )
    )
    assert len(cases) >= 12
    assert {c.kind for c in cases} == {"success", "failure"}
    assert len({c.industry for c in cases}) >= 6
    for c in cases:
        assert c.title and c.title_en and c.situation and c.situation_en, c.code
        assert c.lessons and c.lessons_en and c.q >= 2, c.code
        assert c.k >= 1 and c.m >= 1 and c.c >= 1, c.code


def test_the_account_manager_finds_the_fabe_case(demo: DemoContext, db: None) -> None:
    am = demo.data["persona_am"].user
    found = list(case_search(user=am, q="FABE", industry="manufacturing"))
    assert "CASE-FABE-PRICE" in [c.code for c in found]


def test_toolkit_items_some_with_two_versions(demo: DemoContext, db: None) -> None:
    items = list(ToolkitItem.objects.annotate(n=Count("versions")))
    assert 8 <= len(items) <= 10
    assert sum(1 for i in items if i.n >= 2) >= 2
    assert all(i.n >= 1 and i.title_en for i in items)
    spin = demo_toolkit_version("TK-SPIN")
    assert spin.number == 2 and spin.body_en and spin.created_by is not None
    am = demo.data["persona_am"].user
    assert spin in list(toolkit_versions_for_picker(user=am, q="SPIN"))
