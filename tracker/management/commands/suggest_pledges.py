"""Print the suggested pledges of articles: one per money amount or count in their sentences."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from tracker.models import Donor
from tracker.suggest import Suggestion, decimal_text, donor_index_build, suggest_article


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="+", metavar="SLUG", help="Article slugs.")
        parser.add_argument(
            "--json", action="store_true", help="Print a JSON list, one object per suggestion."
        )

    def handle(self, *args, slugs: list[str], json: bool, **options) -> None:
        articles = {article.slug: article for article in Article.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in articles]
        if unknown:
            raise CommandError(f"No article with the slug {', '.join(map(repr, unknown))}.")
        donors = donor_index_build(Donor.objects.only("slug", "name", "name_de", "iso2", "kind"))
        suggestions = {
            slug: suggest_article(articles[slug], donors=donors) for slug in dict.fromkeys(slugs)
        }
        if json:
            self._json_write(suggestions)
        else:
            self._table_write(suggestions, articles=articles)

    def _json_write(self, suggestions: dict[str, list[Suggestion]]) -> None:
        rows = [suggestion.as_json() for listed in suggestions.values() for suggestion in listed]
        self.stdout.write(json_dumps(rows))

    def _table_write(self, suggestions: dict[str, list[Suggestion]], *, articles: dict) -> None:
        for slug, listed in suggestions.items():
            article = articles[slug]
            published = article.published_on.isoformat() if article.published_on else "no date"
            self.stdout.write(self.style.MIGRATE_HEADING(f"{article.title} ({slug}, {published})"))
            if not listed:
                self.stdout.write("  no suggestions")
            for number, suggestion in enumerate(listed):
                self.stdout.write("  " + row_format(suggestion, number=number))


def row_format(suggestion: Suggestion, *, number: int) -> str:
    """One line of the table: where, what, who, which kind, how far, when."""
    if suggestion.amount is not None:
        figure = f"{decimal_text(suggestion.amount)} {suggestion.currency}"
    else:
        figure = f"{suggestion.quantity} {suggestion.item}"
    if suggestion.qualifier != "exact":
        figure = f"{suggestion.qualifier} {figure}"
    flags = []
    if suggestion.is_aggregate:
        flags.append("aggregate")
    if suggestion.part_of_index is not None:
        flags.append(f"part of [{suggestion.part_of_index}]")
    if suggestion.period:
        flags.append(suggestion.period)
    date = suggestion.announced_on.isoformat() if suggestion.announced_on else "-"
    return (
        f"[{number}] #{suggestion.sentence_position:<3} {figure:<42} "
        f"{suggestion.donor_name or '-':<20} {suggestion.category or '-':<18} "
        f"{suggestion.stage:<9} {date:<10} {', '.join(flags)}"
    ).rstrip()


def json_dumps(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
