"""The Kiel Institute's Ukraine Support Tracker, as reference data beside our pledges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.models.pledges import Donor

# Reference data: the Kiel Institute's Ukraine Support Tracker, loaded from tracker/data/kiel
# by `manage.py load_kiel` (tracker/services/kiel.py). Kept in tables of their own so that
# nothing Kiel reports can ever be added to a total of our pledges.


class KielRelease(models.Model):
    """One release of the tracker, as Kiel labels it: "Release 29 (04/2026)"."""

    number = models.PositiveSmallIntegerField(unique=True)
    period = models.CharField(max_length=7, help_text="The last month the data cover: 04/2026.")
    released_on = models.DateField(null=True, blank=True)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ("number",)
        constraints = (
            models.CheckConstraint(
                condition=Q(period__regex=r"^(0[1-9]|1[0-2])/[0-9]{4}$"),
                name="kielrelease_period_shape",
            ),
        )

    def __str__(self) -> str:
        return self.label

    @property
    def period_end(self) -> date:
        """The first day of the last month the data cover, for date formatting."""
        month, year = self.period.split("/")
        return date(int(year), int(month), 1)


class KielActivity(models.Model):
    """One aid item of Kiel's bilateral activities ("MAIN DATA" sheet), in EUR."""

    class AidType(models.TextChoices):
        MILITARY = "military", _("Military")
        FINANCIAL = "financial", _("Financial")
        HUMANITARIAN = "humanitarian", _("Humanitarian")

    class Measure(models.TextChoices):
        ALLOCATION = "allocation", _("Allocation")
        COMMITMENT = "commitment", _("Commitment")

    release = models.ForeignKey(KielRelease, on_delete=models.CASCADE, related_name="activities")
    line = models.PositiveIntegerField(help_text="The line of the CSV file the row came from.")
    donor_name = models.CharField(max_length=120, help_text="The donor as Kiel names it.")
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.SET_NULL, related_name="kiel_activities"
    )
    announced_on = models.DateField(null=True, blank=True)
    month_number = models.PositiveSmallIntegerField(
        help_text="Months counted from January 2022 = 1; 0 when Kiel does not know the month."
    )
    category = models.CharField(max_length=12, choices=AidType.choices)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    # Kiel books corrections as negative items, so none of the values is constrained to >= 0.
    value_eur = models.DecimalField(
        "value in EUR", max_digits=20, decimal_places=2, help_text="Kiel's verdi_eur."
    )
    value_eur_redistributed = models.DecimalField(
        "value in EUR, redistributed", max_digits=20, decimal_places=2
    )
    value_eur_activity = models.DecimalField(
        "value of the whole activity in EUR",
        max_digits=20,
        decimal_places=2,
        help_text="On the first row of a package only; commitments add these up.",
    )

    class Meta:
        ordering = ("release", "line")
        verbose_name_plural = "Kiel activities"
        indexes = (
            models.Index(
                fields=("release", "donor_name", "measure"), name="kielactivity_donor_idx"
            ),
        )
        constraints = (
            models.UniqueConstraint(fields=("release", "line"), name="kielactivity_line_unique"),
        )

    def __str__(self) -> str:
        return f"{self.donor_name}: {self.value_eur:,.0f} EUR ({self.measure})"


class KielMonthly(models.Model):
    """One donor and month of Kiel's data explorer, in EUR bn exactly as Kiel gives them."""

    release = models.ForeignKey(KielRelease, on_delete=models.CASCADE, related_name="monthly")
    donor_name = models.CharField(max_length=120, help_text="The donor as Kiel names it.")
    iso3 = models.CharField("ISO 3166 alpha-3 code", max_length=3, blank=True)
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.SET_NULL, related_name="kiel_monthly"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    total_eur_bn = models.DecimalField("allocations, EUR bn", max_digits=14, decimal_places=6)
    financial_eur_bn = models.DecimalField(max_digits=14, decimal_places=6)
    humanitarian_eur_bn = models.DecimalField(max_digits=14, decimal_places=6)
    military_eur_bn = models.DecimalField(max_digits=14, decimal_places=6)
    commitments_eur_bn = models.DecimalField(max_digits=14, decimal_places=6)
    to_be_allocated_eur_bn = models.DecimalField(max_digits=14, decimal_places=6)

    class Meta:
        ordering = ("release", "donor_name", "year", "month")
        verbose_name_plural = "Kiel monthly figures"
        constraints = (
            models.UniqueConstraint(
                fields=("release", "donor_name", "year", "month"), name="kielmonthly_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="kielmonthly_month_range"
            ),
        )

    def __str__(self) -> str:
        return f"{self.donor_name} {self.year}-{self.month:02d}"


class KielWeapon(models.Model):
    """Heavy weapons one donor gave, per category, with Kiel's count and EUR value."""

    release = models.ForeignKey(KielRelease, on_delete=models.CASCADE, related_name="weapons")
    donor_name = models.CharField(max_length=120, help_text="The donor as Kiel names it.")
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.SET_NULL, related_name="kiel_weapons"
    )
    category = models.CharField(max_length=60)
    count = models.PositiveIntegerField()
    value_eur = models.DecimalField("value in EUR", max_digits=20, decimal_places=2)
    items = models.TextField(blank=True, help_text="Kiel's list: “M777 howitzer (6)”.")

    class Meta:
        ordering = ("release", "donor_name", "category")
        constraints = (
            models.UniqueConstraint(
                fields=("release", "donor_name", "category"), name="kielweapon_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.donor_name}: {self.count} {self.category}"

    @property
    def value_m(self) -> Decimal:
        """The value in millions of euros, for the page."""
        return self.value_eur / 1_000_000
