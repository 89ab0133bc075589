"""Demo data: feedback meetings (a ``@demo_step`` after the assessment's, order 40+)."""
