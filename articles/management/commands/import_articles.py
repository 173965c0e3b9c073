from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import (
    IMPORT_FIXTURE_NAME,
    ArticlesImportError,
    articles_import,
    import_fixture_path,
)


class Command(BaseCommand):
    help = (
        "Split article text files into sentences, append them to a fixture under fixtures/ and "
        "load them: all files or none, and a file already loaded changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--fixture",
            metavar="NAME",
            help=(
                f"The fixture to append to: a name under fixtures/ (default: "
                f"{IMPORT_FIXTURE_NAME}), or a path to a .json file."
            ),
        )

    def handle(self, *args, files: list[Path], fixture: str | None, verbosity: int, **options):
        try:
            imported = articles_import(files=files, fixture_path=import_fixture_path(fixture))
        except ArticlesImportError as error:
            raise CommandError("\n".join([*error.errors, "Nothing was loaded."])) from error
        if verbosity:
            for outcome in imported:
                self.stdout.write(str(outcome))
