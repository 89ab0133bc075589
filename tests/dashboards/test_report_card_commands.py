"""``kaopei report-card`` and ``kaopei report-cards`` (DESIGN.md §4.1 ⚑): good and bad input,
the batch job's progress, zip names, the unit filter and a failure marking the job failed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from kaopei.assessment.models import Cycle, Scorecard
from kaopei.core.models import Job
from kaopei.dashboards import report_cards_batch
from kaopei.dashboards.report_card import report_cards_for
from tests.assessment.factories_config import build_hand_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(personas: Any) -> Cycle:
    return build_hand_example(personas)


def run(*args: str) -> str:
    """The command's output, run in English (its messages are checked in English here)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_report_card_writes_the_persons_pdf(personas: Any, cycle: Cycle, tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    out = run("report-card", "A001", "2026q1", "-o", str(target), "--lang", "en")
    assert "A001" in out
    text = PdfReader(target).pages[0].extract_text()
    card = Scorecard.objects.get(cycle=cycle, employee=personas.alice)
    assert "安丽" in text and "A001" in text and "2026Q1" in text
    assert f"{card.total:.2f}" in text and card.grade in text


@pytest.mark.parametrize(
    ("employee_no", "code", "message"),
    [
        ("NOPE", "2026Q1", "Unknown employee number NOPE"),
        ("A001", "2031Q1", "Unknown cycle 2031Q1"),
        ("T001", "2026Q1", "T001 is not scored in cycle 2026Q1"),
    ],
)
def test_report_card_refuses_bad_input_and_writes_nothing(
    personas: Any, cycle: Cycle, tmp_path: Path, employee_no: str, code: str, message: str
) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        run("report-card", employee_no, code, "-o", str(target), "--lang", "en")
    assert list(tmp_path.iterdir()) == []


def test_report_cards_zip_has_one_pdf_per_scored_person(
    personas: Any, cycle: Cycle, tmp_path: Path
) -> None:
    target = tmp_path / "all.zip"
    out = run("report-cards", "2026Q1", "-o", str(target), "--lang", "en")
    scored = sorted(
        Scorecard.objects.filter(cycle=cycle).values_list("employee__employee_no", flat=True)
    )
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == [f"{no}-2026Q1.pdf" for no in scored]
        text = PdfReader(io.BytesIO(archive.read("B001-2026Q1.pdf"))).pages[0].extract_text()
    assert "白波" in text
    job = Job.objects.get(kind=report_cards_batch.KIND)
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress, job.total) == (len(scored), len(scored))
    assert f"{len(scored)} of {len(scored)} report cards" in out


def test_report_cards_unit_filter_takes_the_subtree(
    personas: Any, cycle: Cycle, tmp_path: Path
) -> None:
    target = tmp_path / "bj.zip"
    run("report-cards", "2026Q1", "--unit", "BJ", "-o", str(target))
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["A001-2026Q1.pdf", "S001-2026Q1.pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # The batch runs as a job in the organisation's language (Chinese by default).
        (("2031Q1",), "未知的考核周期 2031Q1"),
        (("2026Q1", "--unit", "XX"), "未知的机构 XX"),
    ],
)
def test_report_cards_bad_input_fails_the_job_and_writes_nothing(
    personas: Any, cycle: Cycle, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run("report-cards", *args, "-o", str(tmp_path / "x.zip"))
    assert list(tmp_path.iterdir()) == []
    job = Job.objects.get(kind=report_cards_batch.KIND)
    assert job.status == Job.Status.FAILED and message in job.error


def test_a_failure_while_drawing_fails_the_job_and_leaves_no_file(
    personas: Any, cycle: Cycle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kw: Any) -> bytes:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report_cards_batch, "report_card_pdf", broken)
    with pytest.raises(CommandError):
        run("report-cards", "2026Q1", "-o", str(tmp_path / "x.zip"))
    assert list(tmp_path.iterdir()) == []
    assert Job.objects.get(kind=report_cards_batch.KIND).status == Job.Status.FAILED


def _people(personas: Any, cycle: Cycle, n: int) -> list[int]:
    """``n`` scored people: copies of Alice's card for new people."""
    from kaopei.assessment.models import ScoreLine
    from tests.factories import EmployeeFactory

    alice = Scorecard.objects.get(cycle=cycle, employee=personas.alice)
    lines = list(alice.lines.all())
    ids = []
    for i in range(n):
        person = EmployeeFactory(
            employee_no=f"QB{i:03d}", org_unit=personas.bj_t1, level=personas.am1
        )
        card = Scorecard.objects.create(
            cycle=cycle,
            employee=person,
            template=alice.template,
            org_unit=alice.org_unit,
            level=alice.level,
            total=alice.total,
            computed_grade=alice.computed_grade,
            grade=alice.grade,
            inputs_hash="x",
        )
        ScoreLine.objects.bulk_create(
            [
                ScoreLine(
                    scorecard=card,
                    metric=line.metric,
                    actual=line.actual,
                    target=line.target,
                    attainment=line.attainment,
                    points=line.points,
                    weight=line.weight,
                    cap=line.cap,
                    bound=line.bound,
                    has_data=line.has_data,
                    position=line.position,
                )
                for line in lines
            ]
        )
        ids.append(person.pk)
    return ids


def test_data_gathering_is_set_based(personas: Any, cycle: Cycle) -> None:
    from tests.feedback.reports_factories import alice_and_bob

    alice_and_bob(personas)
    ids = _people(personas, cycle, 20)
    counts = []
    for n in (3, 20):
        with CaptureQueriesContext(connection) as ctx:
            cards = report_cards_for(cycle=cycle, employee_ids=ids[:n])
        assert len(cards) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12, counts
