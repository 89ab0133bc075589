"""Two ``feedback_answers`` imports of the same subjects at once (PostgreSQL: each in a
thread with its own connection). The write locks the cycle and the round, so the second
replaces the first's imported answers instead of adding to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kaopei.feedback.models import Answer, FeedbackRound, Response
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Competency
from tests.assessment.test_concurrency import at_once
from tests.conftest import Personas
from tests.feedback.test_import_feedback_answers import EN_HEADER, alice_rows
from tests.imports.test_import_service import run, write

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises them)",
    ),
]


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
