"""Demo data of this training area: the question banks of the demo courses (real questions,
Chinese with English; content in :mod:`kaopei.training.demo_question_bank`)."""

from __future__ import annotations

from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Competency
from kaopei.training.demo_catalogue import demo_courses
from kaopei.training.demo_question_bank import BANK, TF
from kaopei.training.models import Option, Question

LETTERS = "ABCDEFGHIJ"


@demo_step(27)
def question_banks(ctx: DemoContext) -> None:
    """The question banks of the demo's courses."""
    courses = demo_courses(BANK)
    competencies = dict(Competency.objects.values_list("code", "pk"))
    existing = set(Question.objects.filter(course__in=courses.values()).values_list(
        "course__code", "code"))  # fmt: skip
    questions: list[Question] = []
    options: list[tuple[Question, list[tuple[str, str, bool]]]] = []
    for course_code, items in BANK.items():
        for code, kind, text, text_en, opts, answer, why, why_en, competency in items:
            if (course_code, code) in existing:
                continue
            q = Question(
                course=courses[course_code], code=code, kind=kind, text=text, text_en=text_en,
                explanation=why, explanation_en=why_en,
                competency_id=competencies.get(competency),
            )  # fmt: skip
            if kind == TF:
                rows = [("正确", "True", answer == "正确"), ("错误", "False", answer == "错误")]
            else:
                rows = [(zh, en, LETTERS[i] in answer) for i, (zh, en) in enumerate(opts)]
            questions.append(q)
            options.append((q, rows))
    Question.objects.bulk_create(questions)
    Option.objects.bulk_create(
        Option(question=q, position=i, text=zh, text_en=en, correct=ok)
        for q, rows in options
        for i, (zh, en, ok) in enumerate(rows, start=1)
    )
    ctx.log(f"  question banks: {len(questions)} questions in {len(BANK)} courses")
