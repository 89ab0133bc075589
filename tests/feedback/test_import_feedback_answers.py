"""The ``feedback_answers`` import (DESIGN.md §4.2, §7 ⚑): one rater's answers per response
id, the id never stored, imported answers replaced per (cycle, subject), Kaopei's kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ConflictError
from kaopei.feedback.models import Answer, FeedbackRound, Invitation, Response, RoundSubject
from kaopei.feedback.selectors.reports import round_report_rows
from kaopei.feedback.services.responses import Score, response_store
from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_batch_can_rollback, import_batch_rollback
from kaopei.org.models import Competency
from tests.conftest import Personas
from tests.imports.test_import_service import codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
KIND = "feedback_answers"
HEADER = ["考核周期", "被评人工号", "关系", "答卷编号", "能力项", "评分", "评语"]
EN_HEADER = ["cycle", "subject_no", "relationship", "response", "competency", "score", "comment"]


@pytest.fixture
def framework(personas: Personas) -> Personas:
    Competency.objects.create(code="talk", name="沟通", name_en="Communication", category="soft")
    Competency.objects.create(code="team", name="团队协作", category="collaboration")
    return personas


def alice_rows(peer_scores: tuple[int, ...] = (4, 4, 5)) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["2026Q1", "A001", "自评", "RSP-SELF-901", "talk", 5, "我很会沟通"],
        ["2026Q1", "A001", "自评", "RSP-SELF-901", "团队协作", 4, ""],
        ["2026Q1", "A001", "上级", "RSP-SUP-902", "Communication", 3, "需加强"],
    ]
    for i, score in enumerate(peer_scores):
        rows.append(["2026Q1", "A001", "同事", f"RSP-PEER-90{i + 3}", "talk", score, ""])
    return rows


def import_file(media: Path, rows: list[list[Any]], name: str = "a.csv", **kw: Any) -> ImportBatch:
    header = EN_HEADER if name.endswith(".xlsx") else HEADER
    return run(write(media, name, [header, *rows]), KIND, **kw)


def test_a_good_file_creates_the_cycle_the_round_and_the_responses(
    framework: Personas, media: Path
) -> None:
    batch = import_file(media, alice_rows())
    assert batch.error_report == []
    assert (batch.status, batch.created, batch.rows) == (S.COMMITTED, 6, 6)
    cycle = Cycle.objects.get(code="2026Q1")
    assert cycle.status == Cycle.Status.DRAFT
    rnd = FeedbackRound.objects.get(cycle=cycle)
    assert rnd.status == FeedbackRound.Status.OPEN
    assert RoundSubject.objects.filter(round=rnd, employee=framework.alice).exists()
    got = {(r.relationship, r.rater_id, r.source) for r in Response.objects.all()}
    alice, sup = framework.alice.pk, framework.sup.pk
    assert got == {("self", alice, "import"), ("supervisor", sup, "import"),
                   ("peer", None, "import")}  # fmt: skip
    assert Response.objects.count() == 5 and Answer.objects.count() == 6
    self_talk = Answer.objects.get(response__relationship="self", competency__code="talk")
    assert (self_talk.total, self_talk.items, self_talk.comment) == (5, 1, "我很会沟通")
    rows = {(r.group, r.responses, str(r.mean)) for r in round_report_rows(rnd.pk)
            if r.competency_id == Competency.objects.get(code="talk").pk}  # fmt: skip
    assert rows == {("self", 1, "5.00"), ("supervisor", 1, "3.00"), ("peers", 3, "4.33"),
                    ("all_raters", 4, "4.00")}  # fmt: skip


def test_reimporting_an_identical_file_reports_every_row_unchanged(
    framework: Personas, media: Path
) -> None:
    import_file(media, alice_rows())
    ids = set(Response.objects.values_list("pk", flat=True))
    again = import_file(media, alice_rows(), name="b.csv")
    assert (again.status, again.created, again.updated, again.unchanged) == (S.COMMITTED, 0, 0, 6)
    assert set(Response.objects.values_list("pk", flat=True)) == ids
    # The same answers under other response ids, in another order, as an xlsx: unchanged.
    shuffled = [[*r[:3], r[3].replace("RSP", "X"), *r[4:]] for r in reversed(alice_rows())]
    xlsx = import_file(media, shuffled, name="c.xlsx")
    assert (xlsx.created, xlsx.updated, xlsx.unchanged) == (0, 0, 6)


def test_a_file_replaces_the_imported_answers_of_the_subjects_it_names_only(
    framework: Personas, media: Path
) -> None:
    import_file(media, alice_rows())
    bob_rows = [["2026Q1", "B001", "同事", "BOB-1", "talk", 2, ""]]
    import_file(media, bob_rows, name="bob.csv")
    rnd = FeedbackRound.objects.get()
    talk = Competency.objects.get(code="talk")
    # An answer given in Kaopei stays whatever the file says.
    response_store(feedback_round=rnd, subject_id=framework.alice.pk, relationship="peer",
                   rater_id=None, scores={talk.pk: Score(1)})  # fmt: skip
    batch = import_file(media, alice_rows(peer_scores=(2, 2)), name="new.csv")
    assert (batch.created, batch.updated, batch.unchanged) == (0, 5, 0)
    peers = sorted(
        Answer.objects.filter(
            response__subject=framework.alice, response__relationship="peer"
        ).values_list("response__source", "total")
    )
    assert peers == [("import", 2), ("import", 2), ("kaopei", 1)]
    assert Response.objects.filter(subject=framework.bob).count() == 1  # not named: untouched


def test_every_bad_row_is_reported_and_nothing_is_written(framework: Personas, media: Path) -> None:
    rows = [
        ["2026Q1", "A001", "同事", "R1", "talk", 4, ""],
        ["2026Q1", "Z999", "同事", "R2", "talk", 4, ""],  # unknown subject
        ["2026Q1", "A001", "同事", "R3", "nope", 4, ""],  # unknown competency
        ["2026Q1", "A001", "同事", "R4", "talk", 6, ""],  # out of the scale
        ["2026Q1", "A001", "同事", "R5", "talk", 2.5, ""],  # not an integer
        ["2026Q1", "A001", "朋友", "R6", "talk", 4, ""],  # unknown relationship
        ["2026Q1", "B001", "同事", "R1", "team", 4, ""],  # R1 is about Alice
        ["2026Q1", "A001", "下属", "R1", "沟通", 4, ""],  # R1 is a peer's; talk twice too
        ["2026Q1", "A001", "自评", "S1", "talk", 4, ""],
        ["2026Q1", "A001", "自评", "S2", "talk", 4, ""],  # a second self response
        ["2026Q1", "HR001", "上级", "H1", "talk", 4, ""],  # HR001 has no supervisor
        ["2026Q1", "A001", "同事", "", "talk", 4, ""],  # no response id
        ["2026Q5", "A001", "同事", "R9", "talk", 4, ""],  # no such cycle
    ]
    batch = import_file(media, rows)
    assert batch.status == S.FAILED
    assert codes(batch) == [
        (3, "subject_no", "unknown_employee"),
        (4, "competency", "unknown_competency"),
        (5, "score", "out_of_range"),
        (6, "score", "not_integer"),
        (7, "relationship", "invalid_choice"),
        (8, "subject_no", "response_other_subject"),
        (9, "relationship", "response_other_relationship"),
        (9, "competency", "response_competency_twice"),
        (11, "relationship", "second_attributed"),
        (12, "relationship", "no_supervisor"),
        (13, "response", "required"),
        (14, "cycle", "invalid_cycle"),
    ]
    assert all(e["reason"] for e in batch.error_report)
    assert not Response.objects.exists() and not FeedbackRound.objects.exists()
    assert not Cycle.objects.exists()


def test_an_imported_self_answer_cannot_join_one_given_in_kaopei(
    framework: Personas, media: Path
) -> None:
    rnd = FeedbackRound.objects.create(cycle=cycle_get_or_create(code="2026Q1"))
    talk = Competency.objects.get(code="talk")
    response_store(feedback_round=rnd, subject_id=framework.alice.pk, relationship="self",
                   rater_id=framework.alice.pk, scores={talk.pk: Score(3)})  # fmt: skip
    batch = import_file(media, alice_rows())
    assert codes(batch) == [(2, "relationship", "attributed_in_kaopei")]
    assert Response.objects.count() == 1


def test_anonymous_answers_are_not_imported_for_someone_whose_raters_answer_in_kaopei(
    framework: Personas, media: Path
) -> None:
    # Known answers imported into a group answered in Kaopei could be subtracted from its
    # mean to recover the real ones: a person's anonymous answers come from one source.
    rnd = FeedbackRound.objects.create(
        cycle=cycle_get_or_create(code="2026Q1"), status=FeedbackRound.Status.OPEN
    )
    Invitation.objects.create(
        round=rnd,
        subject=framework.alice,
        relationship="peer",
        rater=framework.bob,
        status=Invitation.Status.INVITED,
    )
    batch = import_file(media, alice_rows())
    assert codes(batch) == [
        (5, "relationship", "anonymous_in_kaopei"),
        (6, "relationship", "anonymous_in_kaopei"),
        (7, "relationship", "anonymous_in_kaopei"),
    ]
    assert not Response.objects.exists()


def test_a_final_cycle_refuses_the_file(framework: Personas, media: Path) -> None:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.FINAL)
    batch = import_file(media, alice_rows())
    assert codes(batch) == [(2, "cycle", "final_cycle")]
    assert not Response.objects.exists() and not FeedbackRound.objects.exists()


def test_a_closed_round_refuses_the_file(framework: Personas, media: Path) -> None:
    FeedbackRound.objects.create(
        cycle=cycle_get_or_create(code="2026Q1"), status=FeedbackRound.Status.CLOSED
    )
    batch = import_file(media, alice_rows())
    assert codes(batch) == [(2, "cycle", "round_closed")]
    assert not Response.objects.exists()


def test_a_draft_round_takes_the_answers_and_stays_a_draft(
    framework: Personas, media: Path
) -> None:
    rnd = FeedbackRound.objects.create(cycle=cycle_get_or_create(code="2026Q1"))
    assert import_file(media, alice_rows()).status == S.COMMITTED
    rnd.refresh_from_db()
    assert rnd.status == FeedbackRound.Status.DRAFT and rnd.responses.count() == 5


def test_a_dry_run_writes_nothing_and_counts(framework: Personas, media: Path) -> None:
    batch = import_file(media, alice_rows(), dry_run=True)
    assert (batch.status, batch.created) == (S.DRY_RUN, 6)
    assert not Cycle.objects.exists() and not Response.objects.exists()


def test_a_feedback_import_cannot_be_rolled_back(framework: Personas, media: Path) -> None:
    batch = import_file(media, alice_rows())
    allowed, reason = import_batch_can_rollback(batch)
    assert not allowed and reason
    with pytest.raises(ConflictError):
        import_batch_rollback(batch=batch, user=None)
    assert Response.objects.count() == 5


def text_containing(needles: list[str]) -> list[tuple[str, str]]:
    """(table, column) of every text-like cell of the database holding one of ``needles``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                for needle in needles:
                    cursor.execute(
                        f"SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608
                        f"WHERE CAST({name} AS TEXT) LIKE %s LIMIT 1",
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone():
                        found.append((table, column.name))
    return found


def test_the_response_ids_are_stored_nowhere(framework: Personas, media: Path) -> None:
    ids = sorted({r[3] for r in alice_rows()})
    good = import_file(media, alice_rows(), user=framework.hr.user)
    assert good.status == S.COMMITTED
    # A refused file whose errors concern the response ids themselves.
    bad_rows = [*alice_rows(), ["2026Q1", "B001", "同事", "RSP-PEER-903", "team", 1, ""],
                ["2026Q1", "A001", "同事", "RSP-PEER-904", "talk", 1, ""]]  # fmt: skip
    bad = import_file(media, bad_rows, name="bad.csv", user=framework.hr.user)
    assert bad.status == S.FAILED
    assert {e["code"] for e in bad.error_report} == {"response_other_subject", "duplicate_key"}
    assert text_containing(ids) == []
    assert "***" in str(bad.error_report)
    # Nor in the uploaded files: they are removed once imported or refused.
    for batch in (good, bad):
        batch.refresh_from_db()
        assert batch.file_removed_at is not None
    assert not [p for p in (media / "media").rglob("*") if p.is_file()]
