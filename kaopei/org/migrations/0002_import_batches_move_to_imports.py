# The import batches moved to the imports app (same tables): the foreign keys now name
# imports.ImportBatch. Nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
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
                    model_name='employee',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalemployee',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicaljoblevel',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalorgunit',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='joblevel',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='orgunit',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
            ],
            database_operations=[],
        ),
    ]
