from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "kaopei.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        # The metrics computed from displayed 360 scores (DESIGN.md §5, §7).
        from kaopei.assessment.sources import metric_source_register
        from kaopei.feedback.metrics import FORMULAS

        for code, formula in FORMULAS.items():
            metric_source_register(code=code, formula=formula)

        # Each sub-domain's notification kinds, import kinds, jobs and hooks: the
        # ``register()`` of its ``setup_<area>`` module.
        from importlib import import_module

        for area in AREAS:
            import_module(f"kaopei.feedback.setup_{area}").register()


AREAS = ("rounds", "reports", "surveys", "suggestions", "meetings", "imports")
