"""Check the roll-up of the totals and its summary against the pledges, or add them up afresh."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tracker.services.rollup import rollup_differences, rollup_rebuild


class Command(BaseCommand):
    help = (
        "Compare the roll-up the totals read (tracker_pledgerollup, and its summary without "
        "donor and category, tracker_pledgesummary) with the pledges (--check, the default), "
        "or replace both with tables added up from the pledges (--rebuild): after writing "
        "pledges past Pledge.save(), e.g. by SQL."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--check", action="store_true", help="the default")
        action.add_argument("--rebuild", action="store_true")

    def handle(self, *args, check, rebuild, **options):
        if rebuild:
            rows, summary_rows = rollup_rebuild()
            self.stdout.write(
                f"Rebuilt the roll-up: {rows:,} rows; its summary: {summary_rows:,} rows."
            )
            return
        differences = rollup_differences()
        if differences:
            for difference in differences[:20]:
                self.stderr.write(
                    f"{difference['table']} {difference['cell']}: pledges give "
                    f"{difference['expected']}, the table {difference['found']}"
                )
            raise CommandError(
                f"The roll-up differs from the pledges in {len(differences):,} cells; "
                "run `manage.py rollup --rebuild`."
            )
        self.stdout.write("The roll-up matches the pledges.")
