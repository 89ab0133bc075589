"""Questionnaires, open rounds and invitations for the answering tests and the access
matrix, made directly with the ORM (the round pages are tested on their own)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.facts.models import Customer
from kaopei.feedback.models import FeedbackRound, Invitation, Questionnaire, QuestionnaireItem
from kaopei.org.models import Competency, CompetencyAnchor, Employee


@dataclass
class Survey:
    questionnaire: Questionnaire
    talk: Competency  # two items
    team: Competency  # one item
    items: list[QuestionnaireItem]  # talk 1, talk 2, team 1


def sha(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def make_competency(code: str, name: str, name_en: str) -> Competency:
    competency = Competency.objects.create(code=code, name=name, name_en=name_en)
    for level in range(1, 6):
        CompetencyAnchor.objects.create(
            competency=competency,
            level=level,
            behaviour=f"{name}行为{level}",
            behaviour_en=f"{name_en} behaviour {level}",
        )
    return competency


def make_survey(code: str = "Q360", prefix: str = "") -> Survey:
    talk = make_competency(f"{prefix}talk", "沟通", "Communication")
    team = make_competency(f"{prefix}team", "协作", "Teamwork")
    q = Questionnaire.objects.create(
        code=code, name="年度360问卷", name_en="Annual 360", status=Questionnaire.Status.PUBLISHED
    )
    items = [
        QuestionnaireItem.objects.create(
            questionnaire=q, competency=talk, position=1, text="倾听客户", text_en="Listens"
        ),
        QuestionnaireItem.objects.create(
            questionnaire=q,
            competency=talk,
            position=2,
            text="表达清楚",
            text_en="Explains clearly",
        ),
        QuestionnaireItem.objects.create(
            questionnaire=q, competency=team, position=3, text="乐于协作", text_en="Helps the team"
        ),
    ]
    return Survey(q, talk, team, items)


def make_round(
    survey: Survey,
    *,
    cycle: str = "2025Q4",
    status: str = FeedbackRound.Status.OPEN,
    deadline: date | None = None,
) -> FeedbackRound:
    return FeedbackRound.objects.create(
        cycle=cycle_get_or_create(code=cycle),
        questionnaire=survey.questionnaire,
        status=status,
        deadline=deadline if deadline is not None else timezone.localdate() + timedelta(days=7),
    )


def invite(
    feedback_round: FeedbackRound, subject: Employee, relationship: str, rater: Employee
) -> Invitation:
    return Invitation.objects.create(
        round=feedback_round,
        subject=subject,
        relationship=relationship,
        rater=rater,
        status=Invitation.Status.INVITED,
    )


def invite_customer(
    feedback_round: FeedbackRound,
    subject: Employee,
    raw: str,
    *,
    customer_no: str = "C-360",
    expires_in: timedelta = timedelta(days=7),
) -> Invitation:
    customer = Customer.objects.create(
        customer_no=customer_no, name="甲公司", owner=subject, acquired_on=date(2025, 1, 1)
    )
    return Invitation.objects.create(
        round=feedback_round,
        subject=subject,
        relationship="customer",
        customer=customer,
        status=Invitation.Status.INVITED,
        token_hash=sha(raw),
        token_expires_at=timezone.now() + expires_in,
    )


def full_answers(survey: Survey, scores: tuple[int, int, int] = (4, 5, 3)) -> dict[str, str]:
    """A completely filled answer form (talk 1, talk 2, team 1)."""
    return {f"item-{item.pk}": str(s) for item, s in zip(survey.items, scores, strict=True)}
