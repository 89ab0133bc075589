"""The feedback app's models, one module per sub-domain (DESIGN.md §3 feedback)."""

from kaopei.feedback.models.meetings import (
    ActionItem,
    Interview,
    ReviewMeeting,
)
from kaopei.feedback.models.questionnaires import Questionnaire, QuestionnaireItem
from kaopei.feedback.models.rounds import (
    Answer,
    FeedbackRound,
    Invitation,
    Relationship,
    Response,
    RoundSubject,
)
from kaopei.feedback.models.suggestions import Suggestion
from kaopei.feedback.models.surveys import CustomerInterview, SurveyInvitation

__all__ = [
    "ActionItem",
    "Answer",
    "CustomerInterview",
    "FeedbackRound",
    "Interview",
    "Invitation",
    "Questionnaire",
    "QuestionnaireItem",
    "Relationship",
    "Response",
    "ReviewMeeting",
    "RoundSubject",
    "Suggestion",
    "SurveyInvitation",
]
