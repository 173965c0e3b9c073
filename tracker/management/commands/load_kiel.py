"""Load the Kiel Institute's Ukraine Support Tracker data, replacing what was loaded before."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.services.kiel import DATA_DIRECTORY, KielDataError, kiel_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=DATA_DIRECTORY,
            help="Folder with the Kiel CSV files (default: the copy in tracker/data/kiel).",
        )

    def handle(self, *args, path: Path, **options):
        try:
            loaded = kiel_load(directory=path)
        except KielDataError as error:
            raise CommandError(f"Nothing loaded. {error}") from error
        self.stdout.write(f"Loaded the Kiel Ukraine Support Tracker data from {path}:")
        for file, info in loaded["files"].items():
            rows = f"{info['rows']:,} row" + ("" if info["rows"] == 1 else "s")
            self.stdout.write(f"  {file}: {rows}, {info['release']}")
        unmapped = loaded["unmapped_donors"]
        if unmapped:
            self.stdout.write(
                f"Kiel donors matching none of ours (kept, shown unlinked): {', '.join(unmapped)}"
            )
