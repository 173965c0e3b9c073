"""Fill the database with a synthetic corpus: articles, sentences and pledges shaped like Kiel's."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.corpus import CorpusError, CorpusStats, corpus_generate, corpus_purge


class Command(BaseCommand):
    help = (
        "Write N synthetic pledges, in articles (German and English) whose sentences state them, "
        "with the donors, categories, stages, amounts and dates of the Kiel Institute's data, "
        "for benchmarks at scale. Bulk inserts (COPY on PostgreSQL), so the pledges' history "
        "tables (django-simple-history) are not filled: bulk data is not an editor's history. "
        "Refused when the database holds more than the seed fixtures, unless --append. "
        "The same --seed gives the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pledges", type=int, help="How many pledges to write.")
        parser.add_argument(
            "--articles", type=int, help="How many articles to spread them over (default N/20)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that holds more than the seed data.",
        )
        parser.add_argument(
            "--purge",
            action="store_true",
            help="First delete what the generator made before (articles with slugs corpus-..., "
            "their sentences and pledges); alone, only that.",
        )

    def handle(self, *args, pledges, articles, seed, append, purge, **options):
        if pledges is None and not purge:
            raise CommandError("Give --pledges N, or --purge to delete an earlier corpus.")
        try:
            if purge:
                self.summary("Deleted", corpus_purge(progress=self.progress))
            if pledges is not None:
                database = f"{connection.vendor} database {connection.settings_dict['NAME']}"
                self.progress(f"Generating {pledges:,} pledges (seed {seed}) in {database} ...")
                stats = corpus_generate(
                    pledges=pledges,
                    articles=articles,
                    seed=seed,
                    append=append,
                    progress=self.progress,
                )
                self.summary("Wrote", stats)
        except CorpusError as error:
            raise CommandError(str(error)) from error

    def progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def summary(self, verb: str, stats: CorpusStats) -> None:
        self.stdout.write(
            f"{verb} {stats.articles:,} articles, {stats.sentences:,} sentences, "
            f"{stats.pledges:,} pledges and {stats.evidence:,} further-evidence links: "
            f"{stats.rows:,} rows in {stats.seconds:.1f} s ({stats.rows_per_second:,.0f} rows/s)."
        )
