"""Set-based writes and the writer thread (kaopei/core/bulk.py)."""

from __future__ import annotations

import io
import sys
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from kaopei.core import bulk
from kaopei.core.bulk import SQL, Writer, copy_data, insert_rows, update_rows
from kaopei.org.models import JobLevel


def test_a_writer_in_a_web_process_leaves_the_switch_interval_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk, "_switch_allowed", False)  # as a web process has it
    before = sys.getswitchinterval()
    done: list[int] = []
    writer = Writer()
    assert sys.getswitchinterval() == before  # process-wide: never changed by a web request
    for n in range(5):
        writer.submit(lambda n=n: done.append(n))
    writer.drain()
    writer.stop()
    assert done == [0, 1, 2, 3, 4]
    assert sys.getswitchinterval() == before


def test_in_a_bulk_process_writers_hand_the_gil_back_quickly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk, "_switch_allowed", False)
    before = sys.getswitchinterval()
    bulk.allow_fast_switching()
    first = Writer()
    second = Writer()  # two at once: the interval comes back only when both stop
    assert sys.getswitchinterval() <= 0.0005
    first.stop()
    assert sys.getswitchinterval() <= 0.0005
    second.stop()
    second.stop()  # stopping twice is harmless
    assert sys.getswitchinterval() == before


@pytest.mark.django_db
def test_only_the_bulk_commands_opt_in(monkeypatch: pytest.MonkeyPatch, client: Any) -> None:
    from django.core.management import call_command

    monkeypatch.setattr(bulk, "_switch_allowed", False)
    client.get("/accounts/login/")
    assert not bulk.fast_switching_allowed()
    call_command("score", "2026Q1", stdout=io.StringIO())
    assert bulk.fast_switching_allowed()


def test_the_writer_hands_the_first_error_to_drain_and_skips_the_rest() -> None:
    done: list[str] = []
    writer = Writer()

    def fail() -> None:
        raise ValueError("bad chunk")

    writer.submit(fail)
    writer.submit(lambda: done.append("skipped"))
    with pytest.raises(ValueError, match="bad chunk"):
        writer.drain()
    writer.stop()
    assert done == []


@pytest.mark.django_db
def test_insert_and_update_rows_write_plain_tuples() -> None:
    now = timezone.now()
    insert_rows(
        JobLevel,
        ["code", "name", "rank", "is_sales", "description", "created_at", "updated_at"],
        [["X1", "一", 7, True, "", now, now], ["X2", "二", 8, False, "", now, now]],
    )
    ids = dict(JobLevel.objects.filter(code__in=["X1", "X2"]).values_list("code", "pk"))
    update_rows(JobLevel, ["name"], [[ids["X1"], "甲"], [ids["X2"], "乙"]])
    assert dict(JobLevel.objects.filter(pk__in=ids.values()).values_list("code", "name")) == {
        "X1": "甲",
        "X2": "乙",
    }


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="COPY … FROM STDIN exists only on PostgreSQL; run.py runs this suite on it too",
)
def test_copy_data_is_what_postgresql_reads_back(db: Any) -> None:
    rows = [
        [1, "a\tb\n\\c", D("1.50"), None, True, date(2026, 3, 5)],
        [2, "", D(0), "x", False, None],
    ]
    sql = SQL()
    sql.execute(
        "CREATE TEMP TABLE kp_copy_check (n int, t text, d numeric, s text, b bool, day date)"
    )
    connection.ensure_connection()
    data = copy_data(connection.connection, rows)
    sql.copy_text("kp_copy_check", ["n", "t", "d", "s", "b", "day"], data)
    assert sql.fetchall("SELECT n, t, d, s, b, day FROM kp_copy_check ORDER BY n") == [
        tuple(row) for row in rows
    ]


def test_a_cancelled_writer_skips_the_jobs_not_started() -> None:
    import threading

    done: list[int] = []
    gate = threading.Event()
    writer = Writer()
    writer.submit(gate.wait)  # holds the thread until the rest are queued
    writer.submit(lambda: done.append(1))
    writer.cancel()
    gate.set()
    writer.stop()
    assert done == []
