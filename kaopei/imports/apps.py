from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """The one import pipeline (DESIGN.md §2, §4.2): it knows no domain; the apps register
    their kinds from their own ``ready`` (:mod:`kaopei.imports.registry`)."""

    name = "kaopei.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Whoever started an import job hears how it ended (kaopei.core.notifications).
        from kaopei.imports import notifications

        notifications.register()
