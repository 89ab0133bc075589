"""Demo data of the toolkit (its ``@demo_step``): the script templates and checklists the
bank's experts hand out, in Chinese and English, tagged by competency and course, some in
two versions. Other demo steps attach them with :func:`demo_toolkit_version`."""

from __future__ import annotations

from typing import Any

from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Competency, Employee
from kaopei.training.demo_catalogue import demo_courses
from kaopei.training.models import ToolkitItem, ToolkitKind, ToolkitVersion

# code, kind, title, title_en, summary, summary_en, competencies, courses,
# versions: [(body, body_en, note)] oldest first
TOOLKIT: list[dict[str, Any]] = [
    {
        "code": "TK-SPIN",
        "kind": ToolkitKind.SCRIPT,
        "title": "SPIN 提问话术模板",
        "title_en": "SPIN question script",
        "summary": "对公客户首次拜访时，从背景问题走到需求—效益问题的提问顺序与示例。",
        "summary_en": "The order of questions on a first corporate visit, from situation to "
        "need-payoff, with examples.",
        "competencies": ["needs_discovery", "communication"],
        "courses": ["SPIN-101", "SPIN-201"],
        "versions": [
            (
                "背景问题：贵司目前在几家银行开立结算账户？主要结算量在哪家？\n"
                "难点问题：回款周期有没有拉长？对账最费时的是哪一步？\n"
                "暗示问题：回款慢一个月，对备货和发薪有什么影响？\n"
                "需求—效益问题：如果回款提前两周到账，对贵司意味着什么？",
                "Situation: how many banks hold your settlement accounts, and which carries most "
                "volume?\nProblem: are collections taking longer? Which reconciliation step "
                "takes most time?\nImplication: what does a month's delay in collections do to "
                "stock and payroll?\nNeed-payoff: what would collections two weeks earlier mean "
                "for you?",
                "首版",
            ),
            (
                "开场（30 秒）：说明来意与拜访时长，征得客户同意后再提问。\n"
                "背景问题：贵司目前在几家银行开立结算账户？主要结算量在哪家？\n"
                "难点问题：回款周期有没有拉长？对账最费时的是哪一步？\n"
                "暗示问题：回款慢一个月，对备货和发薪有什么影响？会不会影响上游议价？\n"
                "需求—效益问题：如果回款提前两周到账，对贵司意味着什么？\n"
                "收尾：复述客户的两个关键痛点，约定下次带方案来的时间。",
                "Opening (30 s): say why you came and how long it takes; ask permission before "
                "questioning.\nSituation: how many banks hold your settlement accounts, and "
                "which carries most volume?\nProblem: are collections taking longer? Which "
                "reconciliation step takes most time?\nImplication: what does a month's delay "
                "do to stock and payroll? To your bargaining with suppliers?\nNeed-payoff: what "
                "would collections two weeks earlier mean for you?\nClose: restate the two key "
                "pains and agree when you come back with a proposal.",
                "按专家点评补充开场与收尾；暗示问题增加上游议价",
            ),
        ],
    },
    {
        "code": "TK-FABE",
        "kind": ToolkitKind.SCRIPT,
        "title": "FABE 价值陈述话术",
        "title_en": "FABE value script",
        "summary": "用特征—优势—利益—证据讲清现金管理方案的价值。",
        "summary_en": "Feature, advantage, benefit, evidence: the value of a cash-management "
        "proposal.",
        "competencies": ["value_communication"],
        "courses": ["FABE-201"],
        "versions": [
            (
                "特征 F：我行现金管理平台可归集多家银行账户余额。\n"
                "优势 A：财务一屏看到全部资金，无需逐家登录网银。\n"
                "利益 B：每月对账时间可从三天缩短到半天，闲置资金可做七天通知存款。\n"
                "证据 E：同园区的某电子企业上线后，年化多得利息约 40 万元（附客户同意公开的案例）。",
                "Feature: our cash-management platform pools balances from several banks.\n"
                "Advantage: finance sees all funds on one screen, no logging into each bank.\n"
                "Benefit: monthly reconciliation drops from three days to half a day; idle cash "
                "earns seven-day notice rates.\nEvidence: an electronics firm in the same park "
                "earned about CNY 400k more interest a year (a case the client agreed to share).",
                "首版",
            ),
        ],
    },
    {
        "code": "TK-PRICE",
        "kind": ToolkitKind.SCRIPT,
        "title": "价格异议应对话术",
        "title_en": "Price-objection responses",
        "summary": "客户说“你们比别家贵”时的五种回应：确认、拆分、对比总成本、给选择、换条件。",
        "summary_en": "Five answers to 'you are more expensive than the others': acknowledge, "
        "break down, compare total cost, offer options, trade terms.",
        "competencies": ["value_communication", "communication"],
        "courses": ["NEG-202", "FABE-201"],
        "versions": [
            (
                "1 确认：“您关注成本，这很合理。您比较的是哪几项费用？”\n"
                "2 拆分：把费率拆到每笔、每月，让客户看到真实差额。\n"
                "3 总成本：加上对账人力、资金在途天数，算总拥有成本。\n"
                "4 给选择：基础版与增值版两个方案，让客户选。\n"
                "5 换条件：降费要换结算量或代发工资，不无条件让价。",
                "1 Acknowledge: 'Cost matters, rightly. Which fees are you comparing?'\n"
                "2 Break down: per transaction and per month, so the real gap shows.\n"
                "3 Total cost: add reconciliation staff time and float days.\n"
                "4 Options: a basic and an enhanced package, the client chooses.\n"
                "5 Trade: a lower fee only against settlement volume or payroll, never for free.",
                "首版",
            ),
            (
                "1 确认：“您关注成本，这很合理。您比较的是哪几项费用？”\n"
                "2 拆分：把费率拆到每笔、每月，让客户看到真实差额。\n"
                "3 总成本：加上对账人力、资金在途天数，算总拥有成本。\n"
                "4 给选择：基础版与增值版两个方案，让客户选。\n"
                "5 换条件：降费要换结算量或代发工资，不无条件让价。\n"
                "禁用语：“别家都是骗你的”“我帮您申请特价，别告诉别人”。",
                "1 Acknowledge: 'Cost matters, rightly. Which fees are you comparing?'\n"
                "2 Break down: per transaction and per month, so the real gap shows.\n"
                "3 Total cost: add reconciliation staff time and float days.\n"
                "4 Options: a basic and an enhanced package, the client chooses.\n"
                "5 Trade: a lower fee only against settlement volume or payroll, never for free.\n"
                "Never say: 'the others are cheating you', 'I'll get you a secret discount'.",
                "增加合规禁用语",
            ),
        ],
    },
    {
        "code": "TK-VISIT",
        "kind": ToolkitKind.CHECKLIST,
        "title": "客户拜访前准备清单",
        "title_en": "Visit-preparation checklist",
        "summary": "拜访前 24 小时要核对的八件事。",
        "summary_en": "Eight things to check in the 24 hours before a visit.",
        "competencies": ["needs_discovery", "key_account_mgmt"],
        "courses": ["SPIN-101", "KAM-301"],
        "versions": [
            (
                "□ 查阅 CRM 中客户近 12 个月往来与上次拜访纪要\n"
                "□ 了解客户所在行业的最新政策与新闻\n"
                "□ 明确本次拜访目标（一个主要目标、一个次要目标）\n"
                "□ 准备 3–5 个 SPIN 问题\n"
                "□ 准备一页纸方案或案例\n"
                "□ 确认对方参会人及其职务\n"
                "□ 确认时间、地点、路线\n"
                "□ 拜访后 24 小时内录入 CRM",
                "□ Read the client's last 12 months in the CRM and the last visit notes\n"
                "□ Check the latest policy and news of the client's industry\n"
                "□ Set the visit's goal (one main, one secondary)\n"
                "□ Prepare 3–5 SPIN questions\n"
                "□ Bring a one-page proposal or case\n"
                "□ Confirm who attends and their roles\n"
                "□ Confirm time, place and route\n"
                "□ Log the visit in the CRM within 24 hours",
                "首版",
            ),
        ],
    },
    {
        "code": "TK-AML-CDD",
        "kind": ToolkitKind.CHECKLIST,
        "title": "反洗钱客户尽职调查清单",
        "title_en": "AML customer-due-diligence checklist",
        "summary": "开户与存续期尽调要点，含需上报的可疑信号。",
        "summary_en": "Due diligence at onboarding and during the relationship, with the red "
        "flags to report.",
        "competencies": ["risk_compliance"],
        "courses": ["AML-101", "KYC-201"],
        "versions": [
            (
                "□ 核验身份证件与营业执照，联网核查\n"
                "□ 识别受益所有人（持股 25% 以上或实际控制人）\n"
                "□ 了解开户目的与预期交易规模\n"
                "□ 核对经营地址与实际经营情况（必要时实地走访）\n"
                "可疑信号：急于开户并大额入金；交易与经营规模明显不符；频繁分拆；资金快进快出\n"
                "发现可疑信号：不提示客户，当日报合规部门",
                "□ Verify ID and business licence against the official registers\n"
                "□ Identify the beneficial owners (25 % or more, or actual control)\n"
                "□ Record the purpose of the account and the expected volumes\n"
                "□ Check the business address and activity (visit if needed)\n"
                "Red flags: rushing to open and deposit large sums; volumes out of line with the "
                "business; structuring; funds in and straight out\n"
                "On a red flag: do not tip off the client; report to compliance the same day",
                "首版",
            ),
        ],
    },
    {
        "code": "TK-PRIVACY",
        "kind": ToolkitKind.CHECKLIST,
        "title": "客户信息保护检查清单",
        "title_en": "Data-privacy checklist",
        "summary": "外发、打印、拍照、微信沟通时保护客户信息的底线。",
        "summary_en": "The lines not to cross with client data when sending, printing, "
        "photographing or messaging.",
        "competencies": ["risk_compliance", "digital_tools"],
        "courses": ["PRIV-101"],
        "versions": [
            (
                "□ 不用个人微信、个人邮箱发送客户资料\n"
                "□ 外发文件脱敏（证件号、账号中间位遮盖）并加密\n"
                "□ 打印件当日回收或粉碎\n"
                "□ 不在公共场所展示客户屏幕\n"
                "□ 发错对象：立即撤回并当日报告",
                "□ Never send client data from personal WeChat or e-mail\n"
                "□ Mask ID and account numbers and encrypt files that leave the bank\n"
                "□ Collect or shred printouts the same day\n"
                "□ Never show a client's screen in public\n"
                "□ Sent to the wrong person: recall at once and report the same day",
                "首版",
            ),
            (
                "□ 不用个人微信、个人邮箱发送客户资料\n"
                "□ 外发文件脱敏（证件号、账号中间位遮盖）并加密\n"
                "□ 打印件当日回收或粉碎\n"
                "□ 不在公共场所展示客户屏幕\n"
                "□ 发错对象：立即撤回并当日报告\n"
                "□ 离开工位锁屏；手机相册不留客户资料照片",
                "□ Never send client data from personal WeChat or e-mail\n"
                "□ Mask ID and account numbers and encrypt files that leave the bank\n"
                "□ Collect or shred printouts the same day\n"
                "□ Never show a client's screen in public\n"
                "□ Sent to the wrong person: recall at once and report the same day\n"
                "□ Lock your screen when you leave; keep no photos of client papers on your phone",
                "根据险些泄露事件补充锁屏与手机相册要求",
            ),
        ],
    },
    {
        "code": "TK-ANNUAL",
        "kind": ToolkitKind.SCRIPT,
        "title": "客户年度服务方案模板",
        "title_en": "Annual service plan template",
        "summary": "为重点客户制定年度服务方案的结构：目标、产品组合、拜访节奏、风险点。",
        "summary_en": "The structure of a key client's annual service plan: goals, product mix, "
        "visit rhythm, risks.",
        "competencies": ["key_account_mgmt", "product_knowledge"],
        "courses": ["KAM-301", "SVC-101"],
        "versions": [
            (
                "一、客户概况与上年回顾\n二、本年度合作目标（存款、结算、融资、中间业务）\n"
                "三、产品组合与定价策略\n四、季度拜访与高层互访计划\n"
                "五、风险与合规关注点\n六、所需支持（产品经理、风险经理、分行领导）",
                "1 The client and last year in review\n2 This year's goals (deposits, "
                "settlement, lending, fee business)\n3 Product mix and pricing\n4 Quarterly visits "
                "and senior meetings\n5 Risk and compliance points\n6 Support needed (product, "
                "risk, branch management)",
                "首版",
            ),
        ],
    },
    {
        "code": "TK-FOLLOWUP",
        "kind": ToolkitKind.SCRIPT,
        "title": "跟进电话话术",
        "title_en": "Follow-up call script",
        "summary": "拜访或投标后 48 小时内的跟进电话：确认、补充、约下一步。",
        "summary_en": "The follow-up call within 48 hours of a visit or tender: confirm, add, "
        "agree the next step.",
        "competencies": ["communication", "key_account_mgmt"],
        "courses": ["CRM-101", "KAM-301"],
        "versions": [
            (
                "“王总您好，我是 XX 银行的客户经理小李。感谢周二抽时间见面。”\n"
                "“您提到的回款周期问题，我们整理了两个方案，想跟您确认一下关注的重点。”\n"
                "“您看周四下午还是周五上午方便，我们带产品经理过来详细汇报？”\n"
                "记录：客户反馈、异议、下一步时间，当天录入 CRM。",
                "'Good morning Mr Wang, this is Li, your relationship manager at XX Bank. Thank "
                "you for your time on Tuesday.'\n'On the collection delays you mentioned, we "
                "have two options; may I check what matters most to you?'\n'Would Thursday "
                "afternoon or Friday morning suit you for our product manager to walk you "
                "through them?'\nLog: feedback, objections, next date, in the CRM the same day.",
                "首版",
            ),
        ],
    },
    {
        "code": "TK-SCF",
        "kind": ToolkitKind.CHECKLIST,
        "title": "供应链金融需求诊断清单",
        "title_en": "Supply-chain finance diagnosis checklist",
        "summary": "判断制造业核心企业及其上下游是否适合供应链金融。",
        "summary_en": "Whether a manufacturer and its suppliers and buyers suit supply-chain "
        "finance.",
        "competencies": ["product_knowledge", "needs_discovery"],
        "courses": ["SCF-201"],
        "versions": [
            (
                "□ 核心企业信用等级与确权意愿\n□ 上游供应商数量、账期与融资成本\n"
                "□ 应收账款是否可转让、有无质押\n□ 交易数据能否系统对接\n"
                "□ 预计融资规模与期限",
                "□ The anchor firm's rating and willingness to confirm payables\n"
                "□ Number of suppliers, their terms and funding cost\n"
                "□ Whether receivables are assignable and unpledged\n"
                "□ Whether trade data can be connected\n□ Expected amounts and tenors",
                "首版",
            ),
        ],
    },
]


def _competencies(codes: list[str]) -> list[Competency]:
    return list(Competency.objects.filter(code__in=codes))


def _item_from_spec(spec: dict[str, Any], author: Any) -> ToolkitItem:
    item = ToolkitItem.objects.create(
        code=spec["code"],
        kind=spec["kind"],
        title=spec["title"],
        title_en=spec["title_en"],
        summary=spec["summary"],
        summary_en=spec["summary_en"],
    )
    item.competencies.set(_competencies(spec["competencies"]))
    item.courses.set(list(demo_courses(spec["courses"]).values()))
    ToolkitVersion.objects.bulk_create(
        ToolkitVersion(
            item=item, number=n, body=body, body_en=body_en, note=note, created_by=author
        )
        for n, (body, body_en, note) in enumerate(spec["versions"], start=1)
    )
    return item


def _author() -> Any:
    trainer = Employee.objects.filter(employee_no="TR001").select_related("user").first()
    return trainer.user if trainer is not None else None


def demo_toolkit_version(code: str) -> ToolkitVersion:
    """The latest version of the demo's toolkit item ``code`` (made here from its
    description when the toolkit step has not run, as in a later step's own tests)."""
    item = ToolkitItem.objects.filter(code=code).first()
    if item is None:
        spec = next(s for s in TOOLKIT if s["code"] == code)
        item = _item_from_spec(spec, _author())
    return item.versions.order_by("-number").first()  # type: ignore[return-value]


@demo_step(31)
def build_toolkit(ctx: DemoContext) -> None:
    """The toolkit: script templates and checklists, some in two versions."""
    author = _author()
    existing = set(ToolkitItem.objects.values_list("code", flat=True))
    for spec in TOOLKIT:
        if spec["code"] not in existing:
            _item_from_spec(spec, author)
    ctx.log(f"toolkit: {len(TOOLKIT)} items")
