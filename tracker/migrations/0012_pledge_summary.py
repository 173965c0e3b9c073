from django.db import migrations, models


def summary_build(apps, schema_editor):
    from tracker.services.rollup import rollup_rebuild

    rollup_rebuild(
        schema_editor.connection.alias,
        pledge_model=apps.get_model("tracker", "Pledge"),
        rollup_models=(apps.get_model("tracker", "PledgeSummary"),),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0011_pledge_delete_reviewed_permission'),
    ]

    operations = [
        migrations.CreateModel(
            name='PledgeSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('proposed', 'Proposed'), ('pledged', 'Pledged'), ('allocated', 'Allocated'), ('delivered', 'Delivered')], max_length=10)),
                ('currency', models.CharField(blank=True, max_length=3)),
                ('review_status', models.CharField(choices=[('draft', 'Draft'), ('reviewed', 'Reviewed')], max_length=8)),
                ('announced_on', models.DateField(null=True)),
                ('standalone', models.BooleanField()),
                ('value', models.CharField(choices=[('eur', 'with a EUR value'), ('in_kind', 'in kind, without an amount'), ('no_rate', 'an amount without a EUR rate')], max_length=7)),
                ('pledges', models.IntegerField(default=0)),
                ('amount', models.DecimalField(decimal_places=2, default=0, max_digits=28)),
                ('amount_eur', models.DecimalField(decimal_places=2, default=0, max_digits=28)),
                ('quantity', models.BigIntegerField(null=True)),
            ],
            options={
                'verbose_name_plural': 'pledge summaries',
                'indexes': [models.Index(fields=['announced_on'], name='summary_month_idx')],
            },
        ),
        migrations.RunPython(summary_build, migrations.RunPython.noop),
    ]
