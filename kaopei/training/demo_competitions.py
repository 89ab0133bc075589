"""Demo data of the competitions area (order 34): one closed competition from the brief —
design a client's annual service plan under time, then cross-review — with five teams of
demo account managers (the account-manager persona's team among them), their submissions in
Chinese and English, the cross-reviews, expert scores by TR001 and a second trainer
(TR002), and its leaderboard; and one competition open now, deadline in three
days, in which the persona's team has not submitted yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Max
from django.utils import timezone

from kaopei.core.demo import DemoContext, demo_step
from kaopei.core.models import Notification
from kaopei.core.notifications import emails_held
from kaopei.org.models import Employee
from kaopei.training.models import Course, ReviewAssignment, Team
from kaopei.training.services import competitions as services

CLOSED = "CMP-PLAN"
OPEN = "CMP-OBJECTION"

CRITERIA = [
    services.CriterionIn("客户需求洞察", "Insight into the client's needs", 30),
    services.CriterionIn("方案完整与可执行", "Completeness and feasibility", 30),
    services.CriterionIn("价值呈现（FABE）", "Value presentation (FABE)", 25),
    services.CriterionIn("合规与风险提示", "Compliance and risk disclosure", 15),
]

TEAM_NAMES = ["启航队 Voyager", "稳健队 Steady", "远见队 Foresight", "匠心队 Craft", "同心队 Unity"]

PLANS = [
    (
        "客户：某制造企业主，家庭金融资产约 3000 万元，关注企业现金流与子女教育金。\n"
        "季度安排：Q1 做资产体检与风险测评；Q2 配置现金管理与稳健理财，安排企业结算方案；"
        "Q3 设立教育金信托并复盘；Q4 年度回顾与来年规划。每月一次电话回访，每季度一次面谈。\n"
        "Client: a manufacturing owner with about CNY 30 m in family assets, focused on cash "
        "flow and the children's education fund. Quarterly plan: asset check-up and risk "
        "profiling, cash management and steady wealth products, an education trust, a "
        "year-end review; a monthly call and a quarterly meeting."
    ),
    (
        "客户：退休教师夫妇，风险偏好保守。方案以存款、国债与低波动理财为主，"
        "设置流动性备用金；每半年讲解一次产品风险，重点防范养老诈骗。\n"
        "Client: a retired teacher couple, conservative. Deposits, government bonds and "
        "low-volatility products with a liquidity reserve; a risk talk every six months and "
        "anti-fraud advice for pensioners."
    ),
    (
        "客户：连锁餐饮企业，年营业额 2 亿元。方案：代发工资与收单一体化、供应链融资、"
        "企业主个人财富规划；设定季度经营分析会。\n"
        "Client: a restaurant chain with CNY 200 m turnover. Payroll and acquiring in one, "
        "supply-chain finance, the owner's personal wealth plan, and a quarterly business "
        "review."
    ),
    (
        "客户：互联网公司高管，持有大量股权激励。方案：股权行权资金安排、税务筹划咨询转介、"
        "分散集中持仓风险。\n"
        "Client: a tech executive with large stock awards. Funding the option exercise, "
        "referral to tax advice, and reducing the concentrated position."
    ),
    (
        "客户：外贸公司，受汇率波动影响大。方案：远期结售汇套保、跨境结算优化、"
        "出口信用保险；每月汇率简报。\n"
        "Client: a trading company exposed to exchange rates. Forward hedging, cross-border "
        "settlement, export credit insurance, and a monthly currency brief."
    ),
]

COMMENTS = [
    "需求分析扎实，季度节奏清楚；风险提示可以更具体。 Solid needs analysis and a clear "
    "rhythm; the risk disclosure could be more specific.",
    "FABE 呈现到位，但执行细节略少。 Good FABE presentation, a little light on execution.",
    "方案完整，建议补充客户家庭成员的需求。 Complete; add the family members' needs.",
    "亮点突出，合规表述需要加强。 Strong highlights; the compliance wording needs work.",
]


def _second_trainer(ctx: DemoContext) -> Employee | None:
    """The demo's second expert trainer (TR002), made once by the role-plays' step."""
    from kaopei.training.demo_roleplays import second_trainer

    return second_trainer(ctx)


@contextmanager
def _notified_at(at: dt.datetime) -> Iterator[None]:
    """Date the notifications a service sends inside the block at the demo's own time (the
    demo is anchored to the day it is built, never after it)."""
    top = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    yield
    Notification.objects.filter(pk__gt=top).update(created_at=at)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _teams(ctx: DemoContext, persona: Employee | None) -> list[list[Employee]]:
    pool = Employee.objects.filter(user__groups__name="account_manager", active=True)
    if persona is not None:
        pool = pool.exclude(pk=persona.pk)
    ams = list(pool.exclude(employee_no__endswith="L").order_by("employee_no")[:40])
    ctx.rng.shuffle(ams)
    teams = [ams[i * 3 : i * 3 + 3] for i in range(5)]
    if persona is not None:
        teams[0] = [persona, *teams[0][:2]]
    return teams


@demo_step(34)
def competitions(ctx: DemoContext) -> None:
    persona = ctx.data.get("persona_am") or Employee.objects.filter(employee_no="AM0001").first()
    tr1 = Employee.objects.filter(employee_no="TR001").first()
    tr2 = _second_trainer(ctx)
    experts = [e for e in (tr1, tr2) if e is not None]
    plan_course = Course.objects.filter(code="KAM-301").first()
    objection_course = Course.objects.filter(code="FABE-201").first()
    teams = _teams(ctx, persona)
    if any(len(t) < 2 for t in teams):
        ctx.log("competitions: not enough account managers, skipped")
        return
    hr_user = ctx.data.get("hr_user")
    with emails_held():
        _closed(ctx, teams, experts, plan_course, hr_user)
        _open(ctx, teams, experts, objection_course, hr_user)
    ctx.log("competitions: 1 closed with leaderboard, 1 open")


def _closed(
    ctx: DemoContext, teams: list[list[Employee]], experts: list[Employee], course: Any, user: Any
) -> None:
    start = ctx.today - dt.timedelta(days=30)
    c = services.competition_create(
        user=user,
        code=CLOSED,
        title="限时设计客户年度服务方案",
        title_en="Design a client's annual service plan, against the clock",
        task="每队 90 分钟内为一位指定客户设计年度服务方案（需求分析、季度安排、产品配置、"
        "风险提示），提交后由其他两队按评分表交叉评审，专家同时打分。",
        task_en="Each team has 90 minutes to design a named client's annual service plan "
        "(needs analysis, quarterly schedule, products, risk disclosure); two other teams "
        "cross-review it on the rubric while the experts score it.",
        course=course,
        experts=experts,
        opens_at=_at(start, 9),
        deadline_at=_at(start, 11),
        review_deadline_at=_at(start + dt.timedelta(days=3), 18),
        expert_weight=60,
        peer_weight=40,
        reviews_per_team=2,
        criteria=CRITERIA,
    )
    for name, members in zip(TEAM_NAMES, teams, strict=True):
        services.team_create(competition=c, name=name, members=members, user=user)
    with _notified_at(_at(start, 8)):
        services.competition_open(competition=c, user=user, now=_at(start, 8))
    submit_at = _at(start, 10)
    for members, plan in zip(teams, PLANS, strict=True):
        services.submission_save(competition=c, employee=members[0], text=plan, now=submit_at)
    review_at = _at(start + dt.timedelta(days=1), 15)
    with _notified_at(_at(start, 12)):
        services.competition_start_review(competition=c, user=user, now=_at(start, 12))
    criteria = list(c.criteria.all())
    quality = {t.pk: ctx.rng.uniform(2.6, 4.6) for t in Team.objects.filter(competition=c)}

    def marks(team_id: int) -> dict[int, int]:
        base = quality[team_id]
        return {k.pk: max(1, min(5, round(base + ctx.rng.uniform(-0.8, 0.8)))) for k in criteria}

    for a in ReviewAssignment.objects.filter(competition=c).select_related(
        "reviewer_team", "submission"
    ):
        reviewer = a.reviewer_team.members.order_by("employee_no").first()
        assert reviewer is not None
        services.peer_review_submit(
            assignment=a,
            employee=reviewer,
            scores=marks(a.submission.team_id),
            comment=ctx.rng.choice(COMMENTS),
            now=review_at,
        )
    for expert in experts:
        for t in Team.objects.filter(competition=c):
            services.expert_score_submit(
                team=t,
                employee=expert,
                scores=marks(t.pk),
                comment=ctx.rng.choice(COMMENTS),
                now=review_at,
            )
    closed_at = _at(start + dt.timedelta(days=4), 9)
    with _notified_at(closed_at):
        services.competition_close(competition=c, user=user, now=closed_at)


def _open(
    ctx: DemoContext, teams: list[list[Employee]], experts: list[Employee], course: Any, user: Any
) -> None:
    now = _at(ctx.today, 9)
    c = services.competition_create(
        user=user,
        code=OPEN,
        title="价格敏感型客户异议处理方案",
        title_en="Handling a price-sensitive client's objection",
        task="客户说：“别家银行的理财收益高 0.3%，手续费还更低。”请写出应对话术与一页价值方案"
        "（SPIN 提问、FABE 呈现、合规表述）。",
        task_en="The client says: “Another bank pays 0.3% more and charges less.” Write the "
        "response script and a one-page value proposal (SPIN questions, FABE, compliant "
        "wording).",
        course=course,
        experts=experts,
        opens_at=now - dt.timedelta(days=1),
        deadline_at=_at(ctx.today + dt.timedelta(days=3), 18),
        review_deadline_at=_at(ctx.today + dt.timedelta(days=6), 18),
        criteria=CRITERIA,
    )
    for name, members in zip(TEAM_NAMES[:4], teams[:4], strict=True):
        services.team_create(competition=c, name=name, members=members, user=user)
    with _notified_at(now - dt.timedelta(days=1)):
        services.competition_open(competition=c, user=user, now=now - dt.timedelta(days=1))
    # Another team has already handed in; the persona's team (the first) has not.
    services.submission_save(
        competition=c,
        employee=teams[1][0],
        text="先认同客户关注收益，再用 SPIN 了解资金用途与期限；用 FABE 说明我行产品的流动性与"
        "风险等级优势，不承诺收益。\nAcknowledge the concern, ask SPIN questions about the "
        "money's purpose and horizon, present liquidity and risk level with FABE, and never "
        "promise a return.",
        now=now,
    )
