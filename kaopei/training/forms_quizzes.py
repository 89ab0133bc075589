"""Forms of the quizzes pages: a question with its options, a quiz, and the filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.org.models import Competency
from kaopei.training.models import Question, Quiz
from kaopei.training.services.quizzes import OptionData

OPTION_ROWS = 6
ACTIVE_CHOICES = [("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))]


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *Question.Kind.choices]
    )
    competency = forms.ModelChoiceField(
        label=_("Competency"),
        required=False,
        queryset=Competency.objects.order_by("code"),
        empty_label=_("Every competency"),
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)


class QuestionForm(forms.Form):
    """A question and up to six options (empty rows are ignored); a true/false question
    takes the first two rows as 正确/错误 (True/False)."""

    code = forms.CharField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(
        label=_("Question (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    competency = forms.ModelChoiceField(
        label=_("Competency"), required=False, queryset=Competency.objects.order_by("code")
    )

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None and not args and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "code": question.code,
                "kind": question.kind,
                "text": question.text,
                "text_en": question.text_en,
                "explanation": question.explanation,
                "explanation_en": question.explanation_en,
                "competency": question.competency_id,
            }
            for i, o in enumerate(question.options.order_by("position")):
                initial[f"option_{i}"] = o.text
                initial[f"option_{i}_en"] = o.text_en
                initial[f"option_{i}_correct"] = o.correct
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for i in range(OPTION_ROWS):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Option %(n)s") % {"n": i + 1}, required=False, max_length=500
            )
            self.fields[f"option_{i}_en"] = forms.CharField(
                label=_("Option %(n)s (English)") % {"n": i + 1}, required=False, max_length=500
            )
            self.fields[f"option_{i}_correct"] = forms.BooleanField(
                label=_("Correct"), required=False
            )

    def option_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"option_{i}"], self[f"option_{i}_en"], self[f"option_{i}_correct"])
            for i in range(OPTION_ROWS)
        ]

    def options(self) -> list[OptionData]:
        d = self.cleaned_data
        if d.get("kind") == Question.Kind.TRUE_FALSE:
            return [
                OptionData(text="正确", text_en="True", correct=bool(d.get("option_0_correct"))),
                OptionData(text="错误", text_en="False", correct=bool(d.get("option_1_correct"))),
            ]
        return [
            OptionData(
                text=d[f"option_{i}"],
                text_en=d.get(f"option_{i}_en", ""),
                correct=bool(d.get(f"option_{i}_correct")),
            )
            for i in range(OPTION_ROWS)
            if d.get(f"option_{i}", "").strip()
        ]


class QuizForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Quiz.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=160)
    title_en = forms.CharField(label=_("Title (English)"), max_length=160, required=False)
    pass_mark = forms.IntegerField(label=_("Pass mark (0–100)"), min_value=0, max_value=100)
    max_attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=1, max_value=99)
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Empty: no time limit."),
    )
    question_count = forms.IntegerField(
        label=_("Questions drawn"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Empty: every chosen question."),
    )
    shuffle_questions = forms.BooleanField(label=_("Shuffle questions"), required=False)
    shuffle_options = forms.BooleanField(label=_("Shuffle options"), required=False)
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, course: Any, quiz: Quiz | None = None, **kwargs: Any) -> None:
        if quiz is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": quiz.kind,
                "title": quiz.title,
                "title_en": quiz.title_en,
                "pass_mark": quiz.pass_mark,
                "max_attempts": quiz.max_attempts,
                "time_limit_minutes": quiz.time_limit_minutes,
                "question_count": quiz.question_count,
                "shuffle_questions": quiz.shuffle_questions,
                "shuffle_options": quiz.shuffle_options,
                "questions": list(quiz.questions.values_list("pk", flat=True)),
            }
        elif quiz is None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "pass_mark": 60,
                "max_attempts": 3,
                "shuffle_questions": True,
                "shuffle_options": True,
                "questions": list(
                    Question.objects.filter(course=course, active=True).values_list("pk", flat=True)
                ),
            }
        super().__init__(*args, **kwargs)
        field = self.fields["questions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Question.objects.filter(course=course).order_by("code")
        field.label_from_instance = _question_label  # type: ignore[method-assign,assignment]


def _question_label(q: Question) -> str:
    return f"{q.code} · {q.local_text[:60]}" + ("" if q.active else f" ({_('inactive')})")


class ResultsFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    passed = forms.ChoiceField(
        label=_("Passed"),
        required=False,
        choices=[("", _("All")), ("1", _("Passed")), ("0", _("Not passed"))],
    )
    scored = forms.ChoiceField(
        label=_("Score"),
        required=False,
        choices=[("", _("All")), ("1", _("Scored")), ("0", _("Without a score"))],
    )
