"""Our totals per donor beside the Kiel Institute's allocations and commitments (``/reference/``).

What the Kiel figures are and how they are loaded: tracker/services/kiel.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from tracker.cache import cached
from tracker.models import Donor, KielActivity, KielRelease, PledgeRollup
from tracker.selectors.totals import Totals, pledge_totals

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class KielComparisonRow:
    """One donor: ours (None when we have no pledge), Kiel's (None when Kiel lists nothing)."""

    donor: Donor | None
    kiel_name: str
    ours: Totals | None
    kiel_allocations_eur: Decimal | None
    kiel_commitments_eur: Decimal | None

    @property
    def name(self) -> str:
        return self.donor.local_name if self.donor else self.kiel_name

    @property
    def ours_eur(self) -> Decimal:
        return self.ours.amount_eur if self.ours else Decimal(0)

    @property
    def gap_eur(self) -> Decimal | None:
        """Ours minus Kiel's allocations: negative when Kiel counts more than we have."""
        if self.kiel_allocations_eur is None:
            return None
        return self.ours_eur - self.kiel_allocations_eur

    @property
    def gap_share(self) -> Decimal | None:
        if self.gap_eur is None or not self.kiel_allocations_eur:
            return None
        return self.gap_eur / self.kiel_allocations_eur

    # Millions and percent, for the page.
    @property
    def ours_m(self) -> Decimal | None:
        return self.ours_eur / MILLION if self.ours else None

    @property
    def kiel_allocations_m(self) -> Decimal | None:
        return _millions(self.kiel_allocations_eur)

    @property
    def kiel_commitments_m(self) -> Decimal | None:
        return _millions(self.kiel_commitments_eur)

    @property
    def gap_m(self) -> Decimal | None:
        return _millions(self.gap_eur)

    @property
    def gap_percent(self) -> Decimal | None:
        return None if self.gap_share is None else self.gap_share * 100


def _millions(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / MILLION


@dataclass(frozen=True)
class KielComparison:
    #: every release loaded, for the credit line
    releases: tuple[KielRelease, ...] = ()
    #: the release Kiel's figures in the rows come from
    release: KielRelease | None = None
    rows: tuple[KielComparisonRow, ...] = ()

    @property
    def loaded(self) -> bool:
        return bool(self.releases)


def kiel_comparison(*, include_proposed: bool = False) -> KielComparison:
    """Per donor, our total beside Kiel's allocations and commitments (``kiel_compare``),
    cached until the data change (``tracker.cache``)."""
    return cached(
        "kiel-comparison",
        (include_proposed,),
        lambda: kiel_compare(include_proposed=include_proposed),
    )


def kiel_compare(*, include_proposed: bool) -> KielComparison:
    """Per donor, our total beside Kiel's allocations and commitments, largest Kiel first.

    Donors only we have and Kiel's donors we do not know both get a row. Four queries
    whatever the number of donors; one when the Kiel data are not loaded.
    """
    releases = tuple(KielRelease.objects.all())
    if not releases:
        return KielComparison()

    kiel_query = (
        KielActivity.objects.order_by()
        .values("release_id", "donor_name", "donor__slug")
        .annotate(
            allocations=Sum("value_eur", filter=Q(measure=KielActivity.Measure.ALLOCATION)),
            commitments=Sum("value_eur_activity"),
            activities=Count("id"),
        )
    )
    ours = {
        totals.key["donor__slug"]: totals
        for totals in pledge_totals(
            PledgeRollup.objects.all(),
            group_by=("donor__slug",),
            include_proposed=include_proposed,
        )
    }
    kiel_rows = list(kiel_query)
    # A load keeps one release of activities; should there ever be two, the latest speaks.
    by_id = {release.pk: release for release in releases}
    latest = max(
        (by_id[row["release_id"]] for row in kiel_rows),
        key=lambda release: release.number,
        default=None,
    )
    # Several Kiel names could point at one donor of ours: they add up to one row.
    kiel: dict[str, dict[str, Any]] = {}
    for row in kiel_rows:
        if latest is None or row["release_id"] != latest.pk:
            continue
        key = row["donor__slug"] or f"kiel:{row['donor_name']}"
        entry = kiel.setdefault(
            key,
            {
                "slug": row["donor__slug"],
                "names": [],
                "allocations": Decimal(0),
                "commitments": Decimal(0),
            },
        )
        entry["names"].append(row["donor_name"])
        entry["allocations"] += _decimal(row["allocations"])
        entry["commitments"] += _decimal(row["commitments"])

    slugs = set(ours) | {entry["slug"] for entry in kiel.values() if entry["slug"]}
    donors = Donor.objects.in_bulk(slugs, field_name="slug")
    rows = [
        KielComparisonRow(
            donor=donors.get(entry["slug"]) if entry["slug"] else None,
            kiel_name=" / ".join(sorted(entry["names"])),
            ours=ours.get(entry["slug"]) if entry["slug"] else None,
            kiel_allocations_eur=entry["allocations"],
            kiel_commitments_eur=entry["commitments"],
        )
        for entry in kiel.values()
    ]
    known = {entry["slug"] for entry in kiel.values()}
    rows += [
        KielComparisonRow(
            donor=donors.get(slug),
            kiel_name="",
            ours=totals,
            kiel_allocations_eur=None,
            kiel_commitments_eur=None,
        )
        for slug, totals in ours.items()
        if slug not in known
    ]
    rows.sort(
        key=lambda row: (
            row.kiel_allocations_eur is None,
            -(row.kiel_allocations_eur or 0),
            -row.ours_eur,
            row.name,
        )
    )
    return KielComparison(releases=releases, release=latest, rows=tuple(rows))


def _decimal(value: Any) -> Decimal:
    # SQLite hands sums of decimals back as floats; PostgreSQL as Decimals.
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))
