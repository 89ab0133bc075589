"""Demo data of the role-plays area (its ``@demo_step``): four bilingual drills drawn from
the brief (a price objection answered with FABE, SPIN discovery with a high-net-worth
client, AML compliance language when a client will not explain the source of funds, an
asset-allocation conversation), rubrics whose weights add up to 100, and a year of
performances scored by two or three expert assessors — TR001 and a second expert trainer,
TR002 — with one performance where they clearly disagree on one criterion. The account
manager persona has a scored performance whose feedback hands out a script template.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from kaopei.core.demo import DEMO_PASSWORD, DemoContext, demo_step
from kaopei.core.roles import Role
from kaopei.org.models import Competency, Employee
from kaopei.training.demo_toolkit import demo_toolkit_version
from kaopei.training.models import (
    AssessorScore,
    Assignment,
    Course,
    CriterionScore,
    Performance,
    PerformanceStatus,
    RolePlay,
)
from kaopei.training.services.roleplays import CriterionIn, RolePlayIn, roleplay_create

SECOND_TRAINER = ("TR002", "陈雅琴")
HALF = Decimal("0.5")

# (code, course, competencies, title, title_en, learner brief, en, client brief, en,
#  [(criterion, criterion_en, anchors, anchors_en, weight)])
ROLEPLAYS: list[dict[str, Any]] = [
    {
        "code": "RP-FABE-PRICE",
        "course": "FABE-201",
        "competencies": ["value_communication"],
        "title": "价格异议：用 FABE 回应“你们的费率比别家高”",
        "title_en": "Price objection: answering “your fees are higher than the others'” with FABE",
        "learner": "你是对公客户经理，向一家年营收 3 亿元的制造企业财务总监推荐现金管理方案。"
        "对方认为费率比同业高 0.2 个百分点。请用 FABE（特征-优势-利益-证据）回应价格异议，"
        "不得承诺超出授权的优惠。",
        "learner_en": "You are a corporate account manager proposing a cash-management package "
        "to the CFO of a manufacturer with CNY 300m revenue. The CFO says your fee is 0.2 "
        "points above a competitor's. Answer the price objection with FABE (feature, "
        "advantage, benefit, evidence) without promising discounts beyond your mandate.",
        "client": "你是财务总监王总，关注成本。开场就说“别家便宜 0.2 个点”。若客户经理只谈"
        "降价，就继续压价；若对方讲清资金归集能减少多少闲置资金并给出同行案例，可以松口。",
        "client_en": "You are Ms Wang, the CFO, cost-minded. Open with “the other bank is 0.2 "
        "points cheaper”. If the account manager only talks about price, keep pushing; if "
        "they quantify how cash pooling cuts idle balances and cite a peer case, soften.",
        "criteria": [
            (
                "FABE 结构",
                "FABE structure",
                "1 只罗列产品功能；3 有特征和利益但缺证据；5 特征-优势-利益-证据完整且贴合客户",
                "1 lists features only; 3 features and benefits without evidence; 5 full F-A-B-E tailored to the client",
                30,
            ),
            (
                "异议处理",
                "Objection handling",
                "1 争辩或立即降价；3 认同后转向价值；5 澄清异议背后的真实顾虑并量化价值",
                "1 argues or discounts at once; 3 acknowledges then turns to value; 5 uncovers the real concern and quantifies value",
                30,
            ),
            (
                "需求确认",
                "Needs confirmation",
                "1 未提问；3 确认了部分需求；5 用提问确认客户关心的成本与效率指标",
                "1 asks nothing; 3 confirms some needs; 5 confirms the cost and efficiency measures the client cares about",
                20,
            ),
            (
                "合规表达",
                "Compliance language",
                "1 承诺收益或越权优惠；3 基本合规；5 表述准确、无越权承诺",
                "1 promises returns or unauthorised discounts; 3 mostly compliant; 5 precise, no unauthorised promise",
                20,
            ),
        ],
    },
    {
        "code": "RP-SPIN-HNW",
        "course": "SPIN-101",
        "competencies": ["needs_discovery"],
        "title": "SPIN 需求挖掘：高净值客户的企业传承顾虑",
        "title_en": "SPIN discovery: a high-net-worth client's succession worries",
        "learner": "客户是一位 58 岁的民营企业主，个人金融资产约 5000 万元，本次来行办理大额存单。"
        "请用 SPIN 提问挖掘他在企业传承、家庭资产隔离方面的隐性需求。",
        "learner_en": "The client, a 58-year-old private business owner with about CNY 50m of "
        "financial assets, came in to buy a large-denomination CD. Use SPIN questioning to "
        "uncover his implicit needs on business succession and ring-fencing family assets.",
        "client": "你是企业主李先生。只在被问到时才透露：女儿在国外不愿接班，企业有对外担保。"
        "若对方一上来就推销产品，你会不耐烦。",
        "client_en": "You are Mr Li, a business owner. Reveal only when asked: your daughter "
        "abroad does not want to take over, and the company has guaranteed third-party debt. "
        "If the account manager pitches products straight away, become impatient.",
        "criteria": [
            (
                "背景与难点提问",
                "Situation and problem questions",
                "1 无提问；3 有背景问题；5 自然过渡到难点问题",
                "1 none; 3 situation questions; 5 moves naturally to problem questions",
                25,
            ),
            (
                "暗示与需求效益提问",
                "Implication and need-payoff questions",
                "1 无；3 点到风险；5 让客户自己说出解决的价值",
                "1 none; 3 touches on risks; 5 the client states the value of solving it",
                35,
            ),
            (
                "倾听与确认",
                "Listening and summarising",
                "1 打断客户；3 能复述；5 准确总结并获得确认",
                "1 interrupts; 3 paraphrases; 5 summarises accurately and gets agreement",
                20,
            ),
            (
                "推进下一步",
                "Advancing",
                "1 无下一步；3 约定再联系；5 约定具体会面并邀请专家",
                "1 no next step; 3 agrees to follow up; 5 books a meeting with a specialist",
                20,
            ),
        ],
    },
    {
        "code": "RP-AML-FUNDS",
        "course": "AML-101",
        "competencies": ["risk_compliance"],
        "title": "反洗钱：客户拒绝说明大额资金来源",
        "title_en": "AML: a client refuses to explain a large inflow",
        "learner": "一位个体工商户客户账户一周内收到 8 笔合计 280 万元的转账，与其经营规模不符。"
        "客户来柜台要求立即全部转出。请用合规的语言了解资金来源，不得泄露可疑交易报告。",
        "learner_en": "A sole-trader client received eight transfers totalling CNY 2.8m in a "
        "week, out of line with the business. He asks to move it all out now. Ask about the "
        "source of funds in compliant language without tipping off a suspicious-transaction "
        "report.",
        "client": "你是客户赵先生，语气强硬：“我的钱凭什么要跟你解释？”若对方解释是监管要求"
        "并态度平和，你会给出一个含糊的说法。",
        "client_en": "You are Mr Zhao, forceful: “Why should I explain my own money?” If the "
        "account manager explains it is a regulatory requirement and stays calm, give a vague "
        "explanation.",
        "criteria": [
            (
                "合规表达",
                "Compliance language",
                "1 提及可疑报告（泄密）；3 基本合规；5 说明监管要求、不泄密、不指控",
                "1 mentions the report (tipping off); 3 mostly compliant; 5 cites the rules, no tipping off, no accusation",
                40,
            ),
            (
                "尽职调查提问",
                "Due-diligence questions",
                "1 不问；3 问了来源；5 问清来源、用途与交易对手",
                "1 none; 3 asks the source; 5 establishes source, purpose and counterparties",
                30,
            ),
            (
                "情绪管理",
                "Handling the client's anger",
                "1 对抗；3 保持礼貌；5 共情并把对话拉回事实",
                "1 confrontational; 3 polite; 5 empathises and brings it back to facts",
                15,
            ),
            (
                "处置与记录",
                "Escalation and record",
                "1 直接放行；3 请示上级；5 按流程暂缓并完整记录",
                "1 lets it through; 3 asks a manager; 5 holds per procedure and records fully",
                15,
            ),
        ],
    },
    {
        "code": "RP-ALLOC-HNW",
        "course": "WM-201",
        "competencies": ["product_knowledge", "needs_discovery"],
        "title": "高净值客户资产配置建议",
        "title_en": "Asset allocation for a high-net-worth client",
        "learner": "客户 45 岁，可投资资产 2000 万元，九成放在定期存款，担心收益下降。"
        "请在风险测评结果（平衡型）范围内提出资产配置建议。",
        "learner_en": "The client, 45, has CNY 20m investable, 90% in term deposits, and "
        "worries about falling yields. Propose an allocation within the risk profile "
        "(balanced).",
        "client": "你是张女士，追问“能保证 5% 吗？”，对权益类产品有顾虑。",
        "client_en": "You are Ms Zhang: ask “can you guarantee 5%?”; you are wary of equities.",
        "criteria": [
            (
                "风险匹配",
                "Suitability",
                "1 推荐超出风险等级；3 基本匹配；5 配置与风险测评、期限、流动性完全匹配",
                "1 beyond the risk profile; 3 broadly suitable; 5 fits risk profile, horizon and liquidity",
                35,
            ),
            (
                "方案讲解",
                "Explaining the proposal",
                "1 堆砌产品；3 讲清配置比例；5 用客户目标解释每一部分",
                "1 lists products; 3 explains the split; 5 ties each part to the client's goals",
                30,
            ),
            (
                "收益表述合规",
                "Compliant return language",
                "1 承诺保本保收益；3 提示风险；5 用历史区间表述并充分揭示风险",
                "1 guarantees returns; 3 warns of risk; 5 uses historical ranges and full risk disclosure",
                35,
            ),
        ],
    },
]

COMMENTS = [
    "开场建立信任较好，但利益部分没有量化。— Good rapport, but the benefit was not quantified.",
    "提问有层次，注意给客户留出思考时间。— Well-structured questions; leave the client time to think.",
    "合规提示到位。— Risk disclosure was well handled.",
    "过早介绍产品，建议先确认需求。— Pitched too early; confirm needs first.",
    "能用同业案例作为证据，很有说服力。— The peer case was convincing evidence.",
    "语速偏快，总结确认不够。— Spoke fast; summarise and confirm more.",
]


def second_trainer(ctx: DemoContext) -> Employee:
    """The demo's second expert trainer, TR002 (made by the first step that needs it)."""
    no, name = SECOND_TRAINER
    found = Employee.objects.filter(employee_no=no).first()
    if found is not None:
        return found
    first = Employee.objects.get(employee_no="TR001")
    user = get_user_model().objects.create(
        username=no, password=make_password(DEMO_PASSWORD), email=f"{no.lower()}@demo-bank.cn"
    )
    user.groups.add(Group.objects.get(name=Role.TRAINER.value))
    trainer = Employee.objects.create(
        employee_no=no,
        name=name,
        org_unit=first.org_unit,
        level=first.level,
        supervisor=first.supervisor,
        hire_date=dt.date(ctx.year - 9, 3, 1),
        email=f"{no.lower()}@demo-bank.cn",
        user=user,
    )
    return trainer


def _half(value: float, low: int, high: int) -> Decimal:
    clipped = min(max(value, low), high)
    return (Decimal(str(clipped)) / HALF).quantize(Decimal(1)) * HALF


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@demo_step(29)
def build_roleplays(ctx: DemoContext) -> None:
    """Four role-plays, a year of scored performances, a disagreement, and the account
    manager's scored performance with a script template attached."""
    rng = ctx.rng
    tr1 = Employee.objects.get(employee_no="TR001")
    tr2 = second_trainer(ctx)
    courses = {c.code: c for c in Course.objects.filter(code__in=[r["course"] for r in ROLEPLAYS])}
    competencies = {c.code: c.pk for c in Competency.objects.all()}
    roleplays: list[RolePlay] = []
    for spec in ROLEPLAYS:
        course = courses.get(spec["course"])
        roleplays.append(
            roleplay_create(
                data=RolePlayIn(
                    code=spec["code"],
                    title=spec["title"],
                    title_en=spec["title_en"],
                    learner_brief=spec["learner"],
                    learner_brief_en=spec["learner_en"],
                    client_brief=spec["client"],
                    client_brief_en=spec["client_en"],
                    course_id=course.pk if course else None,
                    competency_ids=tuple(
                        competencies[c] for c in spec["competencies"] if c in competencies
                    ),
                ),
                criteria=[
                    CriterionIn(
                        name=n, name_en=ne, description=d, description_en=de, weight=Decimal(w)
                    )
                    for n, ne, d, de, w in spec["criteria"]
                ],
            )
        )
    # What the experts hand out: the library's price-objection script and AML checklist.
    script = demo_toolkit_version("TK-PRICE")
    checklist = demo_toolkit_version("TK-AML-CDD")
    experts = [tr1, tr2]
    persona = ctx.data.get("persona_am") or Employee.objects.get(employee_no="AM0001")
    lead = persona.supervisor
    performers = list(
        Employee.objects.filter(active=True, user__groups__name=Role.ACCOUNT_MANAGER.value)
        .exclude(pk__in=[e.pk for e in experts])
        .distinct()
        .order_by("employee_no")[:60]
    )
    skill = {e.pk: rng.uniform(2.4, 4.6) for e in performers}
    skill[persona.pk] = 3.6

    plan: list[dict[str, Any]] = []  # performances with their assessors and scores
    for rp in roleplays:
        for _i in range(rng.randint(9, 12)):
            who = rng.choice(performers)
            day = ctx.today - dt.timedelta(days=rng.randint(10, 360))
            third = [lead] if lead is not None and rng.random() < 0.3 and who.pk != lead.pk else []
            plan.append({"rp": rp, "who": who, "day": day, "assessors": experts + third})
    # The account manager persona: scored by both experts, who hand out the script template.
    fabe = roleplays[0]
    plan.append(
        {
            "rp": fabe,
            "who": persona,
            "day": ctx.today - dt.timedelta(days=12),
            "assessors": experts,
            "attach": {tr1.pk: [script]},
            "persona": True,
        }
    )
    # The assessors clearly disagree on one criterion (objection handling).
    disagree = {
        "rp": fabe,
        "who": performers[1],
        "day": ctx.today - dt.timedelta(days=20),
        "assessors": experts,
        "disagree": True,
    }
    plan.append(disagree)
    aml = roleplays[2]
    plan.append(
        {
            "rp": aml,
            "who": performers[2],
            "day": ctx.today - dt.timedelta(days=30),
            "assessors": experts,
            "attach": {tr2.pk: [checklist]},
        }
    )
    # Waiting for scores: TR001's queue is not empty.
    plan.append(
        {
            "rp": roleplays[1],
            "who": performers[3],
            "day": ctx.today - dt.timedelta(days=2),
            "assessors": experts,
            "unscored": True,
        }
    )

    recent = ctx.today - dt.timedelta(days=45)
    performances = Performance.objects.bulk_create(
        [
            Performance(
                roleplay=p["rp"],
                performer=p["who"],
                performed_on=p["day"],
                created_by=tr1,
                status=PerformanceStatus.OPEN if p["day"] >= recent else PerformanceStatus.CLOSED,
            )
            for p in plan
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(performance=perf, assessor=a)
            for perf, p in zip(performances, plan, strict=True)
            for a in p["assessors"]
        ]
    )
    sheets: list[AssessorScore] = []
    sheet_plan: list[tuple[dict[str, Any], Employee]] = []
    for perf, p in zip(performances, plan, strict=True):
        if p.get("unscored"):
            continue
        for a in p["assessors"]:
            sheets.append(
                AssessorScore(
                    performance=perf,
                    assessor=a,
                    submitted_at=_at(p["day"], 15 + len(sheet_plan) % 3),
                    comment=rng.choice(COMMENTS),
                )
            )
            sheet_plan.append((p, a))
    sheets = AssessorScore.objects.bulk_create(sheets)
    criteria = {rp.pk: list(rp.criteria.order_by("order", "pk")) for rp in roleplays}
    values: list[CriterionScore] = []
    truth: dict[tuple[int, int], float] = {}
    attach_links = []
    for sheet, (p, a) in zip(sheets, sheet_plan, strict=True):
        rp = p["rp"]
        for i, c in enumerate(criteria[rp.pk]):
            key = (id(p), c.pk)
            if key not in truth:
                truth[key] = skill.get(p["who"].pk, 3.5) + rng.gauss(0, 0.45)
            value = _half(truth[key] + rng.gauss(0, 0.5), rp.scale_min, rp.scale_max)
            comment = ""
            if p.get("disagree") and i == 1:
                value = Decimal("4.5") if a.pk == tr1.pk else Decimal(2)
                comment = (
                    "先认同再转价值，处理得当。— Acknowledged, then turned to value: well done."
                    if a.pk == tr1.pk
                    else "客户一压价就让步，没有守住价格。— Gave way at the first push on price."
                )
            values.append(
                CriterionScore(assessor_score=sheet, criterion=c, value=value, comment=comment)
            )
        for version in p.get("attach", {}).get(a.pk, []):
            attach_links.append(
                AssessorScore.toolkit_versions.through(
                    assessorscore_id=sheet.pk, toolkitversion_id=version.pk
                )
            )
    CriterionScore.objects.bulk_create(values)
    AssessorScore.toolkit_versions.through.objects.bulk_create(attach_links)
    ctx.data["roleplays"] = {rp.code: rp for rp in roleplays}
    ctx.data["roleplay_persona_performance"] = next(
        perf for perf, p in zip(performances, plan, strict=True) if p.get("persona")
    )
    ctx.data["roleplay_disagreement"] = next(
        perf for perf, p in zip(performances, plan, strict=True) if p.get("disagree")
    )
    ctx.log(f"Role-plays: {len(roleplays)} drills, {len(performances)} performances")
