"""The assessment's import loaders: manual scores, templates (the template service's rules) and targets."""

from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.imports.models import ImportBatch
from tests.conftest import Personas
from tests.imports.test_import_service import codes, run, write

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
TZ = ZoneInfo("Asia/Shanghai")


# --- assessment -----------------------------------------------------------------------------


def test_manual_scores_are_for_manual_metrics_and_known_raters(
    personas: Personas, media: Path
) -> None:
    header = ["cycle", "employee_no", "metric", "value", "rater_no"]
    rows = [["2026Q2", "A001", "visit_count", "4", ""],
            ["2026Q2", "A001", "supervisor_rating", "4", "Z404"],
            ["2026Q2", "A001", "nope", "4.1234567", ""]]  # fmt: skip
    batch = run(write(media, "m.csv", [header, *rows]), "manual_scores")
    assert codes(batch) == [(2, "metric", "metric_not_manual"), (3, "rater_no", "unknown_employee"),
                            (4, "metric", "unknown_metric"), (4, "value", "too_many_decimals")]  # fmt: skip


def test_manual_scores_for_a_cycle_finalised_during_the_import_write_nothing(
    personas: Personas, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaopei.assessment.loaders import ManualScoreLoader
    from kaopei.assessment.models import Cycle, ManualScore
    from kaopei.assessment.services.cycles import cycle_get_or_create

    cycle = cycle_get_or_create(code="2026Q2")
    checked = ManualScoreLoader.check

    def check_then_finalise(self: Any) -> None:  # HR finalises between check and write
        checked(self)
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.FINAL)

    monkeypatch.setattr(ManualScoreLoader, "check", check_then_finalise)
    header = ["cycle", "employee_no", "metric", "value"]
    batch = run(write(media, "m.csv", [header, ["2026Q2", "A001", "supervisor_rating", "4"]]),
                "manual_scores")  # fmt: skip
    assert batch.status != S.COMMITTED
    assert not ManualScore.objects.exists()


def test_a_template_keeps_its_level_and_cycle_kind(personas: Personas, media: Path) -> None:
    template_create_version(code="T1", level=personas.am1, cycle_kind="quarterly",
                            items=[ItemSpec("visit_count", Decimal(100))])  # fmt: skip
    header = ["template", "level", "cycle_kind", "metric", "weight", "cap"]
    rows = [["T1", "AM2", "quarterly", "visit_count", "100", ""],
            ["T2", "AM9", "annual", "visit_count", "33.333", "1.255"]]  # fmt: skip
    batch = run(write(media, "t.csv", [header, *rows]), "templates")
    assert codes(batch) == [(2, "template", "template_other_level"), (3, "level", "unknown_level"),
                            (3, "weight", "too_many_decimals"), (3, "cap", "too_many_decimals")]  # fmt: skip


def test_targets_warn_about_metrics_outside_the_template(world: Personas, media: Path) -> None:
    header = ["cycle", "employee_no", "metric", "target"]
    batch = run(write(media, "t.csv", [header, ["2026Q2", "A001", "visit_count", "40"]]),
                "targets")  # fmt: skip
    assert batch.status == S.COMMITTED
    assert [(w["row"], w["code"]) for w in batch.warnings] == [(2, "target_outside_template")]
