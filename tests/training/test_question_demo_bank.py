"""The demo's question banks are well formed and the demo step stores them."""

from __future__ import annotations

import pytest

from kaopei.core.demo import DemoContext
from kaopei.training.demo_question_bank import BANK, TF
from kaopei.training.demo_questions import question_banks
from kaopei.training.models import Option, Question


def test_the_flagship_and_compliance_courses_have_at_least_ten_questions() -> None:
    for code in ("AML-101", "PRIV-101", "FABE-201", "SPIN-101"):
        assert len(BANK[code]) >= 10, code
        assert {item[1] for item in BANK[code]} == {"single", "multiple", "true_false"} or (
            code in ("FABE-201", "SPIN-101")
        )


def test_every_question_has_a_right_answer_among_its_options_and_both_languages() -> None:
    codes = set()
    for items in BANK.values():
        for code, kind, text, text_en, opts, answer, why, why_en, _c in items:
            assert code not in codes
            codes.add(code)
            assert text and text_en and why and why_en
            if kind == TF:
                assert answer in ("正确", "错误") and not opts
            else:
                assert all(zh and en for zh, en in opts)
                assert all("ABCDEFGH".index(a) < len(opts) for a in answer)
                assert (len(answer) == 1) == (kind == "single")


@pytest.mark.django_db
def test_the_demo_step_stores_the_banks_once() -> None:
    question_banks(DemoContext(log=lambda _m: None))
    question_banks(DemoContext(log=lambda _m: None))
    total = sum(len(items) for items in BANK.values())
    assert Question.objects.count() == total
    for q in Question.objects.prefetch_related("options"):
        correct = [o for o in q.options.all() if o.correct]
        assert correct and (len(correct) == 1 or q.kind == "multiple")
    assert Option.objects.filter(question__code="AML-Q01", correct=True).get().text == "5 万元"
