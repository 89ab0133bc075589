"""Writes of the assessment app, split by sub-domain (cycles, scoring, templates, targets,
calibration, appeals)."""
