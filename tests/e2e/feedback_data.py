"""What the feedback journeys find in the database: an open 360 round where 安丽 is asked
about 白波 as a peer and a customer of 白波's holds a link, a closed round with 安丽's
report, and survey links.

The closed round (2026Q1) is built so that 安丽's report shows one small group pooled and
hides another:

- 沟通 (talk): self 4, supervisor 3, 3 peers 4/5/5 (shown, 4.67), 2 subordinates 2/3 and
  1 customer 4 pooled as "other raters" (3.00); all raters 26/7 = 3.71.
- 协作 (team): self 4, supervisor 4, 3 customers 3/4/4 (shown, 3.67) and 2 peers 1/2 —
  alone in the pool, so withheld (their mean, 1.50, must appear nowhere); all raters
  15/4 = 3.75.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.facts.models import Customer, SurveyResponse
from kaopei.feedback.models import Invitation
from kaopei.feedback.services import surveys
from kaopei.org.models import LevelExpectation
from tests.conftest import Personas
from tests.feedback.answering_factories import Survey, invite, invite_customer, make_round
from tests.feedback.answering_factories import make_survey as make_survey
from tests.feedback.reports_factories import a_round, answer, two_competencies

CUSTOMER_TOKEN = "kaopei-e2e-customer-link-0123456789abcdef"
REPORT_CYCLE = "2026Q1"
WITHHELD_MEAN = "1.50"
WITHHELD_COMMENT = "两位同事的悄悄话"
SURVEY_LINK = re.compile(r"/feedback/survey/([A-Za-z0-9_-]{20,})/")


@dataclass
class OpenRound:
    survey: Survey
    peer_task: Invitation  # 安丽 about 白波, as a peer
    customer_link: str  # the path of a customer's 360 link about 白波


def open_round(p: Personas) -> OpenRound:
    survey = make_survey()
    rnd = make_round(survey)
    task = invite(rnd, p.bob, "peer", p.alice)
    invite_customer(rnd, p.bob, CUSTOMER_TOKEN)
    return OpenRound(survey, task, f"/feedback/answer/{CUSTOMER_TOKEN}/")


def closed_report_round(p: Personas) -> None:
    """安丽's report in the closed round described in the module's docstring."""
    rnd = a_round(REPORT_CYCLE)
    talk, team = two_competencies()
    LevelExpectation.objects.get_or_create(level=p.am1, competency=talk, defaults={"expected": 4})
    LevelExpectation.objects.get_or_create(level=p.am1, competency=team, defaults={"expected": 3})
    alice = p.alice
    answer(rnd, alice, "self", {talk: 4, team: 4}, rater=alice)
    answer(rnd, alice, "supervisor", {talk: 3, team: 4}, rater=p.sup, comment="上级的话")
    for s in (4, 5, 5):
        answer(rnd, alice, "peer", {talk: s}, comment=f"同事说{s}")
    for s in (2, 3):
        answer(rnd, alice, "subordinate", {talk: s}, comment=f"下属说{s}")
    answer(rnd, alice, "customer", {talk: 4})
    for s in (3, 4, 4):
        answer(rnd, alice, "customer", {team: s}, comment=f"客户说{s}")
    for s in (1, 2):
        answer(rnd, alice, "peer", {team: s}, comment=WITHHELD_COMMENT)


def current_quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def survey_link(p: Personas) -> tuple[str, str]:
    """An NPS/CSAT survey link about 安丽 for a new customer of hers, with an imported
    detractor already in her NPS and an ``nps`` template for her level: ``(path, cycle)``."""
    today = timezone.localdate()
    old, new = (
        Customer.objects.create(
            customer_no=no, name=name, owner=p.alice, acquired_on=date(2025, 1, 1)
        )
        for no, name in (("C001", "甲公司"), ("C003", "丁公司"))
    )
    template_create_version(
        code="fb-nps", level=p.am1, cycle_kind="quarterly", items=[ItemSpec("nps", Decimal(100))]
    )
    SurveyResponse.objects.create(
        response_id="WJ-1", employee=p.alice, customer=old, responded_on=today, nps=2, csat=2
    )
    sent = surveys.survey_invitations_send(
        employee=p.alice, customer_ids=[new.pk], emails={new.pk: "c@example.com"}, user=p.sup.user
    )
    match = SURVEY_LINK.search(sent[0].url)
    assert match is not None
    return match.group(0), current_quarter(today)
