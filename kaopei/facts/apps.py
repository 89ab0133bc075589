from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactsConfig(AppConfig):
    name = "kaopei.facts"
    label = "facts"
    verbose_name = _("Business records")

    def ready(self) -> None:
        # Its import kinds (columns + loaders) plug into kaopei.imports (DESIGN.md §2).
        from kaopei.facts.import_kinds import register

        register()
