"""Recompute every pledge's EUR amount, rate and rate date from the known ECB history (the
bundled one and the rates update_rates stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from tracker.fx import EcbHistory, pledge_convert_to_eur
from tracker.models import Pledge
from tracker.services.rates import CONVERSION_FIELDS as FIELDS
from tracker.services.rollup import rollup_rebuild


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        changed = without_rate = 0
        with transaction.atomic():
            history = EcbHistory.load()
            pledges = Pledge.objects.select_for_update().only(
                "amount", "currency", "announced_on", *FIELDS
            )
            for pledge in pledges.iterator(chunk_size=2000):
                before = tuple(getattr(pledge, name) for name in FIELDS)
                pledge_convert_to_eur(pledge, history=history)
                if pledge.amount is not None and pledge.amount_eur is None:
                    without_rate += 1
                if tuple(getattr(pledge, name) for name in FIELDS) != before:
                    Pledge.objects.filter(pk=pledge.pk).update(
                        **{name: getattr(pledge, name) for name in FIELDS}
                    )
                    changed += 1
            # The updates went past Pledge.save(), so the roll-up is added up afresh.
            rollup_rebuild()
        self.stdout.write(
            f"Recomputed EUR values: {changed} changed, {without_rate} without an ECB rate."
        )
