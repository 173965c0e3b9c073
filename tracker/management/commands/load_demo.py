"""Load the reference data, the seed articles and the demo pledges into an empty database.

`make data` runs this on every `make run`, so it must never undo an editor's work: once the
database holds any donor, article or pledge, nothing is loaded and nothing is overwritten.
Starting again from the demo is a deliberate act: empty the database first (README, *Set up*).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize

from articles.importing import import_fixture_path
from articles.models import Article
from tracker.models import Donor, Pledge

DEMO_FIXTURES = ("reference", "articles", "demo_pledges")


def demo_fixtures() -> list[str]:
    """The fixtures of a new installation, with the articles editors imported, if any."""
    imported = import_fixture_path()
    return [*DEMO_FIXTURES, str(imported)] if imported.is_file() else list(DEMO_FIXTURES)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        held = {
            "donor": Donor.objects.count(),
            "article": Article.objects.count(),
            "pledge": Pledge.objects.count(),
        }
        if any(held.values()):
            counts = ", ".join(
                f"{count:,} {name}{pluralize(count)}" for name, count in held.items()
            )
            self.stdout.write(
                f"The database already holds data ({counts}): no fixture loaded, nothing "
                "overwritten. To start again from the demo, give it an empty database "
                "(README: Set up)."
            )
            return
        fixtures = demo_fixtures()
        # One call, one transaction: a fixture that fails loads nothing at all.
        call_command("loaddata", *fixtures, verbosity=0)
        names = ", ".join(Path(fixture).stem for fixture in fixtures)
        self.stdout.write(
            f"Loaded {names}: {Donor.objects.count():,} donors, "
            f"{Article.objects.count():,} articles, {Pledge.objects.count():,} pledges."
        )
