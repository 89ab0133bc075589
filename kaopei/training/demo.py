"""The training part of the demo: each area's steps (``@demo_step``) live in its
``demo_<area>`` module; importing them here registers them."""

from kaopei.training import (  # noqa: F401
    demo_cases,
    demo_catalogue,
    demo_certificates,
    demo_competitions,
    demo_effect,
    demo_learning,
    demo_questions,
    demo_quizzes,
    demo_roleplays,
    demo_sandbox,
    demo_sessions,
    demo_toolkit,
)
