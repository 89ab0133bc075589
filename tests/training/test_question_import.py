"""The ``questions`` import: a course's question bank from xlsx or csv with Chinese
headers; every row error says row, column, value and reason; any error writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kaopei.imports.models import ImportBatch
from kaopei.org.models import Competency
from kaopei.training.models import AttemptAnswer, Option, Question, QuizAttempt
from tests.imports.test_import_service import codes, run, write
from tests.training.factories import CourseFactory, QuizFactory

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
KIND = "questions"
HEADER = ["课程代码", "题目编号", "题型", "题干", "英文题干", "选项", "英文选项", "答案", "解析",
          "能力项"]  # fmt: skip


@pytest.fixture
def bank(personas: Any) -> Any:
    CourseFactory(code="AML-101", title="反洗钱与客户尽职调查")
    Competency.objects.create(code="risk_compliance", name="风险合规", category="knowledge")
    return personas


def good_rows() -> list[list[Any]]:
    return [
        ["AML-101", "AML-Q01", "单选", "大额现金交易的报告标准是多少？", "The large cash threshold?",
         "A. 1万元|B. 5万元|C. 20万元", "A. CNY 10k|B. CNY 50k|C. CNY 200k", "B", "5万元", ""],
        ["AML-101", "AML-Q02", "多选", "客户身份资料应当保存多久？哪些说法正确？", "",
         "A. 至少五年|B. 一年|C. 业务关系结束后起算", "", "AC", "", "risk_compliance"],
        ["AML-101", "AML-Q03", "判断", "可以为客户开立匿名账户。", "", "", "", "错", "", ""],
    ]  # fmt: skip


def import_file(media: Path, rows: list[list[Any]], name: str = "题库.csv", **kw: Any) -> Any:
    return run(write(media, name, [HEADER, *rows]), KIND, **kw)


@pytest.mark.parametrize("name", ["题库.csv", "题库.xlsx"])
def test_a_good_file_creates_the_questions_and_their_options(
    bank: Any, media: Path, name: str
) -> None:
    rows = good_rows()
    if name.endswith(".xlsx"):  # a spreadsheet cell may separate options by new lines
        rows[1][5] = rows[1][5].replace("|", "\n")
    batch = import_file(media, rows, name)
    assert [(e["row"], e["column"], e["code"], e["value"]) for e in batch.error_report] == []
    assert (batch.status, batch.created) == (S.COMMITTED, 3)
    q1 = Question.objects.get(code="AML-Q01")
    assert [(o.text, o.text_en, o.correct) for o in q1.options.all()] == [
        ("1万元", "CNY 10k", False), ("5万元", "CNY 50k", True), ("20万元", "CNY 200k", False)
    ]  # fmt: skip
    q2 = Question.objects.get(code="AML-Q02")
    assert q2.kind == "multiple" and q2.competency.code == "risk_compliance"
    assert [o.correct for o in q2.options.all()] == [True, False, True]
    q3 = Question.objects.get(code="AML-Q03")
    assert [(o.text, o.correct) for o in q3.options.all()] == [("正确", False), ("错误", True)]


def test_an_identical_reimport_is_unchanged_and_a_change_updates(bank: Any, media: Path) -> None:
    import_file(media, good_rows())
    again = import_file(media, good_rows())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows = good_rows()
    rows[0][3] = "大额现金交易的报告标准是？"
    rows[0][7] = "C"
    changed = import_file(media, rows)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    q1 = Question.objects.get(code="AML-Q01")
    assert q1.text == "大额现金交易的报告标准是？"
    assert [o.correct for o in q1.options.all()] == [False, False, True]


def test_a_dry_run_writes_nothing(bank: Any, media: Path) -> None:
    batch = import_file(media, good_rows(), dry_run=True)
    assert batch.created == 3
    assert not Question.objects.exists()


def test_every_row_error_is_reported_and_nothing_is_written(bank: Any, media: Path) -> None:
    rows = [
        *good_rows(),
        ["NOPE-1", "X1", "单选", "?", "", "A|B", "", "A", "", ""],
        ["AML-101", "X2", "单选", "?", "", "A|B", "", "A", "", "no_such"],
        ["AML-101", "X3", "单选", "?", "", "A|B", "", "", "", ""],
        ["AML-101", "X4", "单选", "?", "", "A|B", "", "C", "", ""],
        ["AML-101", "X5", "单选", "?", "", "A|B|C", "", "AB", "", ""],
        ["AML-101", "X6", "判断", "?", "", "对|错|不知道", "", "对", "", ""],
        ["AML-101", "X7", "单选", "?", "", "甲|乙", "a|b|c", "A", "", ""],
        ["AML-101", "AML-Q01", "单选", "?", "", "A|B", "", "A", "", ""],
    ]
    batch = import_file(media, rows)
    assert batch.status == S.FAILED
    found = codes(batch)
    assert (5, "course", "unknown_course") in found
    assert (6, "competency", "unknown_competency") in found
    assert (7, "answer", "required") in found
    assert (8, "answer", "answer_beyond_options") in found
    assert (9, "answer", "single_several_answers") in found
    assert (10, "options", "true_false_options") in found
    assert (11, "options_en", "options_en_count") in found
    assert any(code == "duplicate_key" for _r, _c, code in found)
    error = next(e for e in batch.error_report if e["code"] == "answer_beyond_options")
    assert error["value"] == "C" and error["reason"]
    assert not Question.objects.exists()


def test_an_answered_questions_options_cannot_change(bank: Any, media: Path) -> None:
    import_file(media, good_rows())
    q1 = Question.objects.get(code="AML-Q01")
    quiz = QuizFactory(course=q1.course, questions=[q1])
    attempt = QuizAttempt.objects.create(
        quiz=quiz, employee=bank.alice, number=1, started_at=timezone.now()
    )
    AttemptAnswer.objects.create(attempt=attempt, question=q1, chosen=[], correct=False)
    rows = good_rows()
    rows[0][7] = "A"
    batch = import_file(media, rows)
    assert (2, "options", "question_answered") in codes(batch)
    assert Option.objects.get(question=q1, correct=True).text == "5万元"
    rows = good_rows()
    rows[0][8] = "当日单笔或累计5万元以上"  # only the explanation: allowed
    assert import_file(media, rows).updated == 1


def test_a_true_false_answer_names_the_true_option_whatever_its_place(
    bank: Any, media: Path
) -> None:
    rows = [["AML-101", "TF1", "判断", "可以开立匿名账户。", "", "错|对", "", "错", "", ""],
            ["AML-101", "TF2", "判断", "应识别受益所有人。", "", "错误|正确", "", "T", "", ""]]  # fmt: skip
    assert import_file(media, rows).created == 2
    tf1 = Question.objects.get(code="TF1")
    assert [(o.text, o.correct) for o in tf1.options.all()] == [("错", True), ("对", False)]
    tf2 = Question.objects.get(code="TF2")
    assert [(o.text, o.correct) for o in tf2.options.all()] == [("错误", False), ("正确", True)]
