"""Writing the case library: create a case, change it (every save bumps its ``version``; a
save based on an older version is refused), deactivate or reactivate it. Trainers and HR
admins only (``can_manage_catalogue``); every change is kept in the case's history with who
made it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kaopei.assessment.models import Metric
from kaopei.core.errors import ConflictError
from kaopei.org.models import Competency
from kaopei.training.models import Case, CaseKind, Course, DiscussionQuestion, Industry
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.services.catalogue import CODE_RE, RESERVED_CODES, field_error

CODE_MAX = 40
TITLE_MAX = 160
TEXT_MAX = 6000
QUESTION_MAX = 1000
QUESTIONS_MAX = 20
TEXT_FIELDS = (
    "situation",
    "situation_en",
    "key_actions",
    "key_actions_en",
    "outcome",
    "outcome_en",
    "lessons",
    "lessons_en",
)


@dataclass
class CaseData:
    """What a case form or API request says about a case. ``questions`` are
    ``(Chinese, English)`` pairs in the order they are asked."""

    code: str
    kind: str
    industry: str
    title: str
    title_en: str = ""
    situation: str = ""
    situation_en: str = ""
    key_actions: str = ""
    key_actions_en: str = ""
    outcome: str = ""
    outcome_en: str = ""
    lessons: str = ""
    lessons_en: str = ""
    competencies: list[Competency] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    questions: list[tuple[str, str]] = field(default_factory=list)


def _require(user: Any) -> None:
    if not can_manage_catalogue(user):
        raise PermissionDenied


def check_case_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise field_error("code", _("Give the case a code."))
    if len(code) > CODE_MAX:
        raise field_error(
            "code", _("A case code has at most %(max)d characters.") % {"max": CODE_MAX}
        )
    if not CODE_RE.match(code) or code.lower() in RESERVED_CODES:
        raise field_error(
            "code",
            _(
                "“%(code)s” cannot be a case code: use letters, digits, dots, hyphens and "
                "underscores, starting with a letter or digit (e.g. CASE-FABE-01)."
            )
            % {"code": code},
        )
    return code


def _check(data: CaseData) -> None:
    data.title = (data.title or "").strip()
    data.title_en = (data.title_en or "").strip()
    if not data.title and not data.title_en:
        raise field_error("title", _("Give the case a title."))
    if not data.title:
        data.title = data.title_en
    if len(data.title) > TITLE_MAX or len(data.title_en) > TITLE_MAX:
        raise field_error(
            "title", _("A title has at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    if data.kind not in CaseKind.values:
        raise field_error(
            "kind",
            _("“%(value)s” is not a kind of case. Choose one of: %(choices)s.")
            % {"value": data.kind, "choices": ", ".join(CaseKind.values)},
        )
    if data.industry not in Industry.values:
        raise field_error(
            "industry",
            _("“%(value)s” is not an industry. Choose one of: %(choices)s.")
            % {"value": data.industry, "choices": ", ".join(Industry.values)},
        )
    for name in TEXT_FIELDS:
        value = (getattr(data, name) or "").strip()
        if "\x00" in value:
            raise field_error(name, _("This text contains a character that cannot be stored."))
        if len(value) > TEXT_MAX:
            raise field_error(
                name, _("This text has at most %(max)d characters.") % {"max": TEXT_MAX}
            )
        setattr(data, name, value)
    if not data.situation and not data.situation_en:
        raise field_error("situation", _("Describe the situation of the case."))
    questions: list[tuple[str, str]] = []
    for zh, en in data.questions:
        zh, en = (zh or "").strip(), (en or "").strip()
        if not zh and not en:
            continue
        if len(zh) > QUESTION_MAX or len(en) > QUESTION_MAX or "\x00" in zh + en:
            raise field_error(
                "questions",
                _("A discussion question has at most %(max)d characters.") % {"max": QUESTION_MAX},
            )
        questions.append((zh or en, en))
    if len(questions) > QUESTIONS_MAX:
        raise field_error(
            "questions",
            _("A case has at most %(max)d discussion questions.") % {"max": QUESTIONS_MAX},
        )
    data.questions = questions


def _assign(case: Case, data: CaseData) -> None:
    for name in ("kind", "industry", "title", "title_en", *TEXT_FIELDS):
        setattr(case, name, getattr(data, name))


def _set_relations(case: Case, data: CaseData, actor: Any) -> None:
    case._history_user = actor  # type: ignore[attr-defined]
    case.competencies.set(data.competencies)
    case.metrics.set(data.metrics)
    case.courses.set(data.courses)
    case.questions.all().delete()
    DiscussionQuestion.objects.bulk_create(
        DiscussionQuestion(case=case, order=i, text=zh, text_en=en)
        for i, (zh, en) in enumerate(data.questions, start=1)
    )


def _duplicate(code: str) -> ConflictError:
    return ConflictError(
        _("A case with the code “%(code)s” already exists.") % {"code": code},
        errors=[{"field": "code", "msg": "duplicate"}],
    )


@transaction.atomic
def case_create(*, actor: Any, data: CaseData) -> Case:
    """A new case at version 1; refused (nothing written) on bad input or a code already
    taken — also when someone else creates the same code at the same moment (409)."""
    _require(actor)
    data.code = check_case_code(data.code)
    _check(data)
    if Case.objects.filter(code__iexact=data.code).exists():
        raise _duplicate(data.code)
    case = Case(code=data.code, version=1)
    _assign(case, data)
    case._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise _duplicate(data.code) from None
    _set_relations(case, data, actor)
    return case


@transaction.atomic
def case_update(*, actor: Any, case: Case, data: CaseData, version: int | None) -> Case:
    """Change a case (its code stays) and bump its version. ``version`` is the version the
    editor read: when the case was saved since (or ``version`` is missing), the change is
    refused with a :class:`ConflictError` (409) so nobody overwrites another's edit."""
    _require(actor)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if version is None or locked.version != version:
        raise ConflictError(
            _(
                "Someone else changed this case while you were editing it (it is now at "
                "version %(version)d). Reload the page to see their changes, then make "
                "yours again."
            )
            % {"version": locked.version},
            errors=[{"field": "version", "msg": "stale", "current": locked.version}],
        )
    data.code = locked.code
    _check(data)
    _assign(locked, data)
    locked.version += 1
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    _set_relations(locked, data, actor)
    return locked


@transaction.atomic
def case_set_active(*, actor: Any, case: Case, active: bool) -> Case:
    """Deactivate a case (it leaves the library for learners; courses and history keep
    it) or bring it back. Cases are never deleted: they may be referenced by courses and
    feedback."""
    _require(actor)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.active != active:
        locked.active = active
        locked.version += 1
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["active", "version", "updated_at"])
    return locked


def questions_from_text(zh: str, en: str = "") -> list[tuple[str, str]]:
    """Discussion questions from two texts with one question per line, paired by line."""
    zh_lines = [line.strip() for line in (zh or "").splitlines() if line.strip()]
    en_lines = [line.strip() for line in (en or "").splitlines() if line.strip()]
    n = max(len(zh_lines), len(en_lines))
    return [
        (zh_lines[i] if i < len(zh_lines) else "", en_lines[i] if i < len(en_lines) else "")
        for i in range(n)
    ]
