from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "kaopei.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from kaopei.dashboards import cache, report_cards_batch

        cache.connect()
        report_cards_batch.register()
