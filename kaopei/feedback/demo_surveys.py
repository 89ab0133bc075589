"""Demo data: feedback surveys (a ``@demo_step`` after the assessment's, order 40+)."""
