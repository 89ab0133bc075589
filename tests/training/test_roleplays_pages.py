"""Role-play pages: the rubric editor, recording a performance, the assessor's queue and
score sheet, independence, what the performer and the trainer see, and the agreement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override

from kaopei.training.models import AssessorScore, Performance, RolePlay
from kaopei.training.selectors.roleplays import performance_results
from kaopei.training.services.roleplays import performance_close
from tests.conftest import Personas
from tests.training.roleplays_factories import (
    performance_of,
    roleplay_with_rubric,
    submit,
    toolkit_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """The pages are matched in English, whatever the default language."""
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


def _rubric_post(weights: list[str]) -> dict[str, str]:
    data = {
        "code": "RP-NEW",
        "title": "SPIN 需求挖掘",
        "title_en": "SPIN discovery",
        "learner_brief": "了解客户需求",
        "client_brief": "高净值客户",
        "scale_min": "1",
        "scale_max": "5",
        "disagreement_threshold": "1.5",
        "active": "on",
        "criteria-TOTAL_FORMS": "8",
        "criteria-INITIAL_FORMS": "0",
    }
    for i, w in enumerate(weights):
        data[f"criteria-{i}-name"] = f"标准{i}"
        data[f"criteria-{i}-weight"] = w
    return data


def test_a_trainer_writes_a_rubric_whose_weights_add_up(personas: Personas) -> None:
    client = personas.client(personas.trainer)
    bad = client.post(reverse("training:roleplay_create"), _rubric_post(["50", "30"]))
    assert bad.status_code == 400
    assert "add up to 80, not 100" in bad.content.decode()
    assert not RolePlay.objects.exists()
    ok = client.post(reverse("training:roleplay_create"), _rubric_post(["50", "30", "20"]))
    assert ok.status_code == 302
    rp = RolePlay.objects.get()
    assert [c.weight for c in rp.criteria.all()] == [50, 30, 20]
    assert client.get(reverse("training:roleplay_edit", args=[rp.pk])).status_code == 200


def test_recording_a_performance_refuses_the_performer_as_assessor(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    client = personas.client(personas.trainer)
    url = reverse("training:performance_create", args=[rp.pk])
    data = {
        "performer": personas.sup.pk,
        "performed_on": "2026-10-01",
        "assessors": [personas.sup.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "own performance" in refused.content.decode()
    assert not Performance.objects.exists()
    data["assessors"] = [personas.trainer.pk, personas.hr.pk]
    assert client.post(url, data).status_code == 302
    assert Performance.objects.get().assignments.count() == 2


def test_an_assessor_sees_no_other_score_before_submitting(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.sup])
    submit(p, personas.trainer, [5, 1], comment="TRAINER-SECRET-COMMENT")
    sup = personas.client(personas.sup)
    queue = sup.get(reverse("training:roleplay_queue")).content.decode()
    assert f'data-performance="{p.pk}"' in queue
    # The supervisor is also Alice's supervisor: being an assessor still hides the scores.
    page = sup.get(reverse("training:performance_detail", args=[p.pk])).content.decode()
    assert "data-independence" in page and "TRAINER-SECRET-COMMENT" not in page
    assert "data-result" not in page
    form = sup.get(reverse("training:performance_score", args=[p.pk])).content.decode()
    assert "TRAINER-SECRET-COMMENT" not in form
    c1, c2 = rp.criteria.order_by("order")
    bad = sup.post(
        reverse("training:performance_score", args=[p.pk]),
        {f"value_{c1.pk}": "6", f"value_{c2.pk}": "3"},
    )
    assert (
        bad.status_code == 400 and "whole or half points on the scale 1–5" in bad.content.decode()
    )
    assert AssessorScore.objects.count() == 1
    done = sup.post(
        reverse("training:performance_score", args=[p.pk]),
        {f"value_{c1.pk}": "2", f"value_{c2.pk}": "1.5", f"comment_{c1.pk}": "少了 FABE 的利益"},
    )
    assert done.status_code == 302
    page = sup.get(reverse("training:performance_detail", args=[p.pk])).content.decode()
    assert "TRAINER-SECRET-COMMENT" in page and "data-flagged" in page
    again = sup.get(reverse("training:performance_score", args=[p.pk]))
    assert again.status_code == 302


def test_the_performer_sees_averages_comments_and_downloads_without_assessor_names(
    personas: Personas,
) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr])
    tv = toolkit_version()
    submit(p, personas.trainer, [4, 4], comment="多用开放式问题", toolkit_version_ids=[tv.pk])
    submit(p, personas.hr, [2, 4])
    page = personas.client(personas.alice).get(reverse("training:performance_detail", args=[p.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "多用开放式问题" in html and personas.trainer.name not in html
    assert personas.hr.name not in html
    assert reverse("training:toolkit_download", args=[tv.pk]) in html
    assert 'data-result="68.00"' in html  # (60×4 + 40×4)/500 = 80 %, (120 + 160)/500 = 56 %
    trainer_page = (
        personas.client(personas.trainer)
        .get(reverse("training:performance_detail", args=[p.pk]))
        .content.decode()
    )
    assert personas.hr.name in trainer_page and "data-flagged" in trainer_page


def test_people_outside_the_chain_get_404(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    url = reverse("training:performance_detail", args=[p.pk])
    assert personas.client(personas.bob).get(url).status_code == 404
    assert personas.client(personas.sup2).get(url).status_code == 404
    assert personas.client(personas.sup).get(url).status_code == 200


def test_the_roleplay_page_shows_the_coefficient_or_how_many_are_missing(
    personas: Personas,
) -> None:
    rp = roleplay_with_rubric()
    client = personas.client(personas.trainer)
    url = reverse("training:roleplay_detail", args=[rp.pk])
    html = client.get(url).content.decode()
    assert 'data-icc="none"' in html and "0 of 3" in html and "ICC(1)" in html
    for i, (a, b) in enumerate([([5, 5], [5, 4]), ([2, 2], [2, 1]), ([3, 4], [3, 3])]):
        p = performance_of(
            rp, personas.alice, [personas.trainer, personas.hr], dt.date(2026, 9, i + 1)
        )
        submit(p, personas.trainer, a)
        submit(p, personas.hr, b)
    html = client.get(url).content.decode()
    assert 'data-icc="0.' in html
    # Account managers read the brief but not the client's brief or the agreement.
    alice = personas.client(personas.alice).get(url).content.decode()
    assert "坚持要求降价" not in alice and "data-agreement" not in alice


def test_closing_asks_first(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    client = personas.client(personas.hr)
    url = reverse("training:performance_close", args=[p.pk])
    assert client.get(url).status_code == 200
    assert Performance.objects.get().status == "open"
    assert client.post(url).status_code == 302
    assert Performance.objects.get().status == "closed"


def test_lists_filter_and_page(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    performance_of(rp, personas.alice, [personas.trainer])
    performance_of(rp, personas.bob, [personas.trainer])
    client = personas.client(personas.trainer)
    html = client.get(reverse("training:performance_list"), {"q": "安丽"}).content.decode()
    assert personas.alice.name in html and personas.bob.name not in html
    assert client.get(reverse("training:performance_list"), {"page": "x"}).status_code == 400
    assert client.get(reverse("training:roleplay_list"), {"q": "RP-"}).status_code == 200
    alice = personas.client(personas.alice).get(reverse("training:performance_list")).content
    assert personas.bob.name not in alice.decode()


def test_an_assessor_who_never_scored_reads_the_scores_once_closed(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.sup])
    submit(p, personas.trainer, [5, 1], comment="TRAINER-COMMENT")
    url = reverse("training:performance_detail", args=[p.pk])
    assert "TRAINER-COMMENT" not in personas.client(personas.sup).get(url).content.decode()
    personas.client(personas.hr).post(reverse("training:performance_close", args=[p.pk]))
    assert "TRAINER-COMMENT" in personas.client(personas.sup).get(url).content.decode()


def test_the_course_page_and_training_home_link_the_drills(personas: Personas) -> None:
    from tests.training.factories import CourseFactory

    course = CourseFactory(code="FABE-201")
    roleplay_with_rubric(course_id=course.pk)
    alice = personas.client(personas.alice)
    page = alice.get(reverse("training:course_detail", args=[course.code])).content.decode()
    assert 'data-panel="roleplays"' in page and 'data-roleplay="RP-TEST"' in page
    home = alice.get(reverse("training:home")).content.decode()
    assert 'data-card="roleplays"' in home


def test_the_performance_list_takes_the_same_queries_for_more_rows(personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rp = roleplay_with_rubric()
    client = personas.client(personas.trainer)
    url = reverse("training:performance_list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    performance_of(rp, personas.alice, [personas.trainer])
    queries()  # the first request also loads what the session caches
    few = queries()
    for who in (personas.bob, personas.sup, personas.sup2, personas.alice):
        performance_of(rp, who, [personas.trainer, personas.hr])
    assert queries() == few


@pytest.mark.parametrize("value", ["1e30", "5.0000000001", "123456789", "2.3", "6", "-1", "abc"])
def test_every_bad_score_on_the_form_gets_the_forms_own_message(
    personas: Personas, value: str
) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    c1, c2 = rp.criteria.order_by("order")
    bad = personas.client(personas.trainer).post(
        reverse("training:performance_score", args=[p.pk]),
        {f"value_{c1.pk}": value, f"value_{c2.pk}": "3"},
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Give whole or half points on the scale 1–5." in html
    assert "digits" not in html and "max_digits" not in html
    assert not AssessorScore.objects.exists()


def test_long_notes_are_refused_and_kept_notes_wrap(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    client = personas.client(personas.trainer)
    url = reverse("training:performance_create", args=[rp.pk])
    data = {
        "performer": personas.alice.pk,
        "performed_on": "2026-10-01",
        "assessors": [personas.trainer.pk],
        "notes": "x" * 200_000,
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Keep the notes to 4000 characters (these have 200000)." in refused.content.decode()
    assert not Performance.objects.exists()
    data["notes"] = "x" * 4000
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("training:performance_detail", args=[Performance.objects.get().pk]))
    assert 'class="kp-muted kp-note-text" data-notes' in page.content.decode()


def test_before_submitting_an_assessor_sees_no_other_assessor(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr])
    submit(p, personas.trainer, [4, 4])
    url = reverse("training:performance_detail", args=[p.pk])
    html = personas.client(personas.hr).get(url).content.decode()
    assert "data-independence" in html and "data-assessors" not in html
    assert personas.trainer.name not in html and "✓" not in html
    api = personas.client(personas.hr).get(f"/api/v1/training/performances/{p.pk}").json()
    assert personas.trainer.employee_no not in str(api) and api["sheets"] == []
    submit(p, personas.hr, [3, 3])
    html = personas.client(personas.hr).get(url).content.decode()
    assert "data-assessors" in html and personas.trainer.name in html


def test_the_performer_and_chain_see_results_once_every_assessor_has_scored(
    personas: Personas,
) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr])
    submit(p, personas.trainer, [4, 4], comment="EARLY-FEEDBACK")
    url = reverse("training:performance_detail", args=[p.pk])
    api_url = f"/api/v1/training/performances/{p.pk}"
    for who in (personas.alice, personas.sup):
        html = personas.client(who).get(url).content.decode()
        assert "Scores are shown once every assessor has scored." in html
        assert "data-result" not in html and "EARLY-FEEDBACK" not in html
        body = personas.client(who).get(api_url).json()
        assert body["results_pending"] is True and body["scores_visible"] is False
        assert body["result"] is None and "EARLY-FEEDBACK" not in str(body)
        assert all(c["mean"] is None for c in body["criteria"])
    # The scenario_score metric counts any submitted score meanwhile.
    assert performance_results(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)) == {
        personas.alice.pk: [(dt.date(2026, 10, 15), Decimal(80))]
    }
    trainer = personas.client(personas.trainer).get(url).content.decode()
    assert "data-result" in trainer
    submit(p, personas.hr, [2, 4])
    html = personas.client(personas.alice).get(url).content.decode()
    assert 'data-result="68.00"' in html and "EARLY-FEEDBACK" in html


def test_closing_shows_the_performer_the_scores_given(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr])
    submit(p, personas.trainer, [4, 4])
    url = reverse("training:performance_detail", args=[p.pk])
    assert "data-pending" in personas.client(personas.alice).get(url).content.decode()
    performance_close(performance=p)
    html = personas.client(personas.alice).get(url).content.decode()
    assert "data-pending" not in html and 'data-result="80.00"' in html
    body = personas.client(personas.alice).get(f"/api/v1/training/performances/{p.pk}").json()
    assert body["results_pending"] is False and body["scores_visible"] is True
