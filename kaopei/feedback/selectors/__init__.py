"""Reads of the feedback app, permission-scoped where a person asks."""
