# The import batches moved to the imports app (same tables): the foreign keys now name
# imports.ImportBatch. Nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0007_one_open_appeal_per_line'),
        ('imports', '0001_initial'),
    ]
    # facts forgets its ImportBatch only once nothing points at it any more.
    run_before = [
        ('facts', '0008_import_batches_leave_facts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalmanualscore',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch'),
                ),
                migrations.AlterField(
                    model_name='historicaltarget',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch'),
                ),
                migrations.AlterField(
                    model_name='manualscore',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch'),
                ),
                migrations.AlterField(
                    model_name='target',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch'),
                ),
                migrations.AlterField(
                    model_name='template',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch'),
                ),
            ],
            database_operations=[],
        ),
    ]
