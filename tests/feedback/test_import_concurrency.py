"""Two ``feedback_answers`` imports of the same subjects at once (PostgreSQL: each in a
thread with its own connection). The write locks the cycle and the round, so the second
replaces the first's imported answers instead of adding to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaopei.feedback.models import Answer, FeedbackRound, Response
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Competency
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import Personas
from tests.feedback.test_import_feedback_answers import EN_HEADER, alice_rows
from tests.imports.test_import_service import run, write

pytestmark = CONCURRENT_WRITERS


def test_two_imports_at_once_leave_one_set_of_imported_answers(
    personas: Personas, media: Path
) -> None:
    Competency.objects.create(code="talk", name="沟通", name_en="Communication")
    Competency.objects.create(code="team", name="团队协作")
    first = write(media, "a.csv", [EN_HEADER, *alice_rows()])
    second = write(media, "b.csv", [EN_HEADER, *alice_rows(peer_scores=(1, 2, 3))])

    def importing(path: Path) -> Any:
        return lambda: run(path, "feedback_answers").status

    results = at_once(importing(first), importing(second))
    assert results == [ImportBatch.Status.COMMITTED] * 2
    assert FeedbackRound.objects.count() == 1
    assert Response.objects.filter(relationship="self").count() == 1
    assert Response.objects.count() == 5 and Answer.objects.count() == 6
    peers = sorted(
        Answer.objects.filter(response__relationship="peer").values_list("total", flat=True)
    )
    assert peers in ([4, 4, 5], [1, 2, 3])  # one file's answers, whichever came last


def test_an_import_racing_the_close_of_its_round_either_lands_before_or_writes_nothing(
    personas: Personas, media: Path
) -> None:
    from kaopei.feedback.services.rounds import feedback_round_close

    Competency.objects.create(code="talk", name="沟通", name_en="Communication")
    Competency.objects.create(code="team", name="团队协作")
    # The round exists and is open (a first import created it), then an import of new
    # answers races HR closing it.
    assert run(write(media, "a.csv", [EN_HEADER, *alice_rows()]), "feedback_answers").status == (
        ImportBatch.Status.COMMITTED
    )
    feedback_round = FeedbackRound.objects.get()
    second = write(media, "b.csv", [EN_HEADER, *alice_rows(peer_scores=(1, 2, 3))])
    peers_before = sorted(
        Answer.objects.filter(response__relationship="peer").values_list("total", flat=True)
    )

    def closing() -> Any:
        return feedback_round_close(
            feedback_round=FeedbackRound.objects.get(pk=feedback_round.pk), user=personas.hr.user
        ).status

    importing, closed = at_once(lambda: run(second, "feedback_answers").status, closing)
    assert closed == FeedbackRound.Status.CLOSED
    peers_after = sorted(
        Answer.objects.filter(response__relationship="peer").values_list("total", flat=True)
    )
    if importing == ImportBatch.Status.COMMITTED:
        assert peers_after == [1, 2, 3]  # it landed before the close took the round
    else:
        assert peers_after == peers_before  # refused: the round was closed first
    assert Response.objects.filter(relationship="self").count() == 1
