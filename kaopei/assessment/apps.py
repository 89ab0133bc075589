from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "kaopei.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from kaopei.assessment.services import notifications

        notifications.register()
