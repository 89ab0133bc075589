"""The feedback part of the demo: each area's steps (``@demo_step``) live in its
``demo_<area>`` module; importing them here registers them."""

from kaopei.feedback import (  # noqa: F401
    demo_meetings,
    demo_rounds,
    demo_suggestions,
    demo_surveys,
)
