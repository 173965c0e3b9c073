"""Let the Editors group review pledges and open the review queue."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = (
    ("tracker", "review_pledge"),
    ("tracker", "view_pledgereviewqueue"),
    ("tracker", "change_pledgereviewqueue"),
)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # See 0002: historical app configs need a models module for create_permissions.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codename in GRANTS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(codename__in=[codename for _, codename in GRANTS])
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_review_queue")]

    operations = [migrations.RunPython(grant, revoke)]
