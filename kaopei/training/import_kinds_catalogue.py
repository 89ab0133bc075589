"""The ``courses`` import kind (DESIGN.md §4.2 ⚑): the course catalogue from a spreadsheet.
Its loader is :class:`kaopei.training.loaders_catalogue.CourseLoader`; both are registered by
:func:`register` (called from ``setup_catalogue.register``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing import CellValue, Column, KindSpec
from kaopei.imports.importing.columns import ParseContext, as_choice, as_decimal, as_text
from kaopei.imports.importing.kinds import key_column
from kaopei.imports.importing.parsers import _LIST_SEPARATORS_RE, Choices, parse_key

HOURS_MAX = 500
CODE_MAX = 40

MODULES = Choices(
    {
        "needs_discovery": ("需求挖掘",),
        "value_communication": ("价值沟通",),
        "compliance": ("风险合规",),
        "digital_tools": ("数字工具",),
        "product": ("产品知识",),
        "other": ("其他",),
    }
)

FORMATS = Choices(
    {
        "lecture": ("讲授",),
        "case": ("案例",),
        "role_play": ("角色扮演",),
        "sandbox": ("沙盘",),
        "competition": ("竞赛",),
        "e_learning": ("线上",),
    }
)


def as_code_list(value: CellValue, column: Column, ctx: ParseContext) -> tuple[str, ...]:
    """Codes separated by ``,`` ``，`` ``、`` ``;`` or ``；`` (duplicates dropped, order
    kept). Whether each exists is the loader's check, which names the unknown one."""
    codes: list[str] = []
    text = value if isinstance(value, str) else str(value)
    for item in _LIST_SEPARATORS_RE.split(text):
        if not item.strip():
            continue
        code = parse_key(item, max_length=column.max_length)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


as_code_list.format_hint = _(  # type: ignore[attr-defined]
    "Codes separated by commas (, ， or 、); each must exist."
)


COURSES = KindSpec(
    "courses",
    ("code",),
    (
        key_column("code", "课程代码", max_length=CODE_MAX),
        Column("title", "课程名称", as_text, max_length=160),
        Column("module", "模块", as_choice, choices=MODULES),
        Column("format", "形式", as_choice, choices=FORMATS),
        Column(
            "hours",
            "学时",
            as_decimal,
            minimum=0,
            maximum=HOURS_MAX,
            decimal_places=2,
            unit="小时",
        ),
        # Blank: the course improves no metric (a blank cell clears the list).
        Column("metrics", "关联指标", as_code_list, required=False, default=(), max_length=40),
        Column("competencies", "关联能力", as_code_list, required=False, default=(), max_length=40),
    ),
    label=_("Course catalogue"),
)
