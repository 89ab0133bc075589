"""``quiz_score`` (DESIGN.md §5 ⚑): the mean, over the quizzes E took in the period, of
E's best score on each; an imported enrolment's ``post_score`` counts as an attempt at
that course's post-test on the session date; no data if none.

"Took in the period": scored attempts submitted on a day of the period (organisation time
zone). An imported score is keyed as the course's post-test quiz, the same key as that
quiz's Kaopei attempts, so the best of both counts once; a course without a post-test quiz
still counts as one quiz. Three grouped queries per scoring run, whatever the headcount.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone


def quiz_score(c: Any) -> dict[int, Any]:
    from kaopei.assessment.metrics import MetricValue
    from kaopei.training.models import Enrolment, Quiz, QuizAttempt

    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(c.period.start, time.min), tz)
    end = timezone.make_aware(datetime.combine(c.period.end + timedelta(days=1), time.min), tz)
    best: dict[int, dict[tuple[str, int], Decimal]] = {}

    def take(emp: int, key: tuple[str, int], score: Decimal) -> None:
        mine = best.setdefault(emp, {})
        if key not in mine or score > mine[key]:
            mine[key] = score

    for emp, quiz_id, score in (
        QuizAttempt.objects.filter(
            score__isnull=False, submitted_at__gte=start, submitted_at__lt=end
        )
        .values("employee_id", "quiz_id")
        .annotate(best=Max("score"))
        .values_list("employee_id", "quiz_id", "best")
    ):
        take(emp, ("quiz", quiz_id), score)
    post_quiz = dict(Quiz.objects.filter(kind=Quiz.Kind.POST).values_list("course_id", "pk"))
    for emp, course_id, score in (
        Enrolment.objects.filter(
            source=Enrolment.Source.IMPORT,
            post_score__isnull=False,
            session_on__range=(c.period.start, c.period.end),
        )
        .values("employee_id", "course_id")
        .annotate(best=Max("post_score"))
        .values_list("employee_id", "course_id", "best")
    ):
        post = post_quiz.get(course_id)
        take(emp, ("quiz", post) if post else ("course", course_id), score)
    return {
        emp: MetricValue(sum(scores.values(), Decimal(0)) / len(scores), True)
        for emp, scores in best.items()
    }
