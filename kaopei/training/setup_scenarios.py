"""What scenario simulation plugs into at start-up (called from ``TrainingConfig.ready``):
the ``scenario_score`` metric source, where the role-play and sandbox results meet."""


def register() -> None:
    from kaopei.assessment.sources import metric_source_register
    from kaopei.training.metrics_scenarios import scenario_score

    metric_source_register(code="scenario_score", formula=scenario_score)
