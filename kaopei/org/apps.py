from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kaopei.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Its import kinds (columns + loaders) plug into kaopei.imports (DESIGN.md §2).
        from kaopei.org.import_kinds import register

        register()
