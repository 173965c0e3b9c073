"""Our pledges per donor beside the Kiel Institute's allocations and commitments, like with like.

Two measures over one period, per donor:

- *allocations*: our pledges at the stages allocated and delivered, beside Kiel's allocations
  (aid earmarked for specific items);
- *commitments*: our pledges at the stages pledged, allocated and delivered (all we have as
  promised, as Kiel's commitments include what is allocated since), beside Kiel's commitments.

The period is the span of the months our counted pledges were announced in, clipped to the
months Kiel's activities cover (January 2022 to the release's last month). Kiel's activities
whose month Kiel does not know cannot be placed in it and are left out; the page says how much.

What the Kiel figures are and how they are loaded: tracker/services/kiel.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import QueryDict
from django.utils.translation import gettext

from tracker.cache import cached, lazily
from tracker.charts import chart_paired_bars
from tracker.charts.shapes import PairedBarChart
from tracker.models import (
    Donor,
    KielActivity,
    KielMonthly,
    KielRelease,
    KielWeapon,
    Pledge,
    PledgeRollup,
    PledgeSummary,
)
from tracker.selectors.totals import Totals, pledge_totals

MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)
#: Kiel counts months from January 2022 = 1 (``KielActivity.month_number``).
KIEL_FIRST_MONTH = date(2022, 1, 1)
ALLOCATED_STAGES = (Pledge.Stage.ALLOCATED, Pledge.Stage.DELIVERED)
COMMITTED_STAGES = (Pledge.Stage.PLEDGED, *ALLOCATED_STAGES)


def kiel_month_number(day: date) -> int:
    return (day.year - KIEL_FIRST_MONTH.year) * 12 + day.month


@dataclass(frozen=True)
class Period:
    """The months compared: ``first`` and ``last`` are the first days of the first and last."""

    first: date
    last: date
    #: Kiel's coverage: January 2022 to the last month of the release
    coverage_first: date
    coverage_last: date
    #: the span of our pledges' months before clipping; None when none of them is dated
    ours_first: date | None
    ours_last: date | None

    @property
    def empty(self) -> bool:
        """Our pledges all lie outside Kiel's coverage: nothing to compare."""
        return self.first > self.last

    @property
    def clipped(self) -> bool:
        return (self.ours_first, self.ours_last) != (self.first, self.last)

    @property
    def months(self) -> tuple[int, int]:
        """The period in Kiel's month numbers."""
        return kiel_month_number(self.first), kiel_month_number(self.last)


@dataclass(frozen=True)
class Measure:
    """One measure of one donor: ours beside Kiel's, each None when there is no figure."""

    ours_eur: Decimal | None
    kiel_eur: Decimal | None

    @property
    def compared(self) -> bool:
        return self.ours_eur is not None and self.kiel_eur is not None

    @property
    def gap_eur(self) -> Decimal | None:
        """Ours minus Kiel's: negative when Kiel counts more. Only when both have a figure."""
        if self.ours_eur is None or self.kiel_eur is None:
            return None
        return self.ours_eur - self.kiel_eur

    @property
    def gap_percent(self) -> Decimal | None:
        if self.gap_eur is None or not self.kiel_eur:
            return None
        return self.gap_eur / self.kiel_eur * 100

    # Millions, for the page.
    @property
    def ours_m(self) -> Decimal | None:
        return _millions(self.ours_eur)

    @property
    def kiel_m(self) -> Decimal | None:
        return _millions(self.kiel_eur)

    @property
    def gap_m(self) -> Decimal | None:
        return _millions(self.gap_eur)


@dataclass(frozen=True)
class KielComparisonRow:
    """One donor over the period: our totals (None when we have no pledge at those stages)
    and Kiel's sums (None when Kiel lists no activity of the kind in the period)."""

    donor: Donor | None
    kiel_name: str
    ours_allocated: Totals | None
    ours_committed: Totals | None
    kiel_allocations_eur: Decimal | None
    kiel_commitments_eur: Decimal | None
    #: Kiel's allocations of the donor whose month Kiel does not know: not in the period
    kiel_undated_eur: Decimal = Decimal(0)
    #: whether Kiel lists the donor at all, in any month
    in_kiel: bool = True

    @property
    def name(self) -> str:
        return self.donor.local_name if self.donor else self.kiel_name

    @property
    def allocations(self) -> Measure:
        return Measure(_figure(self.ours_allocated), self.kiel_allocations_eur)

    @property
    def commitments(self) -> Measure:
        return Measure(_figure(self.ours_committed), self.kiel_commitments_eur)


def _figure(totals: Totals | None) -> Decimal | None:
    """Our figure: the EUR sum, when at least one pledge has a EUR value."""
    return totals.amount_eur if totals and totals.valued else None


def _millions(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / MILLION


@dataclass(frozen=True)
class KielComparison:
    #: every release loaded, for the credit line
    releases: tuple[KielRelease, ...] = ()
    #: the release Kiel's figures per activity come from
    release: KielRelease | None = None
    period: Period | None = None
    rows: tuple[KielComparisonRow, ...] = ()
    #: Kiel's allocations whose month Kiel does not know, all donors: left out of the period
    kiel_undated_eur: Decimal = Decimal(0)

    @property
    def loaded(self) -> bool:
        return bool(self.releases)

    @property
    def kiel_undated_m(self) -> Decimal:
        return self.kiel_undated_eur / MILLION

    def row_of(self, donor: Donor) -> KielComparisonRow | None:
        return next((row for row in self.rows if row.donor and row.donor.pk == donor.pk), None)


def kiel_comparison(*, include_proposed: bool = False) -> KielComparison:
    """Per donor, ours beside Kiel's over one period (``kiel_compare``), cached until the
    data change (``tracker.cache``)."""
    return cached(
        "kiel-comparison",
        (include_proposed,),
        lambda: kiel_compare(include_proposed=include_proposed),
    )


def kiel_compare(*, include_proposed: bool = False) -> KielComparison:
    """Per donor, our allocated and committed totals beside Kiel's allocations and
    commitments over the same months, largest Kiel allocations first.

    ``include_proposed`` adds proposals to our committed figures. Donors only we have (in
    the period) and Kiel's donors we do not know both get a row. Six queries whatever the
    number of donors; one when the Kiel data are not loaded.
    """
    releases = tuple(
        KielRelease.objects.annotate(
            has_activities=Exists(KielActivity.objects.filter(release=OuterRef("pk")))
        )
    )
    if not releases:
        return KielComparison()
    # A load keeps one release of activities; should there ever be two, the latest speaks.
    release = max(
        (release for release in releases if release.has_activities),
        key=lambda release: release.number,
        default=None,
    )
    if release is None:
        return KielComparison(releases=releases)
    period = _period(release)
    first_month, last_month = period.months
    in_period = Q(month_number__gte=max(first_month, 1), month_number__lte=last_month)
    allocation = Q(measure=KielActivity.Measure.ALLOCATION)
    kiel_rows = (
        KielActivity.objects.filter(release=release)
        .order_by()
        .values("donor_name", "donor__slug")
        .annotate(
            allocations=Sum("value_eur", filter=allocation & in_period),
            allocation_items=Count("id", filter=allocation & in_period),
            commitments=Sum("value_eur_activity", filter=in_period),
            commitment_items=Count("id", filter=in_period),
            undated=Sum("value_eur", filter=allocation & Q(month_number=0)),
        )
    )
    rollup = PledgeRollup.objects.filter(announced_on__range=(period.first, period.last))
    committed_stages = [*COMMITTED_STAGES, *([Pledge.Stage.PROPOSED] if include_proposed else [])]
    ours_allocated = _ours_by_donor(
        rollup.filter(stage__in=ALLOCATED_STAGES), include_proposed=include_proposed
    )
    ours_committed = _ours_by_donor(
        rollup.filter(stage__in=committed_stages), include_proposed=include_proposed
    )

    # Several Kiel names could point at one donor of ours: they add up to one row.
    kiel: dict[str, dict[str, Any]] = {}
    for row in kiel_rows:
        key = row["donor__slug"] or f"kiel:{row['donor_name']}"
        entry = kiel.setdefault(
            key,
            {
                "slug": row["donor__slug"],
                "names": [],
                "allocations": None,
                "commitments": None,
                "undated": Decimal(0),
            },
        )
        entry["names"].append(row["donor_name"])
        if row["allocation_items"]:
            entry["allocations"] = (entry["allocations"] or 0) + _decimal(row["allocations"])
        if row["commitment_items"]:
            entry["commitments"] = (entry["commitments"] or 0) + _decimal(row["commitments"])
        entry["undated"] += _decimal(row["undated"])

    ours_slugs = set(ours_allocated) | set(ours_committed)
    slugs = ours_slugs | {entry["slug"] for entry in kiel.values() if entry["slug"]}
    donors = Donor.objects.in_bulk(slugs, field_name="slug")
    rows = [
        KielComparisonRow(
            donor=donors.get(entry["slug"]) if entry["slug"] else None,
            kiel_name=" / ".join(sorted(entry["names"])),
            ours_allocated=ours_allocated.get(entry["slug"]) if entry["slug"] else None,
            ours_committed=ours_committed.get(entry["slug"]) if entry["slug"] else None,
            kiel_allocations_eur=entry["allocations"],
            kiel_commitments_eur=entry["commitments"],
            kiel_undated_eur=entry["undated"],
        )
        for entry in kiel.values()
    ]
    known = {entry["slug"] for entry in kiel.values()}
    rows += [
        KielComparisonRow(
            donor=donors.get(slug),
            kiel_name="",
            ours_allocated=ours_allocated.get(slug),
            ours_committed=ours_committed.get(slug),
            kiel_allocations_eur=None,
            kiel_commitments_eur=None,
            in_kiel=False,
        )
        for slug in sorted(ours_slugs - known)
    ]
    return KielComparison(
        releases=releases,
        release=release,
        period=period,
        rows=sort_rows(rows, DEFAULT_SORT),
        kiel_undated_eur=sum((row.kiel_undated_eur for row in rows), Decimal(0)),
    )


def _period(release: KielRelease) -> Period:
    """The months of our counted pledges (one query on the summary), clipped to Kiel's."""
    months = [
        month
        for month, pledges in PledgeSummary.objects.filter(
            standalone=True, announced_on__isnull=False
        )
        .exclude(stage=Pledge.Stage.PROPOSED)
        .order_by()
        .values("announced_on")
        .annotate(pledges=Sum("pledges"))
        .values_list("announced_on", "pledges")
        if pledges and month is not None
    ]
    coverage = (KIEL_FIRST_MONTH, release.period_end)
    ours_first, ours_last = (min(months), max(months)) if months else (None, None)
    return Period(
        first=max(ours_first or coverage[0], coverage[0]),
        last=min(ours_last or coverage[1], coverage[1]),
        coverage_first=coverage[0],
        coverage_last=coverage[1],
        ours_first=ours_first,
        ours_last=ours_last,
    )


def _ours_by_donor(queryset, *, include_proposed: bool) -> dict[str, Totals]:
    return {
        totals.key["donor__slug"]: totals
        for totals in pledge_totals(
            queryset, group_by=("donor__slug",), include_proposed=include_proposed
        )
        if totals.pledges
    }


# --- Sorting ----------------------------------------------------------------------------------


def _largest_first(value: Callable[[KielComparisonRow], Decimal | None]) -> Callable:
    # Rows without a figure last, then by name: a stable, readable order.
    def key(row: KielComparisonRow) -> tuple:
        figure = value(row)
        return (figure is None, -(figure or 0), row.name.casefold())

    return key


def _smallest_first(value: Callable[[KielComparisonRow], Decimal | None]) -> Callable:
    def key(row: KielComparisonRow) -> tuple:
        figure = value(row)
        return (figure is None, figure or 0, row.name.casefold())

    return key


#: ``?sort=`` values: the key of each, largest first but for the donor (A–Z) and the gaps
#: (largest shortfall against Kiel, as a share of Kiel's figure, first).
SORTS: dict[str, Callable[[KielComparisonRow], tuple]] = {
    "donor": lambda row: (row.name.casefold(),),
    "kiel": _largest_first(lambda row: row.allocations.kiel_eur),
    "ours": _largest_first(lambda row: row.allocations.ours_eur),
    "gap": _smallest_first(lambda row: row.allocations.gap_percent),
    "kiel-commitments": _largest_first(lambda row: row.commitments.kiel_eur),
    "ours-committed": _largest_first(lambda row: row.commitments.ours_eur),
    "gap-commitments": _smallest_first(lambda row: row.commitments.gap_percent),
}
DEFAULT_SORT = "kiel"


def sort_key(value: str | None) -> str:
    """The ``?sort=`` value if it is one of ``SORTS``, else the default."""
    return value if value in SORTS else DEFAULT_SORT


def sort_rows(rows, sort: str) -> tuple[KielComparisonRow, ...]:
    return tuple(sorted(rows, key=SORTS[sort_key(sort)]))


# --- Kiel's other figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class KielYear:
    """One year of Kiel's monthly series, all donors added up, in EUR."""

    year: int
    months: int
    allocations: Decimal
    military: Decimal
    financial: Decimal
    humanitarian: Decimal
    commitments: Decimal

    @property
    def allocations_bn(self) -> Decimal:
        return self.allocations / BILLION

    @property
    def military_bn(self) -> Decimal:
        return self.military / BILLION

    @property
    def financial_bn(self) -> Decimal:
        return self.financial / BILLION

    @property
    def humanitarian_bn(self) -> Decimal:
        return self.humanitarian / BILLION

    @property
    def commitments_bn(self) -> Decimal:
        return self.commitments / BILLION


@dataclass(frozen=True)
class KielSeries:
    release: KielRelease | None = None
    years: tuple[KielYear, ...] = ()


def kiel_yearly(donor: Donor | None = None) -> KielSeries:
    """Kiel's monthly series (the latest release of it) added up per year: all donors, or
    one. Cached until the data change."""
    return cached("kiel-yearly", (donor.pk if donor else None,), lambda: _kiel_yearly(donor))


def _kiel_yearly(donor: Donor | None) -> KielSeries:
    monthly = KielMonthly.objects.order_by()
    release = KielRelease.objects.filter(monthly__isnull=False).order_by("-number").first()
    if release is None:
        return KielSeries()
    monthly = monthly.filter(release=release)
    if donor is not None:
        monthly = monthly.filter(donor=donor)
    rows = (
        monthly.values("year")
        .annotate(
            months=Count("month", distinct=True),
            allocations=Sum("total_eur_bn"),
            military=Sum("military_eur_bn"),
            financial=Sum("financial_eur_bn"),
            humanitarian=Sum("humanitarian_eur_bn"),
            commitments=Sum("commitments_eur_bn"),
        )
        .order_by("year")
    )
    return KielSeries(
        release=release,
        years=tuple(
            KielYear(
                year=row["year"],
                months=row["months"],
                allocations=_decimal(row["allocations"]) * BILLION,
                military=_decimal(row["military"]) * BILLION,
                financial=_decimal(row["financial"]) * BILLION,
                humanitarian=_decimal(row["humanitarian"]) * BILLION,
                commitments=_decimal(row["commitments"]) * BILLION,
            )
            for row in rows
        ),
    )


@dataclass(frozen=True)
class KielDonorWeapons:
    """One donor's heavy weapons, one line per category as Kiel reports it: counts of
    different categories are never added up."""

    name: str
    donor: Donor | None
    weapons: tuple[KielWeapon, ...]

    @property
    def value_eur(self) -> Decimal:
        """The EUR values do add up: one currency."""
        return sum((weapon.value_eur for weapon in self.weapons), Decimal(0))


@dataclass(frozen=True)
class KielWeapons:
    release: KielRelease | None = None
    donors: tuple[KielDonorWeapons, ...] = ()


def kiel_weapons(donor: Donor | None = None) -> KielWeapons:
    """Heavy weapons per donor and category (the latest release of them), donors by the
    EUR value of their weapons, largest first. Cached until the data change."""
    return cached("kiel-weapons", (donor.pk if donor else None,), lambda: _kiel_weapons(donor))


def _kiel_weapons(donor: Donor | None) -> KielWeapons:
    release = KielRelease.objects.filter(weapons__isnull=False).order_by("-number").first()
    if release is None:
        return KielWeapons()
    weapons = KielWeapon.objects.filter(release=release).select_related("donor")
    if donor is not None:
        weapons = weapons.filter(donor=donor)
    grouped: dict[str, list[KielWeapon]] = {}
    for weapon in weapons.order_by("donor_name", "-count", "category"):
        grouped.setdefault(weapon.donor_name, []).append(weapon)
    donors = [
        KielDonorWeapons(
            name=items[0].donor.local_name if items[0].donor else name,
            donor=items[0].donor,
            weapons=tuple(items),
        )
        for name, items in grouped.items()
    ]
    donors.sort(key=lambda entry: (-entry.value_eur, entry.name.casefold()))
    return KielWeapons(release=release, donors=tuple(donors))


def _decimal(value: Any) -> Decimal:
    # SQLite hands sums of decimals back as floats; PostgreSQL as Decimals.
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


# --- Pages ------------------------------------------------------------------------------------

#: How many donors the chart of the reference page draws, by Kiel's allocations.
CHART_DONORS = 12
OURS_COLOUR = "#0072b2"
KIEL_COLOUR = "#c0470a"


def reference_page(query: QueryDict) -> dict:
    """The Kiel comparison: the table sorted as ``?sort=`` asks (else by Kiel's allocations),
    the chart of the largest donors, Kiel's yearly series and heavy weapons."""
    comparison = kiel_comparison()
    sort = sort_key(query.get("sort"))
    return {
        "comparison": comparison,
        "rows": sort_rows(comparison.rows, sort),
        "sort": sort,
        "chart": lazily(partial(allocations_chart, comparison)),
        "yearly": lazily(kiel_yearly),
        "weapons": lazily(kiel_weapons),
    }


def allocations_chart(comparison: KielComparison) -> PairedBarChart | None:
    """Our allocated and delivered pledges beside Kiel's allocations, for the donors with the
    largest Kiel allocations in the period."""
    rows = [row for row in sort_rows(comparison.rows, "kiel") if row.kiel_allocations_eur]
    return chart_paired_bars(
        (
            {
                "slug": row.donor.slug if row.donor else row.kiel_name,
                "label": row.name,
                "values": {"ours": row.allocations.ours_eur, "kiel": row.allocations.kiel_eur},
            }
            for row in rows[:CHART_DONORS]
        ),
        series=(
            ("ours", gettext("Ours: allocated and delivered"), OURS_COLOUR),
            ("kiel", gettext("Kiel: allocations"), KIEL_COLOUR),
        ),
        axis_title=gettext("Allocations in the period, in euros"),
        missing_label=gettext("no figure here"),
        chart_id="kiel-allocations-chart",
    )


@dataclass(frozen=True)
class KielDonorPanel:
    """What a donor's page shows of Kiel's figures."""

    comparison: KielComparison
    row: KielComparisonRow | None
    weapons: KielDonorWeapons | None
    weapons_release: KielRelease | None

    @property
    def weapons_list(self) -> tuple[KielDonorWeapons, ...]:
        return (self.weapons,) if self.weapons else ()


def kiel_donor_panel(donor: Donor) -> KielDonorPanel:
    """The donor's row of the comparison and its heavy weapons; one query when the Kiel data
    are not loaded."""
    comparison = kiel_comparison()
    weapons = kiel_weapons(donor) if comparison.loaded else KielWeapons()
    return KielDonorPanel(
        comparison=comparison,
        row=comparison.row_of(donor),
        weapons=weapons.donors[0] if weapons.donors else None,
        weapons_release=weapons.release,
    )
