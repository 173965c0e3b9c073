from __future__ import annotations

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Pledges"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

        from articles.models import Article, Sentence
        from tracker.cache import data_changed_receiver
        from tracker.models import (
            Category,
            Donor,
            ExchangeRate,
            KielActivity,
            KielMonthly,
            KielRelease,
            KielWeapon,
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

        # Every model the cached figures read gives the data a new version when saved or
        # deleted one by one (fixtures' raw saves too). The tables written only in bulk
        # (roll-up, Kiel's rows) get no delete receiver, which would make Django fetch every
        # row of a queryset's delete() to signal it: their services call data_changed.
        # A migration may change data, or what the cached values are made of.
        one_by_one = (
            Pledge,
            PledgeReviewQueue,
            Donor,
            Category,
            ExchangeRate,
            KielRelease,
            Article,
            Sentence,
        )
        in_bulk = (PledgeRollup, PledgeSummary, KielActivity, KielMonthly, KielWeapon)
        for read in (*one_by_one, *in_bulk):
            name = read._meta.label_lower
            post_save.connect(data_changed_receiver, read, dispatch_uid=f"{name}-saved-version")
        for read in one_by_one:
            name = read._meta.label_lower
            post_delete.connect(data_changed_receiver, read, dispatch_uid=f"{name}-gone-version")
        post_migrate.connect(data_changed_receiver, self, dispatch_uid="migrated-version")
