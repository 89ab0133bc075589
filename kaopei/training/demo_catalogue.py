"""Demo data of the course catalogue: a starter programme of eighteen courses a bank's
corporate-banking trainers would run — SPIN needs discovery, FABE value communication and
negotiation, AML and customer due diligence, data privacy, anti-bribery, the risk
early-warning checklist, CRM and BI, and the corporate product line — each with the
competencies and metrics it improves, the demo trainer, and for a few courses a handout
(a Markdown checklist stored through the storage API).

Course codes other areas rely on: SPIN-101, FABE-201, NEG-202, AML-101, PRIV-101, ABC-101,
RISK-102, CRM-101, BI-101, PROD-101 (see the shared brief); ``ctx.data["courses"]`` maps
every code to its course.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from simple_history.utils import bulk_create_with_history

from kaopei.assessment.models import Metric
from kaopei.core.demo import DemoContext, demo_step
from kaopei.core.roles import Role
from kaopei.org.models import Competency, Employee
from kaopei.training.models import Course, CourseMaterial

# code, module, format, hours, title, title_en, description, description_en, objectives,
# objectives_en, competencies, metrics
COURSES: list[dict[str, Any]] = [
    {
        "code": "SPIN-101",
        "module": "needs_discovery",
        "format": "role_play",
        "hours": "6",
        "title": "需求挖掘：SPIN 提问法",
        "title_en": "Needs discovery: SPIN questioning",
        "description": (
            "以对公客户拜访为场景，系统练习背景问题、难点问题、暗示问题和需求—效益问题四类提问。"
            "学员两两分组，用真实行业案例（制造业回款慢、外贸企业汇率敞口）进行角色扮演，"
            "由讲师按提问质量逐轮点评。"
        ),
        "description_en": (
            "Four kinds of questions — situation, problem, implication and need-payoff — "
            "practised on corporate client visits. Pairs role-play real cases (a manufacturer "
            "paid late, an exporter exposed to FX swings) and the trainer reviews each round."
        ),
        "objectives": (
            "用背景问题在 5 分钟内摸清客户经营与账户现状\n"
            "用难点问题找出客户在结算、融资、理财上的不满\n"
            "用暗示问题把隐性痛点放大为客户愿意解决的问题\n"
            "引导客户自己说出需求—效益，为方案介绍铺路"
        ),
        "objectives_en": (
            "Map the client's business and accounts with situation questions in five minutes\n"
            "Find dissatisfaction with settlement, financing and investment with problem "
            "questions\n"
            "Turn implicit pain into problems worth solving with implication questions\n"
            "Let the client state the payoff in their own words before any proposal"
        ),
        "competencies": ["needs_discovery", "communication"],
        "metrics": ["opportunity_win_rate", "visit_count", "new_customers"],
    },
    {
        "code": "SPIN-201",
        "module": "needs_discovery",
        "format": "case",
        "hours": "4",
        "title": "高层拜访与需求确认",
        "title_en": "Meeting senior executives and confirming needs",
        "description": (
            "面向有一定经验的客户经理：如何约见企业财务总监和董事长，如何在 30 分钟内确认决策链、"
            "预算与时间表。以三家战略客户的拜访纪要为案例复盘。"
        ),
        "description_en": (
            "For experienced account managers: getting time with CFOs and chairpersons, and "
            "confirming the decision chain, budget and timetable within 30 minutes. Three "
            "strategic-client visit notes are reviewed as cases."
        ),
        "objectives": (
            "准备一页纸的客户洞察与拜访目标\n识别决策人、影响人与使用人\n以书面纪要确认需求与下一步"
        ),
        "objectives_en": (
            "Prepare a one-page client insight and visit goal\n"
            "Identify the decision maker, influencers and users\n"
            "Confirm needs and next steps in written minutes"
        ),
        "competencies": ["needs_discovery", "key_account_mgmt"],
        "metrics": ["opportunity_win_rate", "strategic_coverage"],
    },
    {
        "code": "FABE-201",
        "module": "value_communication",
        "format": "role_play",
        "hours": "6",
        "title": "价值传递：FABE 与异议处理",
        "title_en": "Value communication: FABE and objection handling",
        "description": (
            "用特征（Feature）、优势（Advantage）、利益（Benefit）、证据（Evidence）四步把产品讲成"
            "客户的收益，并练习“价格太高”“别家行更快”“再考虑一下”等常见异议的应对。"
        ),
        "description_en": (
            "Feature, advantage, benefit, evidence: turning a product into the client's gain, "
            "and answering the usual objections — “too expensive”, “the other bank is faster”, "
            "“let me think about it”."
        ),
        "objectives": (
            "把一款对公产品写成 FABE 话术卡\n"
            "用客户案例和数据作为证据，而不是空泛承诺\n"
            "用“认同—澄清—回应—确认”四步处理异议"
        ),
        "objectives_en": (
            "Write a FABE talk card for one corporate product\n"
            "Use client cases and figures as evidence, not vague promises\n"
            "Handle objections in four steps: acknowledge, clarify, answer, confirm"
        ),
        "competencies": ["value_communication", "communication"],
        "metrics": ["opportunity_win_rate", "sales_amount"],
    },
    {
        "code": "NEG-202",
        "module": "value_communication",
        "format": "role_play",
        "hours": "6",
        "title": "商务谈判",
        "title_en": "Business negotiation",
        "description": (
            "围绕贷款定价、手续费减免和综合收益测算进行谈判演练。学员学习设定底线与目标、"
            "交换让步而不是单方面让利，并在谈判后形成可执行的合作条款。"
        ),
        "description_en": (
            "Negotiation drills on loan pricing, fee waivers and whole-relationship returns. "
            "Set a walk-away point and a target, trade concessions rather than give them "
            "away, and close with terms both sides can execute."
        ),
        "objectives": (
            "谈判前测算客户综合贡献与我行底线\n用条件式让步换取存款、结算等综合业务\n识别并应对常见施压策略"
        ),
        "objectives_en": (
            "Calculate the client's total contribution and the bank's floor before talks\n"
            "Trade conditional concessions for deposits and settlement business\n"
            "Recognise and answer common pressure tactics"
        ),
        "competencies": ["value_communication", "key_account_mgmt"],
        "metrics": ["sales_amount", "opportunity_win_rate"],
    },
    {
        "code": "AML-101",
        "module": "compliance",
        "format": "lecture",
        "hours": "3",
        "title": "反洗钱与客户尽职调查",
        "title_en": "Anti-money laundering and customer due diligence",
        "description": (
            "年度必修。讲解客户身份识别、受益所有人穿透、可疑交易识别与报告流程，"
            "结合近年监管处罚案例说明客户经理在开户、授信和日常交易监测中的责任。"
        ),
        "description_en": (
            "Mandatory every year. Customer identification, beneficial-owner look-through, "
            "spotting and reporting suspicious transactions, with recent regulatory penalty "
            "cases showing the account manager's duties at onboarding, lending and monitoring."
        ),
        "objectives": (
            "按要求完成企业客户身份识别与受益所有人识别\n"
            "识别空壳公司、异常资金快进快出等典型可疑特征\n"
            "掌握可疑交易内部报告的时限与路径"
        ),
        "objectives_en": (
            "Identify corporate clients and their beneficial owners as required\n"
            "Recognise shell companies, rapid in-and-out flows and other red flags\n"
            "Know the deadlines and route of an internal suspicious-transaction report"
        ),
        "competencies": ["risk_compliance"],
        "metrics": ["compliance_incidents"],
        "material": (
            "反洗钱客户尽职调查清单.md",
            "《反洗钱客户尽职调查清单》",
            "# 反洗钱客户尽职调查清单\n\n"
            "## 开户前\n"
            "- [ ] 核验营业执照、法定代表人身份证件原件\n"
            "- [ ] 穿透识别受益所有人（持股 25% 以上或实际控制人）\n"
            "- [ ] 核实经营地址与实际经营情况（上门核实并留存照片）\n"
            "- [ ] 查询制裁名单、涉恐名单及负面舆情\n\n"
            "## 持续尽调\n"
            "- [ ] 交易规模与经营规模是否匹配\n"
            "- [ ] 是否存在资金快进快出、分散转入集中转出\n"
            "- [ ] 客户信息变更后 10 个工作日内更新\n\n"
            "## 可疑情形\n"
            "- [ ] 发现可疑特征当日向合规部内部报告，不得向客户透露\n",
        ),
    },
    {
        "code": "KYC-201",
        "module": "compliance",
        "format": "case",
        "hours": "3",
        "title": "客户准入与资质审查",
        "title_en": "Client qualification review",
        "description": (
            "以授信前的资质审查为主线，练习审阅财务报表、征信报告和关联关系，识别隐性负债与"
            "关联交易风险，明确客户经理与审批岗的分工。"
        ),
        "description_en": (
            "The qualification review before lending: reading financial statements, credit "
            "reports and group relationships, spotting hidden debt and related-party risk, "
            "and the split of duties between account manager and approver."
        ),
        "objectives": (
            "读懂三张报表中的关键风险科目\n通过征信与工商信息识别关联关系\n写出有依据的准入意见"
        ),
        "objectives_en": (
            "Read the key risk items of the three financial statements\n"
            "Find group relationships from credit and registry data\n"
            "Write a reasoned qualification opinion"
        ),
        "competencies": ["risk_compliance", "product_knowledge"],
        "metrics": ["compliance_incidents"],
    },
    {
        "code": "PRIV-101",
        "module": "compliance",
        "format": "e_learning",
        "hours": "2",
        "title": "客户信息保护与数据隐私",
        "title_en": "Client information protection and data privacy",
        "description": (
            "年度必修线上课。依据《个人信息保护法》和行内数据分级制度，说明客户资料的收集、"
            "存储、传输与销毁要求，以及微信传送报表、私人邮箱办公等常见违规。"
        ),
        "description_en": (
            "Mandatory yearly e-learning. Under the Personal Information Protection Law and "
            "the bank's data classification: collecting, storing, sending and destroying "
            "client data, and common breaches such as sending statements over WeChat."
        ),
        "objectives": (
            "区分客户数据的敏感等级与对应的处理要求\n只通过行内渠道传输客户资料\n发现数据泄露时按流程报告"
        ),
        "objectives_en": (
            "Tell the sensitivity levels of client data and how each is handled\n"
            "Send client data through the bank's own channels only\n"
            "Report a data leak through the proper procedure"
        ),
        "competencies": ["risk_compliance"],
        "metrics": ["compliance_incidents"],
    },
    {
        "code": "ABC-101",
        "module": "compliance",
        "format": "e_learning",
        "hours": "1.5",
        "title": "反商业贿赂",
        "title_en": "Anti-bribery",
        "description": (
            "讲解礼品、宴请、差旅赞助的边界和申报要求，辨析“感谢费”“返点”等变相利益输送，"
            "并通过情景题检验判断。"
        ),
        "description_en": (
            "Where gifts, hospitality and sponsored travel cross the line, how to declare "
            "them, and disguised kickbacks such as “thank-you fees” and rebates, tested "
            "with scenario questions."
        ),
        "objectives": ("掌握礼品与宴请的金额标准和申报流程\n识别变相利益输送\n知道如何拒绝并报告"),
        "objectives_en": (
            "Know the limits and declaration of gifts and hospitality\n"
            "Recognise disguised kickbacks\n"
            "Know how to refuse and report"
        ),
        "competencies": ["risk_compliance"],
        "metrics": ["compliance_incidents"],
    },
    {
        "code": "RISK-102",
        "module": "compliance",
        "format": "case",
        "hours": "3",
        "title": "风险预警清单",
        "title_en": "Risk early-warning checklist",
        "description": (
            "以贷后管理为场景，逐条讲解风险预警清单：回款放缓、实控人变更、涉诉、欠薪欠税、"
            "上下游集中度变化等信号，并演练发现信号后的报告与处置。"
        ),
        "description_en": (
            "Post-loan monitoring with the early-warning checklist: slowing collections, a "
            "change of controlling owner, lawsuits, unpaid wages or tax, shifting supplier "
            "concentration — and what to report and do once a signal appears."
        ),
        "objectives": (
            "按月对照清单检查存量客户\n在发现预警信号 2 个工作日内提交预警报告\n提出可执行的风险缓释措施"
        ),
        "objectives_en": (
            "Check existing clients against the list every month\n"
            "File a warning within two working days of a signal\n"
            "Propose workable mitigation"
        ),
        "competencies": ["risk_compliance", "crisis_handling"],
        "metrics": ["compliance_incidents", "collection_days"],
        "material": (
            "风险预警信号清单.md",
            "《风险预警信号清单》",
            "# 风险预警信号清单\n\n"
            "| 类别 | 信号 | 处置时限 |\n|---|---|---|\n"
            "| 经营 | 回款周期较上季度延长 30 天以上 | 2 个工作日内报告 |\n"
            "| 治理 | 实际控制人、法定代表人变更 | 2 个工作日内报告 |\n"
            "| 法律 | 新增涉诉、被执行或股权冻结 | 当日报告 |\n"
            "| 财务 | 欠缴税款、拖欠工资、社保断缴 | 2 个工作日内报告 |\n"
            "| 交易 | 主要上下游客户集中度大幅变化 | 下次拜访核实 |\n",
        ),
    },
    {
        "code": "CRM-101",
        "module": "digital_tools",
        "format": "e_learning",
        "hours": "2",
        "title": "CRM 客户画像",
        "title_en": "CRM client profiles",
        "description": (
            "在 CRM 中建立和维护客户画像：基本信息、关系图谱、产品持有、商机和拜访记录，"
            "并用画像标签筛选下一季度的重点拜访名单。"
        ),
        "description_en": (
            "Building and keeping client profiles in the CRM — basics, relationship map, "
            "products held, opportunities and visit notes — and using profile tags to pick "
            "next quarter's priority visits."
        ),
        "objectives": (
            "拜访后 24 小时内录入拜访记录与商机\n维护关系图谱中的关键联系人\n用画像标签生成拜访名单"
        ),
        "objectives_en": (
            "Log visits and opportunities within 24 hours\n"
            "Keep key contacts in the relationship map\n"
            "Build a visit list from profile tags"
        ),
        "competencies": ["digital_tools"],
        "metrics": ["visit_count", "response_hours"],
    },
    {
        "code": "BI-101",
        "module": "digital_tools",
        "format": "e_learning",
        "hours": "2",
        "title": "BI 驾驶舱",
        "title_en": "BI dashboards",
        "description": (
            "读懂分行 BI 驾驶舱：存贷款日均、中收、商机漏斗和客户流失预警，学会下钻到客户层面"
            "找出变化原因，并据此调整本周工作计划。"
        ),
        "description_en": (
            "Reading the branch BI dashboard — average balances, fee income, the opportunity "
            "funnel and churn warnings — drilling down to clients to find what changed, and "
            "adjusting the week's plan accordingly."
        ),
        "objectives": (
            "看懂驾驶舱核心指标的口径\n下钻定位指标变化的客户来源\n每周用数据复盘个人业绩"
        ),
        "objectives_en": (
            "Understand how the dashboard's key figures are defined\n"
            "Drill down to the clients behind a change\n"
            "Review one's own results with data every week"
        ),
        "competencies": ["digital_tools"],
        "metrics": ["sales_amount", "opportunity_win_rate"],
    },
    {
        "code": "PROD-101",
        "module": "product",
        "format": "lecture",
        "hours": "4",
        "title": "对公产品知识",
        "title_en": "Corporate banking products",
        "description": (
            "新入职客户经理的产品地图：对公存款、流动资金贷款、票据、国际结算、现金管理和代发工资，"
            "说明每类产品解决客户什么问题以及我行的准入要求。"
        ),
        "description_en": (
            "The product map for new account managers: corporate deposits, working-capital "
            "loans, bills, trade settlement, cash management and payroll — what each solves "
            "for the client and the bank's eligibility rules."
        ),
        "objectives": (
            "说出主要对公产品的适用客户与场景\n为一家客户搭配基础产品组合\n知道各产品的准入和定价审批路径"
        ),
        "objectives_en": (
            "Name the clients and situations each main product fits\n"
            "Put together a basic product set for a client\n"
            "Know each product's eligibility and pricing approval route"
        ),
        "competencies": ["product_knowledge"],
        "metrics": ["sales_amount", "new_customers"],
    },
    {
        "code": "CASH-201",
        "module": "product",
        "format": "case",
        "hours": "3",
        "title": "对公结算与现金管理",
        "title_en": "Corporate settlement and cash management",
        "description": (
            "以集团客户资金归集为案例，讲解对公结算、票据池、资金池和银企直连方案，"
            "以及如何用结算沉淀带动存款与中收。"
        ),
        "description_en": (
            "A group client's cash pooling as the case: corporate settlement, bill pools, "
            "cash pools and host-to-host connections, and how settlement flows bring deposits "
            "and fee income."
        ),
        "objectives": (
            "为集团客户设计资金归集方案\n测算结算沉淀带来的存款与中收\n协调科技部门完成银企直连"
        ),
        "objectives_en": (
            "Design a cash-pooling set-up for a group client\n"
            "Estimate the deposits and fees settlement brings\n"
            "Coordinate a host-to-host connection with IT"
        ),
        "competencies": ["product_knowledge", "key_account_mgmt"],
        "metrics": ["sales_amount", "profit_contribution"],
    },
    {
        "code": "SCF-201",
        "module": "product",
        "format": "case",
        "hours": "4",
        "title": "供应链金融",
        "title_en": "Supply-chain finance",
        "description": (
            "围绕核心企业及其上下游，讲解应收账款融资、订单融资、反向保理和电子债权凭证，"
            "用一家汽车零部件集团的链条做方案设计练习。"
        ),
        "description_en": (
            "Receivables finance, purchase-order finance, reverse factoring and electronic "
            "payables around a core company and its suppliers, with a car-parts group's chain "
            "as the design exercise."
        ),
        "objectives": (
            "识别适合做供应链金融的核心企业\n为上游供应商设计融资方案\n把控贸易背景真实性风险"
        ),
        "objectives_en": (
            "Recognise a core company suited to supply-chain finance\n"
            "Design financing for its suppliers\n"
            "Control the risk of fictitious trade"
        ),
        "competencies": ["product_knowledge", "needs_discovery"],
        "metrics": ["sales_amount", "new_customers"],
    },
    {
        "code": "WM-201",
        "module": "product",
        "format": "lecture",
        "hours": "3",
        "title": "财富管理与资产配置",
        "title_en": "Wealth management and asset allocation",
        "description": (
            "面向企业主客户的个人与家族财富需求，讲解资产配置的基本框架、风险测评与适当性管理，"
            "以及如何与私行和理财团队协同服务。"
        ),
        "description_en": (
            "Business owners' personal and family wealth: the basics of asset allocation, "
            "risk profiling and suitability, and working with the private-banking and "
            "investment teams."
        ),
        "objectives": (
            "完成企业主客户的风险测评与需求梳理\n按适当性要求推荐产品\n转介私行团队并跟进"
        ),
        "objectives_en": (
            "Profile a business owner's risk appetite and needs\n"
            "Recommend products within suitability rules\n"
            "Refer to private banking and follow up"
        ),
        "competencies": ["product_knowledge", "value_communication"],
        "metrics": ["sales_amount", "nps"],
    },
    {
        "code": "KAM-301",
        "module": "other",
        "format": "sandbox",
        "hours": "8",
        "title": "战略客户经营沙盘",
        "title_en": "Strategic account management sandbox",
        "description": (
            "分组经营一家虚拟战略客户四个季度，在授信额度、定价、资源投入和风险之间做取舍，"
            "每轮根据综合收益与客户满意度计分。"
        ),
        "description_en": (
            "Teams run a fictional strategic client over four quarters, trading off credit "
            "limits, pricing, resources and risk; each round is scored on total return and "
            "client satisfaction."
        ),
        "objectives": ("制定战略客户年度经营计划\n平衡收益、资源与风险\n用客户满意度检验经营效果"),
        "objectives_en": (
            "Write a strategic client's yearly plan\n"
            "Balance return, resources and risk\n"
            "Check results against client satisfaction"
        ),
        "competencies": ["key_account_mgmt", "crisis_handling"],
        "metrics": ["strategic_coverage", "profit_contribution", "nps"],
    },
    {
        "code": "SVC-101",
        "module": "other",
        "format": "role_play",
        "hours": "3",
        "title": "客户投诉与危机沟通",
        "title_en": "Complaints and crisis communication",
        "description": (
            "演练客户投诉、系统故障导致代发延迟等突发情形下的沟通：先安抚后解决、统一口径、"
            "及时升级，并在 24 小时内给出书面答复。"
        ),
        "description_en": (
            "Drills for complaints and incidents such as a payroll delay caused by a system "
            "outage: calm first, then solve; one message; escalate in time; a written answer "
            "within 24 hours."
        ),
        "objectives": ("用倾听和共情稳定客户情绪\n按升级路径及时上报\n在 24 小时内给出书面答复"),
        "objectives_en": (
            "Calm the client by listening and empathy\n"
            "Escalate along the proper route in time\n"
            "Answer in writing within 24 hours"
        ),
        "competencies": ["crisis_handling", "communication"],
        "metrics": ["complaint_resolution_rate", "response_hours", "nps"],
    },
    {
        "code": "COMP-301",
        "module": "value_communication",
        "format": "competition",
        "hours": "4",
        "title": "营销方案路演大赛",
        "title_en": "Client proposal pitch competition",
        "description": (
            "各支行组队为同一家拟营销客户准备综合金融服务方案，现场路演并接受评委质询，"
            "评委按需求把握、方案价值、风险意识和表达打分。"
        ),
        "description_en": (
            "Branch teams prepare an integrated proposal for the same prospect, pitch it and "
            "take the judges' questions; judges score needs insight, value, risk awareness "
            "and delivery."
        ),
        "objectives": (
            "把 SPIN 与 FABE 用在完整方案中\n在质询中守住价值而不是降价\n向同伴学习优秀做法"
        ),
        "objectives_en": (
            "Use SPIN and FABE in a whole proposal\n"
            "Defend value under questioning instead of cutting price\n"
            "Learn from peers' best practice"
        ),
        "competencies": ["value_communication", "needs_discovery"],
        "metrics": ["opportunity_win_rate", "sales_amount"],
    },
]

SPIN_CARD = (
    "SPIN提问卡.md",
    "《SPIN 提问卡》",
    "# SPIN 提问卡\n\n"
    "**背景问题 (Situation)**：贵司目前在几家银行开立结算账户？每月回款大概多少笔？\n\n"
    "**难点问题 (Problem)**：下游客户回款周期有没有拉长？对账时最费时的是哪一步？\n\n"
    "**暗示问题 (Implication)**：回款慢一个月，对采购备货和工资发放会有什么影响？\n\n"
    "**需求—效益问题 (Need-payoff)**：如果回款能提前两周到账，对贵司意味着什么？\n",
)


def _course_from_spec(spec: dict[str, Any]) -> Course:
    return Course(
        code=spec["code"],
        title=spec["title"],
        title_en=spec["title_en"],
        module=spec["module"],
        format=spec["format"],
        hours=Decimal(spec["hours"]),
        description=spec["description"],
        description_en=spec["description_en"],
        objectives=spec["objectives"],
        objectives_en=spec["objectives_en"],
    )


def demo_courses(codes: Iterable[str]) -> dict[str, Course]:
    """The demo's courses by code: the rows this step made; a code it has not made yet (a
    later step run on its own, as in its tests) is made from the same description here, the
    one home of the demo's courses."""
    wanted = list(codes)
    found = {c.code: c for c in Course.objects.filter(code__in=wanted)}
    specs = {s["code"]: s for s in COURSES}
    for code in wanted:
        if code not in found:
            spec = specs[code]
            course = _course_from_spec(spec)
            course.save()
            course.competencies.set(Competency.objects.filter(code__in=spec["competencies"]))
            course.metrics.set(Metric.objects.filter(code__in=spec["metrics"]))
            found[code] = course
    return found


@demo_step(26)
def build_catalogue(ctx: DemoContext) -> None:
    """The starter catalogue, its trainers and a few handouts."""
    competencies = dict(Competency.objects.values_list("code", "pk"))
    metrics = dict(Metric.objects.values_list("code", "pk"))
    trainers = list(
        Employee.objects.filter(active=True, user__groups__name=Role.TRAINER.value)
        .distinct()
        .order_by("employee_no")
    )
    courses = [_course_from_spec(spec) for spec in COURSES]
    bulk_create_with_history(courses, Course, batch_size=500)
    by_code = {c.code: c for c in Course.objects.filter(code__in=[s["code"] for s in COURSES])}
    competency_links = [
        Course.competencies.through(course_id=by_code[s["code"]].pk, competency_id=competencies[c])
        for s in COURSES
        for c in s["competencies"]
        if c in competencies
    ]
    metric_links = [
        Course.metrics.through(course_id=by_code[s["code"]].pk, metric_id=metrics[m])
        for s in COURSES
        for m in s["metrics"]
        if m in metrics
    ]
    trainer_links = [
        Course.trainers.through(course_id=course.pk, employee_id=trainer.pk)
        for course in by_code.values()
        for trainer in trainers
    ]
    Course.competencies.through.objects.bulk_create(competency_links)
    Course.metrics.through.objects.bulk_create(metric_links)
    Course.trainers.through.objects.bulk_create(trainer_links)

    handouts = [(s["code"], s["material"]) for s in COURSES if "material" in s]
    handouts.append(("SPIN-101", SPIN_CARD))
    uploader = trainers[0].user if trainers and trainers[0].user_id else None
    for code, (file_name, title, text) in handouts:
        content = text.encode("utf-8")
        material = CourseMaterial(
            course=by_code[code],
            title=title,
            original_name=file_name,
            content_type="text/markdown; charset=utf-8",
            size=len(content),
            uploaded_by=uploader,
        )
        material.file.save(f"{code.lower()}-handout.md", ContentFile(content), save=False)
        material.save()
    ctx.data["courses"] = by_code
    ctx.log(f"catalogue: {len(by_code)} courses, {len(handouts)} handouts")
