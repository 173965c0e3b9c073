"""Numbered data releases: the reviewed pledges as they stood on a day, kept for good.

A release is a ``Release`` row and one ``ReleasedPledge`` row per pledge, holding the values of
the CSV export's columns (tracker/selectors/export.py), so its files, table and totals read the
same whatever happens to the live pledges later. Neither is ever changed or deleted: ``save``
refuses an existing row, ``delete`` refuses any, and so do the querysets' bulk writes.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext


class ReleaseImmutable(Exception):
    """A published release, or one of its rows, cannot be changed or deleted."""


def refuse_change() -> ReleaseImmutable:
    return ReleaseImmutable(gettext("A published release is never changed nor deleted."))


class ImmutableQuerySet(models.QuerySet):
    """Bulk writes that would change published rows are refused like single ones."""

    def update(self, **kwargs: Any) -> int:
        raise refuse_change()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise refuse_change()


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise refuse_change()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise refuse_change()


class Release(ImmutableModel):
    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField()
    #: What changed since the release before (services/releases.py, ``Changelog``): the ids
    #: added, changed (with each field's old and new value), merged (into which) and withdrawn.
    #: Kept as published: the merges are read from the live history, which may not last.
    changes = models.JSONField(default=dict)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ("-number",)

    def __str__(self) -> str:
        return gettext("Release %(number)s") % {"number": self.number}


class ReleasedPledge(ImmutableModel):
    """One pledge of a release, as its CSV row. The names are the CSV's columns, except
    ``pledge_id`` (the CSV's ``id``) and ``part_of`` (its ``part_of_id``): named as the pledge's
    own fields, so the table's filters and the totals read a release as they read pledges."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="pledges")
    pledge_id = models.PositiveIntegerField()
    donor = models.CharField(max_length=120)
    donor_iso2 = models.CharField(max_length=2, blank=True)
    recipient = models.CharField(max_length=120)
    category = models.CharField(max_length=80)
    subcategory = models.CharField(max_length=80, blank=True)
    stage = models.CharField(max_length=10)
    qualifier = models.CharField(max_length=8)
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    currency = models.CharField(max_length=3, blank=True)
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    fx_rate = models.DecimalField(max_digits=18, decimal_places=6, null=True)
    fx_date = models.DateField(null=True)
    quantity = models.PositiveBigIntegerField(null=True)
    item = models.CharField(max_length=200, blank=True)
    announced_on = models.DateField(null=True)
    date_precision = models.CharField(max_length=5)
    part_of = models.PositiveIntegerField(null=True)
    is_aggregate = models.BooleanField()
    article_slug = models.CharField(max_length=200)
    article_title = models.TextField(blank=True)
    article_url = models.TextField(blank=True)
    published_on = models.DateField(null=True)
    sentence_position = models.PositiveIntegerField()
    sentence_text = models.TextField()
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    fx_provisional = models.BooleanField()
    category_label = models.CharField(max_length=120)
    subcategory_label = models.CharField(max_length=120, blank=True)
    # Not in the CSV: what the table shows and filters on besides.
    donor_slug = models.CharField(max_length=80)
    donor_name_de = models.CharField(max_length=120, blank=True)
    category_label_de = models.CharField(max_length=120, blank=True)
    subcategory_label_de = models.CharField(max_length=120, blank=True)
    period = models.CharField(max_length=60, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    search_text = models.TextField(blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ("-announced_on", "-pledge_id")
        constraints = (
            models.UniqueConstraint(fields=("release", "pledge_id"), name="released_pledge_once"),
        )
        indexes = (models.Index(fields=("release", "announced_on"), name="released_date_idx"),)

    def __str__(self) -> str:
        return f"#{self.pledge_id} ({self.release})"
