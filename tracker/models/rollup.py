"""The roll-up: pledges added up in advance, per cell of what totals filter and group by."""

from __future__ import annotations

from django.db import models

from tracker.models.pledges import Category, Donor, Pledge


class PledgeSums(models.Model):
    """Pledges added up in advance: the sums of one cell of what totals filter and group by.

    The totals of a table over a million pledges would otherwise read every matching pledge on
    every request. Two tables keep these sums (tracker/services/rollup.py): ``PledgeRollup``
    per donor and category too, ``PledgeSummary`` without them, so far fewer rows. Their fields
    carry the pledge's names, so the same filters, groupings and sums apply to either table and
    to the pledges.

    Kept exact on every save and delete of a pledge, in the same transaction, by adding the
    difference; rebuilt from the pledges after bulk loads (``manage.py rollup --rebuild``).
    Two rows may describe the same cell (two editors adding its first pledge at once): that is
    harmless, as every reader sums the rows. So one row alone may even hold a negative count;
    only the sum over a cell's rows is the count of its pledges.
    """

    class Value(models.TextChoices):
        EUR = "eur", "with a EUR value"
        PROVISIONAL = "provisional", "with a EUR value at a provisional rate"
        IN_KIND = "in_kind", "in kind, without an amount"
        NO_DATE = "no_date", "an amount without a date to take the rate of"
        NO_RATE = "no_rate", "an amount dated, but without a EUR rate"

    stage = models.CharField(max_length=10, choices=Pledge.Stage.choices)
    currency = models.CharField(max_length=3, blank=True)
    review_status = models.CharField(max_length=8, choices=Pledge.Review.choices)
    #: the first day of the month the pledges were announced in; empty when undated
    announced_on = models.DateField(null=True)
    #: neither part of another pledge nor a reported aggregate: added to totals
    standalone = models.BooleanField()
    value = models.CharField(max_length=11, choices=Value.choices)
    pledges = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=28, decimal_places=2, default=0)
    amount_eur = models.DecimalField(max_digits=28, decimal_places=2, default=0)
    #: the sum of the items given in kind; empty for pledges without a quantity, so that
    #: ``quantity__isnull`` selects the same pledges here as on the pledge table
    quantity = models.BigIntegerField(null=True)

    class Meta:
        abstract = True


class PledgeRollup(PledgeSums):
    """The sums per donor, category, stage, currency, review status, month and kind of value.

    What a page reads when its filters or groupings name a donor or a category (a few thousand
    rows for one donor, 124k for a million pledges).
    """

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = (
            models.Index(fields=("donor", "announced_on"), name="rollup_donor_month_idx"),
            # Totals over a date range without a donor (with a category, say): a year of a
            # million pledges' roll-up is 30k of its 124k rows, scattered over every page of
            # the table, which keeps each donor's rows together. This index holds every
            # column the totals read, so PostgreSQL adds them up from it alone (an index-only
            # scan): 16 ms where reading the table took 36.
            models.Index(
                fields=(
                    "announced_on",
                    "category",
                    "stage",
                    "currency",
                    "review_status",
                    "standalone",
                    "value",
                    "pledges",
                    "amount",
                    "amount_eur",
                    "quantity",
                ),
                name="rollup_month_idx",
            ),
        )

    def __str__(self) -> str:
        return f"{self.pledges} pledges of {self.donor_id} in {self.announced_on}"


class PledgeSummary(PledgeSums):
    """The same sums without donor and category: per stage, currency, review status, month and
    kind of value.

    What the unfiltered table and dashboard read, and any filters but donor and category
    (7k rows for a million pledges, where the roll-up has 124k).
    """

    class Meta:
        verbose_name_plural = "pledge summaries"
        indexes = (models.Index(fields=("announced_on",), name="summary_month_idx"),)

    def __str__(self) -> str:
        return f"{self.pledges} pledges in {self.announced_on}"
