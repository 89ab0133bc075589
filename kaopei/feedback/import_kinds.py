"""The ``feedback_answers`` import kind (DESIGN.md §4.2, §7 ⚑): 360 answers collected in
another survey tool. Its loader is :class:`kaopei.feedback.loaders.FeedbackAnswerLoader`;
both are registered by :func:`kaopei.feedback.setup_imports.register`.

The ``response`` column only groups the rows of one rater's answers and is never stored:
its cells parse to a :class:`ResponseId`, a value that compares and hashes as the text but
prints as ``***``, so no error message, report, log line or ``repr`` can carry it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing import CellValue, Column, KindSpec
from kaopei.imports.importing.columns import (
    ParseContext,
    as_choice,
    as_cycle,
    as_int,
    as_text,
)
from kaopei.imports.importing.kinds import key_column
from kaopei.imports.importing.parsers import Choices
from kaopei.org.import_kinds import employee_column

RELATIONSHIPS = Choices(
    {
        "self": ("自评",),
        "supervisor": ("上级",),
        "peer": ("同事",),
        "subordinate": ("下属",),
        "customer": ("客户",),
    }
)
MASK = "***"


class ResponseId:
    """A response id from a file: equal and hashed as its text, shown as ``***``."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResponseId) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __str__(self) -> str:
        return MASK

    __repr__ = __str__


def as_response_id(value: CellValue, column: Column, ctx: ParseContext) -> ResponseId:
    """Any non-blank cell (a blank one is ``required``); numbers as a person reads them
    (an xlsx ``7`` and a CSV ``7`` are the same response). Never an error that would show
    the cell."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return ResponseId(str(value).strip())


as_response_id.format_hint = _(  # type: ignore[attr-defined]
    "The response's id in the survey tool: any text or number. It only groups the rows of "
    "one response and is never stored."
)


FEEDBACK_ANSWERS = KindSpec(
    "feedback_answers",
    ("response", "competency"),
    (
        Column("cycle", "考核周期", as_cycle),
        employee_column("subject_no", "被评人工号"),
        Column("relationship", "关系", as_choice, choices=RELATIONSHIPS),
        Column("response", "答卷编号", as_response_id),
        # A competency's code, or its name in either language.
        key_column("competency", "能力项", max_length=120),
        Column("score", "评分", as_int, minimum=1, maximum=5),
        Column("comment", "评语", as_text, required=False),
    ),
    label=_("360 answers from a survey tool"),
)
