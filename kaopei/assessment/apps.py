from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "kaopei.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from kaopei.assessment.services import notifications

        notifications.register()

        # Its import kinds, final cycles and what they use plug into kaopei.imports.
        from kaopei.assessment.import_kinds import register

        register()

        from kaopei.assessment.metrics import FORMULAS
        from kaopei.assessment.sources import metric_source_register

        for code, formula in FORMULAS.items():  # the metrics computed from the facts
            metric_source_register(code=code, formula=formula)
