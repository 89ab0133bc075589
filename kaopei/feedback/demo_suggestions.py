"""Demo data: feedback suggestions (a ``@demo_step`` after the assessment's, order 40+)."""
