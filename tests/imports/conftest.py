"""Fixtures shared by the import tests: uploads go to a temporary MEDIA_ROOT, and ``world``
adds two customers (Alice's C001, Bob's C002) to the personas."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kaopei.facts.models import Customer
from tests.conftest import Personas


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def world(personas: Personas) -> Personas:
    """The personas plus two customers of Alice's and Bob's."""
    Customer.objects.create(
        customer_no="C001", name="甲公司", owner=personas.alice, acquired_on=date(2025, 1, 1)
    )
    Customer.objects.create(
        customer_no="C002", name="乙公司", owner=personas.bob, acquired_on=date(2025, 1, 1)
    )
    return personas
