from django.core.management import call_command
from django.db import migrations

# The table of the rendered parts of pages (settings.CACHES["template_fragments"]), beside the
# cache table of 0017. createcachetable creates only what is missing.


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0017_cache_table")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
