"""Bring the ECB euro reference rates up to date and recompute the EUR values they change."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.services.rates import (
    ECB_URL,
    MAX_FILE_BYTES,
    RatesFileError,
    ecb_file_fetch,
    ecb_file_read,
    rates_update,
)


class Command(BaseCommand):
    help = (
        "Read the ECB's rate history (eurofxref-hist.zip, or the CSV inside it) from --file, "
        f"or download it from {ECB_URL}; store the rates this site does not know yet and "
        "recompute the EUR values of the pledges they change (provisional ones become final). "
        "A file that cannot be read changes nothing. Run it daily after 16:00 CET, when the "
        "ECB publishes the day's rates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", metavar="PATH", help="eurofxref-hist.zip or eurofxref-hist.csv"
        )

    def handle(self, *args, file: str | None, **options):
        try:
            if file is None:
                self.stdout.write(f"Downloading {ECB_URL} ...")
                data, name = ecb_file_fetch(), ECB_URL
            else:
                data, name = self.read(file), file
            rates = ecb_file_read(data, name=name)
        except RatesFileError as error:
            raise CommandError(f"Nothing changed. {error}") from error
        update = rates_update(rates)
        self.stdout.write(
            f"Rates added: {update.added} (the ECB history now ends on "
            f"{update.history_end.isoformat()}). Pledges recomputed: {update.recomputed}. "
            f"Still provisional: {update.provisional}; without a EUR rate: "
            f"{update.without_rate}."
        )

    @staticmethod
    def read(file: str) -> bytes:
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise RatesFileError(f"{file}: too large to be the ECB's rate history.")
            return path.read_bytes()
        except OSError as error:
            raise RatesFileError(f"{file}: cannot be read ({error.strerror}).") from error
