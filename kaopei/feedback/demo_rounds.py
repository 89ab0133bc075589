"""Demo data: 360 rounds (DESIGN.md §7).

Order 25: after the organisation (10) and the business records (20), before the assessment
(30) scores the cycles — so the closed rounds' answers already count in ``competency_360``
and ``team_collaboration`` on the scorecards. It adds a collaboration competency, a
bilingual published questionnaire, a closed round for every quarter that has ended (rater
numbers vary, so some groups of 1–2 are withheld and some pooled into ``others``) and an
open round for the current quarter in which the account-manager persona still has to
answer about themself and a peer, and their team lead has supervisor invitations.

Rows are written in bulk and dated in the past; answers go through ``response_store``. No
notification is sent: these events happened before anyone could read them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.demo import DemoContext, demo_step
from kaopei.core.periods import parse_period
from kaopei.facts.models import Customer
from kaopei.feedback.models import (
    FeedbackRound,
    Invitation,
    Questionnaire,
    QuestionnaireItem,
    Relationship,
    RoundSubject,
)
from kaopei.feedback.services.responses import Score, response_store
from kaopei.feedback.tokens import new_token, token_expiry
from kaopei.org.models import Competency, CompetencyAnchor, Employee, LevelExpectation

SEED = 360_2026  # a generator of its own: the other steps' draws stay as they were
LEVELS = ("AM1", "AM2", "AM3", "MGR")

TEAMWORK = (
    "teamwork",
    "团队协作",
    "Teamwork",
    "Shares leads, information and credit; covers for colleagues and joins up with "
    "product, risk and operations teams.",
    [
        ("只完成本人分内工作", "Does their own part only"),
        ("按要求配合同事", "Helps colleagues when asked"),
        ("主动分享客户信息与经验", "Shares customer information and know-how unprompted"),
        ("牵头跨部门协作完成客户方案", "Leads cross-team work on customer solutions"),
        ("营造互助氛围并带动团队整体业绩", "Builds a helping culture that lifts the team"),
    ],
    {"AM1": 3, "AM2": 3, "AM3": 4, "MGR": 4},
)

# Two statements per competency (Chinese, English).
ITEMS: dict[str, list[tuple[str, str]]] = {
    "needs_discovery": [
        (
            "拜访前做好客户背景研究,提问有针对性。",
            "Prepares each visit and asks pointed questions.",
        ),
        ("能发现客户自己没有说出的需求。", "Uncovers needs the customer had not voiced."),
    ],
    "value_communication": [
        ("能把产品优势讲成客户能感受到的利益。", "Turns product features into benefits I feel."),
        ("谈判中立场清晰,同时照顾双方利益。", "Negotiates firmly while looking after both sides."),
    ],
    "product_knowledge": [
        (
            "对本行产品和政策熟悉,解答准确。",
            "Knows the bank's products and rules; answers are right.",
        ),
        ("能把多种产品组合成适合我的方案。", "Combines products into a solution that fits."),
    ],
    "risk_compliance": [
        (
            "严格执行反洗钱与客户身份核查要求。",
            "Applies anti-money-laundering and KYC checks strictly.",
        ),
        ("发现风险信号时会及时提示和上报。", "Flags and reports risk signals promptly."),
    ],
    "digital_tools": [
        ("及时、完整地维护CRM中的客户信息。", "Keeps CRM customer records complete and current."),
        ("会用数据看板分析业绩并调整计划。", "Uses dashboards to review results and adjust plans."),
    ],
    "communication": [
        ("沟通清晰,认真倾听并确认对方意思。", "Communicates clearly and checks they understood."),
        (
            "能协调行内资源,按承诺时间回复。",
            "Rallies the bank's resources and replies when promised.",
        ),
    ],
    "crisis_handling": [
        ("遇到投诉时态度冷静,处理及时。", "Stays calm and acts quickly on complaints."),
        ("问题解决后会复盘并防止再次发生。", "Follows up so a problem does not come back."),
    ],
    "key_account_mgmt": [
        ("对重点客户有清晰的年度服务计划。", "Has a clear yearly plan for key customers."),
        (
            "能整合行内资源深耕战略客户。",
            "Brings the bank's resources to grow strategic customers.",
        ),
    ],
    "teamwork": [
        ("主动与同事分享客户线索和经验。", "Shares leads and know-how with colleagues."),
        ("需要时愿意补位,支持团队目标。", "Steps in when needed to reach the team's goals."),
    ],
}
# What a customer can judge.
CUSTOMER_FACING = (
    "needs_discovery",
    "value_communication",
    "product_knowledge",
    "communication",
    "crisis_handling",
)
COMMENTS = {
    "needs_discovery": ["提问很到位,帮我们理清了真正的融资需求。", "建议拜访前多了解我们的行业。"],
    "communication": ["回复及时,沟通顺畅。", "有时回复较慢,希望约定回复时间。"],
    "teamwork": ["经常分享客户线索,团队受益很多。", "可以多参与团队的经验分享。"],
    "product_knowledge": ["产品讲解专业清楚。", "对新上线的产品还不够熟悉。"],
    "crisis_handling": ["处理投诉冷静专业,客户很认可。"],
    "key_account_mgmt": ["对重点客户的服务计划很清晰。"],
}
# Bias of each relationship against the person's true level (self-ratings run high).
BIAS = {"self": 0.45, "supervisor": -0.1, "peer": 0.05, "subordinate": 0.15, "customer": 0.25}


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZoneInfo(settings.TIME_ZONE))


def _teamwork() -> Competency:
    code, name, name_en, desc, anchors, expected = TEAMWORK
    c, created = Competency.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "name_en": name_en,
            "category": Competency.Category.COLLABORATION,
            "description": desc,
            "description_en": desc,
        },
    )
    if created:
        CompetencyAnchor.objects.bulk_create(
            [
                CompetencyAnchor(competency=c, level=i + 1, behaviour=zh, behaviour_en=en)
                for i, (zh, en) in enumerate(anchors)
            ]
        )
        from kaopei.org.models import JobLevel

        levels = {lv.code: lv for lv in JobLevel.objects.filter(code__in=expected)}
        LevelExpectation.objects.bulk_create(
            [
                LevelExpectation(level=levels[code], competency=c, expected=x)
                for code, x in expected.items()
                if code in levels
            ]
        )
    return c


def _questionnaire(competencies: dict[str, Competency], hr: Any) -> Questionnaire:
    q = Questionnaire.objects.create(
        code="am-360",
        version=1,
        name="客户经理360度评估问卷",
        name_en="Account manager 360° questionnaire",
        description="请根据过去一个季度的实际观察作答;同事、下属与客户的回答匿名。",
        description_en=(
            "Answer from what you saw over the past quarter; answers of colleagues, "
            "reports and customers are anonymous."
        ),
        status=Questionnaire.Status.PUBLISHED,
        created_by=hr,
    )
    position = 0
    items = []
    for code, statements in ITEMS.items():
        for zh, en in statements:
            position += 1
            items.append(
                QuestionnaireItem(
                    questionnaire=q,
                    competency=competencies[code],
                    position=position,
                    text=zh,
                    text_en=en,
                )
            )
    QuestionnaireItem.objects.bulk_create(items)
    return q


class _Rater:
    """Draws one rater's scores about one person."""

    def __init__(self, rng: random.Random, competencies: dict[str, Competency]) -> None:
        self.rng = rng
        self.competencies = competencies

    def scores(self, level: float, relationship: str) -> dict[int, Score]:
        codes = CUSTOMER_FACING if relationship == "customer" else tuple(ITEMS)
        out = {}
        mood = self.rng.gauss(0, 0.25)
        commented = self.rng.random() < 0.2
        comment_on = self.rng.choice([c for c in codes if c in COMMENTS]) if commented else ""
        for code in codes:
            mean = level + BIAS[relationship] + mood + (0.2 if code == "teamwork" else 0)
            items = [min(5, max(1, round(self.rng.gauss(mean, 0.55)))) for _ in ITEMS[code]]
            comment = self.rng.choice(COMMENTS[code]) if code == comment_on else ""
            out[self.competencies[code].pk] = Score(sum(items), len(items), comment)
        return out


def _plan(ctx: DemoContext) -> tuple[list[str], str]:
    """The quarters that ended (oldest first) and the current one."""
    ended = []
    current = ""
    for y in (ctx.year - 1, ctx.year):
        for q in (1, 2, 3, 4):
            period = parse_period(f"{y}Q{q}")
            if period.end < ctx.today:
                ended.append(period.code)
            elif period.start <= ctx.today:
                current = period.code
    return ended, current


@demo_step(25)
def build_feedback_rounds(ctx: DemoContext) -> None:
    """A collaboration competency, the 360 questionnaire, closed rounds for the quarters
    that ended and an open one for the current quarter."""
    rng = random.Random(SEED)
    hr = ctx.data["hr_user"]
    persona = ctx.data["persona_am"]
    lead = ctx.data["team_leads"][persona.org_unit.code]
    performer = ctx.data.get("performer", {})
    competencies = {c.code: c for c in Competency.objects.all()}
    competencies["teamwork"] = _teamwork()
    questionnaire = _questionnaire(competencies, hr)
    rater = _Rater(rng, competencies)

    people = list(
        Employee.objects.filter(level__code__in=LEVELS, active=True)
        .select_related("level", "supervisor")
        .order_by("employee_no")
    )
    by_team: dict[int, list[Employee]] = defaultdict(list)
    reports: dict[int, list[Employee]] = defaultdict(list)
    for e in people:
        by_team[e.org_unit_id].append(e)
        if e.supervisor_id:
            reports[e.supervisor_id].append(e)
    customers: dict[int, list[int]] = defaultdict(list)
    for pk, owner in (
        Customer.objects.filter(owner__in=people, lost_on__isnull=True)
        .order_by("owner_id", "-strategic", "customer_no")
        .values_list("pk", "owner_id")
    ):
        if len(customers[owner]) < 5:
            customers[owner].append(pk)
    # Each person's true level: the business performer's multiplier nudges it.
    level = {
        e.pk: min(4.6, max(2.2, 3.4 + 1.5 * (performer.get(e.pk, 1.0) - 1) + rng.gauss(0, 0.35)))
        for e in people
    }

    ended, current = _plan(ctx)
    answers = 0
    for code in ended:
        answers += _round(
            ctx,
            rng,
            rater,
            code,
            questionnaire,
            hr,
            people,
            by_team,
            reports,
            customers,
            level,
            persona=persona if code == ended[-1] else None,
        )
    if current:
        answers += _round(
            ctx,
            rng,
            rater,
            current,
            questionnaire,
            hr,
            people,
            by_team,
            reports,
            customers,
            level,
            persona=persona,
            lead=lead,
            is_open=True,
        )
    ctx.log(
        f"  360 rounds: {len(ended)} closed, {1 if current else 0} open; {answers} answers "
        f"about {len(people)} people"
    )


def _round(
    ctx: DemoContext,
    rng: random.Random,
    rater: _Rater,
    code: str,
    questionnaire: Questionnaire,
    hr: Any,
    people: list[Employee],
    by_team: dict[int, list[Employee]],
    reports: dict[int, list[Employee]],
    customers: dict[int, list[int]],
    level: dict[int, float],
    *,
    persona: Employee | None = None,
    lead: Employee | None = None,
    is_open: bool = False,
) -> int:
    """One quarter's round; returns how many answers it holds."""
    period = parse_period(code)
    cycle = cycle_get_or_create(code=code)
    if is_open:
        deadline = ctx.today + dt.timedelta(days=10)
        opened = _moment(max(period.start, ctx.today - dt.timedelta(days=5)), 9)
        closed = None
        status = FeedbackRound.Status.OPEN
    else:
        deadline = period.end + dt.timedelta(days=10)
        opened = _moment(period.end - dt.timedelta(days=14), 9)
        closed = _moment(min(deadline + dt.timedelta(days=1), ctx.today), 18)
        status = FeedbackRound.Status.CLOSED
    r = FeedbackRound.objects.create(
        cycle=cycle,
        questionnaire=questionnaire,
        status=status,
        deadline=deadline,
        opened_at=opened,
        closed_at=closed,
        created_by=hr,
    )
    subjects = [
        e
        for e in people
        if e.hire_date is None or e.hire_date <= period.end - dt.timedelta(days=30)
    ]
    RoundSubject.objects.bulk_create(
        [RoundSubject(round=r, employee=e, raters_approved_at=opened) for e in subjects]
    )
    invitations: list[Invitation] = []
    pending: list[tuple[int, str, int | None]] = []  # answers to store
    expires = token_expiry(deadline)

    def invite(subject: Employee, relationship: str, answered: bool, **who: Any) -> None:
        done = answered
        token = ""
        if is_open and relationship == Relationship.CUSTOMER and not done:
            token = new_token()[1]
        invitations.append(
            Invitation(
                round=r,
                subject=subject,
                relationship=relationship,
                status=Invitation.Status.COMPLETED if done else Invitation.Status.INVITED,
                invited_at=opened,
                token_hash=token,
                token_expires_at=expires if token else None,
                **who,
            )
        )
        if done:
            rater_id = who.get("rater").pk if relationship in ("self", "supervisor") else None  # type: ignore[union-attr]
            pending.append((subject.pk, relationship, rater_id))

    share = 0.45 if is_open else 1.0  # an open round has part of its answers in
    for e in subjects:
        mine = persona is not None and e.pk == persona.pk
        invite(e, "self", (rng.random() < 0.93 * share) and not (mine and is_open), rater=e)
        sup = e.supervisor
        if sup is not None:
            lead_pending = is_open and lead is not None and sup.pk == lead.pk
            invite(e, "supervisor", rng.random() < 0.95 * share and not lead_pending, rater=sup)
        team = [p for p in by_team[e.org_unit_id] if p.pk != e.pk and p.pk != e.supervisor_id]
        team = [p for p in team if p.supervisor_id != e.pk]
        peers = rng.sample(team, min(len(team), rng.randint(3, 5)))
        n_peers = rng.choice([1, 2, 3, 3, 4, 4, 5])
        subs = reports.get(e.pk, [])
        subs = rng.sample(subs, min(len(subs), 5))
        n_subs = rng.choice([2, 3, 4, 5])
        mine_customers = customers.get(e.pk, [])[:4]
        n_customers = rng.choice([0, 1, 2, 3, 3])
        if mine and not is_open:
            # The persona's last closed round: two peers and two customers answered, each
            # group too small to show alone, so both are pooled into "others".
            n_peers, n_customers = 2, 2
        for i, p in enumerate(peers):
            answered = i < n_peers and (not is_open or rng.random() < share)
            if mine and is_open and i == 0:
                answered = False  # the persona's own peer invitation stays pending
            invite(e, "peer", answered, rater=p)
        for i, p in enumerate(subs):
            invite(e, "subordinate", i < n_subs and (not is_open or rng.random() < share), rater=p)
        for i, c in enumerate(mine_customers):
            answered = i < n_customers and (not is_open or rng.random() < share)
            invite(e, "customer", answered, customer_id=c)
    if persona is not None and is_open:
        # The persona is asked about a team-mate too (pending).
        mate = next(
            p
            for p in by_team[persona.org_unit_id]
            if p.pk not in (persona.pk, persona.supervisor_id)
        )
        if not any(i.subject_id == mate.pk and i.rater_id == persona.pk for i in invitations):
            invitations.append(
                Invitation(
                    round=r,
                    subject=mate,
                    rater=persona,
                    relationship="peer",
                    status=Invitation.Status.INVITED,
                    invited_at=opened,
                )
            )
        for inv in invitations:
            if inv.rater_id == persona.pk and inv.status == Invitation.Status.COMPLETED:
                inv.status = Invitation.Status.INVITED
                pending.remove(
                    next(
                        x
                        for x in pending
                        if x[0] == inv.subject_id
                        and x[1] == inv.relationship
                        and (x[2] == persona.pk or x[1] not in ("self", "supervisor"))
                    )
                )
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    for subject_id, relationship, rater_id in pending:
        response_store(
            feedback_round=r,
            subject_id=subject_id,
            relationship=relationship,
            rater_id=rater_id,
            scores=rater.scores(level[subject_id], relationship),
        )
    return len(pending)
