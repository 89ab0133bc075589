"""The training app's models, one module per sub-domain (DESIGN.md §3 training)."""

from kaopei.training.models.catalogue import Course, CourseMaterial, Format, MandatoryRule, Module
from kaopei.training.models.certificates import Certificate
from kaopei.training.models.quizzes import AttemptAnswer, Option, Question, Quiz, QuizAttempt
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
    "Step",
    "Scenario",
    "SandboxRunStep",
    "SandboxRunMember",
    "SandboxRun",
    "Choice",
    "AttemptAnswer",
    "Certificate",
    "Course",
    "CourseMaterial",
    "Enrolment",
    "Format",
    "MandatoryRule",
    "Module",
    "Option",
    "Question",
    "Quiz",
    "QuizAttempt",
    "Session",
    "ToolkitItem",
    "ToolkitKind",
    "ToolkitVersion",
]
