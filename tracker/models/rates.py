"""ECB rates stored from a newer ECB file than the bundled history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ExchangeRate(models.Model):
    """An ECB euro reference rate the bundled history lacks or states differently, from a
    newer ECB file (``manage.py update_rates``; how it is used: tracker/fx.py)."""

    currency = models.CharField(max_length=3)
    day = models.DateField()
    rate = models.DecimalField(
        max_digits=18, decimal_places=6, help_text="Units of the currency per euro."
    )

    class Meta:
        ordering = ("currency", "day")
        constraints = (
            models.UniqueConstraint(fields=("currency", "day"), name="exchangerate_unique"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
        )

    def __str__(self) -> str:
        return f"{self.currency} {self.day}: {self.rate}"
