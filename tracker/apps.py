from __future__ import annotations

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Pledges"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from tracker.models import (
            Donor,
            Pledge,
            PledgeReviewQueue,
            PledgeRollup,
            PledgeSummary,
        )
        from tracker.selectors.search import donor_renamed
        from tracker.services import rollup

        post_save.connect(donor_renamed, sender=Donor, dispatch_uid="donor-search-words")
        # The roll-up follows every pledge written one by one, fixtures included (raw saves).
        # Signals name the class saved, so the review queue's proxy is connected too.
        for model in (Pledge, PledgeReviewQueue):
            name = model._meta.model_name
            pre_save.connect(rollup.pledge_before_save, model, dispatch_uid=f"{name}-rollup-a")
            post_save.connect(rollup.pledge_saved, model, dispatch_uid=f"{name}-rollup-b")
            post_delete.connect(rollup.pledge_deleted, model, dispatch_uid=f"{name}-rollup-c")
        pre_save.connect(rollup.rollup_row_loaded, PledgeRollup, dispatch_uid="rollup-loaded")
        pre_save.connect(rollup.rollup_row_loaded, PledgeSummary, dispatch_uid="summary-loaded")
