"""What the training-effect area plugs into at start-up (called from ``TrainingConfig.ready``):
the ``training-effect`` export of ``kaopei export`` and the effect panel on course pages."""


def register() -> None:
    """Register the export and the course panel."""
    from kaopei.assessment.exports import register_export
    from kaopei.training.panels import course_panel_register
    from kaopei.training.selectors.effect import EFFECT_COLUMNS, effect_export_rows
    from kaopei.training.views.effect import effect_panel_context

    register_export("training-effect", EFFECT_COLUMNS, effect_export_rows)
    course_panel_register(
        order=30, template="training/effect/_panel.html", context=effect_panel_context
    )
