"""What this training area plugs into at start-up (called from ``TrainingConfig.ready``)."""


def register() -> None:
    """Nothing yet."""
