"""Role-play services: rubric validation, recording performances, scoring (bad input
refused with nothing stored), and the scenario results the ``scenario_score`` metric reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from kaopei.core.errors import ApplicationError
from kaopei.training.models import (
    AssessorScore,
    CriterionScore,
    Performance,
    PerformanceStatus,
    RolePlay,
)
from kaopei.training.selectors.roleplays import agreement_for_roleplay, performance_results
from kaopei.training.services.roleplays import (
    CriterionIn,
    RolePlayIn,
    performance_close,
    roleplay_update,
    score_submit,
)
from tests.conftest import Personas
from tests.training.roleplays_factories import (
    performance_of,
    roleplay_with_rubric,
    submit,
    toolkit_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English, whatever the default language."""
    with override("en"):
        yield


def test_weights_that_do_not_add_up_to_100_are_refused_with_their_sum() -> None:
    with pytest.raises(ApplicationError, match="add up to 90, not 100"):
        roleplay_with_rubric(weights=(50, 40))
    with pytest.raises(ApplicationError, match=r"add up to 100.5"):
        roleplay_with_rubric(weights=("60.5", 40))
    assert not RolePlay.objects.exists()


def test_a_rubric_needs_named_positive_criteria() -> None:
    with pytest.raises(ApplicationError, match="at least one criterion"):
        roleplay_with_rubric(weights=())
    with pytest.raises(ApplicationError, match="positive"):
        roleplay_with_rubric(weights=(110, -10))
    assert not RolePlay.objects.exists()


def test_a_scale_and_threshold_must_make_sense() -> None:
    with pytest.raises(ApplicationError, match="scale"):
        roleplay_with_rubric(scale=(5, 5))
    with pytest.raises(ApplicationError, match="threshold"):
        roleplay_with_rubric(scale=(1, 5), threshold="5")
    assert not RolePlay.objects.exists()


def test_the_rubric_freezes_once_scored(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    submit(p, personas.trainer, [4, 3])
    data = RolePlayIn(
        code=rp.code, title="新标题", learner_brief="x", client_brief="y", scale_min=1, scale_max=5
    )
    same = [CriterionIn(name=c.name, name_en=c.name_en, weight=c.weight) for c in rp.criteria.all()]
    changed = roleplay_update(roleplay=rp, data=data, criteria=same)
    assert changed.title == "新标题" and changed.version == 2
    with pytest.raises(ApplicationError, match="can no longer change"):
        roleplay_update(
            roleplay=rp,
            data=data,
            criteria=[CriterionIn(name="只有一项", weight=Decimal(100))],
        )
    assert rp.criteria.count() == 2


def test_an_assessor_can_never_be_the_performer(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    with pytest.raises(ApplicationError, match="own performance"):
        performance_of(rp, personas.sup, [personas.trainer, personas.sup])
    assert not Performance.objects.exists()


def test_only_trainers_hr_and_supervisors_can_assess(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    with pytest.raises(ApplicationError, match="cannot be an assessor"):
        performance_of(rp, personas.alice, [personas.bob])
    with pytest.raises(ApplicationError, match="twice"):
        performance_of(rp, personas.alice, [personas.hr, personas.hr])
    with pytest.raises(ApplicationError, match="future"):
        performance_of(rp, personas.alice, [personas.hr], on=dt.date.today() + dt.timedelta(3))
    assert not Performance.objects.exists()


def test_a_score_outside_the_scale_or_missing_is_refused_and_nothing_is_stored(
    personas: Personas,
) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    c1, c2 = rp.criteria.order_by("order")
    for values in (
        {c1.pk: 6, c2.pk: 3},
        {c1.pk: 0, c2.pk: 3},
        {c1.pk: 3},
        {c1.pk: "3.3", c2.pk: 3},
    ):
        with pytest.raises(ApplicationError) as caught:
            score_submit(performance=p, assessor=personas.trainer, values=values)
        assert caught.value.errors
    with pytest.raises(ApplicationError, match="not in this rubric"):
        score_submit(
            performance=p, assessor=personas.trainer, values={c1.pk: 3, c2.pk: 3, 999999: 1}
        )
    assert not AssessorScore.objects.exists() and not CriterionScore.objects.exists()


def test_self_assessment_and_strangers_are_refused(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    with pytest.raises(ApplicationError, match="own performance"):
        submit(p, personas.alice, [3, 3])
    with pytest.raises(ApplicationError, match="not an assessor"):
        submit(p, personas.hr, [3, 3])
    assert not AssessorScore.objects.exists()


def test_a_submitted_score_is_final_and_a_closed_performance_takes_no_more(
    personas: Personas,
) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr])
    tv = toolkit_version()
    sheet = submit(p, personas.trainer, ["4.5", 3], comment="不错", toolkit_version_ids=[tv.pk])
    assert list(sheet.toolkit_versions.all()) == [tv]
    with pytest.raises(ApplicationError, match="already submitted"):
        submit(p, personas.trainer, [5, 5])
    performance_close(performance=p)
    assert Performance.objects.get().status == PerformanceStatus.CLOSED
    with pytest.raises(ApplicationError, match="closed"):
        submit(p, personas.hr, [5, 5])
    with pytest.raises(ApplicationError, match="already closed"):
        performance_close(performance=p)
    assert AssessorScore.objects.count() == 1
    assert CriterionScore.objects.filter(assessor_score=sheet).count() == 2


def test_an_unknown_toolkit_version_is_refused(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    p = performance_of(rp, personas.alice, [personas.trainer])
    with pytest.raises(ApplicationError, match="toolkit"):
        submit(p, personas.trainer, [3, 3], toolkit_version_ids=[424242])
    assert not AssessorScore.objects.exists()


def test_results_are_the_weighted_total_as_percent_of_maximum_averaged_over_assessors(
    personas: Personas,
) -> None:
    rp = roleplay_with_rubric(weights=(60, 40))
    p = performance_of(rp, personas.alice, [personas.trainer, personas.hr], dt.date(2026, 8, 3))
    submit(p, personas.trainer, [5, 5])  # 100 %
    submit(p, personas.hr, [4, 2])  # (240 + 80) / 500 = 64 %
    unscored = performance_of(rp, personas.alice, [personas.trainer], dt.date(2026, 8, 4))
    outside = performance_of(rp, personas.bob, [personas.trainer], dt.date(2026, 6, 30))
    submit(outside, personas.trainer, [1, 1])
    assert unscored.pk
    results = performance_results(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))
    assert results == {personas.alice.pk: [(dt.date(2026, 8, 3), Decimal(82))]}
    assert performance_results(start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30)) == {
        personas.bob.pk: [(dt.date(2026, 6, 30), Decimal(20))]
    }


def test_results_take_a_bounded_number_of_queries(personas: Personas) -> None:
    rps = [roleplay_with_rubric(code=f"RP-{i}", weights=(50, 30, 20)) for i in range(3)]
    for i, rp in enumerate(rps):
        for who in (personas.alice, personas.bob, personas.sup2):
            p = performance_of(rp, who, [personas.trainer, personas.hr], dt.date(2026, 8, 1 + i))
            submit(p, personas.trainer, [3, 4, 5])
            submit(p, personas.hr, [2, 4, 5])
    with CaptureQueriesContext(connection) as ctx:
        results = performance_results(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))
    assert len(ctx.captured_queries) == 3
    assert len(results) == 3 and all(len(v) == 3 for v in results.values())


def test_agreement_counts_performances_with_two_assessors(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    assessors = [personas.trainer, personas.hr]
    for i, (a, b) in enumerate([([5, 5], [5, 4]), ([2, 2], [2, 1]), ([3, 4], [3, 4])]):
        p = performance_of(rp, personas.alice, assessors, dt.date(2026, 8, 1 + i))
        submit(p, personas.trainer, a)
        if i < 2:
            submit(p, personas.hr, b)
    not_yet = agreement_for_roleplay(roleplay=rp)
    assert not_yet.coefficient is None and not_yet.performances == 2
    submit(Performance.objects.get(performed_on=dt.date(2026, 8, 3)), personas.hr, [4, 4])
    done = agreement_for_roleplay(roleplay=rp)
    assert done.performances == 3 and done.coefficient is not None and done.coefficient > 0.75


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1e30"),
        "1e30",
        10**40,
        1e308,
        float("inf"),
        float("nan"),
        Decimal("Infinity"),
        Decimal("NaN"),
        Decimal("-1E+999999"),
        "1" * 5000,
        "abc",
        [4],
    ],
)
def test_a_huge_or_odd_value_is_outside_the_scale_and_nothing_is_stored(
    personas: Personas, value: object
) -> None:
    rp = roleplay_with_rubric()
    c1, c2 = rp.criteria.order_by("order")
    p = performance_of(rp, personas.alice, [personas.trainer])
    with pytest.raises(ApplicationError) as refused:
        score_submit(
            performance=p, assessor=personas.trainer, values={c1.pk: value, c2.pk: Decimal(3)}
        )
    assert [e["criterion"] for e in refused.value.errors] == [c1.pk]
    assert "outside the scale 1–5" in refused.value.errors[0]["message"]
    assert not AssessorScore.objects.exists() and not CriterionScore.objects.exists()


def test_only_exact_half_points_are_taken(personas: Personas) -> None:
    rp = roleplay_with_rubric()
    c1, c2 = rp.criteria.order_by("order")
    p = performance_of(rp, personas.alice, [personas.trainer])
    with pytest.raises(ApplicationError) as refused:
        score_submit(
            performance=p,
            assessor=personas.trainer,
            values={c1.pk: Decimal("2.5000000000000000000000000000001"), c2.pk: "3"},
        )
    assert "whole or half" in refused.value.errors[0]["message"]
    sheet = score_submit(
        performance=p, assessor=personas.trainer, values={c1.pk: "2.50", c2.pk: " 3 "}
    )
    assert sorted(s.value for s in sheet.criterion_scores.all()) == [Decimal("2.5"), Decimal(3)]
