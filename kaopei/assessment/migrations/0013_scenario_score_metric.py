from django.db import migrations


def load(apps, schema_editor):
    from kaopei.assessment.library import sync_library

    sync_library(
        apps.get_model("assessment", "Metric"),
        apps.get_model("assessment", "GradePolicy"),
        apps.get_model("assessment", "GradeBand"),
    )


class Migration(migrations.Migration):
    """The library gains ``scenario_score`` (DESIGN.md §5), fed by role-plays and the
    decision sandbox."""

    dependencies = [("assessment", "0012_unit_targets")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
