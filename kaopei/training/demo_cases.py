"""Demo data of the case library (its ``@demo_step``): a dozen success cases and failure
post-mortems a bank's account managers would recognise, in Chinese and English, several
from the brief's own examples, each with discussion questions and tagged with the demo's
competencies, metrics and courses."""

from __future__ import annotations

from typing import Any

from kaopei.assessment.models import Metric
from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Competency
from kaopei.training.demo_catalogue import demo_courses
from kaopei.training.models import Case, CaseKind, DiscussionQuestion, Industry

S, F = CaseKind.SUCCESS, CaseKind.FAILURE


def _case(
    code: str,
    kind: str,
    industry: str,
    title: tuple[str, str],
    situation: tuple[str, str],
    actions: tuple[str, str],
    outcome: tuple[str, str],
    lessons: tuple[str, str],
    tags: tuple[list[str], list[str], list[str]],
    questions: list[tuple[str, str]],
) -> dict[str, Any]:
    return {
        "code": code,
        "kind": kind,
        "industry": industry,
        "title": title[0],
        "title_en": title[1],
        "situation": situation[0],
        "situation_en": situation[1],
        "key_actions": actions[0],
        "key_actions_en": actions[1],
        "outcome": outcome[0],
        "outcome_en": outcome[1],
        "lessons": lessons[0],
        "lessons_en": lessons[1],
        "competencies": tags[0],
        "metrics": tags[1],
        "courses": tags[2],
        "questions": questions,
    }


CASES: list[dict[str, Any]] = [
    _case(
        "CASE-FABE-PRICE",
        S,
        Industry.MANUFACTURING,
        (
            "用 FABE 化解价格敏感型企业客户的费率异议",
            "A price-sensitive manufacturer's fee objection handled with FABE",
        ),
        (
            "一家年销售 6 亿元的汽配企业财务总监在续约时提出：他行结算费率低 30%，要求我行同等降价，否则转走结算。",
            "The CFO of a CNY 600m auto-parts maker said at renewal that another bank charged 30 % less for "
            "settlement and asked us to match it or lose the account.",
        ),
        (
            "确认客户关注成本，请客户列出比较的费用项\n把费率差拆到每月，实际差额约 1.2 万元\n用 FABE 讲现金管理归集：对账从三天缩到半天，闲置资金增收约 35 万元/年\n给出基础版与增值版两个方案\n费率小幅优惠换取代发工资业务",
            "Acknowledged that cost matters and asked which fees were compared\nBroke the gap down per month: "
            "about CNY 12k\nPresented cash pooling with FABE: reconciliation from three days to half a day, "
            "about CNY 350k more interest a year\nOffered a basic and an enhanced package\nTraded a small fee "
            "cut for the payroll business",
        ),
        (
            "客户选择增值版，结算留存，并新增 1,200 人代发工资；全年综合贡献较上年增长 18%。",
            "The client took the enhanced package, kept its settlement and moved payroll for 1,200 staff; its "
            "total contribution grew 18 % on the year.",
        ),
        (
            "价格异议往往是价值没讲清\n先算总成本再谈费率\n让价必须换条件",
            "A price objection often means the value was not made clear\nCompare total cost before fees\n"
            "Never cut a price without getting something back",
        ),
        (
            ["value_communication", "communication"],
            ["sales_amount", "profit_contribution"],
            ["FABE-201", "NEG-202"],
        ),
        [
            (
                "客户说“他行更便宜”时，你的第一句话会怎么说？",
                "What is your first sentence when a client says another bank is cheaper?",
            ),
            (
                "本案中哪一个“证据 E”最打动客户？为什么？",
                "Which piece of evidence convinced the client most, and why?",
            ),
            (
                "如果客户坚持只要降价，你还能换什么条件？",
                "If the client insists on a lower price only, what else could you trade for it?",
            ),
        ],
    ),
    _case(
        "CASE-SPIN-HNW",
        S,
        Industry.FINANCE,
        (
            "用 SPIN 提问发现高净值客户的资产配置需求",
            "A high-net-worth client's asset-allocation need found through SPIN questions",
        ),
        (
            "一位企业主客户在我行仅有 200 万元定期存款，多次拒绝理财推荐，称“不需要”。",
            "A business owner kept only CNY 2m on term deposit with us and refused every investment offer as "
            "'not needed'.",
        ),
        (
            "不再推荐产品，改用背景问题了解家庭与企业资产结构\n难点问题发现：资产 80% 集中在自家企业，子女即将出国留学\n暗示问题：企业经营波动对家庭与留学资金意味着什么\n需求—效益问题让客户自己说出“要把家庭资产和企业隔开”\n联合私行顾问出具配置建议",
            "Stopped pitching and asked situation questions about the family's and the firm's assets\nProblem "
            "questions showed 80 % of wealth tied up in the firm and children about to study abroad\n"
            "Implication questions: what a bad year for the firm would mean for the family and the tuition\n"
            "Need-payoff questions let the client say himself that family assets must be separated from the "
            "business\nBrought in a private-banking adviser for an allocation proposal",
        ),
        (
            "三个月内客户新增 1,800 万元管理资产，配置了保险金信托、留学外汇与稳健型理财。",
            "Within three months the client added CNY 18m of assets under management: an insurance trust, "
            "foreign currency for tuition and low-risk funds.",
        ),
        (
            "客户说“不需要”时，往往是还没意识到问题\n暗示问题是让客户自己看见风险的关键\n先诊断后开方",
            "'Not needed' often means the client has not seen the problem yet\nImplication questions let the "
            "client see the risk himself\nDiagnose before you prescribe",
        ),
        (
            ["needs_discovery", "communication"],
            ["sales_amount", "opportunity_win_rate"],
            ["SPIN-101", "SPIN-201", "WM-201"],
        ),
        [
            (
                "本案中哪一个暗示问题改变了客户的态度？",
                "Which implication question changed the client's mind?",
            ),
            (
                "请为这位客户再设计两个需求—效益问题。",
                "Write two more need-payoff questions for this client.",
            ),
            ("什么时候应该请私行顾问加入？", "When should a private-banking adviser join?"),
        ],
    ),
    _case(
        "CASE-TENDER-LOST",
        F,
        Industry.PUBLIC,
        (
            "跟进不及时，错失市属医院集团代发与结算招标",
            "A late follow-up that lost a city hospital group's tender",
        ),
        (
            "市属医院集团计划通过招标选定代发工资与结算银行。客户经理首次拜访反馈良好，但此后三周没有跟进。",
            "A city hospital group was to choose its payroll and settlement bank by tender. The first visit "
            "went well, but the account manager did not follow up for three weeks.",
        ),
        (
            "首次拜访后未在 48 小时内发送会谈纪要\n招标文件发布后才开始准备方案，时间仓促\n未识别信息科负责人是关键决策人\n方案未回应对方提出的系统对接需求",
            "No meeting notes sent within 48 hours of the first visit\nStarted the proposal only once the "
            "tender was published, in a rush\nMissed that the head of IT was a key decision-maker\nThe "
            "proposal did not answer the system-integration need the client had raised",
        ),
        (
            "我行技术评分排名第四，未中标；竞争对手在三周内安排了两次高层拜访和一次系统演示。",
            "We ranked fourth on the technical score and lost; the competitor held two senior meetings and a "
            "system demo in those three weeks.",
        ),
        (
            "拜访后 48 小时内跟进并书面确认需求\n绘制客户决策链，别只盯财务\n招标前就把方案做进客户需求里",
            "Follow up within 48 hours and confirm needs in writing\nMap the decision chain, not just finance\n"
            "Shape the client's requirements before the tender is published",
        ),
        (
            ["key_account_mgmt", "communication"],
            ["opportunity_win_rate", "visit_count", "response_hours"],
            ["KAM-301", "CRM-101"],
        ),
        [
            (
                "三周内至少应该做哪三件事？",
                "Which three things should have happened in those three weeks?",
            ),
            (
                "如何在首次拜访中识别关键决策人？",
                "How do you spot the key decision-makers on a first visit?",
            ),
            (
                "你所在团队的跟进时效目前是多少？如何改进？",
                "How fast does your team follow up today, and how would you improve it?",
            ),
        ],
    ),
    _case(
        "CASE-AML-ONBOARD",
        S,
        Industry.OTHER,
        ("开户环节识别反洗钱可疑信号", "An AML red flag caught at onboarding"),
        (
            "一家新注册的贸易公司要求当天开立对公账户，并表示次日将有 3,000 万元资金入账后立即转出。",
            "A newly registered trading company wanted a corporate account the same day and said CNY 30m "
            "would arrive the next day and leave again at once.",
        ),
        (
            "按尽调清单核验受益所有人，发现实际控制人与注册信息不一致\n实地走访发现经营地址为共享办公工位\n未向客户透露怀疑，按流程暂缓开户\n当日向合规部门报告可疑情况",
            "Checked the beneficial owners against the due-diligence list: the controller did not match the "
            "register\nA site visit found only a hot desk at the business address\nDid not tip off the "
            "client and paused the opening as the procedure says\nReported to compliance the same day",
        ),
        (
            "合规部门上报后，该公司被认定涉及跨境赌博资金通道；我行避免了监管处罚，分行对该客户经理予以表彰。",
            "After compliance reported it, the company turned out to be a channel for cross-border gambling "
            "money; the bank avoided a penalty and the branch commended the account manager.",
        ),
        (
            "业绩压力不能压过尽调\n“急”本身就是信号\n不提示客户，及时上报",
            "Sales pressure never overrides due diligence\nUrgency itself is a red flag\nDo not tip off; "
            "report at once",
        ),
        (["risk_compliance"], ["compliance_incidents"], ["AML-101", "KYC-201"]),
        [
            ("本案中有哪些可疑信号？", "Which red flags did this case show?"),
            (
                "客户追问“为什么还不能开户”时，你会怎么回答？",
                "What do you say when the client asks why the account is not open yet?",
            ),
        ],
    ),
    _case(
        "CASE-SCF-MFG",
        S,
        Industry.MANUFACTURING,
        ("为装备制造企业搭建供应链金融", "Supply-chain finance for an equipment manufacturer"),
        (
            "一家工程机械制造企业有 300 多家上游供应商，账期 120 天，供应商频繁要求提前付款，影响核心企业议价。",
            "A construction-machinery maker had over 300 suppliers on 120-day terms; suppliers kept asking "
            "for early payment, weakening the maker's bargaining.",
        ),
        (
            "用诊断清单评估核心企业确权意愿与数据对接能力\n设计应收账款电子凭证，供应商可拆分、转让、贴现\n联合分行产品经理与科技部门完成系统对接\n分批组织供应商培训",
            "Used the diagnosis checklist on the anchor's willingness to confirm payables and its data\n"
            "Designed electronic receivable certificates suppliers can split, transfer and discount\n"
            "Connected systems with the branch's product and IT teams\nTrained suppliers in groups",
        ),
        (
            "一年内 160 家供应商上线，累计融资 8.6 亿元；核心企业日均存款增加 2.1 亿元。",
            "Within a year 160 suppliers joined and CNY 860m was financed; the anchor's average deposits "
            "rose by CNY 210m.",
        ),
        (
            "从核心企业的痛点切入，而不是从产品切入\n链上客户是新客户的来源",
            "Start from the anchor's pain, not from the product\nThe chain is a source of new clients",
        ),
        (["product_knowledge", "needs_discovery"], ["new_customers", "sales_amount"], ["SCF-201"]),
        [
            (
                "核心企业为什么愿意确权？",
                "Why was the anchor firm willing to confirm its payables?",
            ),
            (
                "如何把链上供应商转化为我行的综合客户？",
                "How do you turn the suppliers into full clients of the bank?",
            ),
        ],
    ),
    _case(
        "CASE-PRIVACY-NEAR",
        F,
        Industry.RETAIL,
        ("一次险些发生的客户信息泄露", "A data-privacy near-miss"),
        (
            "客户经理为赶进度，用个人微信把连锁超市客户的 200 名员工代发名单（含身份证号）发给对方财务，误发到了同名的另一个联系人。",
            "Rushing, an account manager sent a supermarket chain's payroll list of 200 staff, with ID "
            "numbers, by personal WeChat to the client's finance contact — and picked another contact with "
            "the same name.",
        ),
        (
            "两分钟内发现并撤回消息\n当日向支行长与合规部门报告\n联系误收人确认未保存并删除\n事后改用加密邮件并脱敏传输",
            "Noticed and recalled the message within two minutes\nReported to the branch head and compliance "
            "the same day\nHad the recipient confirm nothing was saved and delete it\nSwitched to encrypted, "
            "masked e-mail afterwards",
        ),
        (
            "未造成信息外泄，但被通报批评；分行据此修订了客户信息保护清单。",
            "No data leaked, but the account manager was reprimanded, and the branch revised its "
            "data-privacy checklist.",
        ),
        (
            "个人社交工具不能传客户资料\n外发前脱敏加密\n出错立刻报告，比隐瞒代价小得多",
            "Personal messaging apps never carry client data\nMask and encrypt before sending\nReporting a "
            "mistake at once costs far less than hiding it",
        ),
        (["risk_compliance", "digital_tools"], ["compliance_incidents"], ["PRIV-101"]),
        [
            ("本案中哪一步最先出了问题？", "Where did things first go wrong?"),
            (
                "你的团队里还有哪些类似的习惯需要改？",
                "Which similar habits in your team need to change?",
            ),
        ],
    ),
    _case(
        "CASE-TECH-CASH",
        S,
        Industry.TECHNOLOGY,
        (
            "软件企业的跨境收款与现金管理",
            "Cross-border collections and cash management for a software firm",
        ),
        (
            "一家 SaaS 企业海外收入占比 40%，美元回款慢、汇兑成本高，财务人员手工对账。",
            "A SaaS firm earned 40 % of revenue abroad; dollar collections were slow, FX costly and "
            "reconciliation manual.",
        ),
        (
            "走访财务与 CTO，了解收款流程\n提供多币种账户与 API 直连对账\n用 FABE 对比年度汇兑与人力成本",
            "Met the CFO and CTO to walk through collections\nOffered multi-currency accounts and API "
            "reconciliation\nCompared yearly FX and staff costs with FABE",
        ),
        (
            "回款周期从 12 天缩短到 3 天，客户将主结算行迁至我行。",
            "Collections fell from 12 days to 3; the client made us its main settlement bank.",
        ),
        (
            "科技企业看重系统对接，要带上技术人员拜访",
            "Tech firms care about integration: bring technical staff to the visit",
        ),
        (
            ["digital_tools", "value_communication"],
            ["new_customers", "collection_days"],
            ["CASH-201", "FABE-201"],
        ),
        [
            ("为什么要同时拜访 CFO 和 CTO？", "Why meet both the CFO and the CTO?"),
            (
                "如何量化 API 直连给客户带来的价值？",
                "How would you put a number on the value of API reconciliation?",
            ),
        ],
    ),
    _case(
        "CASE-RE-RISK",
        F,
        Industry.REAL_ESTATE,
        ("房地产客户风险预警信号被忽视", "Warning signs at a property developer ignored"),
        (
            "某地产开发商连续两个季度推迟支付工程款，销售回款下降，但客户经理认为“老客户没问题”，未上报预警。",
            "A developer delayed contractor payments two quarters running and sales receipts fell, but the "
            "account manager thought 'an old client is fine' and raised no warning.",
        ),
        (
            "未按季度复核客户经营数据\n对舆情中的工程款纠纷未做核实\n贷后检查流于形式",
            "No quarterly review of the client's figures\nDid not check press reports of payment disputes\n"
            "Post-loan checks were a formality",
        ),
        (
            "客户出现债务违约，我行贷款被迫展期，分行计提大额拨备。",
            "The client defaulted; our loan had to be extended and the branch booked a large provision.",
        ),
        (
            "关系越好越要按规矩复核\n早预警比晚处置成本低",
            "The closer the relationship, the more you follow the review rules\nEarly warning is cheaper than late workout",
        ),
        (
            ["risk_compliance", "crisis_handling"],
            ["compliance_incidents", "profit_contribution"],
            ["RISK-102"],
        ),
        [
            ("本案中最早出现的预警信号是什么？", "What was the first warning sign?"),
            (
                "“老客户没问题”这种想法如何避免？",
                "How do you guard against 'an old client is fine'?",
            ),
        ],
    ),
    _case(
        "CASE-HOSP-SVC",
        S,
        Industry.HEALTHCARE,
        ("民营医院的年度服务方案", "An annual service plan for a private hospital"),
        (
            "一家民营专科医院在我行只有基本户，扩张新院区需要资金与收款系统。",
            "A private specialist hospital held only a basic account with us and needed funding and "
            "payment systems for a new campus.",
        ),
        (
            "用年度服务方案模板梳理客户全年需求\n按季度安排拜访与院长互访\n组合提供固定资产贷款、聚合收款与员工代发",
            "Mapped the year's needs with the annual service plan template\nPlanned quarterly visits and "
            "meetings with the director\nCombined a capex loan, unified patient payments and payroll",
        ),
        (
            "客户综合贡献提升 3 倍，成为分行医疗行业标杆客户。",
            "The client's contribution tripled; it became the branch's reference client in healthcare.",
        ),
        (
            "年度方案让服务从“一单一单”变成“一年一盘”",
            "An annual plan turns one-off deals into a year's relationship",
        ),
        (
            ["key_account_mgmt", "product_knowledge"],
            ["profit_contribution", "strategic_coverage", "nps"],
            ["KAM-301", "SVC-101"],
        ),
        [
            ("年度服务方案中哪一部分最难写？", "Which part of an annual plan is hardest to write?"),
            (
                "如何让客户高层参与方案评审？",
                "How do you get the client's leadership to review the plan?",
            ),
        ],
    ),
    _case(
        "CASE-ENERGY-COMPLAINT",
        S,
        Industry.ENERGY,
        ("光伏企业投诉的快速处置", "A solar company's complaint resolved fast"),
        (
            "一家光伏企业因跨行大额付款延迟到账向监管投诉，威胁转移全部业务。",
            "A solar company complained to the regulator about a delayed large interbank payment and "
            "threatened to move all its business.",
        ),
        (
            "2 小时内上门致歉并说明原因\n协调运营部门查明系统排队问题并加急处理\n48 小时内书面回复整改措施\n一个月后回访确认满意",
            "Apologised in person within 2 hours and explained the cause\nHad operations trace the queueing "
            "fault and expedite the payment\nReplied in writing with the fixes within 48 hours\nCalled back "
            "a month later to confirm satisfaction",
        ),
        (
            "客户撤回投诉并新增一笔 5,000 万元授信需求。",
            "The client withdrew the complaint and asked for a new CNY 50m facility.",
        ),
        (
            "投诉是挽留客户的机会：快、真诚、闭环",
            "A complaint is a chance to keep the client: fast, sincere, closed loop",
        ),
        (
            ["crisis_handling", "communication"],
            ["complaint_resolution_rate", "nps", "response_hours"],
            ["SVC-101"],
        ),
        [
            ("为什么要在 2 小时内上门？", "Why go in person within 2 hours?"),
            ("书面回复应包括哪些内容？", "What belongs in the written reply?"),
        ],
    ),
    _case(
        "CASE-RETAIL-CRM",
        F,
        Industry.RETAIL,
        ("连锁零售客户流失：CRM 记录缺失", "A retail chain lost because the CRM was empty"),
        (
            "负责某连锁零售客户的客户经理离职，接手人发现 CRM 中近一年没有拜访记录，客户关键人已更换。",
            "When the account manager of a retail chain left, the successor found no visit logged in the "
            "CRM for a year and the client's key people had changed.",
        ),
        (
            "交接时没有客户关系图谱\n新任财务总监与他行已有合作\n我行首次拜访已是三个月后",
            "No relationship map at handover\nThe new CFO already worked with another bank\nOur first visit "
            "came three months later",
        ),
        (
            "客户将代发和结算转至他行，年贡献减少约 260 万元。",
            "The client moved payroll and settlement elsewhere; about CNY 2.6m a year was lost.",
        ),
        (
            "拜访必录入，关系靠团队而不是个人",
            "Log every visit: the relationship belongs to the team, not one person",
        ),
        (["digital_tools", "key_account_mgmt"], ["visit_count", "strategic_coverage"], ["CRM-101"]),
        [
            ("客户交接清单应包括什么？", "What belongs on a client handover list?"),
            (
                "如何让团队养成及时录入 CRM 的习惯？",
                "How do you make timely CRM logging a team habit?",
            ),
        ],
    ),
    _case(
        "CASE-PUBLIC-DIGITAL",
        S,
        Industry.PUBLIC,
        ("区政务服务中心的数字化收缴", "Digital fee collection for a district service centre"),
        (
            "区政务服务中心每天有数百笔现金和 POS 收费，对账慢、差错多。",
            "A district government service centre took hundreds of cash and card payments a day; "
            "reconciliation was slow and error-prone.",
        ),
        (
            "用 SPIN 了解各窗口收费流程与痛点\n提供聚合收款码与自动对账报表\n驻点一周辅导窗口人员",
            "Used SPIN to learn each counter's process and pains\nProvided a unified payment code and "
            "automatic reconciliation reports\nSpent a week on site coaching counter staff",
        ),
        (
            "差错率降为零，中心将财政零余额账户开在我行。",
            "Errors fell to zero; the centre moved its treasury account to us.",
        ),
        (
            "政府客户重视合规与稳定，试点先行",
            "Public clients value compliance and stability: pilot first",
        ),
        (
            ["needs_discovery", "digital_tools"],
            ["new_customers", "strategic_coverage"],
            ["SPIN-101", "BI-101"],
        ),
        [
            ("政府类客户的决策流程有什么特点？", "How do public-sector clients decide?"),
            ("驻点辅导的成本值得吗？", "Was a week on site worth its cost?"),
        ],
    ),
]


def _make(spec: dict[str, Any], competencies: dict[str, Any], metrics: dict[str, Any]) -> Case:
    case = Case.objects.create(
        code=spec["code"],
        kind=spec["kind"],
        industry=spec["industry"],
        **{
            k: spec[k]
            for k in (
                "title",
                "title_en",
                "situation",
                "situation_en",
                "key_actions",
                "key_actions_en",
                "outcome",
                "outcome_en",
                "lessons",
                "lessons_en",
            )
        },
    )
    case.competencies.set([competencies[c] for c in spec["competencies"] if c in competencies])
    case.metrics.set([metrics[m] for m in spec["metrics"] if m in metrics])
    case.courses.set(list(demo_courses(spec["courses"]).values()))
    DiscussionQuestion.objects.bulk_create(
        DiscussionQuestion(case=case, order=i, text=zh, text_en=en)
        for i, (zh, en) in enumerate(spec["questions"], start=1)
    )
    return case


@demo_step(31)
def build_cases(ctx: DemoContext) -> None:
    """The case library: a dozen cases with discussion questions."""
    competencies = {c.code: c for c in Competency.objects.all()}
    metrics = {m.code: m for m in Metric.objects.all()}
    existing = set(Case.objects.values_list("code", flat=True))
    for spec in CASES:
        if spec["code"] not in existing:
            _make(spec, competencies, metrics)
    ctx.log(f"cases: {len(CASES)} cases")
