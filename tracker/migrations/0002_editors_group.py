"""Create the Editors group with the permissions an editor needs in the admin."""

from __future__ import annotations

from tracker.migrations._permissions import permissions_create
from django.db import migrations

EDITOR_PERMISSIONS = {
    "articles": {"article": ("view", "change"), "sentence": ("view", "change")},
    "tracker": {
        "pledge": ("view", "add", "change", "delete"),
        "donor": ("view", "add", "change"),
        "category": ("view",),
    },
}


def create_editors_group(apps, schema_editor):
    permissions_create(apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in EDITOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
