"""Backup and restore give back the same database, row for row.

The commands are the README's ("Backup and restore"), run as an operator runs them, each in its
own process, on two databases of their own beside the test database: files in a scratch folder
on SQLite, ``<name>_backup_source`` and ``<name>_backup_restored`` next to the ``DATABASE_URL``
database on PostgreSQL. The source holds what a working installation holds: the seed fixtures,
Kiel's data, history from ``populate_history`` and from real edits, users, groups, permissions,
an admin log entry, a session, a pledge with further evidence and ``part_of``, gaps in the ids.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.apps import apps
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED_FIXTURES = ("reference", "articles", "demo_pledges")


@dataclass(frozen=True)
class Database:
    url: str

    @property
    def vendor(self) -> str:
        return "sqlite" if self.url.startswith("sqlite:") else "postgresql"

    @property
    def name(self) -> str:
        """The file on SQLite, the database's name on PostgreSQL."""
        if self.vendor == "sqlite":
            return self.url.removeprefix("sqlite:///")
        return urlsplit(self.url).path.lstrip("/")

    @contextlib.contextmanager
    def connect(self) -> Iterator:
        if self.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(self.name)) as connection:
                yield connection
        else:
            with psycopg.connect(self.url) as connection:
                yield connection

    def rows(self, query: str) -> list[tuple]:
        with self.connect() as connection:
            return list(connection.execute(query).fetchall())

    def columns(self, table: str) -> list[str]:
        with self.connect() as connection:
            cursor = connection.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
            return [column[0] for column in cursor.description]

    def tables(self) -> set[str]:
        if self.vendor == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        return {name for (name,) in self.rows(query)}


def manage(database: Database, *args: str, stdin: bytes | None = None) -> bytes:
    """``manage.py`` on ``database``, as the README runs it; fails with its output."""
    return run([PYTHON, "manage.py", *args], database, stdin=stdin)


def run(command: list[str], database: Database, stdin: bytes | None = None) -> bytes:
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
    }
    done = subprocess.run(command, cwd=ROOT, env=env, input=stdin, capture_output=True)
    if done.returncode:
        output = (done.stdout + done.stderr).decode(errors="replace")
        pytest.fail(f"{' '.join(command)} exited with {done.returncode}:\n{output}")
    return done.stdout


def source_edit() -> None:
    """What editors and admins leave behind; run inside the source database's process."""
    from decimal import Decimal

    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from articles.models import Sentence
    from tracker.models import Pledge
    from tracker.services.review import pledge_reopen_if_changed, pledge_review

    with transaction.atomic():
        admin = User.objects.create_superuser("admin", "admin@example.org", "a-long-admin-pass")
        editor = User.objects.create_user("editor", password="a-long-editor-pass", is_staff=True)
        analyst = User.objects.create_user("analyst", password="a-long-analyst-pass")
        editor.groups.add(Group.objects.get(name="Editors"))
        reviewers = Group.objects.create(name="Reviewers")
        reviewers.permissions.add(*Permission.objects.filter(codename__in=["review_pledge"]))
        editor.groups.add(reviewers)
        analyst.user_permissions.add(Permission.objects.get(codename="view_pledge"))

        # One pledge in several versions, by two people; each save recomputes amount_eur.
        pledge = Pledge.objects.get(pk=2)
        for user, amount in ((editor, Decimal("1250000.50")), (admin, Decimal("1300000"))):
            pledge.amount = amount
            pledge.notes += f" Corrected to {amount}."
            pledge._history_user = user
            pledge._change_reason = "figure corrected"
            pledge_reopen_if_changed(pledge=pledge, changed_fields={"amount", "notes"})
            pledge.save()
        pledge_review(pledge=pledge, reviewer=admin)

        # A new part of a recorded pledge, converted from USD, with further evidence; the
        # evidence is changed twice, which leaves a gap in the through table's ids.
        whole = Pledge.objects.get(pk=5)
        part = Pledge(
            donor=whole.donor,
            category=whole.category,
            amount=Decimal("123456789.12"),
            currency="USD",
            announced_on=datetime.date(2024, 3, 15),
            part_of=whole,
            sentence=whole.sentence,
            notes='Quoted "exactly", ünïcode, <b>markup</b>,\nand a second line.',
        )
        part._history_user = editor
        part.save()
        others = list(Sentence.objects.filter(article=whole.sentence.article).order_by("-id")[:2])
        part.evidence.add(*others)
        part.evidence.remove(others[0])
        part.evidence.add(others[0])

        # A deleted pledge (a "-" version, a gap in the ids), then its sentence: its history
        # now points at a sentence that is gone. And an uncited sentence deleted.
        deleted = Pledge.objects.get(pk=7)
        deleted.delete()
        deleted.sentence.delete()
        Sentence.objects.filter(article=whole.sentence.article).exclude(
            pk__in=[whole.sentence.pk, *(sentence.pk for sentence in others)]
        ).filter(pledges=None, supporting_pledges=None).order_by("position").first().delete()

        donor = whole.donor
        donor.name_de = donor.name_de + " (geändert)"
        donor._history_user = admin
        donor.save()  # refreshes the search words of the donor's pledges
        article = whole.sentence.article
        article.title += " (corrected title)"
        article._history_user = editor
        article.save()

        LogEntry.objects.create(
            user=editor,
            content_type=ContentType.objects.get_for_model(Pledge),
            object_id=str(part.pk),
            object_repr=str(part)[:200],
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["Notes"]}}]',
        )
    session = SessionStore()
    session["kept"] = "across the restore"
    session.create()


NEW_ROWS = """
import django
django.setup()
from tracker.models import Pledge
pledge = Pledge.objects.get(pk=5)
pledge.pk = None
pledge.part_of = None
pledge.save()
pledge.evidence.add(pledge.sentence)
"""


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> Iterator[dict[str, Database]]:
    """The source (filled as an installation is) and the restore target, dropped afterwards."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(configured)
        found = {
            label: Database(urlunsplit(parts._replace(path=f"/{parts.path[1:]}_backup_{label}")))
            for label in ("source", "restored", "pg_restored")
        }
    else:
        folder = tmp_path_factory.mktemp("backup")
        found = {
            label: Database(f"sqlite:///{folder / label}.sqlite3")
            for label in ("source", "restored")
        }
    for database in found.values():
        database_recreate(database)
    source = found["source"]
    try:
        manage(source, "migrate", "--noinput")
        manage(source, "loaddata", *SEED_FIXTURES)
        manage(source, "load_kiel")
        manage(source, "populate_history", "--auto")
        run(
            [
                PYTHON,
                "-c",
                "import django; django.setup(); import test_backup as t; t.source_edit()",
            ],
            source,
        )
        yield found
    finally:
        for database in found.values():
            database_drop(database)


def server(database: Database) -> psycopg.Connection:
    parts = urlsplit(database.url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def database_drop(database: Database) -> None:
    if database.vendor == "sqlite":
        Path(database.name).unlink(missing_ok=True)
        return
    with server(database) as admin:
        name = sql.Identifier(database.name)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def database_recreate(database: Database) -> None:
    """An empty database: no tables at all."""
    database_drop(database)
    if database.vendor == "postgresql":
        with server(database) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))


def sql_run(database: Database, script: bytes) -> None:
    """SQL through ``manage.py dbshell`` as the README does, or the driver without the client."""
    if shutil.which("sqlite3" if database.vendor == "sqlite" else "psql"):
        manage(database, "dbshell", stdin=script)
        return
    with database.connect() as connection:
        if database.vendor == "sqlite":
            connection.executescript(script.decode())
        else:
            connection.execute(script.decode())


def through_tables() -> set[str]:
    """The tables Django writes for a ManyToManyField: rows are pairs, the id a counter."""
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
    }


def databases_compare(source: Database, restored: Database, *, strict: bool = False) -> list[str]:
    """Every difference between the two databases' tables, row by row.

    Not ``strict``: a through table is compared by its pairs (``dumpdata`` writes a
    ManyToManyField as a list on its model, so ``loaddata`` numbers the pairs afresh), and
    ``django_migrations`` by the names of the migrations applied. ``strict``: every column.
    """
    tables = source.tables()
    differences = []
    if tables != restored.tables():
        differences.append(f"tables differ: {sorted(tables ^ restored.tables())}")
    pairs_only = set() if strict else through_tables()
    for table in sorted(tables & restored.tables()):
        columns = source.columns(table)
        if columns != restored.columns(table):
            differences.append(f"{table}: columns {columns} != {restored.columns(table)}")
            continue
        if table == "sqlite_sequence":
            continue  # SQLite's AUTOINCREMENT counters, not rows of data
        if table in FTS_SHADOW_TABLES:
            continue  # the q index's blocks, laid out by the order of writes; checked below
        if table == "tracker_cache":
            continue  # cached figures, not data: every write gives them a new version
        columns, query = compared_query(table, columns, strict=strict, pairs_only=pairs_only)
        before, after = source.rows(query), restored.rows(query)
        if before != after:
            differences.append(f"{table}: {rows_difference(columns, before, after)}")
    if "pledge_fts" in tables & restored.tables():
        try:
            restored.rows("INSERT INTO pledge_fts(pledge_fts, rank) VALUES ('integrity-check', 1)")
        except Exception as error:
            differences.append(f"pledge_fts: the index does not match search_text ({error})")
    return differences


def compared_query(
    table: str, columns: list[str], *, strict: bool, pairs_only: set[str]
) -> tuple[list[str], str]:
    """The columns of ``table`` that ``databases_compare`` compares, and the query reading them
    in one order."""
    if table == "django_migrations" and not strict:
        columns = ["app", "name"]  # when `migrate` ran differs by nature
    if table in pairs_only:
        columns = [column for column in columns if column != "id"]
    if table in ROLLUP_TABLES and not strict:
        return rollup_sums_query(table, columns)
    selected = ", ".join(f'"{column}"' for column in columns)
    order = ", ".join(str(number) for number in range(1, len(columns) + 1))
    return columns, f'SELECT {selected} FROM "{table}" ORDER BY {order}'


#: SQLite's FTS5 storage of the q index (migration 0016): the same words as the pledges'
#: search_text, in blocks that depend on the order of writes.
FTS_SHADOW_TABLES = tuple(f"pledge_fts_{part}" for part in ("data", "idx", "docsize", "config"))
ROLLUP_TABLES = ("tracker_pledgerollup", "tracker_pledgesummary")
#: The backup leaves the roll-up and its summary out: the pledges add themselves up again as
#: they load.
DUMP = ("--all", "--exclude", "tracker.pledgerollup", "--exclude", "tracker.pledgesummary")


def rollup_sums_query(table: str, columns: list[str]) -> tuple[list[str], str]:
    """The roll-up (or summary) by what it adds up, not by its rows: a kept roll-up may hold a
    combination in two rows, or a row of zeros, where one added up afresh holds one row."""
    sums = {"pledges", "amount", "amount_eur", "quantity"}
    keys = [column for column in columns if column not in sums and column != "id"]
    selected = ", ".join(f'"{column}"' for column in keys)
    totals = ", ".join(f'SUM("{column}")' for column in sorted(sums))
    order = ", ".join(str(number) for number in range(1, len(keys) + 2))
    query = (
        f'SELECT {selected}, "quantity" IS NULL, {totals} FROM "{table}" '
        f'GROUP BY {selected}, "quantity" IS NULL HAVING SUM("pledges") <> 0 ORDER BY {order}'
    )
    return [*keys, "no quantity", *sorted(sums)], query


def rows_difference(columns: list[str], before: list[tuple], after: list[tuple]) -> str:
    """The first row that differs, column by column, or the first row only one side has."""
    counts = f"{len(before)} rows, restored {len(after)}"
    for old, new in zip(before, after, strict=False):
        if old != new:
            cells = [
                f"{column} {short(a)} != {short(b)}"
                for column, a, b in zip(columns, old, new, strict=True)
                if a != b
            ]
            return f"{counts}; first different row {short(old[0])}: {'; '.join(cells)}"
    extra = before[len(after)] if len(before) > len(after) else after[len(before)]
    side = "source" if len(before) > len(after) else "restored"
    return f"{counts}; only in the {side}: {short(extra)}"


def short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def dump_text(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode()


class TestDumpdataLoaddata:
    def test_the_restored_database_is_the_source_row_for_row(self, databases, tmp_path):
        source, restored = databases["source"], databases["restored"]
        backup = tmp_path / "backup.json.gz"
        manage(source, "dumpdata", *DUMP, "--output", str(backup))

        manage(restored, "migrate", "--noinput")
        sql_run(restored, manage(restored, "sqlflush"))
        assert restored.rows("SELECT COUNT(*) FROM django_content_type") == [(0,)]
        manage(restored, "loaddata", str(backup))

        differences = databases_compare(source, restored)
        assert not differences, "\n".join(differences)
        # What the README gives as the check: the restored database dumps to the same file.
        again = tmp_path / "again.json.gz"
        manage(restored, "dumpdata", *DUMP, "--output", str(again))
        assert dump_text(again) == dump_text(backup)
        # The counters follow: new rows, in tables and through tables, get ids of their own.
        run([PYTHON, "-c", NEW_ROWS], restored)

    def test_the_source_holds_what_the_comparison_must_see(self, databases):
        source = databases["source"]
        count = {
            table: source.rows(f'SELECT COUNT(*) FROM "{table}"')[0][0]
            for table in (
                "tracker_historicalpledge",
                "tracker_historicalpledge_evidence",
                "tracker_pledge_evidence",
                "auth_user_groups",
                "auth_group_permissions",
                "auth_user_user_permissions",
                "django_admin_log",
                "django_session",
                "tracker_kielactivity",
            )
        }
        assert all(count.values()), count
        dangling = source.rows(
            "SELECT COUNT(*) FROM tracker_historicalpledge h WHERE NOT EXISTS"
            " (SELECT 1 FROM articles_sentence s WHERE s.id = h.sentence_id)"
        )
        assert dangling[0][0] >= 1  # history of a sentence deleted since
        versions = source.rows("SELECT COUNT(*) FROM tracker_historicalpledge WHERE id = 2")
        assert versions[0][0] >= 4  # populate_history, two edits, the review
        assert (
            source.rows("SELECT COUNT(*) FROM tracker_pledge WHERE part_of_id IS NOT NULL")[0][0]
            >= 2
        )

    def test_a_different_cell_is_found(self, tmp_path):
        source = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
        restored = Database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
        for database, name in ((source, "Kyiv"), (restored, "Kiev")):
            with database.connect() as connection:
                connection.execute("CREATE TABLE city (id integer PRIMARY KEY, name text)")
                connection.execute("INSERT INTO city VALUES (1, 'Lviv'), (2, ?)", [name])
                connection.commit()
        assert databases_compare(source, restored) == [
            "city: 2 rows, restored 2; first different row 2: name 'Kyiv' != 'Kiev'"
        ]
        with restored.connect() as connection:
            connection.execute("UPDATE city SET name = 'Kyiv' WHERE id = 2")
            connection.execute("INSERT INTO city VALUES (3, 'Odesa')")
            connection.commit()
        assert databases_compare(source, restored) == [
            "city: 2 rows, restored 3; only in the restored: (3, 'Odesa')"
        ]


class TestPgDumpPgRestore:
    def test_pg_restore_gives_back_every_row_and_every_id(self, databases, tmp_path):
        if "pg_restored" not in databases:
            pytest.skip("pg_dump is PostgreSQL's; run with DATABASE_URL=postgres://...")
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump and pg_restore are not installed")
        source, restored = databases["source"], databases["pg_restored"]
        backup = tmp_path / "backup.dump"
        run(["pg_dump", "--format=custom", f"--file={backup}", f"--dbname={source.url}"], source)
        run(
            [
                "pg_restore",
                "--exit-on-error",
                "--no-owner",
                f"--dbname={restored.url}",
                str(backup),
            ],
            restored,
        )
        differences = databases_compare(source, restored, strict=True)
        assert not differences, "\n".join(differences)


class TestLoaddataIsExact:
    def test_json_keeps_times_to_the_microsecond(self, seeded):
        from django.core import serializers

        from tracker.models import Pledge

        pledge = Pledge.objects.get(pk=2)
        stamp = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
        Pledge.objects.filter(pk=pledge.pk).update(updated_at=stamp)
        text = serializers.serialize("json", Pledge.objects.filter(pk=pledge.pk))
        assert '"updated_at": "2026-01-02T03:04:05.678901Z"' in text
        (loaded,) = serializers.deserialize("json", text)
        assert loaded.object.updated_at == stamp

    def test_loading_pledges_adds_no_history(self, seeded):
        from django.core.management import call_command

        from tracker.models import Pledge

        # The demo pledges with further evidence are among them: setting it is no edit.
        assert Pledge.objects.filter(evidence__isnull=False).exists()
        assert not Pledge.history.exists()
        call_command("populate_history", "--auto", stdout=io.StringIO())
        assert Pledge.history.filter(history_type="+").count() == Pledge.objects.count()
        assert not Pledge.history.exclude(history_type="+").exists()
