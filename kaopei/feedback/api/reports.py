"""Feedback API: reports. Every operation applies the same visibility rules as the pages."""

from ninja import Router

router = Router(tags=["feedback"])
