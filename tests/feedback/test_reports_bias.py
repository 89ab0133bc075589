"""Rater bias: attributed ratings only (supervisors' 360 answers, manual scores with a rater),
the others' mean from displayed rows only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from kaopei.assessment.models import ManualScore, Metric
from kaopei.feedback.models import Answer
from kaopei.feedback.selectors.report_bias import (
    LENIENT,
    SEVERE,
    TOO_FEW,
    manual_score_bias,
    supervisor_bias,
)
from tests.conftest import Personas
from tests.factories import EmployeeFactory
from tests.feedback.reports_factories import SECRET, a_round, answer, two_competencies

pytestmark = pytest.mark.django_db

URL = "/feedback/cycles/2026Q1/rater-bias/"


def team_of_sun_pei(p: Personas) -> list[Any]:
    extra = [
        EmployeeFactory(employee_no=f"A00{i}", org_unit=p.bj_t1, level=p.am1, supervisor=p.sup)
        for i in (2, 3)
    ]
    return [p.alice, *extra]


def lenient_round(p: Personas, *, withheld: int = 1) -> Any:
    rnd = a_round()
    talk, _team = two_competencies()
    for subject in team_of_sun_pei(p):
        answer(rnd, subject, "supervisor", {talk: 5}, rater=p.sup)
        for _ in range(3):
            answer(rnd, subject, "peer", {talk: 3})
        for _ in range(2):  # withheld: never counted anywhere
            answer(rnd, subject, "customer", {talk: withheld}, comment=SECRET)
    answer(rnd, p.bob, "supervisor", {talk: 2}, rater=p.sup2)
    for _ in range(3):
        answer(rnd, p.bob, "customer", {talk: 4})
    return rnd


def test_a_supervisor_rating_far_above_the_others_is_lenient(personas: Personas) -> None:
    lines = {line.rater.employee_no: line for line in supervisor_bias(lenient_round(personas))}
    sun = lines["S001"]
    assert (sun.people, sun.mean, sun.others_mean, sun.diff) == (
        3,
        Decimal("5.00"),
        Decimal("3.00"),
        Decimal("2.00"),
    )
    assert sun.verdict == LENIENT
    assert sun.bands == [("1", 0), ("2", 0), ("3", 0), ("4", 0), ("5", 3)]
    shen = lines["S002"]
    assert (shen.diff, shen.verdict) == (Decimal("-2.00"), TOO_FEW)  # one person only


def test_withheld_answers_do_not_move_rater_bias(personas: Personas) -> None:
    rnd = lenient_round(personas, withheld=1)
    first = supervisor_bias(rnd)
    assert Answer.objects.filter(comment=SECRET).update(total=5) == 6
    second = supervisor_bias(rnd)
    assert [(x.mean, x.others_mean, x.diff, x.bands) for x in first] == [
        (x.mean, x.others_mean, x.diff, x.bands) for x in second
    ]


def test_manual_scores_show_each_raters_distribution_against_the_others(
    personas: Personas,
) -> None:
    rnd = a_round()
    metric = Metric.objects.get(code="supervisor_rating")
    for subject in team_of_sun_pei(personas):
        ManualScore.objects.create(
            cycle=rnd.cycle, employee=subject, metric=metric, value=5, rater=personas.sup
        )
    for i, value in enumerate((2, 3, 2)):
        subject = personas.bob if i == 0 else EmployeeFactory(employee_no=f"B00{i + 2}")
        ManualScore.objects.create(
            cycle=rnd.cycle, employee=subject, metric=metric, value=value, rater=personas.sup2
        )
    ManualScore.objects.create(  # no rater: not attributed, not analysed
        cycle=rnd.cycle, employee=personas.sup, metric=metric, value=1
    )
    (block,) = manual_score_bias(rnd.cycle)
    lines = {line.rater.employee_no: line for line in block.raters}
    assert block.threshold == Decimal("0.50")
    assert (lines["S001"].verdict, lines["S001"].others_mean) == (LENIENT, Decimal("2.33"))
    assert lines["S002"].verdict == SEVERE
    assert lines["S002"].bands == [("1", 0), ("2", 2), ("3", 1), ("4", 0), ("5", 0)]


def test_only_hr_reads_rater_bias(personas: Personas) -> None:
    lenient_round(personas)
    for who in (personas.alice, personas.sup, personas.exec, personas.trainer):
        c = Client()
        c.force_login(who.user)
        assert c.get(URL).status_code == 403
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(personas.hr.user)
    page = c.get(URL).content.decode()
    assert "Lenient" in page and "孙培" in page and SECRET not in page
    assert c.get("/feedback/cycles/2031Q1/rater-bias/").status_code == 404
