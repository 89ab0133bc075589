from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactsConfig(AppConfig):
    name = "kaopei.facts"
    label = "facts"
    verbose_name = _("Business records")

    def ready(self) -> None:
        from kaopei.facts import notifications

        notifications.register()
