"""Quizzes and their question banks (DESIGN.md §3 training, §5 ``quiz_score``).

A course has one question bank (``Question`` with its ``Option`` rows: single choice,
multiple choice, true/false) and quizzes drawn from it (pre-test, post-test, practice).
A ``QuizAttempt`` is one try: the server fixes its questions and their order when it
starts and its ``deadline_at`` from the time limit, and grades it on submission;
``AttemptAnswer`` keeps each answer for the item analysis.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import localized
from kaopei.core.models import TimeStampedModel

SCORE: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}


class Question(TimeStampedModel):
    """One question of a course's bank; it has at least one correct option (the service
    refuses one without)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("course"),
    )
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question (English)"), blank=True, default="")
    explanation = models.TextField(_("explanation"), blank=True, default="")
    explanation_en = models.TextField(_("explanation (English)"), blank=True, default="")
    competency = models.ForeignKey(
        "org.Competency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("competency"),
    )
    active = models.BooleanField(_("active"), default=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "code"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="question_course_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}"

    @property
    def local_text(self) -> str:
        return localized(self, "text")

    @property
    def local_explanation(self) -> str:
        return localized(self, "explanation")


class Option(models.Model):
    """An answer option of a question (true/false questions have two)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("option"), max_length=500)
    text_en = models.CharField(_("option (English)"), max_length=500, blank=True, default="")
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_position"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def local_text(self) -> str:
        return localized(self, "text")


class Quiz(TimeStampedModel):
    """A quiz of a course: which kind, its pass mark, attempts, time limit and how many
    questions it draws from the course's bank (all active ones when empty)."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")
        PRACTICE = "practice", pgettext_lazy("quiz", "Practice")

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        related_name="quizzes",
        verbose_name=_("course"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (0–100)"), default=60, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    question_count = models.PositiveSmallIntegerField(
        _("questions drawn"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    questions = models.ManyToManyField(
        Question, blank=True, related_name="quizzes", verbose_name=_("questions")
    )
    published = models.BooleanField(_("published"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "kind", "pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            # One pre-test and one post-test per course: L2 and the imported post_score
            # (§5 quiz_score) refer to "the course's" post-test.
            models.UniqueConstraint(
                fields=["course", "kind"],
                condition=Q(kind__in=["pre", "post"]),
                name="quiz_one_pre_post_per_course",
            ),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_0_100"),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="quiz_attempts_positive"),
        ]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        return localized(self, "title")


class QuizAttempt(TimeStampedModel):
    """One try at a quiz. ``layout`` is the order the server chose when it started:
    ``[[question_id, [option_id, …]], …]``. ``score`` (0–100) and ``passed`` are set when
    it is submitted in time; an attempt never submitted, or submitted late, stays without
    a score and still uses up one of the attempts."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz")
    )
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("employee"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    layout = models.JSONField(_("question order"), default=list)

    class Meta:
        ordering = ["quiz", "employee", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "employee", "number"], name="attempt_quiz_person_number"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="attempt_score_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "submitted_at"], name="attempt_person_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.employee_id} · #{self.number}"


class AttemptAnswer(models.Model):
    """The options chosen for one question of one attempt, and whether that was right."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    chosen = models.JSONField(_("options chosen"), default=list)
    correct = models.BooleanField(_("correct"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_attempt_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.question_id}"
