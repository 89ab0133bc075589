"""The ``enrolments`` import kind (DESIGN.md §4.2 ⚑): training records from the bank's
learning system, keyed by course + employee number + training date. Its loader is
:class:`kaopei.training.loaders_sessions.EnrolmentLoader`; both are registered by
:func:`kaopei.training.setup_sessions.register`."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing import Column, KindSpec
from kaopei.imports.importing.columns import as_bool, as_decimal, as_int
from kaopei.imports.importing.kinds import date_column, key_column
from kaopei.org.import_kinds import employee_column

ENROLMENTS = KindSpec(
    "enrolments",
    ("course", "employee_no", "session_on"),
    (
        key_column("course", "课程代码", max_length=40),
        employee_column("employee_no", "工号"),
        date_column("session_on", "培训日期"),
        Column(
            "hours", "学时", as_decimal, minimum=Decimal(0), maximum=Decimal(9999), decimal_places=2
        ),
        Column("completed", "是否完成", as_bool),
        Column("reaction", "满意度", as_int, required=False, minimum=1, maximum=5),
        Column(
            "pre_score",
            "前测成绩",
            as_decimal,
            required=False,
            minimum=Decimal(0),
            maximum=Decimal(100),
            decimal_places=2,
        ),
        Column(
            "post_score",
            "后测成绩",
            as_decimal,
            required=False,
            minimum=Decimal(0),
            maximum=Decimal(100),
            decimal_places=2,
        ),
    ),
    label=_("Training records (enrolments)"),
)
