from django.core.management import call_command
from django.db import migrations

# The table of the database cache (settings.CACHES, tracker/cache.py), created where every
# installation already runs `migrate`: `make run`, a deploy, a restore into a new database.
# createcachetable creates only what is missing, and nothing when the cache is Redis.


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0016_pledge_fts")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
