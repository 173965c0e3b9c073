from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from articles.loading import ArticleFileError, articles_parse, fixture_records, fixture_write


class Command(BaseCommand):
    help = (
        "Turn article text files into a fixture of articles and their sentences, "
        "for `manage.py loaddata`."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures" / "articles.json",
            help="The fixture file to write (default: fixtures/articles.json).",
        )

    def handle(self, *args, files: list[Path], output: Path, verbosity: int, **options) -> None:
        # Every file is parsed before anything is written: one bad file leaves the old
        # fixture as it was.
        try:
            records = fixture_records(articles_parse(files))
        except ArticleFileError as error:
            raise CommandError(str(error)) from error
        fixture_write(output, records)
        articles = sum(record["model"] == "articles.article" for record in records)
        sentences = len(records) - articles
        if verbosity:
            self.stdout.write(
                f"Wrote {articles} article{pluralize(articles)} and "
                f"{sentences} sentence{pluralize(sentences)} to {output}."
            )
