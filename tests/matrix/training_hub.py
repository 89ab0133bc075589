"""The training section's front page: every signed-in persona (what it lists depends on
the role); it only reads."""

from tests.access import OK, answer, one

PAGES = {"training:home": one(OK, post=answer(405))}
