"""Demo organisation: HQ, 4 branches, 12 teams, ~120 account managers, Chinese names.

Team leads (level MGR) lead a team and keep key accounts of their own; branch heads (BRH)
and head-office staff are not sales levels and have no template (scoring lists them as
skipped, with the reason).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from kaopei.core.demo import (
    DEMO_PASSWORD,
    TEAM_LEAD_LABEL,
    DemoContext,
    demo_personas,
    demo_step,
)
from kaopei.core.roles import Role
from kaopei.org import demo_i18n  # noqa: F401 - its demo step gives the master data English
from kaopei.org.models import (
    Competency,
    CompetencyAnchor,
    Employee,
    JobLevel,
    LevelExpectation,
    OrgUnit,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建晶飞慧鑫波斌宇浩凯琳雪梅婷欣然博文思远子涵一诺雨轩梓萱晨阳佳怡俊杰嘉豪"

BRANCHES = [
    ("BJ", "北京分行", ["对公一组", "对公二组", "普惠金融组"]),
    ("SH", "上海分行", ["对公一组", "对公二组", "科创金融组"]),
    ("GZ", "广州分行", ["对公一组", "对公二组", "跨境金融组"]),
    ("CD", "成都分行", ["对公一组", "对公二组", "乡村振兴组"]),
]

LEVELS = [
    ("AM1", "初级客户经理", 1, "Junior account manager: execution and activity."),
    ("AM2", "客户经理", 2, "Account manager: full customer portfolio."),
    ("AM3", "高级客户经理", 3, "Senior account manager: key accounts and strategy."),
    ("MGR", "团队负责人", 4, "Team lead: manages account managers and keeps key accounts."),
    (
        "BRH",
        "分行负责人",
        5,
        "Branch head: manages the team leads of a branch (not a sales level).",
    ),
    ("STAFF", "职能岗位", 0, "Non-sales staff (HR, training, management)."),
]

NON_SALES = {"BRH", "STAFF"}

# code, name, category, description, anchors 1..5
COMPETENCIES = [
    (
        "needs_discovery",
        "客户需求挖掘 (SPIN)",
        "professional",
        "Uses SPIN questioning to uncover explicit and implicit needs.",
        [
            "只询问产品需求",
            "能提出情境与问题类提问",
            "能用暗示问题放大痛点",
            "系统运用SPIN挖掘隐性需求",
            "预判行业趋势并引导客户需求",
        ],
    ),
    (
        "value_communication",
        "价值传递与谈判 (FABE)",
        "professional",
        "Conveys value with FABE and negotiates without common traps.",
        [
            "罗列产品特征",
            "能说明优势",
            "能将优势转化为客户利益",
            "用证据支撑价值主张并处理异议",
            "在复杂谈判中设计共赢方案",
        ],
    ),
    (
        "product_knowledge",
        "产品知识",
        "professional",
        "Knows the bank's products and their fit for customer segments.",
        [
            "了解主要产品名称",
            "能介绍核心产品",
            "能按客户类型推荐产品",
            "能组合产品形成方案",
            "能为复杂需求定制综合金融方案",
        ],
    ),
    (
        "risk_compliance",
        "风险与合规",
        "compliance",
        "Applies AML, data-privacy and anti-bribery rules; reviews customer eligibility.",
        [
            "知道基本合规要求",
            "按流程完成客户资质审查",
            "主动识别可疑交易与风险信号",
            "建立客户风险预警机制",
            "指导他人并推动流程改进",
        ],
    ),
    (
        "digital_tools",
        "数字化工具应用",
        "digital",
        "Uses CRM customer profiles and BI dashboards to steer sales.",
        [
            "能录入CRM记录",
            "按时维护客户画像",
            "使用BI看板跟踪业绩",
            "基于数据调整销售策略",
            "推动团队数据化经营",
        ],
    ),
    (
        "communication",
        "沟通协调",
        "soft",
        "Communicates clearly with customers and colleagues, including non-verbal cues.",
        [
            "表达基本清楚",
            "能有效倾听并确认需求",
            "能协调跨部门资源",
            "在冲突中促成一致",
            "影响高层客户与内部决策",
        ],
    ),
    (
        "crisis_handling",
        "危机处理",
        "soft",
        "Handles complaints and crises calmly and restores trust.",
        [
            "遇到投诉及时上报",
            "按流程处理一般投诉",
            "主动化解客户不满",
            "处理重大投诉并复盘改进",
            "建立危机预案并指导团队",
        ],
    ),
    (
        "key_account_mgmt",
        "大客户管理",
        "leadership",
        "Plans and grows strategic customer relationships.",
        [
            "了解大客户名单",
            "定期维护大客户关系",
            "制定大客户年度服务计划",
            "整合资源深耕战略客户",
            "打造标杆客户并带动团队",
        ],
    ),
]

# expected level per (level code, competency code)
EXPECTED = {
    "AM1": [3, 2, 3, 3, 3, 3, 2, 1],
    "AM2": [3, 3, 3, 3, 3, 3, 3, 2],
    "AM3": [4, 4, 4, 4, 3, 4, 4, 4],
    "MGR": [4, 4, 4, 5, 4, 4, 4, 4],
}


def _name(ctx: DemoContext, used: set[str]) -> str:
    while True:
        name = ctx.rng.choice(SURNAMES) + "".join(
            ctx.rng.choice(GIVEN) for _ in range(ctx.rng.choice((1, 2)))
        )
        if name not in used:
            used.add(name)
            return name


@demo_step(10)
def build_organisation(ctx: DemoContext) -> None:
    """HQ, 4 branches, 12 teams, levels, ~120 account managers, supervisors and staff."""
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    password = make_password(DEMO_PASSWORD)
    used: set[str] = set()

    levels = {
        code: JobLevel.objects.create(
            code=code, name=name, rank=rank, is_sales=code not in NON_SALES, description=desc
        )
        for code, name, rank, desc in LEVELS
    }
    hq = OrgUnit.objects.create(code="HQ", name="总行", kind=OrgUnit.Kind.HQ)
    teams: list[OrgUnit] = []
    branches: list[OrgUnit] = []
    for bcode, bname, team_names in BRANCHES:
        branch = OrgUnit.objects.create(code=bcode, name=bname, parent=hq, kind=OrgUnit.Kind.BRANCH)
        branches.append(branch)
        for i, tname in enumerate(team_names, start=1):
            teams.append(
                OrgUnit.objects.create(
                    code=f"{bcode}-T{i}",
                    name=f"{bname}{tname}",
                    parent=branch,
                    kind=OrgUnit.Kind.TEAM,
                )
            )

    people: list[tuple[Employee, list[str]]] = []

    def person(
        no: str,
        unit: OrgUnit,
        level: str,
        roles: list[str],
        supervisor: Employee | None = None,
        hired_years: int = 3,
        name: str | None = None,
    ) -> Employee:
        hire = date(ctx.year, 1, 1) - timedelta(days=365 * hired_years + ctx.rng.randint(0, 300))
        e = Employee.objects.create(
            employee_no=no,
            name=name or _name(ctx, used),
            org_unit=unit,
            level=levels[level],
            supervisor=supervisor,
            hire_date=hire,
            email=f"{no.lower()}@demo-bank.cn",
        )
        people.append((e, roles))
        return e

    head = person("EX001", hq, "STAFF", [Role.EXECUTIVE], name="赵建国", hired_years=15)
    person("HR001", hq, "STAFF", [Role.HR_ADMIN], supervisor=head, name="韩美玲", hired_years=8)
    person("TR001", hq, "STAFF", [Role.TRAINER], supervisor=head, name="田思远", hired_years=6)
    branch_heads = {
        b.code: person(f"{b.code}000", b, "BRH", [Role.SUPERVISOR], supervisor=head, hired_years=10)
        for b in branches
    }
    n = 0
    team_leads: dict[str, Employee] = {}
    for team in teams:
        lead = person(
            f"{team.code.replace('-', '')}L",
            team,
            "MGR",
            [Role.SUPERVISOR, Role.ACCOUNT_MANAGER],
            supervisor=branch_heads[team.code[:2]],
            hired_years=7,
        )
        team_leads[team.code] = lead
        for _ in range(10):
            n += 1
            level = ctx.rng.choices(["AM1", "AM2", "AM3"], weights=[4, 4, 2])[0]
            years = {"AM1": 1, "AM2": 3, "AM3": 6}[level] + ctx.rng.randint(0, 2)
            person(
                f"AM{n:04d}",
                team,
                level,
                [Role.ACCOUNT_MANAGER],
                supervisor=lead,
                hired_years=years,
            )

    users = User.objects.bulk_create(
        [User(username=e.employee_no, password=password, email=e.email) for e, _ in people]
    )
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=u.pk, group_id=groups[str(r)].pk)
            for u, (_, roles) in zip(users, people, strict=True)
            for r in roles
        ]
    )
    for user, (e, _) in zip(users, people, strict=True):
        e.user_id = user.pk
    Employee.objects.bulk_update([e for e, _ in people], ["user"])

    competencies = []
    for code, name, category, desc, anchors in COMPETENCIES:
        c = Competency.objects.create(code=code, name=name, category=category, description=desc)
        competencies.append(c)
        CompetencyAnchor.objects.bulk_create(
            [
                CompetencyAnchor(competency=c, level=i + 1, behaviour=b)
                for i, b in enumerate(anchors)
            ]
        )
    LevelExpectation.objects.bulk_create(
        [
            LevelExpectation(level=levels[lc], competency=c, expected=x)
            for lc, values in EXPECTED.items()
            for c, x in zip(competencies, values, strict=True)
        ]
    )

    first_team = teams[0]
    am = next(e for e, r in people if e.org_unit == first_team and r == [Role.ACCOUNT_MANAGER])
    ctx.data.update(
        levels=levels,
        teams=teams,
        branches=branches,
        hq=hq,
        employees=[e for e, _ in people],
        users={e.pk: u for u, (e, _) in zip(users, people, strict=True)},
        team_leads=team_leads,
        branch_heads=branch_heads,
        hr_user=users[1],
        persona_am=am,
    )
    ctx.personas += [
        (str(Role.HR_ADMIN.label), "HR001", "韩美玲"),
        (
            str(TEAM_LEAD_LABEL),
            team_leads[first_team.code].employee_no,
            team_leads[first_team.code].name,
        ),
        (str(Role.ACCOUNT_MANAGER.label), am.employee_no, am.name),
        (str(Role.TRAINER.label), "TR001", "田思远"),
        (str(Role.EXECUTIVE.label), "EX001", "赵建国"),
    ]


@demo_personas
def stored_personas() -> list[tuple[str, str, str]]:
    """The personas of a demo built earlier: the first person of each role (the supervisor a
    team lead, the account manager one who supervises nobody)."""
    out = []
    for role in (
        Role.HR_ADMIN,
        Role.SUPERVISOR,
        Role.ACCOUNT_MANAGER,
        Role.TRAINER,
        Role.EXECUTIVE,
    ):
        e = Employee.objects.filter(user__groups__name=role.value).order_by("employee_no").first()
        if role == Role.SUPERVISOR:
            e = (
                Employee.objects.filter(user__groups__name=role.value, org_unit__kind="team")
                .order_by("employee_no")
                .first()
            ) or e
        if role == Role.ACCOUNT_MANAGER:
            e = (
                Employee.objects.filter(user__groups__name=role.value)
                .exclude(user__groups__name="supervisor")
                .order_by("employee_no")
                .first()
            )
        if e:
            label = TEAM_LEAD_LABEL if role == Role.SUPERVISOR else role.label
            out.append((str(label), e.employee_no, e.name))
    return out
