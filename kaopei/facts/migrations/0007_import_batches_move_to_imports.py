# The import batches moved to the imports app (same tables): the records' foreign keys now
# name imports.ImportBatch. Nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('facts', '0006_upload_retention'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='receivable',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='complianceincident',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='complaint',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='sale',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='surveyresponse',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='opportunity',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='customer',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
            ],
            database_operations=[],
        ),
    ]
