"""Let editors import articles: the Editors group gets articles.add_article.

The group and its other permissions come from tracker's 0002_editors_group, which sets them
outright; this runs after it so that the grant is not undone on a fresh database.
"""

from __future__ import annotations

from django.db import migrations


def permission_get(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="add_article", defaults={"name": "Can add article"}
    )
    return permission


def grant_add_article(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(permission_get(apps))


def revoke_add_article(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(permission_get(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_historicalarticle"),
        ("tracker", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant_add_article, revoke_add_article)]
