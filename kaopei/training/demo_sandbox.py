"""Demo data of the decision sandbox: four bilingual branching scenarios from the brief
(a price-sensitive client objecting to fees, a high-net-worth client's asset allocation,
a suspicious large cash deposit, a client asking for a competitor's data), tagged with the
demo courses and competencies; finished runs by many account managers spread over the
past quarters (so ``scenario_score`` has data for closed cycles); and for the
account-manager persona AM0001 a finished solo run with a mistake and a group run with
colleagues of the same team. The scenarios are written through the services (history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kaopei.assessment.models import Metric
from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Competency, Employee, JobLevel
from kaopei.training.models import (
    Choice,
    Course,
    SandboxRun,
    SandboxRunMember,
    SandboxRunStep,
    Scenario,
    Step,
)
from kaopei.training.services import sandbox as services

# A choice: (text, text_en, next step key or None, points, best,
#            consequence, consequence_en, feedback, feedback_en)
C = tuple[str, str, str | None, int, bool, str, str, str, str]

SCENARIOS: list[dict[str, Any]] = [
    {
        "code": "SBX-FEE",
        "title": "价格敏感客户的手续费异议",
        "title_en": "A price-sensitive client objects to fees",
        "brief": "制造业企业客户的财务总监王女士对跨境汇款手续费不满，威胁把业务转到他行。你要在守住收益的同时留住客户。",
        "brief_en": "Ms Wang, CFO of a manufacturing client, is unhappy with the cross-border transfer fees and threatens to move to another bank. Keep the client without giving the margin away.",
        "time_limit": 15,
        "courses": ["NEG-202", "FABE-201"],
        "competencies": ["value_communication", "needs_discovery"],
        "steps": [
            (
                "S1",
                True,
                "王女士来电：“你们的跨境汇款手续费比隔壁银行贵三成，不降我就转走。”",
                "Ms Wang calls: “Your cross-border transfer fees are 30% higher than the bank next door. Cut them or I move.”",
                [
                    (
                        "先感谢反馈，询问她的汇款频率、币种和到账时效要求",
                        "Thank her and ask about her transfer volume, currencies and timing needs",
                        "S2",
                        10,
                        True,
                        "王女士说明每月约40笔美元、欧元汇款，最在意到账速度和汇率成本。",
                        "She explains about 40 USD and EUR transfers a month; speed and FX cost matter most.",
                        "先用SPIN的情境和难点问题摸清需求：价格异议背后常是价值没被看见。",
                        "Use SPIN situation and problem questions first: a price objection often means the value is not seen.",
                    ),
                    (
                        "立即承诺手续费下调30%",
                        "Promise a 30% fee cut at once",
                        "S3",
                        -5,
                        False,
                        "王女士答应留下，但随即要求把结算账户年费也一起免掉。",
                        "She agrees to stay, then immediately asks for the account fee to be waived too.",
                        "未经授权的让价既损害收益，又让客户认为价格还有水分。",
                        "An unauthorised discount costs margin and tells the client there is more to squeeze.",
                    ),
                    (
                        "解释收费标准由总行统一制定，无法调整",
                        "Explain that head office sets the fees and nothing can change",
                        "S4",
                        0,
                        False,
                        "王女士语气变冷：“那就没什么好谈的了。”",
                        "Her tone turns cold: “Then there is nothing to discuss.”",
                        "直接拒绝关闭了对话，应先理解需求再谈方案。",
                        "A flat refusal ends the conversation; understand the need before the offer.",
                    ),
                ],
            ),
            (
                "S2",
                False,
                "你了解到她最在意到账时效与汇率成本，手续费只占她总成本的一小部分。",
                "You learn that speed and FX cost matter most to her; fees are a small part of her total cost.",
                [
                    (
                        "用FABE介绍当日到账与远期锁汇，测算一年可节省的汇兑成本",
                        "Use FABE to present same-day settlement and forward FX, with a yearly saving estimate",
                        "S5",
                        10,
                        True,
                        "测算显示锁汇每年可省约12万元，远超手续费差价。",
                        "The estimate shows about RMB 120,000 a year saved, far more than the fee gap.",
                        "把手续费放进总成本里比较，价值就显现出来了。",
                        "Put fees into the total cost and the value becomes visible.",
                    ),
                    (
                        "发一份产品手册请她自己看",
                        "Send her a product brochure to read",
                        "S4",
                        2,
                        False,
                        "手册石沉大海，一周后她仍在比较价格。",
                        "The brochure goes unread; a week later she is still comparing prices.",
                        "没有把产品特性和她的需求连起来。",
                        "The features were never linked to her needs.",
                    ),
                ],
            ),
            (
                "S3",
                False,
                "王女士进一步要求免除结算账户年费，否则还是要转走。",
                "Ms Wang now also wants the account fee waived, or she still leaves.",
                [
                    (
                        "说明让价需要审批，改为提出以交易量阶梯优惠换取业务集中",
                        "Explain discounts need approval; offer volume-tier pricing in exchange for more business",
                        "S5",
                        6,
                        True,
                        "她同意把欧元业务也转到本行，以达到优惠档位。",
                        "She agrees to move her EUR business too, to reach the better tier.",
                        "把让步换成对价，止损并扩大了合作。",
                        "Trading the concession for volume stops the loss and grows the relationship.",
                    ),
                    (
                        "再次答应",
                        "Agree again",
                        None,
                        -5,
                        False,
                        "客户留下了，但这一户的综合收益转为负数。",
                        "The client stays, but the relationship now loses money.",
                        "连续无条件让步，是议价中最常见的失误。",
                        "Repeated unconditional concessions are the most common negotiating mistake.",
                    ),
                ],
            ),
            (
                "S4",
                False,
                "客户态度冷淡，表示要去比较其他银行的报价。",
                "The client is cool and says she will compare other banks' offers.",
                [
                    (
                        "请求一次上门拜访，带上成本测算方案",
                        "Ask for a visit and bring a total-cost estimate",
                        "S5",
                        5,
                        True,
                        "她勉强同意下周见面。",
                        "She reluctantly agrees to meet next week.",
                        "把电话谈判转为面谈，争取了重新展示价值的机会。",
                        "Moving from the phone to a meeting wins a second chance to show value.",
                    ),
                    (
                        "表示理解，等客户自己回来",
                        "Say you understand and wait for her to come back",
                        None,
                        0,
                        False,
                        "一个月后，该企业的汇款业务转走了一半。",
                        "A month later half of the firm's transfers have moved.",
                        "被动等待等于放弃。",
                        "Waiting is giving up.",
                    ),
                ],
            ),
            (
                "S5",
                False,
                "王女士认可你的方案，但要求书面确认费率。",
                "Ms Wang likes the proposal but wants the rates confirmed in writing.",
                [
                    (
                        "按授权出具书面报价，并约定每季度回顾一次",
                        "Issue a written quote within your authority and agree a quarterly review",
                        None,
                        10,
                        True,
                        "双方签署服务方案，季度回顾写进了日程。",
                        "Both sign the service plan; the quarterly review is in the calendar.",
                        "书面确认和回顾机制让承诺可追踪，也为续约打下基础。",
                        "A written quote and a review make the promise traceable and prepare the renewal.",
                    ),
                    (
                        "口头承诺“放心，一定给你最优惠”",
                        "Promise verbally: “Don't worry, you'll get the best price”",
                        None,
                        2,
                        False,
                        "三个月后账单与预期不符，客户投诉。",
                        "Three months later the bill is not what she expected and she complains.",
                        "口头承诺无法兑现时，信任受损比价格更难修复。",
                        "A verbal promise that is not kept damages trust more than any price.",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "SBX-HNW",
        "title": "高净值客户的资产配置",
        "title_en": "A high-net-worth client's asset allocation",
        "brief": "企业主李先生，58岁，可投资资产3000万元，八成放在本行定期存款。他听说朋友买私募赚了不少，想“换个收益高的”。",
        "brief_en": "Mr Li, a 58-year-old business owner, has RMB 30 million to invest, 80% in time deposits with us. Friends made money in private funds and he wants “something with a better return”.",
        "time_limit": 20,
        "courses": ["WM-201"],
        "competencies": ["product_knowledge", "needs_discovery"],
        "steps": [
            (
                "S1",
                True,
                "李先生说：“听说别人买私募一年赚了三成，你也给我推荐一个。”",
                "Mr Li says: “I hear people made 30% in a year on private funds. Recommend one to me.”",
                [
                    (
                        "先做风险测评，并了解他的退休和家庭传承安排",
                        "Do the risk assessment first and ask about retirement and succession plans",
                        "S2",
                        10,
                        True,
                        "测评结果为稳健型；他计划五年后退休，想给女儿留一部分资产。",
                        "He assesses as balanced; he plans to retire in five years and provide for his daughter.",
                        "适当性是前提，目标决定配置。",
                        "Suitability comes first; goals drive the allocation.",
                    ),
                    (
                        "直接推荐一只近一年收益30%的私募产品",
                        "Recommend a private fund that returned 30% last year",
                        "S3",
                        -10,
                        False,
                        "李先生很心动，准备把一半存款转过去。",
                        "He is tempted and plans to move half of his deposits.",
                        "跳过风险测评推荐高风险产品，违反适当性要求。",
                        "Recommending a high-risk product without the assessment breaches suitability rules.",
                    ),
                    (
                        "劝他继续存定期，最安全",
                        "Advise him to keep the time deposits: safest",
                        "S4",
                        0,
                        False,
                        "李先生不太满意：“利率这么低，钱都在贬值。”",
                        "He is unhappy: “With rates this low my money is shrinking.”",
                        "没有回应他的需求，客户可能流失到他行。",
                        "His need was not answered; he may take his money elsewhere.",
                    ),
                ],
            ),
            (
                "S2",
                False,
                "稳健型，五年后退休，有传承需求。你要给出配置建议。",
                "Balanced, retiring in five years, wants to provide for his daughter. Propose an allocation.",
                [
                    (
                        "提出“核心+卫星”配置：固收为主、少量权益，并用保险金信托安排传承",
                        "Propose core-satellite: mostly fixed income, some equity, and an insurance trust for succession",
                        "S5",
                        10,
                        True,
                        "他对保险金信托很感兴趣，要求看具体方案。",
                        "He is interested in the insurance trust and asks for the details.",
                        "分层配置兼顾收益、流动性和传承，符合测评结果。",
                        "A layered allocation balances return, liquidity and succession and fits his profile.",
                    ),
                    (
                        "建议全部买入银行理财产品",
                        "Suggest putting everything into bank wealth products",
                        "S5",
                        3,
                        False,
                        "方案简单，但他觉得没有回应传承的问题。",
                        "Simple, but he feels his succession question was ignored.",
                        "单一产品集中度高，也忽略了传承目标。",
                        "One product concentrates risk and ignores the succession goal.",
                    ),
                ],
            ),
            (
                "S3",
                False,
                "李先生要把1500万元转入那只私募产品。",
                "Mr Li wants to move RMB 15 million into that private fund.",
                [
                    (
                        "停下来补做风险测评，说明私募的风险和锁定期",
                        "Stop, do the risk assessment, and explain the fund's risks and lock-up",
                        "S2",
                        4,
                        True,
                        "测评结果为稳健型，他冷静了下来。",
                        "He assesses as balanced and calms down.",
                        "及时纠正，回到适当性流程。",
                        "A timely correction back to the suitability process.",
                    ),
                    (
                        "按他的要求办理",
                        "Process it as he asks",
                        None,
                        -10,
                        False,
                        "半年后产品回撤20%，客户投诉销售不当。",
                        "Six months later the fund is down 20% and he complains of mis-selling.",
                        "这是典型的销售适当性违规，会引发投诉和监管处罚。",
                        "A textbook suitability breach: complaints and regulatory penalties follow.",
                    ),
                ],
            ),
            (
                "S4",
                False,
                "李先生表示要去别的银行看看。",
                "Mr Li says he will look at other banks.",
                [
                    (
                        "约他和家人一起做一次家庭财富规划",
                        "Invite him and his family for a family wealth-planning session",
                        "S2",
                        6,
                        True,
                        "他同意周末带女儿来支行。",
                        "He agrees to come with his daughter at the weekend.",
                        "把产品对话升级为家庭目标对话。",
                        "Turn a product talk into a family-goals talk.",
                    ),
                    (
                        "送他一张理财产品宣传单",
                        "Hand him a product leaflet",
                        None,
                        0,
                        False,
                        "两个月后，资金陆续转出。",
                        "Over two months his money moves out.",
                        "没有建立专业信任。",
                        "No professional trust was built.",
                    ),
                ],
            ),
            (
                "S5",
                False,
                "方案执行一个月后市场下跌5%，李先生来电表示担心。",
                "A month after the plan starts the market falls 5%; Mr Li calls, worried.",
                [
                    (
                        "用配置报告说明组合回撤在预期之内，并约定再平衡规则",
                        "Show from the portfolio report that the drawdown is within plan and agree rebalancing rules",
                        None,
                        10,
                        True,
                        "他放心了，还介绍了一位朋友来行。",
                        "He is reassured and refers a friend.",
                        "主动的投后沟通是高净值客户留存的关键。",
                        "Proactive after-sale contact is key to keeping high-net-worth clients.",
                    ),
                    (
                        "建议他马上全部赎回止损",
                        "Advise him to redeem everything now",
                        None,
                        -5,
                        False,
                        "他在低点卖出，随后市场回升。",
                        "He sells at the bottom and the market recovers.",
                        "情绪化操作违背了资产配置的初衷。",
                        "Emotional trading defeats the purpose of the allocation.",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "SBX-AML",
        "title": "可疑的大额现金存款",
        "title_en": "A suspicious large cash deposit",
        "brief": "一位新开户的个体工商户连续三天每天存入4.9万元现金，今天又带来19万元现金。你要识别反洗钱风险并正确处置。",
        "brief_en": "A newly onboarded sole trader has deposited RMB 49,000 in cash on each of three days; today he brings RMB 190,000. Recognise the money-laundering risk and handle it correctly.",
        "time_limit": 10,
        "courses": ["AML-101", "KYC-201"],
        "competencies": ["risk_compliance"],
        "steps": [
            (
                "S1",
                True,
                "客户把19万元现金放在柜台上：“分几次存吧，别给我登记什么报告。”",
                "He puts RMB 190,000 on the counter: “Split it into a few deposits, and don't file any report on me.”",
                [
                    (
                        "正常受理，同时按规定了解资金来源并记录",
                        "Accept the deposit and, as required, ask about the source of funds and record it",
                        "S2",
                        10,
                        True,
                        "客户称是卖货款，但说不出进货渠道。",
                        "He says it is sales income but cannot name his suppliers.",
                        "既不拒绝正常业务，也不放过尽职调查要求。",
                        "Neither refuse normal business nor skip due diligence.",
                    ),
                    (
                        "按客户要求拆成几笔存入，避免触发大额报告",
                        "Split it as he asks to stay under the reporting threshold",
                        "S3",
                        -20,
                        False,
                        "业务办完，客户很满意。",
                        "The deposit is done and he is pleased.",
                        "协助拆分规避大额报告本身就是违规，也是洗钱的典型信号。",
                        "Helping to structure deposits is itself a breach and a classic laundering signal.",
                    ),
                    (
                        "当场告诉客户：“你这是洗钱，我们要上报。”",
                        "Tell him on the spot: “This is money laundering; we will report it.”",
                        "S4",
                        -5,
                        False,
                        "客户情绪激动，拿着现金离开了。",
                        "He gets angry and leaves with the cash.",
                        "向客户泄露可疑交易报告（tipping-off）违反反洗钱规定。",
                        "Tipping off a client about a suspicious-transaction report breaches AML rules.",
                    ),
                ],
            ),
            (
                "S2",
                False,
                "客户说不清资金来源，交易金额与其经营规模明显不符。",
                "He cannot explain the source; the amount clearly does not fit his business.",
                [
                    (
                        "完成交易，当日按流程提交可疑交易内部报告，不告知客户",
                        "Complete the deposit and file an internal suspicious-transaction report the same day, without telling him",
                        "S5",
                        10,
                        True,
                        "合规部门接手分析。",
                        "Compliance takes over the analysis.",
                        "内部报告、保密、留痕，三件事都做到了。",
                        "Report internally, keep it confidential, keep the record: all three done.",
                    ),
                    (
                        "觉得客户面善，不用报告",
                        "He seems honest; no report needed",
                        None,
                        -10,
                        False,
                        "三个月后该账户被公安机关冻结，网点被检查。",
                        "Three months later the police freeze the account and the branch is inspected.",
                        "主观印象不能替代可疑交易识别标准。",
                        "A good impression is no substitute for the suspicious-transaction criteria.",
                    ),
                ],
            ),
            (
                "S3",
                False,
                "第二天，反洗钱系统对这几笔拆分存款发出预警。",
                "The next day the AML system flags the structured deposits.",
                [
                    (
                        "主动向合规部门说明情况并补交报告",
                        "Explain to compliance yourself and file the report late",
                        "S5",
                        5,
                        True,
                        "合规部门记录了你的主动说明。",
                        "Compliance notes that you came forward.",
                        "发现错误及时纠正，减轻了后果。",
                        "Correcting the mistake promptly limits the damage.",
                    ),
                    (
                        "解释说是客户坚持要这么办",
                        "Say the client insisted",
                        None,
                        -10,
                        False,
                        "你被约谈，网点被通报批评。",
                        "You are called in and the branch is reprimanded.",
                        "客户的要求不能成为违规的理由。",
                        "A client's wish is never a reason to break the rules.",
                    ),
                ],
            ),
            (
                "S4",
                False,
                "客户离开后，同事问你还要不要报告。",
                "After he leaves, a colleague asks whether to report.",
                [
                    (
                        "仍然提交可疑交易报告，并如实说明已告知客户的情况",
                        "File the report anyway and state that the client was told",
                        "S5",
                        3,
                        True,
                        "合规部门提醒你今后不得泄露。",
                        "Compliance reminds you never to tip off again.",
                        "补交报告是对的，但泄露已经发生。",
                        "Reporting is right, but the tip-off has happened.",
                    ),
                    (
                        "既然钱没存进来，就不用报告了",
                        "The money never came in, so no report",
                        None,
                        -10,
                        False,
                        "该客户在其他网点完成了存入。",
                        "He makes the deposit at another branch.",
                        "未完成的可疑交易同样需要报告。",
                        "Attempted suspicious transactions must be reported too.",
                    ),
                ],
            ),
            (
                "S5",
                False,
                "合规部门请你补充该客户的尽职调查资料。",
                "Compliance asks you for more due-diligence information on the client.",
                [
                    (
                        "调阅开户资料和交易流水，按要求开展强化尽职调查",
                        "Pull the onboarding file and statements and carry out enhanced due diligence",
                        None,
                        10,
                        True,
                        "报告按时提交，分行表扬了你的处置。",
                        "The report goes in on time and the branch commends you.",
                        "强化尽调和完整留痕是反洗钱履职的最后一环。",
                        "Enhanced due diligence and a full record close the AML loop.",
                    ),
                    (
                        "打电话直接问客户要资料",
                        "Call the client and ask him for documents",
                        None,
                        -5,
                        False,
                        "客户警觉，资金被转移。",
                        "He becomes wary and moves the money.",
                        "直接询问可能构成泄露，应依据内部资料和合规指引开展。",
                        "Asking him directly may tip him off; work from internal records and compliance guidance.",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "SBX-PRIV",
        "title": "客户索要竞争对手的数据",
        "title_en": "A client asks for a competitor's data",
        "brief": "重要对公客户张总知道本行也服务他的竞争对手华盛公司，希望你“帮个忙”提供对方的信息。你要守住客户隐私，同时维护好关系。",
        "brief_en": "Mr Zhang, a key corporate client, knows we also bank his competitor Huasheng and asks you for “a favour”: their information. Protect client privacy and keep the relationship.",
        "time_limit": None,
        "courses": ["PRIV-101"],
        "competencies": ["risk_compliance", "communication"],
        "steps": [
            (
                "S1",
                True,
                "张总说：“你们也服务华盛公司，把他们的授信额度和主要客户名单发我一份，我们的合作会更多。”",
                "Mr Zhang: “You bank Huasheng too. Send me their credit lines and main customer list and we'll do more business together.”",
                [
                    (
                        "礼貌拒绝，说明为客户保密是银行对所有客户——包括他——的承诺",
                        "Decline politely: confidentiality is our promise to every client, him included",
                        "S2",
                        10,
                        True,
                        "张总愣了一下，说：“那倒也是。”",
                        "He pauses: “Fair enough.”",
                        "把保密义务说成对他的保护，拒绝也能建立信任。",
                        "Framing confidentiality as his protection turns a refusal into trust.",
                    ),
                    (
                        "答应私下口头透露一些大概情况",
                        "Agree to share a rough picture privately, by word of mouth",
                        "S3",
                        -20,
                        False,
                        "张总很高兴，约你下周吃饭。",
                        "He is pleased and invites you to dinner next week.",
                        "口头透露同样侵犯客户隐私，违反个人信息保护法和银行保密规定。",
                        "Telling it verbally still breaches client privacy, the Personal Information Protection Law and bank secrecy.",
                    ),
                    (
                        "说“我去问问领导”",
                        "Say “I'll ask my manager”",
                        "S4",
                        0,
                        False,
                        "张总等着你的答复。",
                        "He waits for your answer.",
                        "把明确的合规底线推给领导，显得不专业，还留下了期待。",
                        "Passing a clear compliance line to your manager looks unprofessional and raises expectations.",
                    ),
                ],
            ),
            (
                "S2",
                False,
                "张总转而问：“那你能不能帮我分析一下行业情况？”",
                "He asks instead: “Can you at least give me a view of the industry?”",
                [
                    (
                        "提供基于公开数据和本行研究报告的行业分析，不涉及任何具体客户",
                        "Offer an industry analysis from public data and our research, naming no client",
                        "S5",
                        10,
                        True,
                        "张总觉得很有价值。",
                        "He finds it valuable.",
                        "用合规的增值服务满足他的真实需求。",
                        "A compliant added-value service meets his real need.",
                    ),
                    (
                        "用“某家同行”的匿名方式透露华盛的经营数据",
                        "Share Huasheng's figures as “a certain peer”",
                        "S3",
                        -10,
                        False,
                        "张总一听就知道说的是谁。",
                        "He knows at once who it is.",
                        "能被识别出来的“匿名”信息仍然是泄露。",
                        "“Anonymous” data that can be identified is still a leak.",
                    ),
                ],
            ),
            (
                "S3",
                False,
                "一周后，华盛公司投诉本行泄露其经营信息。",
                "A week later Huasheng complains that the bank leaked its business information.",
                [
                    (
                        "如实向支行负责人和合规部门报告",
                        "Report it truthfully to the branch head and compliance",
                        None,
                        0,
                        True,
                        "你受到处分，但银行及时处置，避免了更大损失。",
                        "You are disciplined, but the bank acts in time and limits the damage.",
                        "如实报告是唯一正确的选择，但错误在第一步就已铸成。",
                        "Reporting truthfully is the only right move, but the mistake was made at the first step.",
                    ),
                    (
                        "否认",
                        "Deny it",
                        None,
                        -20,
                        False,
                        "调查查实后，你被解除劳动合同。",
                        "The investigation confirms it and you are dismissed.",
                        "隐瞒让个人违规变成了机构风险。",
                        "Hiding it turns a personal breach into an institutional risk.",
                    ),
                ],
            ),
            (
                "S4",
                False,
                "领导回复不能提供，张总有些不满。",
                "Your manager says no; Mr Zhang is unhappy.",
                [
                    (
                        "亲自上门说明原因，并提出合规的行业分析服务",
                        "Visit him, explain why, and offer a compliant industry analysis",
                        "S5",
                        6,
                        True,
                        "张总表示理解，接受了你的建议。",
                        "He understands and accepts your offer.",
                        "补上沟通，守住底线的同时维护了关系。",
                        "Following up in person keeps the line and the relationship.",
                    ),
                    (
                        "发微信告诉他“领导不让”",
                        "Message him: “My manager won't allow it”",
                        None,
                        0,
                        False,
                        "张总觉得你只是在推脱。",
                        "He feels you are just passing the buck.",
                        "把责任推给领导，损害了专业形象。",
                        "Blaming your manager damages your professional image.",
                    ),
                ],
            ),
            (
                "S5",
                False,
                "张总希望把合作扩展到供应链金融。",
                "Mr Zhang wants to extend the relationship to supply-chain finance.",
                [
                    (
                        "了解他的上下游结算需求，约产品经理共同拜访",
                        "Learn his supplier and buyer settlement needs and visit with the product specialist",
                        None,
                        10,
                        True,
                        "双方启动了供应链融资方案。",
                        "A supply-chain finance programme is launched.",
                        "守住合规底线后，关系反而更稳固，赢得了更多业务。",
                        "Holding the compliance line made the relationship stronger and won more business.",
                    ),
                    (
                        "直接报一个融资额度",
                        "Quote a financing limit straight away",
                        None,
                        3,
                        False,
                        "额度与需求不匹配，方案被搁置。",
                        "The limit does not fit his needs and the plan stalls.",
                        "没有了解需求就报价。",
                        "Quoting before understanding the need.",
                    ),
                ],
            ),
        ],
    },
]


def _build_scenario(spec: dict[str, Any], user: Any) -> Scenario:
    scenario = services.scenario_save(
        scenario=None,
        code=spec["code"],
        title=spec["title"],
        title_en=spec["title_en"],
        brief=spec["brief"],
        brief_en=spec["brief_en"],
        time_limit=spec["time_limit"],
        competencies=list(Competency.objects.filter(code__in=spec["competencies"])),
        metrics=list(Metric.objects.filter(code="scenario_score")),
        courses=list(Course.objects.filter(code__in=spec["courses"])),
        user=user,
    )
    steps = {
        key: services.step_save(
            scenario=scenario, step=None, key=key, text=zh, text_en=en, is_start=start, user=user
        )
        for key, start, zh, en, _choices in spec["steps"]
    }
    for key, _start, _zh, _en, choices in spec["steps"]:
        for order, (zh, en, nxt, points, best, cons, cons_en, fb, fb_en) in enumerate(choices, 1):
            services.choice_save(
                step=steps[key],
                choice=None,
                order=order,
                text=zh,
                text_en=en,
                next_step=steps[nxt] if nxt else None,
                points=points,
                consequence=cons,
                consequence_en=cons_en,
                feedback=fb,
                feedback_en=fb_en,
                is_best=best,
                user=user,
            )
    return services.scenario_publish(scenario=scenario, user=user)


class _Graph:
    """A published scenario's steps and choices in memory, to play runs without queries."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        steps = list(Step.objects.filter(scenario=scenario))
        self.start = next(s for s in steps if s.is_start)
        self.choices: dict[int, list[Choice]] = {s.pk: [] for s in steps}
        for c in Choice.objects.filter(step__scenario=scenario).order_by("order"):
            self.choices[c.step_id].append(c)
        graph = services.scenario_graph(scenario)
        self.max_points = services.sandbox_graph.points_range(graph, self.start.key)[0]

    def walk(self, pick: Any) -> list[Choice]:
        """The path chosen by ``pick(choices) -> choice`` from the start to an end."""
        path: list[Choice] = []
        step_id: int | None = self.start.pk
        while step_id is not None:
            choice = pick(self.choices[step_id])
            path.append(choice)
            step_id = choice.next_step_id
        return path


def _aware(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone()
    )


class _Runs:
    """Runs collected for one bulk write."""

    def __init__(self) -> None:
        self.rows: list[tuple[SandboxRun, list[Employee], list[tuple[Choice, Employee, Any]]]] = []

    def add(
        self,
        graph: _Graph,
        players: list[Employee],
        started: dt.datetime,
        path: list[Choice],
        rng: Any,
    ) -> None:
        at = started
        steps = []
        for i, choice in enumerate(path):
            at = at + dt.timedelta(seconds=rng.randint(40, 150))
            steps.append((choice, players[i % len(players)], at))
        run = SandboxRun(
            scenario=graph.scenario,
            scenario_version=graph.scenario.version,
            mode=SandboxRun.Mode.GROUP if len(players) > 1 else SandboxRun.Mode.SOLO,
            started_by=players[0],
            started_at=started,
            finished_at=at,
            points=sum(c.points for c in path),
            max_points=graph.max_points,
            status=SandboxRun.Status.FINISHED,
        )
        self.rows.append((run, players, steps))

    def write(self) -> None:
        runs = SandboxRun.objects.bulk_create([r for r, _p, _s in self.rows])
        SandboxRunMember.objects.bulk_create(
            SandboxRunMember(run=run, employee=e)
            for run, (_r, players, _s) in zip(runs, self.rows, strict=True)
            for e in players
        )
        SandboxRunStep.objects.bulk_create(
            SandboxRunStep(
                run=run, order=i, step_id=c.step_id, choice=c, chosen_by=who, chosen_at=at
            )
            for run, (_r, _p, steps) in zip(runs, self.rows, strict=True)
            for i, (c, who, at) in enumerate(steps, 1)
        )


@demo_step(29)
def sandbox_scenarios_and_runs(ctx: DemoContext) -> None:
    if Scenario.objects.filter(code=SCENARIOS[0]["code"]).exists():
        return
    rng = ctx.rng
    author = get_user_model().objects.filter(employee__employee_no="TR001").first()
    graphs = [_Graph(_build_scenario(spec, author)) for spec in SCENARIOS]
    levels = list(JobLevel.objects.filter(code__in=["AM1", "AM2", "AM3"]))
    ams = list(Employee.objects.filter(level__in=levels, active=True).order_by("employee_no"))
    persona = Employee.objects.filter(employee_no="AM0001").first() or (ams[0] if ams else None)
    if persona is None:
        return
    runs = _Runs()
    today = ctx.today
    # The current quarter and the four before it: a run on a random day of each.
    q_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for back in range(4, -1, -1):
        month = q_start.month - 3 * back
        year = q_start.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        start = dt.date(year, month, 1)
        end_month = month + 3
        end = dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
        quarters.append((start, min(end, today) - dt.timedelta(days=1)))
    skill = {e.pk: rng.uniform(0.35, 0.9) for e in ams}
    for e in ams:
        if e.pk == persona.pk:
            continue
        for start, end in quarters:
            if end < start or rng.random() > 0.45:
                continue
            graph = rng.choice(graphs)
            day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
            s = skill[e.pk]

            def pick(choices: list[Choice], s: float = s) -> Choice:
                best = [c for c in choices if c.is_best]
                return best[0] if best and rng.random() < s else rng.choice(choices)

            runs.add(
                graph,
                [e],
                _aware(day, rng.randint(9, 19), rng.randint(0, 59)),
                graph.walk(pick),
                rng,
            )

    # AM0001: a finished solo run on the fee objection with a mistake at the first step
    # (an immediate discount), then a group run with two colleagues of the team on AML.
    fee, aml = graphs[0], graphs[2]
    last_q_start, last_q_end = quarters[-2]
    mistake_day = max(last_q_start, last_q_end - dt.timedelta(days=10))

    def first_wrong(state: dict[str, int]) -> Any:
        def pick(choices: list[Choice]) -> Choice:
            state["n"] += 1
            if state["n"] == 1:
                return next(c for c in choices if not c.is_best)
            return next(c for c in choices if c.is_best)

        return pick

    runs.add(fee, [persona], _aware(mistake_day, 10, 15), fee.walk(first_wrong({"n": 0})), rng)
    colleagues = [e for e in ams if e.org_unit_id == persona.org_unit_id and e.pk != persona.pk][:2]
    if colleagues:
        group_day = max(quarters[-1][0], today - dt.timedelta(days=3))
        if group_day >= today:
            group_day = mistake_day + dt.timedelta(days=2)
        runs.add(
            aml,
            [persona, *colleagues],
            _aware(group_day, 15, 30),
            aml.walk(lambda cs: next(c for c in cs if c.is_best)),
            rng,
        )
    runs.write()
    ctx.log(f"sandbox: {len(graphs)} scenarios, {len(runs.rows)} finished runs")
