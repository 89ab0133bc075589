"""Training API of this area (added to the API in ``config/api.py``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["training"])
