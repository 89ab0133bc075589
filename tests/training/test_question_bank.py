"""The question bank editor: options by kind, refusals that store nothing, deactivating
instead of deleting a question with answers, and its page."""

from __future__ import annotations

import pytest

from kaopei.core.errors import ApplicationError
from kaopei.training.models import Option, Question
from kaopei.training.services.quizzes import (
    OptionData,
    attempt_start,
    attempt_submit,
    question_remove,
    question_save,
)
from tests.conftest import Personas
from tests.training.factories import CourseFactory
from tests.training.quizzes_factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def _opts(*correct: bool) -> list[OptionData]:
    return [OptionData(f"选项{i}", f"Option {i}", ok) for i, ok in enumerate(correct)]


def _save(course: object, kind: str, options: list[OptionData], code: str = "Q1") -> Question:
    return question_save(
        course=course,  # type: ignore[arg-type]
        question=None,
        code=code,
        kind=kind,
        text="题干",
        text_en="Stem",
        explanation="解析",
        options=options,
    )


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("single", _opts(False, False, False)),  # no correct option
        ("single", _opts(True, True, False)),  # two correct
        ("multiple", _opts(True)),  # one option only
        ("multiple", _opts(False, False)),
        ("true_false", _opts(True, True)),
        ("true_false", _opts(True, False, False)),
    ],
)
def test_a_question_breaking_its_kinds_rule_is_refused_and_nothing_stored(
    db: object, kind: str, options: list[OptionData]
) -> None:
    with pytest.raises(ApplicationError):
        _save(CourseFactory(), kind, options)
    assert not Question.objects.exists() and not Option.objects.exists()


def test_valid_questions_of_each_kind_are_stored_with_their_options(db: object) -> None:
    course = CourseFactory()
    _save(course, "single", _opts(False, True, False), "S")
    _save(course, "multiple", _opts(True, True, False), "M")
    tf = _save(course, "true_false", _opts(False, True), "TF")
    assert list(tf.options.values_list("text", "text_en", "correct")) == [
        ("正确", "True", False),
        ("错误", "False", True),
    ]
    assert Option.objects.count() == 8
    assert tf.history.count() == 1  # audited


def test_a_question_with_answers_is_deactivated_not_deleted(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2)
    unanswered = quiz_with_questions(n=1, kind="practice", course=quiz.course)
    attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
    attempt_submit(attempt=attempt, employee=personas.alice, answers={})
    answered = quiz.questions.first()
    assert answered is not None
    assert question_remove(question=answered) is False
    answered.refresh_from_db()
    assert not answered.active
    lone = unanswered.questions.get()
    assert question_remove(question=lone) is True
    assert not Question.objects.filter(pk=lone.pk).exists()


def test_the_bank_page_lists_searches_and_adds_questions(personas: Personas) -> None:
    quiz = quiz_with_questions(n=3)
    course = quiz.course
    client = personas.client(personas.trainer)
    page = client.get(f"/training/courses/{course.code}/questions/")
    assert page.status_code == 200 and page.content.count(b"data-question=") == 3
    one = quiz.questions.order_by("code").first()
    assert one is not None
    found = client.get(f"/training/courses/{course.code}/questions/", {"q": one.code})
    assert found.content.count(b"data-question=") == 1
    refused = client.post(
        f"/training/courses/{course.code}/questions/add/",
        {"code": "NEW", "kind": "single", "text": "题", "option_0": "甲", "option_1": "乙"},
    )
    assert refused.status_code == 200 and not Question.objects.filter(code="NEW").exists()
    added = client.post(
        f"/training/courses/{course.code}/questions/add/",
        {
            "code": "NEW",
            "kind": "single",
            "text": "题",
            "option_0": "甲",
            "option_1": "乙",
            "option_1_correct": "on",
        },
    )
    assert added.status_code == 302
    assert Question.objects.get(code="NEW").options.get(correct=True).text == "乙"
    assert (
        personas.client(personas.alice)
        .get(f"/training/courses/{course.code}/questions/")
        .status_code
        == 403
    )
