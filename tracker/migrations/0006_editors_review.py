"""Let the Editors group review pledges and open the review queue."""

from __future__ import annotations

from tracker.migrations._permissions import permissions_create
from django.db import migrations

GRANTS = (
    ("tracker", "review_pledge"),
    ("tracker", "view_pledgereviewqueue"),
    ("tracker", "change_pledgereviewqueue"),
)


def grant(apps, schema_editor):
    permissions_create(apps)
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
