"""The role-plays API: library, agreement, performances under the independence rule, and
submitting scores (bad input 400/403/409, nothing stored)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kaopei.training.models import AssessorScore
from tests.conftest import Personas
from tests.training.roleplays_factories import performance_of, roleplay_with_rubric, submit

pytestmark = pytest.mark.django_db
API = "/api/v1/training"


def _post(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_library_and_agreement(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    alice = personas.client(personas.alice)
    listed = alice.get(f"{API}/roleplays").json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == "RP-TEST"
    detail = alice.get(f"{API}/roleplays/{rp.pk}").json()
    assert detail["client_brief"] is None and len(detail["criteria"]) == 2
    assert alice.get(f"{API}/roleplays/{rp.pk}/agreement").status_code == 403
    trainer = personas.client(personas.trainer)
    assert trainer.get(f"{API}/roleplays/{rp.pk}").json()["client_brief"] == "坚持要求降价。"
    agreement = trainer.get(f"{API}/roleplays/{rp.pk}/agreement").json()
    assert agreement["coefficient"] is None and agreement["needed"] == 3
    assert alice.get(f"{API}/roleplays/0").status_code == 404


def test_independence_and_submission(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    c1, c2 = rp.criteria.order_by("order")
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr])
    submit(p, personas.trainer, [5, 1], comment="SECRET")
    hr = personas.client(personas.hr)
    hidden = hr.get(f"{API}/performances/{p.pk}").json()
    assert hidden["scores_visible"] is False and hidden["sheets"] == []
    assert hidden["result"] is None and "SECRET" not in json.dumps(hidden)
    url = f"{API}/performances/{p.pk}/scores"
    outside = _post(hr, url, {"scores": {str(c1.pk): 7, str(c2.pk): 3}})
    assert outside.status_code == 400 and outside.json()["errors"]
    missing = _post(hr, url, {"scores": {str(c1.pk): 3}})
    assert missing.status_code == 400
    assert AssessorScore.objects.count() == 1
    done = _post(hr, url, {"scores": {str(c1.pk): 2, str(c2.pk): 3}, "comment": "ok"})
    assert done.status_code == 201
    body = done.json()
    assert body["scores_visible"] and len(body["sheets"]) == 2
    assert body["criteria"][0]["flagged"] is True
    assert _post(hr, url, {"scores": {str(c1.pk): 2, str(c2.pk): 3}}).status_code == 409
    # Not an assessor, or the performer: 403; someone who may not read it: 404.
    assert _post(personas.client(personas.sup), url, {"scores": {}}).status_code == 403
    assert _post(personas.client(personas.alice), url, {"scores": {}}).status_code == 403
    assert _post(personas.client(personas.bob), url, {"scores": {}}).status_code == 404
    mine = personas.client(personas.alice).get(f"{API}/performances/{p.pk}").json()
    assert mine["sheets"] == [] and mine["criteria"][0]["mean"] in ("3.5", "3.50")
    assert AssessorScore.objects.count() == 2


def test_performance_lists_are_scoped(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    performance_of(rp, personas.alice, [personas.trainer])
    performance_of(rp, personas.bob, [personas.sup])

    def count(who: Any, **q: str) -> int:
        return personas.client(who).get(f"{API}/performances", q).json()["count"]

    assert count(personas.trainer) == 2
    assert count(personas.alice) == 1
    assert count(personas.sup) == 2  # Alice's supervisor and Bob's assessor
    assert count(personas.sup2) == 1
    assert count(personas.exec) == 0
    assert count(personas.trainer, roleplay="RP-TEST", status="closed") == 0


@pytest.mark.parametrize(
    "value",
    [1e30, "1e30", 10**40, 1e308, "1E+999999", "-1e30", "Infinity", "-Infinity", "NaN", "abc"],
)
def test_a_huge_or_odd_score_is_refused_as_outside_the_scale(
    personas: Personas, value: object
) -> None:
    rp = roleplay_with_rubric()
    c1, c2 = rp.criteria.order_by("order")
    p = performance_of(rp, personas.alice, [personas.trainer])
    trainer = personas.client(personas.trainer)
    url = f"{API}/performances/{p.pk}/scores"
    seven = _post(trainer, url, {"scores": {str(c1.pk): 7, str(c2.pk): 3}}).json()["errors"]
    refused = _post(trainer, url, {"scores": {str(c1.pk): value, str(c2.pk): 3}})
    assert refused.status_code == 400, refused.content
    errors = refused.json()["errors"]
    assert [e["criterion"] for e in errors] == [c1.pk]
    # The same "… is outside the scale 1–5." as for 7, whatever the value.
    assert errors[0]["message"].split(" ", 1)[1] == seven[0]["message"].split(" ", 1)[1]
    assert not AssessorScore.objects.exists()
