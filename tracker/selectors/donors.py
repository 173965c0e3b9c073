"""Every donor with its totals (``/donors/``), read from the roll-up in two queries.

The totals follow the table's rules (``pledge_totals``): subsets, reported aggregates and
proposals are listed, not added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from django.db.models import OuterRef, Subquery, Sum

from tracker.cache import cached
from tracker.models import Donor, PledgeRollup, name_sort_key
from tracker.selectors.totals import Totals, pledge_totals

#: ``?sort=`` values, with ``-`` for descending; the largest total first by default.
SORTS = ("name", "-name", "amount_eur", "-amount_eur", "pledges", "-pledges")
DEFAULT_SORT = "-amount_eur"


@dataclass(frozen=True)
class DonorRow:
    donor: Donor
    totals: Totals
    #: the month of the donor's latest dated pledge (the roll-up keeps months, not days)
    latest_month: date | None
    #: the EUR total as a percentage of the largest donor's, for the bar
    share: Decimal = Decimal(0)


@dataclass(frozen=True)
class SortLink:
    sort: str
    direction: str | None  # "ascending" / "descending" for the sort in effect


@dataclass(frozen=True)
class DonorList:
    rows: tuple[DonorRow, ...]
    #: donors on record without a single pledge, by name
    without_pledges: tuple[Donor, ...]
    sort: str
    #: the ``?sort=`` value not understood, if any (the default sort is used instead)
    sort_refused: str | None
    links: dict[str, SortLink]


def donor_list(*, sort: str | None) -> DonorList:
    """Donors with pledges, sorted by ``sort`` (a value of ``SORTS``), then those without."""
    refused = sort if sort and sort not in SORTS else None
    sort = sort if sort in SORTS else DEFAULT_SORT
    donors, totals = donor_totals()
    largest = max((t.amount_eur for t in totals.values()), default=Decimal(0))
    rows = [
        DonorRow(
            donor=donor,
            totals=totals[donor.pk],
            latest_month=donor.latest_month,  # type: ignore[attr-defined]
            share=totals[donor.pk].amount_eur * 100 / largest if largest else Decimal(0),
        )
        for donor in donors
        if donor.pk in totals
    ]
    # By name first: the tie-break of equal totals, as sorts are stable.
    rows.sort(key=lambda row: name_sort_key(row.donor.local_name))
    field = sort.removeprefix("-")
    if field == "name":
        rows.sort(key=lambda row: name_sort_key(row.donor.local_name), reverse=sort == "-name")
    elif field == "amount_eur":
        rows.sort(key=lambda row: row.totals.amount_eur, reverse=sort == "-amount_eur")
    else:
        rows.sort(key=lambda row: row.totals.pledges, reverse=sort == "-pledges")
    without = sorted(
        (donor for donor in donors if donor.pk not in totals),
        key=lambda donor: name_sort_key(donor.local_name),
    )
    return DonorList(
        rows=tuple(rows),
        without_pledges=tuple(without),
        sort=sort,
        sort_refused=refused,
        links=sort_links(sort),
    )


def sort_links(sort: str) -> dict[str, SortLink]:
    """Per column, the sort its header link asks for: the reverse of the one in effect, else
    names A–Z and figures largest first."""
    links = {}
    for field, first in (("name", "name"), ("amount_eur", "-amount_eur"), ("pledges", "-pledges")):
        if sort.removeprefix("-") == field:
            descending = sort.startswith("-")
            links[field] = SortLink(
                sort=field if descending else f"-{field}",
                direction="descending" if descending else "ascending",
            )
        else:
            links[field] = SortLink(sort=first, direction=None)
    return links


def donor_totals() -> tuple[list[Donor], dict[int, Totals]]:
    """Every donor, with the month of its latest dated pledge, and the totals of those with
    pledges by donor id: two queries on the roll-up, whatever the number of pledges. Cached
    until the data change (``tracker.cache``)."""

    def compute() -> tuple[list[Donor], dict[int, Totals]]:
        # A cell's rows add up to its pledges (one row alone may even be negative): the
        # latest month whose rows hold pledges, read backwards along the (donor, month) index.
        latest = (
            PledgeRollup.objects.filter(donor=OuterRef("pk"), announced_on__isnull=False)
            .order_by()
            .values("announced_on")
            .annotate(pledges=Sum("pledges"))
            .filter(pledges__gt=0)
            .order_by("-announced_on")
            .values("announced_on")[:1]
        )
        donors = cast(list[Donor], list(Donor.objects.annotate(latest_month=Subquery(latest))))
        totals = {
            row.key["donor_id"]: row
            for row in pledge_totals(PledgeRollup.objects.all(), group_by=("donor_id",))
        }
        return donors, totals

    return cached("donor-totals", (), compute)
