from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from articles.models import Sentence, sentence_describe


class Command(BaseCommand):
    help = (
        "Check that every sentence a pledge cites is still its slice of the article body "
        "(body[start:end] == text); exit non-zero naming each one that is not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every_sentence",
            help="Check every sentence, cited or not.",
        )

    def handle(self, *args, every_sentence: bool, verbosity: int, **options):
        sentences = Sentence.objects.all() if every_sentence else Sentence.objects.cited()
        checked = sentences.count()
        moved = list(
            sentences.moved().select_related("article").order_by("article__slug", "position")
        )
        if verbosity:
            kind = "" if every_sentence else "cited "
            self.stdout.write(
                f"{checked} {kind}sentence{pluralize(checked)} checked, {len(moved)} moved."
            )
        if moved:
            raise CommandError(
                f"{len(moved)} sentence{pluralize(moved)} no longer match{pluralize(moved, 'es,')} "
                "their article's text:\n"
                + "\n".join(
                    f"{s.article.slug} {sentence_describe(sentence=s, found=s.found)}"
                    for s in moved
                )
            )
