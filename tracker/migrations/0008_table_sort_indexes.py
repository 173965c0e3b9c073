"""PostgreSQL indexes in the table's exact sort orders, so a page is read, not sorted.

Sorting newest or largest first puts undated and unconverted pledges last (NULLS LAST), which
a plain ascending index read backwards cannot give. SQLite cannot declare NULLS LAST in an
index, so these exist on PostgreSQL only.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "pledge_newest_idx": "(announced_on DESC NULLS LAST, id DESC)",
    "pledge_largest_idx": "(amount_eur DESC NULLS LAST, id DESC)",
    "pledge_donor_newest_idx": "(donor_id, announced_on DESC NULLS LAST, id DESC)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON tracker_pledge {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_pledge_search")]

    operations = [migrations.RunPython(create, drop)]
