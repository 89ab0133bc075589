"""Demo data: feedback rounds (a ``@demo_step`` after the assessment's, order 40+)."""
