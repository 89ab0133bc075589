"""Two trainers at once on PostgreSQL: saving the same case seen at the same version (one
wins, the other gets a clear conflict), and publishing a version of the same toolkit item
(both stored, with consecutive numbers)."""

from __future__ import annotations

from kaopei.core.errors import ConflictError
from kaopei.training.models import Case, ToolkitVersion
from kaopei.training.services import cases as case_svc
from kaopei.training.services import toolkit as tk_svc
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import Personas
from tests.training.library_factories import make_case, make_item

pytestmark = CONCURRENT_WRITERS


def data(title: str) -> case_svc.CaseData:
    return case_svc.CaseData(
        code="C-1", kind="success", industry="finance", title=title, situation="情境"
    )


def test_two_trainers_saving_the_same_case_version_one_wins(personas: Personas) -> None:
    case = make_case("C-1")
    results = at_once(
        lambda: case_svc.case_update(
            actor=personas.trainer.user, case=case, data=data("培训师的版本"), version=1
        ),
        lambda: case_svc.case_update(
            actor=personas.hr.user, case=case, data=data("人力的版本"), version=1
        ),
    )
    saved = [r for r in results if isinstance(r, Case)]
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    assert len(saved) == 1 and len(conflicts) == 1, results
    assert "Someone else changed this case" in str(conflicts[0].message)
    case.refresh_from_db()
    assert case.version == 2 and case.title == saved[0].title


def test_two_trainers_publishing_at_once_get_consecutive_numbers(personas: Personas) -> None:
    item = make_item("TK-1", versions=1)
    results = at_once(
        lambda: tk_svc.toolkit_version_publish(
            actor=personas.trainer.user, item=item, body="培训师的第二版"
        ),
        lambda: tk_svc.toolkit_version_publish(
            actor=personas.hr.user, item=item, body="人力的第二版"
        ),
    )
    assert all(isinstance(r, ToolkitVersion) for r in results), results
    numbers = sorted(ToolkitVersion.objects.filter(item=item).values_list("number", flat=True))
    assert numbers == [1, 2, 3]
