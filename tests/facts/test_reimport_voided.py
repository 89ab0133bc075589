"""An import never un-voids a record voided by hand: it stays voided and the batch says so,
one warning per row (the file is not refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from kaopei.facts.corrections import record_void
from kaopei.facts.models import Activity
from kaopei.imports.models import ImportBatch
from tests.conftest import Personas
from tests.imports.test_import_service import ACTIVITY_HEADER, activity_rows, run, write

pytestmark = pytest.mark.django_db


def _import(media: Path, rows: list[list[str]]) -> ImportBatch:
    return run(write(media, "a.csv", [ACTIVITY_HEADER, *rows]), "activities")


@pytest.mark.parametrize("change", [False, True], ids=["same values", "new values"])
def test_a_reimport_keeps_a_voided_record_voided_and_warns(
    world: Personas, media: Path, change: bool
) -> None:
    rows = activity_rows(4)
    first = _import(media, rows)
    assert first.status == ImportBatch.Status.COMMITTED
    voided = Activity.objects.get(activity_id=rows[2][0])
    record_void(record=voided, reason="Entered twice in the CRM", user=world.hr.user)
    if change:
        rows[2][5] = "7.5"

    with translation.override("en"):
        again = _import(media, rows)

    assert again.status == ImportBatch.Status.COMMITTED
    voided.refresh_from_db()
    assert voided.voided_at is not None and voided.void_reason == "Entered twice in the CRM"
    (warning,) = [w for w in again.warnings if w["code"] == "voided_kept"]
    assert warning["row"] == 4 and warning["value"] == rows[2][0]
    assert "Entered twice in the CRM" in warning["reason"] and "stays voided" in warning["reason"]
    assert Activity.objects.filter(voided_at__isnull=True).count() == 3
