"""The ``competencies`` and ``competency_levels`` import kinds (DESIGN.md §4.2 ⚑)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_batch_rollback
from kaopei.org.models import Competency, LevelExpectation
from tests.conftest import Personas
from tests.imports.test_import_service import codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status

HEADER = ["能力代码", "能力名称", "类别", "描述"]
ROWS = [
    ["needs", "需求挖掘", "专业能力", "发现客户需求"],
    ["talk", "沟通", "soft", ""],
    ["team", "团队协作", "协作", ""],
    ["rules", "合规意识", "合规", ""],
    ["misc", "其他能力", "", ""],
    ["lead", "带队", "领导力", ""],
]


def test_competencies_import_with_chinese_headers_and_labels(
    personas: Personas, media: Path
) -> None:
    batch = run(write(media, "c.csv", [HEADER, *ROWS]), "competencies", user=personas.hr.user)
    assert batch.error_report == []
    assert (batch.status, batch.created) == (S.COMMITTED, 6)
    got = dict(Competency.objects.values_list("code", "category"))
    assert got == {"needs": "professional", "talk": "soft", "team": "collaboration",
                   "rules": "compliance", "misc": "professional", "lead": "leadership"}  # fmt: skip
    assert Competency.objects.get(code="needs").description == "发现客户需求"
    assert Competency.history.filter(code="needs").get().history_user == personas.hr.user


def test_reimporting_identical_competencies_leaves_every_row_unchanged(
    personas: Personas, media: Path
) -> None:
    path = write(media, "c.csv", [HEADER, *ROWS])
    run(path, "competencies")
    again = run(path, "competencies")
    assert (again.status, again.created, again.updated, again.unchanged) == (S.COMMITTED, 0, 0, 6)


def test_a_competency_row_with_a_known_code_updates_it(personas: Personas, media: Path) -> None:
    Competency.objects.create(code="talk", name="旧名", category="other", description="旧")
    path = write(media, "c.xlsx", [["code", "name", "category", "description"],
                                   ["talk", "沟通", "Soft", None]])  # fmt: skip
    batch = run(path, "competencies")
    assert (batch.created, batch.updated) == (0, 1)
    talk = Competency.objects.get(code="talk")
    assert (talk.name, talk.category, talk.description) == ("沟通", "soft", "")
    import_batch_rollback(batch=batch, user=None)
    talk.refresh_from_db()
    assert (talk.name, talk.category, talk.description) == ("旧名", "other", "旧")


def test_bad_competency_rows_are_all_reported_and_nothing_is_written(
    personas: Personas, media: Path
) -> None:
    rows = [["ok", "好", "soft", ""], ["bad code", "甲", "soft", ""], ["x", "", "soft", ""],
            ["y", "乙", "金融", ""], ["ok", "重复", "", ""]]  # fmt: skip
    batch = run(write(media, "c.csv", [HEADER, *rows]), "competencies")
    assert batch.status == S.FAILED
    assert codes(batch) == [(3, "code", "invalid_code"), (4, "name", "required"),
                            (5, "category", "invalid_choice"), (6, "code", "duplicate_key")]  # fmt: skip
    assert all(e["reason"] and "value" in e for e in batch.error_report)
    assert not Competency.objects.exists()


def test_a_competencies_batch_rolls_back(personas: Personas, media: Path) -> None:
    batch = run(write(media, "c.csv", [HEADER, *ROWS]), "competencies")
    import_batch_rollback(batch=batch, user=None)
    assert not Competency.objects.exists()


LEVEL_HEADER = ["职级", "能力代码", "期望等级"]


@pytest.fixture
def framework(personas: Personas) -> Personas:
    Competency.objects.create(code="needs", name="需求挖掘")
    Competency.objects.create(code="talk", name="沟通", category="soft")
    return personas


def test_the_competency_matrix_imports_and_reimports_unchanged(
    framework: Personas, media: Path
) -> None:
    rows = [["AM1", "needs", "2"], ["AM1", "talk", "3"], ["AM3", "needs", "5"]]
    path = write(media, "m.csv", [LEVEL_HEADER, *rows], encoding="utf-8-sig")
    batch = run(path, "competency_levels")
    assert (batch.status, batch.created) == (S.COMMITTED, 3)
    got = {(e.level.code, e.competency.code): e.expected for e in LevelExpectation.objects.all()}
    assert got == {("AM1", "needs"): 2, ("AM1", "talk"): 3, ("AM3", "needs"): 5}
    again = run(path, "competency_levels")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = run(write(media, "m2.xlsx", [LEVEL_HEADER, ["AM1", "needs", 4]]), "competency_levels")
    assert (changed.created, changed.updated) == (0, 1)
    assert LevelExpectation.objects.get(level__code="AM1", competency__code="needs").expected == 4
    assert LevelExpectation.objects.count() == 3  # rows absent from the file are untouched


def test_bad_matrix_rows_are_all_reported_and_nothing_is_written(
    framework: Personas, media: Path
) -> None:
    rows = [["AM1", "needs", "3"], ["AM9", "talk", "3"], ["AM1", "nope", "3"],
            ["AM2", "talk", "6"], ["AM2", "needs", "2.5"], ["AM1", "needs", "1"],
            ["AM9", "nope", "0"]]  # fmt: skip
    batch = run(write(media, "m.csv", [LEVEL_HEADER, *rows]), "competency_levels")
    assert batch.status == S.FAILED
    assert sorted(codes(batch)) == [
        (3, "level", "unknown_level"),
        (4, "competency", "unknown_competency"),
        (5, "expected", "out_of_range"),
        (6, "expected", "not_integer"),
        (7, "level+competency", "duplicate_key"),
        (8, "competency", "unknown_competency"),
        (8, "expected", "out_of_range"),
        (8, "level", "unknown_level"),
    ]
    assert not LevelExpectation.objects.exists()
