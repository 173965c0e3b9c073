"""What editors decided against: suggestions rejected, kept with the rules that made them.

Accepted suggestions live on as pledges (``Pledge.suggestion``); a rejected one has no pledge
to live on, so it is kept here, with the same payload (the suggested values and the name of the
rule that decided each), the editor and the reason. The article's page no longer offers it, and
the quality page counts it against the rule that found the figure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.models import Sentence


class SuggestionRejection(models.Model):
    class Reason(models.TextChoices):
        NOT_AID = "not_aid", _("not aid")
        CONVERSION = "conversion", _("conversion")
        DUPLICATE = "duplicate", _("duplicate")
        WRONG_FIGURE = "wrong_figure", _("wrong figure")
        OTHER = "other", _("other")

    # A sentence deleted with its article takes its rejections along; the history keeps them.
    sentence = models.ForeignKey(
        Sentence, on_delete=models.CASCADE, related_name="suggestion_rejections"
    )
    # The suggested figure, which says which suggestion of the sentence this is.
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    quantity = models.PositiveBigIntegerField(null=True, blank=True)
    suggestion = models.JSONField(
        help_text="The suggestion as proposed, with the rule that decided each value."
    )
    reason = models.CharField(max_length=12, choices=Reason.choices, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ("-rejected_at", "-id")
        verbose_name = "rejected suggestion"
        verbose_name_plural = "rejected suggestions"
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount__isnull=False) | models.Q(quantity__isnull=False),
                name="rejection_states_a_figure",
            ),
        )

    def __str__(self) -> str:
        parts = []
        if self.amount is not None:
            parts.append(f"{self.amount:,.0f} {self.currency}")
        if self.quantity is not None:
            parts.append(f"{self.quantity:,} {self.suggestion.get('item', '')}".strip())
        return " · ".join(parts) or f"#{self.pk}"

    @property
    def figure_rule(self) -> str:
        return (self.suggestion.get("rules") or {}).get("figure", "")
