"""Rejected suggestions, kept with the rules that made them; editors reject, read and undo."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from tracker.migrations._permissions import permissions_create

GRANTS = ("view_suggestionrejection", "add_suggestionrejection", "delete_suggestionrejection")


def grant(apps, schema_editor):
    permissions_create(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="tracker", codename__in=GRANTS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="tracker", codename__in=GRANTS)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_article_published_in_window'),
        ('tracker', '0019_releases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSuggestionRejection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True)),
                ('currency', models.CharField(blank=True, max_length=3)),
                ('quantity', models.PositiveBigIntegerField(blank=True, null=True)),
                ('suggestion', models.JSONField(help_text='The suggestion as proposed, with the rule that decided each value.')),
                ('reason', models.CharField(blank=True, choices=[('not_aid', 'not aid'), ('conversion', 'conversion'), ('duplicate', 'duplicate'), ('wrong_figure', 'wrong figure'), ('other', 'other')], max_length=12)),
                ('rejected_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('rejected_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('sentence', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.sentence')),
            ],
            options={
                'verbose_name': 'historical rejected suggestion',
                'verbose_name_plural': 'historical rejected suggestions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SuggestionRejection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True)),
                ('currency', models.CharField(blank=True, max_length=3)),
                ('quantity', models.PositiveBigIntegerField(blank=True, null=True)),
                ('suggestion', models.JSONField(help_text='The suggestion as proposed, with the rule that decided each value.')),
                ('reason', models.CharField(blank=True, choices=[('not_aid', 'not aid'), ('conversion', 'conversion'), ('duplicate', 'duplicate'), ('wrong_figure', 'wrong figure'), ('other', 'other')], max_length=12)),
                ('rejected_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('rejected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('sentence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestion_rejections', to='articles.sentence')),
            ],
            options={
                'verbose_name': 'rejected suggestion',
                'verbose_name_plural': 'rejected suggestions',
                'ordering': ('-rejected_at', '-id'),
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__isnull', False), ('quantity__isnull', False), _connector='OR'), name='rejection_states_a_figure')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
