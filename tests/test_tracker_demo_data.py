"""`make data`, which `make run` runs every time, never undoes an editor's work."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from tracker.models import Donor, Pledge

REPO = Path(settings.BASE_DIR)


def make_data_commands() -> list[list[str]]:
    """The manage.py commands of `make data`, read from the Makefile (`make -n` runs nothing)."""
    printed = subprocess.run(
        ["make", "-n", "data"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    commands = []
    for line in printed.splitlines():
        words = shlex.split(line)
        if "manage.py" in words:
            commands.append(words[words.index("manage.py") + 1 :])
    return commands


def make_data() -> None:
    for name, *args in make_data_commands():
        if name != "migrate":  # the test database is migrated already
            call_command(name, *args, stdout=io.StringIO())


@pytest.mark.django_db
class TestMakeData:
    def test_a_second_run_keeps_an_edit_and_its_history(self):
        make_data()
        pledge = Pledge.objects.get(pk=4)
        pledge.notes = "Checked against the ministry's statement."
        pledge.save()
        versions = pledge.history.count()

        make_data()

        pledge.refresh_from_db()
        assert pledge.notes == "Checked against the ministry's statement."
        assert pledge.version == 2
        assert pledge.history.count() == versions
        assert pledge.history.first().notes == pledge.notes

    def test_a_second_run_keeps_a_deleted_pledge_deleted(self):
        make_data()
        Pledge.objects.filter(pk=4).delete()
        make_data()
        assert not Pledge.objects.filter(pk=4).exists()

    def test_the_first_run_loads_the_demo_and_the_imported_articles(self, settings, tmp_path):
        imported = tmp_path / "imported_articles.json"
        imported.write_text(
            json.dumps(
                [{"model": "tracker.donor", "fields": {"slug": "testland", "name": "Testland"}}]
            )
        )
        settings.ARTICLES_IMPORT_FIXTURE = imported
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert Article.objects.count() == 5
        assert Pledge.objects.exists()
        assert Donor.objects.filter(slug="testland").exists()
        assert "imported_articles" in out.getvalue()

    def test_a_database_with_data_is_left_as_it_is(self):
        Donor.objects.create(slug="testland", name="Testland")
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert not Article.objects.exists()
        assert "1 donor, 0 articles, 0 pledges" in out.getvalue()
        assert "nothing overwritten" in out.getvalue()
