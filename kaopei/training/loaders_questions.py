"""The loader of ``questions`` (see :mod:`kaopei.training.import_kinds_questions`).

- Each row is a question of a course's bank, key (course, code); the course and the
  competency (optional, by code) must exist.
- Options: at least two (true/false: exactly two, 正确/错误 when the cell is blank); the
  English options, when given, as many; the answer names at least one option, a single
  choice exactly one.
- Re-importing a key updates the question and replaces its options — unless the options
  change and people already answered it (their answers point at the options): that row is
  refused. A row equal to what is stored is unchanged. Any error refuses the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaopei.imports.importing import ParsedRow, RowError
from kaopei.imports.loaders.base import Counts, Loader, WithoutRollback
from kaopei.org.models import Competency
from kaopei.training.models import AttemptAnswer, Course, Option, Question

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, StrOrPromise] = {
    "unknown_course": _("There is no course with the code “{value}”."),
    "unknown_competency": _("There is no competency with the code “{value}”."),
    "too_few_options": _("A choice question needs at least two options; this row has {count}."),
    "true_false_options": _(
        "A true/false question has exactly two options (正确 and 错误); this row has {count}."
    ),
    "options_en_count": _(
        "The English options must match the options one for one: {count_en} English options "
        "for {count} options."
    ),
    "no_answer": _(
        "The answer names no correct option: give the letters of the correct options "
        "(e.g. A or AC), or for true/false 正确 or 错误."
    ),
    "answer_beyond_options": _(
        "The answer names option {letter}, but the question has only {count} options."
    ),
    "answer_not_letters": _(
        "“{value}” is not an answer: give the letters of the correct options (e.g. A or AC)."
    ),
    "single_several_answers": _(
        "A single-choice question has exactly one correct option; the answer names {count}."
    ),
    "true_false_answer": _("A true/false answer is 正确 or 错误 (对/错, T/F); not “{value}”."),
    "question_answered": _(
        "Question {value} has already been answered in quizzes: its options can no longer "
        "change (the answers point at them). Keep its options, or give the new version "
        "another code."
    ),
}
NO_ROLLBACK = _(
    "A question bank import updates questions in place: import the earlier file again instead "
    "of rolling back."
)

TRUE_WORDS = {"正确", "对", "是", "T", "TRUE", "Y", "YES", "√", "A"}
FALSE_WORDS = {"错误", "错", "否", "F", "FALSE", "N", "NO", "×", "X", "B"}
TRUE_FALSE = (("正确", "True"), ("错误", "False"))
_SPLIT = re.compile(r"\s*(?:\r?\n|\|)\s*")
_LABEL = re.compile(r"^[A-Za-z][.．、)）:：]\s*")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def question_error(code: str, *, row: int, column: str, value: object, **params: Any) -> RowError:
    text = "" if value is None else str(value)
    params.setdefault("value", text)
    return RowError(row, column, text, format_lazy(MESSAGES[code], **params), code, params)


def split_options(text: str | None) -> list[str]:
    """The options of a cell: split on new lines or ``|``, without ``A.`` labels."""
    if not text:
        return []
    parts = [_LABEL.sub("", part.strip()).strip() for part in _SPLIT.split(text.strip())]
    return [part for part in parts if part]


# An option as compared and stored: (text, English text, correct).
OptionRow = tuple[str, str, bool]


@dataclass
class _Planned:
    row: int
    key: tuple[str, str]
    values: dict[str, Any]
    options: list[OptionRow]
    question: Question | None = None
    options_changed: bool = False
    changed: bool = False


class QuestionLoader(WithoutRollback, Loader):
    no_rollback = NO_ROLLBACK

    kind = "questions"
    writes = ("training.question", "training.option")

    def __init__(self, ctx: Any, columns: Sequence[str]) -> None:
        super().__init__(ctx, columns)
        self.rows: list[ParsedRow] = []
        self.plan: list[_Planned] = []

    def feed(self, rows: list[ParsedRow], *, clean: bool = True) -> None:
        self.rows.extend(rows)

    def _get(self, row: ParsedRow, column: str) -> Any:
        return (row[column] or "") if column in self.present else ""

    def _answer(self, row: ParsedRow, kind: str, texts: list[str]) -> set[int] | None:
        """The positions (0-based) the answer names, or None after adding an error."""
        text = str(row["answer"]).strip()
        count = len(texts)
        if kind == Question.Kind.TRUE_FALSE:
            word = text.upper()
            named = [i for i, option in enumerate(texts) if option.upper() == word]
            if named:  # the answer is an option's own text
                return {named[0]}
            # 正确 names the option that says "true" (the first when none does).
            true_at = next((i for i, o in enumerate(texts) if o.upper() in TRUE_WORDS), 0)
            if word in TRUE_WORDS:
                return {true_at}
            if word in FALSE_WORDS:
                return {1 - true_at}
            self.errors.append(question_error("true_false_answer", row=row.row, column="answer",
                                              value=text))  # fmt: skip
            return None
        letters = re.sub(r"[\s,，、;；/]+", "", text).upper()
        if not letters:
            self.errors.append(
                question_error("no_answer", row=row.row, column="answer", value=text)
            )
            return None
        if any(c not in LETTERS for c in letters):
            self.errors.append(
                question_error("answer_not_letters", row=row.row, column="answer", value=text)
            )
            return None
        chosen = {LETTERS.index(c) for c in letters}
        beyond = sorted(p for p in chosen if p >= count)
        if beyond:
            self.errors.append(
                question_error(
                    "answer_beyond_options",
                    row=row.row,
                    column="answer",
                    value=text,
                    letter=LETTERS[beyond[0]],
                    count=count,
                )  # fmt: skip
            )
            return None
        if kind == Question.Kind.SINGLE and len(chosen) > 1:
            self.errors.append(
                question_error(
                    "single_several_answers",
                    row=row.row,
                    column="answer",
                    value=text,
                    count=len(chosen),
                )  # fmt: skip
            )
            return None
        return chosen

    def check(self) -> None:
        if not self.rows:
            return
        courses = dict(
            Course.objects.filter(code__in={r["course"] for r in self.rows}).values_list(
                "code", "pk"
            )
        )
        wanted = {self._get(r, "competency") for r in self.rows} - {""}
        competencies = dict(Competency.objects.filter(code__in=wanted).values_list("code", "pk"))
        existing: dict[tuple[int, str], Question] = {}
        if courses:
            found = Question.objects.filter(
                course_id__in=courses.values(), code__in={r["code"] for r in self.rows}
            ).prefetch_related("options")
            existing = {(q.course_id, q.code): q for q in found}
        answered = set(
            AttemptAnswer.objects.filter(question__in=[q.pk for q in existing.values()])
            .values_list("question_id", flat=True)
            .distinct()
        )
        for r in self.rows:
            ok = True
            course_id = courses.get(r["course"])
            if course_id is None:
                self.errors.append(
                    question_error("unknown_course", row=r.row, column="course", value=r["course"])
                )
                ok = False
            competency_code = self._get(r, "competency")
            competency_id = competencies.get(competency_code) if competency_code else None
            if competency_code and competency_id is None:
                self.errors.append(
                    question_error(
                        "unknown_competency", row=r.row, column="competency", value=competency_code
                    )  # fmt: skip
                )
                ok = False
            kind = r["kind"]
            texts = split_options(r["options"])
            texts_en = split_options(self._get(r, "options_en"))
            if kind == Question.Kind.TRUE_FALSE:
                if not texts:
                    texts = [zh for zh, _en in TRUE_FALSE]
                    texts_en = texts_en or [en for _zh, en in TRUE_FALSE]
                if len(texts) != 2:
                    self.errors.append(
                        question_error(
                            "true_false_options",
                            row=r.row,
                            column="options",
                            value=r["options"],
                            count=len(texts),
                        )  # fmt: skip
                    )
                    ok = False
            elif len(texts) < 2:
                self.errors.append(
                    question_error(
                        "too_few_options",
                        row=r.row,
                        column="options",
                        value=r["options"],
                        count=len(texts),
                    )  # fmt: skip
                )
                ok = False
            if texts_en and len(texts_en) != len(texts):
                self.errors.append(
                    question_error(
                        "options_en_count",
                        row=r.row,
                        column="options_en",
                        value=self._get(r, "options_en"),
                        count=len(texts),
                        count_en=len(texts_en),
                    )  # fmt: skip
                )
                ok = False
            if not ok:
                continue
            chosen = self._answer(r, kind, texts)
            if chosen is None:
                continue
            options = [
                (text, texts_en[i] if texts_en else "", i in chosen) for i, text in enumerate(texts)
            ]
            values = {
                "kind": kind,
                "text": r["text"],
                "text_en": self._get(r, "text_en"),
                "explanation": self._get(r, "explanation"),
                "explanation_en": self._get(r, "explanation_en"),
                "competency_id": competency_id,
            }
            assert course_id is not None
            item = _Planned(r.row, (r["course"], r["code"]), values, options)
            question = existing.get((course_id, r["code"]))
            if question is None:
                item.values.update(course_id=course_id, code=r["code"])
                item.changed = item.options_changed = True
            else:
                item.question = question
                before = [(o.text, o.text_en, o.correct) for o in question.options.all()]
                item.options_changed = before != options
                fields_changed = any(getattr(question, k) != v for k, v in values.items())
                item.changed = fields_changed or item.options_changed
                if item.options_changed and question.pk in answered:
                    self.errors.append(
                        question_error(
                            "question_answered", row=r.row, column="options", value=r["code"]
                        )  # fmt: skip
                    )
                    continue
            self.plan.append(item)

    def count(self) -> Counts:
        counts = Counts()
        for item in self.plan:
            if item.question is None:
                counts.created += 1
            elif item.changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def write(self) -> Counts:
        counts = self.count()  # before new questions get their rows
        actor = self.ctx.actor
        batch_id = self.ctx.batch.pk
        now = timezone.now()
        updated = []
        for item in self.plan:
            question = item.question
            if question is None or not item.changed:
                continue
            for name, value in item.values.items():
                setattr(question, name, value)
            question.import_batch_id = batch_id
            question.updated_at = now
            updated.append(question)
        if updated:
            fields = ["kind", "text", "text_en", "explanation", "explanation_en", "competency"]
            bulk_update_with_history(
                updated,
                Question,
                [*fields, "import_batch", "updated_at"],
                batch_size=500,
                default_user=actor,
            )
        new = [
            Question(import_batch_id=batch_id, **item.values)
            for item in self.plan
            if item.question is None
        ]
        if new:
            bulk_create_with_history(new, Question, batch_size=500, default_user=actor)
            created = {
                (q.course_id, q.code): q.pk
                for q in Question.objects.filter(import_batch_id=batch_id)
            }
            for item in self.plan:
                if item.question is None:
                    key = (item.values["course_id"], item.values["code"])
                    item.question = Question(pk=created[key])
        replace = [item for item in self.plan if item.options_changed]
        ids = [item.question.pk for item in replace if item.question is not None]
        Option.objects.filter(question_id__in=ids).delete()
        Option.objects.bulk_create(
            [
                Option(
                    question_id=item.question.pk,
                    position=i,
                    text=text,
                    text_en=text_en,
                    correct=correct,
                )  # fmt: skip
                for item in replace
                if item.question is not None
                for i, (text, text_en, correct) in enumerate(item.options, start=1)
            ],
            batch_size=1000,
        )
        return counts

    def touched(self) -> dict[str, Any]:
        return {"courses": sorted({item.key[0] for item in self.plan})}
