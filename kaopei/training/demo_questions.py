"""Demo data of this training area (its ``@demo_step`` functions)."""
