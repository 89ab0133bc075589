"""The training app's models, one module per sub-domain (DESIGN.md §3 training)."""

from kaopei.training.models.cases import Case, CaseKind, DiscussionQuestion, Industry
from kaopei.training.models.catalogue import Course, CourseMaterial, Format, MandatoryRule, Module
from kaopei.training.models.certificates import Certificate
from kaopei.training.models.competitions import (
    Competition,
    CompetitionCriterion,
    ExpertCriterionScore,
    ExpertScore,
    PeerReview,
    PeerReviewScore,
    ReviewAssignment,
    Submission,
    SubmissionFile,
    Team,
    TeamMember,
)
from kaopei.training.models.quizzes import AttemptAnswer, Option, Question, Quiz, QuizAttempt
from kaopei.training.models.roleplays import (
    AssessorScore,
    Assignment,
    Criterion,
    CriterionScore,
    Performance,
    PerformanceStatus,
    RolePlay,
)
from kaopei.training.models.sandbox import (
    Choice,
    SandboxRun,
    SandboxRunMember,
    SandboxRunStep,
    Scenario,
    Step,
)
from kaopei.training.models.sessions import Enrolment, Session
from kaopei.training.models.toolkit import ToolkitItem, ToolkitKind, ToolkitVersion

__all__ = [
    "AssessorScore",
    "Assignment",
    "AttemptAnswer",
    "Case",
    "CaseKind",
    "Certificate",
    "Choice",
    "Competition",
    "CompetitionCriterion",
    "Course",
    "CourseMaterial",
    "Criterion",
    "CriterionScore",
    "DiscussionQuestion",
    "Enrolment",
    "ExpertCriterionScore",
    "ExpertScore",
    "Format",
    "Industry",
    "MandatoryRule",
    "Module",
    "Option",
    "PeerReview",
    "PeerReviewScore",
    "Performance",
    "PerformanceStatus",
    "Question",
    "Quiz",
    "QuizAttempt",
    "ReviewAssignment",
    "RolePlay",
    "SandboxRun",
    "SandboxRunMember",
    "SandboxRunStep",
    "Scenario",
    "Session",
    "Step",
    "Submission",
    "SubmissionFile",
    "Team",
    "TeamMember",
    "ToolkitItem",
    "ToolkitKind",
    "ToolkitVersion",
]
