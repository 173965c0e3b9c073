from django.db import migrations

# The q search's index on SQLite: an FTS5 table over tracker_pledge.search_text that stores no
# text of its own (external content, rowid = pledge id). Triggers keep it exact through every
# write that reaches the table: saves, raw saves of loaddata, bulk UPDATEs, deletes, and
# rollbacks (FTS5 is transactional). The tokenizer folds case and diacritics, so "Ubergabe"
# finds "Übergabe". tracker.selectors.search queries it; PostgreSQL has its GIN index (0007).
#
# A later migration that makes SQLite rebuild tracker_pledge (Django copies the table and
# drops the old one) drops these triggers with it: such a migration must run
# CREATE_FTS_TRIGGERS again and rebuild the index. tests/test_tracker_search.py fails if the
# triggers are missing.
CREATE_FTS_TABLE = (
    "CREATE VIRTUAL TABLE pledge_fts USING fts5(search_text, content='tracker_pledge', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
CREATE_FTS_TRIGGERS = (
    "CREATE TRIGGER pledge_fts_insert AFTER INSERT ON tracker_pledge BEGIN "
    "INSERT INTO pledge_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER pledge_fts_delete AFTER DELETE ON tracker_pledge BEGIN "
    "INSERT INTO pledge_fts(pledge_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER pledge_fts_update AFTER UPDATE OF id, search_text ON tracker_pledge BEGIN "
    "INSERT INTO pledge_fts(pledge_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO pledge_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
REBUILD_FTS = "INSERT INTO pledge_fts(pledge_fts) VALUES ('rebuild')"


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_FTS_TABLE)
        for trigger in CREATE_FTS_TRIGGERS:
            schema_editor.execute(trigger)
        schema_editor.execute(REBUILD_FTS)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for trigger in ("pledge_fts_insert", "pledge_fts_delete", "pledge_fts_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute("DROP TABLE IF EXISTS pledge_fts")


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0015_pledge_announced_in_window"),
    ]

    operations = [
        migrations.RunPython(create_fts, drop_fts),
    ]
