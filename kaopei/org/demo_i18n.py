"""The demo's master data in both languages: English names, Chinese and English descriptions,
English behaviour anchors, keyed by code.

The demo organisation (``demo.py``) writes the Chinese names and anchors;
:func:`translate_demo_master_data` fills in the other language afterwards, so the demo reads
fully in Chinese and in English. It runs as its own demo step once ``demo.py`` imports this
module (``from kaopei.org import demo_i18n  # noqa: F401``): the registry imports only each
app's ``demo`` module.
"""

from __future__ import annotations

from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Competency, CompetencyAnchor, JobLevel, OrgUnit

# code: (English name, Chinese description, English description)
LEVELS: dict[str, tuple[str, str, str]] = {
    "AM1": (
        "Junior account manager",
        "初级客户经理：以执行和客户活动为主。",
        "Junior account manager: execution and activity.",
    ),
    "AM2": (
        "Account manager",
        "客户经理：独立经营完整的客户组合。",
        "Account manager: full customer portfolio.",
    ),
    "AM3": (
        "Senior account manager",
        "高级客户经理：负责重点客户和经营策略。",
        "Senior account manager: key accounts and strategy.",
    ),
    "MGR": (
        "Team lead",
        "团队负责人：带领客户经理团队，并经营自己的重点客户。",
        "Team lead: manages account managers and keeps key accounts.",
    ),
    "BRH": (
        "Branch head",
        "分行负责人：管理分行的各团队负责人（非销售岗位）。",
        "Branch head: manages the team leads of a branch (not a sales level).",
    ),
    "STAFF": (
        "Staff role",
        "非销售岗位（人力资源、培训、管理）。",
        "Non-sales staff (HR, training, management).",
    ),
}

# code: (English name, Chinese description, English description, English anchors 1..5)
COMPETENCIES: dict[str, tuple[str, str, str, list[str]]] = {
    "needs_discovery": (
        "Needs discovery (SPIN)",
        "运用 SPIN 提问法挖掘客户的显性和隐性需求。",
        "Uses SPIN questioning to uncover explicit and implicit needs.",
        [
            "Asks only about product needs",
            "Asks situation and problem questions",
            "Uses implication questions to bring out pain points",
            "Uses SPIN systematically to uncover hidden needs",
            "Anticipates industry trends and shapes the customer's needs",
        ],
    ),
    "value_communication": (
        "Value communication and negotiation (FABE)",
        "运用 FABE 传递价值，谈判中避开常见陷阱。",
        "Conveys value with FABE and negotiates without common traps.",
        [
            "Lists product features",
            "Explains the advantages",
            "Turns advantages into benefits for the customer",
            "Backs the value proposition with evidence and handles objections",
            "Designs win-win solutions in complex negotiations",
        ],
    ),
    "product_knowledge": (
        "Product knowledge",
        "了解本行产品及其适合的客户群体。",
        "Knows the bank's products and their fit for customer segments.",
        [
            "Knows the names of the main products",
            "Can present the core products",
            "Recommends products by type of customer",
            "Combines products into a solution",
            "Tailors integrated financial solutions to complex needs",
        ],
    ),
    "risk_compliance": (
        "Risk and compliance",
        "执行反洗钱、数据保密和反贿赂规定，审查客户资质。",
        "Applies AML, data-privacy and anti-bribery rules; reviews customer eligibility.",
        [
            "Knows the basic compliance rules",
            "Reviews customer eligibility by the procedure",
            "Spots suspicious transactions and risk signals on their own",
            "Sets up early warning for customer risk",
            "Coaches others and improves the procedures",
        ],
    ),
    "digital_tools": (
        "Digital tools",
        "使用 CRM 客户画像和 BI 看板指导销售。",
        "Uses CRM customer profiles and BI dashboards to steer sales.",
        [
            "Enters CRM records",
            "Keeps customer profiles up to date",
            "Tracks results on BI dashboards",
            "Adjusts the sales approach from the data",
            "Leads the team to work from data",
        ],
    ),
    "communication": (
        "Communication and coordination",
        "与客户和同事清晰沟通，包括非语言信号。",
        "Communicates clearly with customers and colleagues, including non-verbal cues.",
        [
            "Expresses themselves clearly enough",
            "Listens well and confirms the needs",
            "Coordinates resources across departments",
            "Brings people to agreement in a conflict",
            "Influences senior customers and internal decisions",
        ],
    ),
    "crisis_handling": (
        "Crisis handling",
        "冷静处理投诉和危机，重建客户信任。",
        "Handles complaints and crises calmly and restores trust.",
        [
            "Reports complaints promptly",
            "Handles ordinary complaints by the procedure",
            "Defuses customer dissatisfaction on their own",
            "Handles major complaints and learns from them",
            "Prepares crisis plans and coaches the team",
        ],
    ),
    "key_account_mgmt": (
        "Key-account management",
        "规划并发展战略客户关系。",
        "Plans and grows strategic customer relationships.",
        [
            "Knows the list of key accounts",
            "Keeps in regular touch with key accounts",
            "Draws up a yearly service plan for key accounts",
            "Brings resources together to deepen strategic relationships",
            "Builds flagship accounts and lifts the team with them",
        ],
    ),
}

# Org units: the head office and branches by code; teams by the Chinese end of their name.
UNITS = {"HQ": "Head office", "BJ": "Beijing branch", "SH": "Shanghai branch",
         "GZ": "Guangzhou branch", "CD": "Chengdu branch"}  # fmt: skip
TEAMS = {
    "对公一组": "corporate team 1",
    "对公二组": "corporate team 2",
    "普惠金融组": "inclusive finance team",
    "科创金融组": "tech finance team",
    "跨境金融组": "cross-border finance team",
    "乡村振兴组": "rural revitalisation team",
}


def translate_master_data() -> None:
    """Fill in the other language of the demo's levels, competencies, anchors and units
    (by code; records the map does not know are left as they are)."""
    for level in JobLevel.objects.filter(code__in=LEVELS):
        level.name_en, level.description, level.description_en = LEVELS[level.code]
        level.save(update_fields=["name_en", "description", "description_en"])
    for competency in Competency.objects.filter(code__in=COMPETENCIES):
        name_en, description, description_en, anchors_en = COMPETENCIES[competency.code]
        competency.name_en = name_en
        competency.description, competency.description_en = description, description_en
        competency.save(update_fields=["name_en", "description", "description_en"])
        anchors = list(CompetencyAnchor.objects.filter(competency=competency))
        for anchor in anchors:
            if 1 <= anchor.level <= len(anchors_en):
                anchor.behaviour_en = anchors_en[anchor.level - 1]
        CompetencyAnchor.objects.bulk_update(anchors, ["behaviour_en"])
    units = list(OrgUnit.objects.all())
    by_code = {u.code: u for u in units}
    for unit in units:
        if unit.code in UNITS:
            unit.name_en = UNITS[unit.code]
            continue
        parent = by_code.get(unit.code.split("-")[0])
        team = next((en for zh, en in TEAMS.items() if unit.name.endswith(zh)), None)
        if parent is not None and parent.code in UNITS and team is not None:
            unit.name_en = f"{UNITS[parent.code]}, {team}"
    OrgUnit.objects.bulk_update(units, ["name_en"])


@demo_step(11)
def translate_demo_master_data(ctx: DemoContext) -> None:
    """English names and descriptions of the demo's levels, competencies and units."""
    translate_master_data()
