from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from articles.evidence import EvidenceFixError, MovedSentence, evidence_check


class Command(BaseCommand):
    help = (
        "Check that every sentence a pledge cites is still its slice of the article body "
        "(body[start:end] == text); say where each one that is not went, and exit non-zero "
        "naming it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every_sentence",
            help="Check every sentence, cited or not.",
        )
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Move each sentence found exactly (its own text) to where it is now, and a "
            "sentence nobody cites to the words its old neighbours frame, in one transaction; "
            "print what changed. Approximate matches are left for an editor.",
        )

    def handle(self, *args, every_sentence: bool, fix: bool, verbosity: int, **options):
        try:
            check = evidence_check(every_sentence=every_sentence, fix=fix)
        except EvidenceFixError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            kind = "" if every_sentence else "cited "
            self.stdout.write(
                f"{check.checked} {kind}sentence{pluralize(check.checked)} checked, "
                f"{len(check.moved)} moved."
            )
        fixed = [moved for moved in check.moved if moved.fixed]
        if fixed:
            self.stdout.write(
                f"Fixed {len(fixed)} sentence{pluralize(fixed)}:\n"
                + "\n".join(str(moved) for moved in fixed)
            )
        unresolved = check.unresolved
        if unresolved:
            raise CommandError(
                f"{len(unresolved)} sentence{pluralize(unresolved)} no longer "
                f"match{pluralize(unresolved, 'es,')} their article's text:\n"
                + "\n".join(_described(moved, fix=fix) for moved in unresolved)
            )


def _described(moved: MovedSentence, *, fix: bool) -> str:
    if fix and moved.why_not_fixed:
        return f"{moved}; not fixed: {moved.why_not_fixed}"
    return str(moved)
