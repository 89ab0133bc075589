"""The organisation's import kinds (DESIGN.md §4.2 ⚑): ``job_levels``, ``org_units``,
``employees``, ``competencies`` and ``competency_levels``, registered with their loaders (:mod:`kaopei.org.loaders`) by
:class:`kaopei.org.apps.OrgConfig`.

Names, Chinese aliases, optional flags, enum values and key columns follow the contract table
exactly; lengths follow the models' fields.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing.columns import (
    Column,
    KindSpec,
    as_bool,
    as_choice,
    as_choice_list,
    as_email,
    as_int,
    as_text,
    differs_from,
    not_before,
)
from kaopei.imports.importing.kinds import date_column, key_column
from kaopei.imports.importing.parsers import Choices

# Lengths of the model fields the loaders write.
EMPLOYEE_NO_MAX = 40
ORG_CODE_MAX = 40
LEVEL_CODE_MAX = 20
SMALLINT_MAX = 32767

ROLES = Choices(
    {
        "account_manager": ("客户经理",),
        "supervisor": ("主管",),
        "trainer": ("培训师",),
        "hr_admin": ("考核管理员",),
        "executive": ("管理层",),
    }
)


# The contract's categories with their Chinese labels, then the model's other two.
COMPETENCY_CATEGORIES = Choices(
    {
        "professional": ("专业能力",),
        "soft": ("软技能",),
        "collaboration": ("协作",),
        "compliance": ("合规",),
        "other": ("其他",),
        "digital": ("数字工具",),
        "leadership": ("领导力",),
    }
)
COMPETENCY_CODE_MAX = 40


def employee_column(name: str = "employee_no", zh: str = "客户经理工号", **options: Any) -> Column:
    """A column naming an employee by number (other apps' kinds use it too)."""
    return key_column(name, zh, max_length=EMPLOYEE_NO_MAX, **options)


JOB_LEVELS = KindSpec(
    "job_levels",
    ("code",),
    (
        key_column("code", "职级代码", max_length=LEVEL_CODE_MAX),
        Column("name", "职级名称", as_text, max_length=80),
        Column("rank", "序列", as_int, minimum=0, maximum=SMALLINT_MAX),
        # Optional, in the other language and in words (a blank cell clears the value).
        Column("name_en", "职级英文名称", as_text, required=False, max_length=80),
        Column("description", "职级描述", as_text, required=False),
        Column("description_en", "职级英文描述", as_text, required=False),
    ),
    label=_("Job levels"),
)


ORG_UNITS = KindSpec(
    "org_units",
    ("code",),
    (
        key_column("code", "机构代码", max_length=ORG_CODE_MAX),
        Column("name", "机构名称", as_text, max_length=120),
        # The column is required; a blank cell makes a root unit (the head office).
        key_column("parent_code", "上级机构代码", max_length=ORG_CODE_MAX, allow_blank=True),
        Column("name_en", "机构英文名称", as_text, required=False, max_length=120),
    ),
    label=_("Org units"),
)


EMPLOYEES = KindSpec(
    "employees",
    ("employee_no",),
    (
        employee_column("employee_no", "工号"),
        Column("name", "姓名", as_text, max_length=80),
        key_column("org_unit", "机构代码", max_length=ORG_CODE_MAX),
        key_column("level", "职级", max_length=LEVEL_CODE_MAX),
        employee_column("supervisor_no", "上级工号", required=False),
        Column("email", "邮箱", as_email, required=False, max_length=254),
        date_column("hire_date", "入职日期", required=False),
        date_column("left_on", "离职日期", required=False),
        Column("active", "在职", as_bool, required=False, default=True),
        Column("roles", "角色", as_choice_list, required=False, choices=ROLES),
    ),
    label=_("Employees"),
    rules=(
        not_before("left_on", "hire_date"),
        differs_from("supervisor_no", "employee_no"),
    ),
)


COMPETENCIES = KindSpec(
    "competencies",
    ("code",),
    (
        key_column("code", "能力代码", max_length=COMPETENCY_CODE_MAX),
        Column("name", "能力名称", as_text, max_length=120),
        # Blank or absent: professional (the default of a new competency).
        Column(
            "category",
            "类别",
            as_choice,
            required=False,
            choices=COMPETENCY_CATEGORIES,
            default="professional",
        ),
        Column("description", "描述", as_text, required=False),
        Column("name_en", "能力英文名称", as_text, required=False, max_length=120),
        Column("description_en", "英文描述", as_text, required=False),
    ),
    label=_("Competencies"),
)


COMPETENCY_LEVELS = KindSpec(
    "competency_levels",
    ("level", "competency"),
    (
        key_column("level", "职级", max_length=LEVEL_CODE_MAX),
        key_column("competency", "能力代码", max_length=COMPETENCY_CODE_MAX),
        Column("expected", "期望等级", as_int, minimum=1, maximum=5),
    ),
    label=_("Competency matrix"),
)


def register() -> None:
    """Register the organisation's kinds (from ``OrgConfig.ready``)."""
    from datetime import date

    from kaopei.imports.registry import register_kind
    from kaopei.org.loaders import (
        CompetencyLevelLoader,
        CompetencyLoader,
        EmployeeLoader,
        JobLevelLoader,
        OrgUnitLoader,
    )

    register_kind(
        JOB_LEVELS,
        JobLevelLoader,
        description=_("Job levels and their seniority (a higher rank is more senior)."),
        example={"code": "AM1", "name": "初级客户经理", "rank": 1},
    )
    register_kind(
        ORG_UNITS,
        OrgUnitLoader,
        description=_("The organisation tree: head office, branches and teams."),
        notes=_(
            "Leave 上级机构代码 (parent_code) blank for the head office. A parent may be a unit "
            "that exists already or one earlier in the same file."
        ),
        example={"code": "BJ-T1", "name": "北京一组", "parent_code": "BJ"},
    )
    register_kind(
        EMPLOYEES,
        EmployeeLoader,
        description=_(
            "People with their org unit, job level, supervisor and roles; each gets a login."
        ),
        notes=_(
            "机构代码 (org_unit) and 职级 (level) must exist; 上级工号 (supervisor_no) must be "
            "another employee, existing or earlier in the file. 离职日期 (left_on) cannot be "
            "before 入职日期 (hire_date)."
        ),
        example={
            "employee_no": "A001",
            "name": "安丽",
            "org_unit": "BJ-T1",
            "level": "AM1",
            "supervisor_no": "S001",
            "email": "anli@example.com",
            "hire_date": date(2024, 7, 1),
            "left_on": None,
            "active": "是",
            "roles": "客户经理",
        },
    )
    register_kind(
        COMPETENCIES,
        CompetencyLoader,
        description=_("The competency framework: each competency with its category."),
        notes=_(
            "类别 (category) is one of professional 专业能力, soft 软技能, collaboration 协作, "
            "compliance 合规, other 其他 (also digital 数字工具 and leadership 领导力); blank "
            "means professional. A code that exists updates that competency."
        ),
        example={
            "code": "needs_discovery",
            "name": "需求挖掘",
            "category": "专业能力",
            "description": "发现并确认客户的真实需求",
        },
    )
    register_kind(
        COMPETENCY_LEVELS,
        CompetencyLevelLoader,
        description=_(
            "The competency matrix: the level (1–5) each job level is expected to reach on "
            "each competency."
        ),
        notes=_(
            "职级 (level) is a job level code and 能力代码 (competency) a competency code; both "
            "must exist. 期望等级 (expected) is a whole number from 1 to 5."
        ),
        example={"level": "AM1", "competency": "needs_discovery", "expected": 3},
    )
