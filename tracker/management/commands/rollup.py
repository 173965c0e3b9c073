"""Check the roll-up of the totals against the pledges, or add it up afresh."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tracker.services.rollup import rollup_differences, rollup_rebuild


class Command(BaseCommand):
    help = (
        "Compare the roll-up the totals read (tracker_pledgerollup) with the pledges "
        "(--check, the default), or replace it with one added up from the pledges (--rebuild): "
        "after writing pledges past Pledge.save(), e.g. by SQL."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--check", action="store_true", help="the default")
        action.add_argument("--rebuild", action="store_true")

    def handle(self, *args, check, rebuild, **options):
        if rebuild:
            cells = rollup_rebuild()
            self.stdout.write(f"Rebuilt the roll-up: {cells:,} rows.")
            return
        differences = rollup_differences()
        if differences:
            for difference in differences[:20]:
                self.stderr.write(
                    f"{difference['cell']}: pledges give {difference['expected']}, "
                    f"the roll-up {difference['found']}"
                )
            raise CommandError(
                f"The roll-up differs from the pledges in {len(differences):,} cells; "
                "run `manage.py rollup --rebuild`."
            )
        self.stdout.write("The roll-up matches the pledges.")
