"""Whoever started an import that ran as a job is told how it ended; nobody else is
(kaopei/imports/notifications.py through the job hook of kaopei/core/jobs.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from kaopei.core.errors import ApplicationError
from kaopei.core.jobs import job_run
from kaopei.core.models import Job, Notification
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
HERE = "tests.imports.test_notifications"


def imported(*, job: Job, **params: Any) -> dict[str, Any]:
    return {"status": "committed", "rows": 6000, "errors": 0}


def checked(*, job: Job, **params: Any) -> dict[str, Any]:
    return {"status": "dry_run", "rows": 6000, "errors": 3}


def refused(*, job: Job, **params: Any) -> dict[str, Any]:
    raise ApplicationError("磁盘已满")


def run(personas: Personas, handler: str, capture: Any, kind: str = "import") -> Job:
    job = Job.objects.create(
        kind=kind,
        handler=f"{HERE}.{handler}",
        params={"batch_id": 41, "kind": "customers", "dry_run": False},
        created_by=personas.hr.user,
    )
    with capture(execute=True):
        return job_run(job_id=job.pk)


def test_an_import_job_that_finished_is_told_to_whoever_started_it(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    personas.hr.user.email = "hr@bank.example"
    personas.hr.user.save(update_fields=["email"])
    run(personas, "imported", django_capture_on_commit_callbacks)
    note = Notification.objects.get()
    assert (note.user_id, note.kind, note.url) == (personas.hr.user_id, "import", "/imports/41/")
    assert note.text_en == "Import #41 (Customers) finished: 6000 rows, 0 errors."
    assert note.text_zh == "导入 #41（客户）已完成：6000 行，0 个错误。"
    assert [m.to for m in mail.outbox] == [["hr@bank.example"]]


def test_a_dry_run_and_a_failure_say_so(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    run(personas, "checked", django_capture_on_commit_callbacks)
    run(personas, "refused", django_capture_on_commit_callbacks)
    texts = list(Notification.objects.order_by("pk").values_list("text_en", flat=True))
    assert texts == [
        "The check of import #41 (Customers) finished: 6000 rows, 3 errors. Nothing was written.",
        "Import #41 (Customers) failed: nothing was written. Open it to see why.",
    ]


def test_a_job_of_a_kind_nobody_registered_notifies_nobody(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    job = run(personas, "imported", django_capture_on_commit_callbacks, kind="pdf")
    assert job.status == Job.Status.SUCCEEDED
    assert not Notification.objects.exists()


def test_a_job_nobody_started_notifies_nobody(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    job = Job.objects.create(kind="import", handler=f"{HERE}.imported", params={"batch_id": 1})
    with django_capture_on_commit_callbacks(execute=True):
        job_run(job_id=job.pk)
    assert not Notification.objects.exists()
