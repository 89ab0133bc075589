"""``POST /api/v1/imports/{kind}`` and ``GET /api/v1/imports/{id}`` (DESIGN.md §4.3 ⚑): HR
admins only; 200 with the counts, 422 with every error, 400 for an unknown kind, 202 for a
big file running as a job."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaopei.core.services import api_token_create
from kaopei.facts.models import Sale
from kaopei.imports.models import ImportBatch
from tests.conftest import Personas
from tests.imports.test_import_service import KINDS, csv_bytes

pytestmark = pytest.mark.django_db
SALES = csv_bytes([KINDS["sales"]["header"], *KINDS["sales"]["rows"]])


def upload(client: Client, kind: str, content: bytes = SALES, name: str = "销售.csv",
           **data: Any) -> Any:  # fmt: skip
    return client.post(f"/api/v1/imports/{kind}",
                       {"file": SimpleUploadedFile(name, content, "text/csv"), **data})  # fmt: skip


def test_an_hr_admin_imports_a_file(world: Personas) -> None:
    response = upload(world.client(world.hr), "sales")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["kind"], body["created"], body["rows"]) == ("committed", "sales",
                                                                            2, 2)  # fmt: skip
    assert body["errors"] == [] and body["file_name"] == "销售.csv" and body["source"] == "api"
    assert body["created_by"] == "HR001" and body["job"] is None
    assert Sale.objects.count() == 2


def test_a_dry_run_writes_nothing(world: Personas) -> None:
    response = upload(world.client(world.hr), "sales", dry_run="true")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["created"]) == ("dry_run", 2)
    assert Sale.objects.count() == 0


def test_a_refused_file_answers_422_with_every_error(world: Personas) -> None:
    bad = csv_bytes([KINDS["sales"]["header"], ["S1", "Z999", "C001", "2026/2/30", "1", "1"]])
    response = upload(world.client(world.hr), "sales", bad)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["batch"]["status"] == "failed"
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "signed_on", "invalid_date"),
        (2, "employee_no", "unknown_employee"),
    ]
    assert set(body["errors"][0]) == {"row", "column", "value", "reason", "code"}
    assert Sale.objects.count() == 0


def test_an_unknown_kind_answers_400_and_stores_nothing(world: Personas) -> None:
    response = upload(world.client(world.hr), "salaries")
    assert response.status_code == 400
    assert "salaries" in response.json()["detail"]
    assert not ImportBatch.objects.exists()


def test_a_request_without_a_file_answers_422(world: Personas) -> None:
    response = world.client(world.hr).post("/api/v1/imports/sales", {})
    assert response.status_code == 422


def test_a_big_file_runs_as_a_job(world: Personas, settings: Any) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 1
    response = upload(world.client(world.hr), "sales")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "validating" and body["job"]["total"] == 2


@pytest.mark.parametrize("who", ["alice", "sup", "exec", "trainer"])
def test_nobody_else_may_import(world: Personas, who: str) -> None:
    response = upload(world.client(getattr(world, who)), "sales")
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_anonymous_callers_are_refused(world: Personas) -> None:
    assert upload(Client(), "sales").status_code == 401


def test_a_personal_token_works(world: Personas) -> None:
    _token, raw = api_token_create(user=world.hr.user, name="etl")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    response = upload(client, "sales")
    assert response.status_code == 200 and Sale.objects.count() == 2


def test_an_hr_admin_reads_a_batch_and_nobody_else(world: Personas) -> None:
    batch_id = upload(world.client(world.hr), "sales").json()["id"]
    response = world.client(world.hr).get(f"/api/v1/imports/{batch_id}")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["created"]) == (batch_id, 2)
    assert world.client(world.alice).get(f"/api/v1/imports/{batch_id}").status_code == 403
    assert world.client(world.hr).get("/api/v1/imports/987654").status_code == 404
    assert Client().get(f"/api/v1/imports/{batch_id}").status_code == 401


def test_the_schema_declares_the_error_responses(world: Personas) -> None:
    schema = world.client(world.hr).get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/imports/{kind}"]["post"]
    get = schema["paths"]["/api/v1/imports/{batch_id}"]["get"]
    for operation in (post, get):
        assert {"400", "403", "404", "422"} <= set(operation["responses"])
    assert "202" in post["responses"]


# --- bad requests: a JSON 4xx that stores nothing, never a 500 or a page (issue 8) ----------


def refused_as_json(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["content-type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and isinstance(body["errors"], list)
    return body


def hr_client(world: Personas) -> Client:
    _token, raw = api_token_create(user=world.hr.user, name="etl")
    return Client(headers={"authorization": f"Bearer {raw}"}, raise_request_exception=False)


@pytest.mark.parametrize("batch_id", ["0", "9" * 30, "9" * 5000, "abc", "%00"])
def test_reading_a_batch_that_cannot_exist_is_a_json_404(world: Personas, batch_id: str) -> None:
    refused_as_json(hr_client(world).get(f"/api/v1/imports/{batch_id}"), 404)


@pytest.mark.parametrize("kind", ["0", "12345", "%00", "x" * 41, "sales%0A"])
def test_importing_as_a_kind_that_cannot_exist_is_refused_and_stores_nothing(
    world: Personas, kind: str
) -> None:
    refused_as_json(upload(hr_client(world), kind), 400, 422)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("销售.csv", b""),
        ("销售.xlsx", b""),
        ("销售.pdf", b"%PDF-1.4 not a table"),
        ("销售.xlsx", b"PK\x03\x04 not really a workbook"),
        ("销售.csv", b"\xff\xfe\x00\x00garbage\x00"),
        ("销售", SALES),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_with_json(
    world: Personas, name: str, content: bytes
) -> None:
    refused_as_json(upload(hr_client(world), "sales", content, name), 400, 422)
    assert Sale.objects.count() == 0


def test_a_non_boolean_dry_run_is_refused(world: Personas) -> None:
    refused_as_json(upload(hr_client(world), "sales", dry_run="maybe"), 422)
    assert not ImportBatch.objects.exists()


def test_a_30_digit_batch_id_is_a_404_on_every_database(world: Personas) -> None:
    # Past the bigint range: PostgreSQL would refuse the query, SQLite find nothing.
    body = refused_as_json(hr_client(world).get(f"/api/v1/imports/{'9' * 30}"), 404)
    assert body["detail"] == "Not found."
