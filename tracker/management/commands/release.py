"""Publish the reviewed pledges as the next numbered release, with its changelog."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tracker.selectors.releases import changelog_text
from tracker.services.releases import (
    NothingChanged,
    ReleaseRefused,
    release_draft,
    release_publish,
)


class Command(BaseCommand):
    help = (
        "Publish the reviewed pledges as release N (N-1 and the pledges it held stay as they "
        "were) and print what changed since release N-1: pledges added, changed (with the "
        "fields), merged and withdrawn. Refused when there are no reviewed pledges, and when "
        "nothing changed since N-1 unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the changelog; publish nothing."
        )
        parser.add_argument(
            "--force", action="store_true", help="Publish even if nothing changed since N-1."
        )

    def handle(self, *args, dry_run: bool, force: bool, **options):
        try:
            if dry_run:
                latest, _rows, changes = release_draft()
                number = latest.number + 1 if latest else 1
                previous = latest.number if latest else None
                self.stdout.write(f"Dry run: nothing published. Release {number} would be:\n")
                self.stdout.write(
                    changelog_text(changes.as_json(), number=number, previous=previous)
                )
                return
            release, changes = release_publish(force=force)
        except NothingChanged as error:
            raise CommandError(f"{error} No release published; --force publishes one.") from error
        except ReleaseRefused as error:
            raise CommandError(f"{error} No release published.") from error
        previous = release.number - 1 or None
        self.stdout.write(changelog_text(release.changes, number=release.number, previous=previous))
        self.stdout.write(
            f"Published release {release.number} ({release.pledges.count()} pledges): "
            f"/releases/{release.number}/"
        )
