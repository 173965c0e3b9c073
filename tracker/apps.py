from __future__ import annotations

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Pledges"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tracker.models import Donor
        from tracker.services.search import donor_renamed

        post_save.connect(donor_renamed, sender=Donor, dispatch_uid="donor-search-words")
