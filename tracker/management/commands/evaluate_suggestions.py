"""Score the suggestions against the pledges editors recorded: precision, recall, accuracy.

Without arguments every loaded article counts; with slugs, those articles. ``--extra`` also
scores the hand-annotated articles of fixtures/suggest_eval/ (read from their files, not from
the database). ``--set`` scores the file sets instead (legacy, tuning, heldout or all of them),
one table per set with a column per article language; ``--json`` prints the tables as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator

from articles.models import Article, Sentence
from tracker.models import Donor, Pledge
from tracker.suggest import decimal_text, donor_index_build, suggest_article
from tracker.suggest.evaluation import (
    ATTRIBUTES,
    EVAL_SETS,
    EXTRA_DIR,
    Score,
    extra_load,
    extra_suggest,
    gold_from_pledges,
    languages_score,
    score_table,
    suggestions_score,
)

LANGUAGES = ("de", "en", "all")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Article slugs.")
        parser.add_argument(
            "--extra",
            action="store_true",
            help="Also score the hand-annotated articles of fixtures/suggest_eval/.",
        )
        parser.add_argument(
            "--extra-only", action="store_true", help="Score only the hand-annotated articles."
        )
        parser.add_argument(
            "--extra-dir", type=Path, default=EXTRA_DIR, help="Where the extra articles are."
        )
        parser.add_argument(
            "--set",
            dest="eval_set",
            choices=[*EVAL_SETS, "all"],
            help="Score only this set of annotated files (all: every set that exists).",
        )
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="With --set: print the tables as JSON.",
        )

    def handle(
        self, *args, slugs, extra, extra_only, extra_dir, eval_set, as_json, verbosity, **options
    ) -> None:
        donors = donor_index_build(Donor.objects.only("slug", "name", "name_de", "iso2", "kind"))
        if eval_set:
            self._sets_report(eval_set, donors=donors, as_json=as_json)
            return
        if as_json:
            raise CommandError("--json needs --set.")
        if not extra_only:
            articles = Article.objects.all()
            if slugs:
                articles = articles.filter(slug__in=slugs)
                unknown = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
                if unknown:
                    raise CommandError(f"No article with the slug {', '.join(unknown)}.")
            suggestions = {
                article.slug: suggest_article(article, donors=donors) for article in articles
            }
            pledges = Pledge.objects.select_related(
                "sentence__article", "donor", "category"
            ).prefetch_related("evidence__article")
            gold = gold_from_pledges(pledges, articles=set(suggestions))
            texts = {
                (sentence.article.slug, sentence.position): sentence.text
                for sentence in Sentence.objects.filter(
                    article__slug__in=list(suggestions)
                ).select_related("article")
            }
            label = f"Loaded articles ({len(suggestions)} articles, {len(gold)} pledges)"
            self._report(label, suggestions_score(suggestions, gold), texts, verbosity=verbosity)
        if extra or extra_only:
            try:
                extra_set = extra_load(extra_dir)
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(
                    f"Cannot read the extra articles in {extra_dir}: {error}"
                ) from error
            suggestions = extra_suggest(extra_set, donors=donors)
            texts = {
                (slug, position): segment.text
                for slug, parsed in extra_set.articles
                for position, segment in enumerate(parsed.sentences, start=1)
            }
            label = (
                f"Extra articles in {extra_dir.name}/ ({len(extra_set.articles)} articles, "
                f"{len(extra_set.gold)} pledges)"
            )
            score = suggestions_score(suggestions, extra_set.gold)
            self._report(label, score, texts, verbosity=verbosity)

    def _sets_report(self, eval_set: str, *, donors, as_json: bool) -> None:
        names = list(EVAL_SETS) if eval_set == "all" else [eval_set]
        tables = {}
        for name in names:
            directory = EVAL_SETS[name]
            if not (directory / "pledges.json").exists():
                if eval_set != "all":
                    raise CommandError(f"The {name} set has no pledges.json in {directory}.")
                continue
            try:
                loaded = extra_load(directory)
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"Cannot read the {name} set in {directory}: {error}") from error
            scores = languages_score(
                extra_suggest(loaded, donors=donors), loaded.gold, languages=loaded.languages
            )
            tables[name] = {
                "articles": {
                    language: sum(
                        1 for spoken in loaded.languages.values() if language in ("all", spoken)
                    )
                    for language in LANGUAGES
                },
                "pledges": len(loaded.gold),
                "scores": {language: score_table(scores[language]) for language in LANGUAGES},
            }
        if as_json:
            self.stdout.write(json.dumps(tables, indent=2))
            return
        for name, table in tables.items():
            self.stdout.write("\n".join(sets_table_lines(name, table)))

    def _report(self, label: str, score: Score, texts: dict, *, verbosity: int) -> None:
        write = self.stdout.write
        write(self.style.MIGRATE_HEADING(label))
        for name, tally in (("amount+currency", score.amount), ("quantity", score.quantity)):
            write(
                f"  {name:<16} precision {tally.precision:.2f} ({tally.correct}/{tally.suggested})"
                f"  recall {tally.recall:.2f} ({tally.found}/{tally.cited})"
            )
        accuracies = ", ".join(
            "{} {}/{}".format(name, *score.attributes.get(name, [0, 0])) for name in ATTRIBUTES
        )
        write(f"  on the {len(score.matches)} matches: {accuracies}")
        if verbosity < 1:
            return
        write(f"  misses ({len(score.misses)}):")
        for kind, gold, citation in score.misses:
            figure = (
                f"{decimal_text(gold.amount)} {gold.currency}"
                if kind == "amount"
                else f"{gold.quantity}"
            )
            write(f"    {gold.key} {_where(citation)}: {figure} — {_excerpt(texts, citation)}")
        write(f"  noise ({len(score.noise)}):")
        for _kind, suggestion in score.noise:
            citation = (suggestion.article, suggestion.sentence_position)
            write(f"    {_where(citation)}: {suggestion.evidence!r} — {_excerpt(texts, citation)}")
        write(f"  wrong attributes on matches ({len(score.wrong)}):")
        for name, match, got, expected in score.wrong:
            write(
                f"    {match.gold.key} {_where(match.citation)} {name}: "
                f"suggested {got!r}, recorded {expected!r}"
            )


# Wide enough for "0.87 (1022/1173)" and a space before it.
_CELL = 18


def sets_table_lines(name: str, table: dict) -> list[str]:
    """One evaluation set as a fixed-width table: a row per measure, a column per language."""
    articles = table["articles"]
    lines = [
        f"{name}: {articles['all']} articles ({articles['de']} de, {articles['en']} en), "
        f"{table['pledges']} pledges",
        f"  {'':<24}" + "".join(f"{language:>{_CELL}}" for language in LANGUAGES),
    ]
    scores = table["scores"]

    def row(label: str, cell) -> None:
        lines.append(
            f"  {label:<24}" + "".join(f"{cell(scores[lang]):>{_CELL}}" for lang in LANGUAGES)
        )

    for kind in ("money", "quantity"):
        for measure, (part, whole) in (
            ("precision", ("correct", "suggested")),
            ("recall", ("found", "cited")),
        ):
            row(
                f"{kind} {measure}",
                lambda s, k=kind, m=measure, p=part, w=whole: (
                    f"{s[k][m]:.2f} ({s[k][p]}/{s[k][w]})"
                ),
            )
    row("matched figures", lambda s: str(s["matches"]))
    for attribute in ATTRIBUTES:
        label = {"part_of": "part-of found", "stage_aggregate": "stage+aggregate"}.get(
            attribute, attribute.replace("_", " ")
        )
        row(
            label,
            lambda s, a=attribute: f"{s[a]['accuracy']:.2f} ({s[a]['correct']}/{s[a]['total']})",
        )
    row("part-of spurious links", lambda s: str(s["part_of_spurious"]))
    for kind, label in (("amount", "money"), ("quantity", "quantity")):
        row(f"missed {label}", lambda s, k=kind: str(s["misses"][k]))
        row(f"noise {label}", lambda s, k=kind: str(s["noise"][k]))
    return [*lines, ""]


def _where(citation: tuple[str, int]) -> str:
    slug, position = citation
    return f"{Truncator(slug).chars(40)}#{position}"


def _excerpt(texts: dict, citation: tuple[str, int]) -> str:
    return Truncator(" ".join(texts.get(citation, "").split())).chars(110)
