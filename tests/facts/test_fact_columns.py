"""Bulk writers (COPY, INSERT … SELECT) name only the columns they know: the columns added for
corrections must take their database defaults, never refuse the row."""

from __future__ import annotations

import pytest
from django.db import connection

from kaopei.facts.models import Customer
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_record_inserted_without_the_correction_columns_is_a_plain_uncorrected_record(
    personas: Personas,
) -> None:
    table = Customer._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (customer_no, name, segment, strategic, acquired_on, owner_id)"  # noqa: S608
            " VALUES (%s, %s, %s, %s, %s, %s)",
            ["C-RAW", "客户", "", False, "2026-01-05", personas.alice.pk],
        )
    raw = Customer.objects.get(customer_no="C-RAW")
    assert raw.voided_at is None and raw.void_reason == "" and not raw.is_voided
