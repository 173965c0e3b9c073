from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import (
    IMPORT_FIXTURE_NAME,
    ArticlesImportError,
    ImportStatus,
    articles_import,
    import_fixture_path,
)
from articles.loading import header_date
from articles.sources import PastedText, articles_read

_OPENING = 160


class Command(BaseCommand):
    help = (
        "Read articles from text files (.txt, with or without a header block), saved web pages "
        "(.html), web addresses (--url) or a text with its title (--text, --title), split them "
        "into sentences, append them to a fixture under fixtures/ and load them: all or none, "
        "and an article already loaded changes nothing. --dry-run shows what would be loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, metavar="PATH")
        parser.add_argument(
            "--url", action="append", default=[], metavar="URL", help="A web page to fetch."
        )
        parser.add_argument(
            "--text", metavar="FILE", help="An article's text as it is (no header); - for stdin."
        )
        parser.add_argument("--title", default="", help="The title of the --text article.")
        parser.add_argument("--publisher", default="", help="Its publisher.")
        parser.add_argument("--language", default="", choices=["", "de", "en"])
        parser.add_argument("--published", default="", metavar="YYYY-MM-DD")
        parser.add_argument("--source-url", default="", metavar="URL", help="Its web address.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be loaded; change nothing."
        )
        parser.add_argument(
            "--fixture",
            metavar="NAME",
            help=(
                f"The fixture to append to: a name under fixtures/ (default: "
                f"{IMPORT_FIXTURE_NAME}), or a path to a .json file."
            ),
        )

    def handle(self, *args, files: list[Path], url: list[str], dry_run: bool, **options):
        texts = self._pasted(options)
        if not (files or url or texts):
            raise CommandError("Give files, --url or --text.")
        named, errors = articles_read(files=files, urls=url, texts=texts)
        try:
            if errors:
                raise ArticlesImportError(errors)
            imported = articles_import(
                articles=named,
                fixture_path=import_fixture_path(options["fixture"]),
                dry_run=dry_run,
            )
        except ArticlesImportError as error:
            raise CommandError("\n".join([*error.errors, "Nothing was loaded."])) from error
        if dry_run:
            for (name, article), outcome in zip(named, imported, strict=True):
                self._preview(name, article, outcome)
            self.stdout.write("Dry run: nothing was loaded.")
        elif options["verbosity"]:
            for outcome in imported:
                self.stdout.write(str(outcome))

    def _pasted(self, options) -> list[PastedText]:
        if options["text"] is None:
            if options["title"]:
                raise CommandError("--title goes with --text.")
            return []
        try:
            if options["text"] == "-":
                raw = sys.stdin.buffer.read()
            else:
                raw = Path(options["text"]).read_bytes()
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except OSError as error:
            raise CommandError(f"{options['text']}: cannot be read ({error.strerror}).") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{options['text']}: not valid UTF-8; save it as UTF-8.") from error
        try:
            published_on = header_date(options["published"]) if options["published"] else None
        except ValueError as error:
            raise CommandError(f"--published: {error}") from error
        return [
            PastedText(
                text=text,
                title=options["title"],
                url=options["source_url"],
                publisher=options["publisher"],
                language=options["language"],
                published_on=published_on,
            )
        ]

    def _preview(self, name, article, outcome) -> None:
        status = {
            ImportStatus.LOADED: "new",
            ImportStatus.RELOADED: f"replaces the text of {outcome.slug}",
            ImportStatus.ALREADY_LOADED: f"already loaded as {outcome.slug}",
        }[outcome.status]
        opening = " ".join(article.body.split())
        if len(opening) > _OPENING:
            opening = opening[:_OPENING].rsplit(" ", 1)[0] + " …"
        published = article.published_on.isoformat() if article.published_on else "unknown"
        self.stdout.write(
            f"{name} ({status})\n"
            f"  title:     {article.title}\n"
            f"  publisher: {article.publisher or '–'}\n"
            f"  language:  {article.language}\n"
            f"  published: {published}\n"
            f"  url:       {article.url or '–'}\n"
            f"  sentences: {len(article.sentences)}\n"
            f"  text:      {opening}\n"
        )
