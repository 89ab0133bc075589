"""The import tests keep uploads in a temporary MEDIA_ROOT (``media``, tests/conftest.py);
``world`` adds two customers (Alice's C001, Bob's C002) to the personas."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def uploads_in_tmp(media: Path) -> Path:
    return media
