"""The ``questions`` import kind: a course's question bank from a spreadsheet. Its loader is
:class:`kaopei.training.loaders_questions.QuestionLoader`; both are registered by
:func:`kaopei.training.setup_questions.register`.

One row per question, key (course, code). Options are one cell, separated by a new line or
``|`` (``A. …|B. …``; the ``A.`` labels are optional and not stored); the answer names the
correct options by letter (``A``, ``AC``), or for true/false 正确/错误 (对/错, T/F).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing import Column, KindSpec
from kaopei.imports.importing.columns import as_choice, as_text
from kaopei.imports.importing.kinds import key_column
from kaopei.imports.importing.parsers import Choices

QUESTION_KINDS = Choices(
    {
        "single": ("单选",),
        "multiple": ("多选",),
        "true_false": ("判断",),
    }
)

QUESTIONS = KindSpec(
    "questions",
    ("course", "code"),
    (
        key_column("course", "课程代码", max_length=40),
        key_column("code", "题目编号", max_length=40),
        Column("kind", "题型", as_choice, choices=QUESTION_KINDS),
        Column("text", "题干", as_text, max_length=2000),
        Column("text_en", "英文题干", as_text, required=False, max_length=2000),
        # Blank for a true/false question: 正确 / 错误.
        Column("options", "选项", as_text, allow_blank=True, max_length=5000),
        Column("options_en", "英文选项", as_text, required=False, max_length=5000),
        Column("answer", "答案", as_text, max_length=40),
        Column("explanation", "解析", as_text, required=False, max_length=4000),
        Column("explanation_en", "英文解析", as_text, required=False, max_length=4000),
        key_column("competency", "能力项", required=False, max_length=60),
    ),
    label=_("Question bank of a course"),
)
