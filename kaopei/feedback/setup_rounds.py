"""What the feedback rounds plug into at start-up (called from ``FeedbackConfig.ready``)."""


def register() -> None:
    """Register this area's notification kinds, import kinds and hooks."""
