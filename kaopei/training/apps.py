from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kaopei.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # Each sub-domain's metric sources, import kinds, exports, notification kinds and
        # hooks: the ``register()`` of its ``setup_<area>`` module.
        for area in AREAS:
            import_module(f"kaopei.training.setup_{area}").register()


AREAS = (
    "catalogue",
    "sessions",
    "quizzes",
    "questions",
    "certificates",
    "effect",
    "learning",
    "cases",
    "toolkit",
    "competitions",
    "roleplays",
    "sandbox",
    "scenarios",
)
"""What the training areas plug into at start-up (called from ``TrainingConfig.ready``)."""
