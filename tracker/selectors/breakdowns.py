"""Totals broken down the ways analysts ask: by stage, category, year, month and donor.

Every figure comes from ``pledge_totals``, so every page adds pledges up by the same rule. Each
function takes pledges or their roll-up rows (``PledgeRollup``): the fields they read carry the
same names in both. Those that neither filter nor group by donor or category also take the
summary (``PledgeSummary``); the others are given a ``detailed`` queryset for those figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf, TruncMonth

from tracker import charts
from tracker.cache import cached, language_key, query_key
from tracker.models import Category, Donor, Pledge, ReleasedPledge
from tracker.selectors.totals import Totals, countable_condition, pledge_totals


@dataclass(frozen=True)
class Breakdown:
    label: str
    totals: Totals


def with_top_category(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """Annotate ``top_category``: the slug of military / financial / humanitarian."""
    return queryset.annotate(
        top_category=Coalesce(F("category__parent__slug"), F("category__slug"))
    )


def totals_by_stage(queryset: QuerySet[Pledge]) -> list[Breakdown]:
    # Proposals are a stage of their own here, so they are shown, not left out.
    rows = {
        row.key["stage"]: row
        for row in pledge_totals(queryset, group_by=("stage",), include_proposed=True)
    }
    return [
        Breakdown(str(label), rows[stage]) for stage, label in Pledge.Stage.choices if stage in rows
    ]


def totals_by_top_category(queryset: QuerySet[Pledge]) -> list[Breakdown]:
    rows = pledge_totals(with_top_category(queryset), group_by=("top_category",))
    categories = Category.objects.in_bulk(
        [row.key["top_category"] for row in rows], field_name="slug"
    )
    breakdowns = [Breakdown(categories[row.key["top_category"]].local_name, row) for row in rows]
    return sorted(breakdowns, key=lambda b: -b.totals.amount_eur)


def totals_by_year(queryset: QuerySet[Pledge]) -> list[Breakdown]:
    rows = pledge_totals(queryset.annotate(year=ExtractYear("announced_on")), group_by=("year",))
    return [Breakdown(str(row.key["year"] or "—"), row) for row in rows]


def totals_by_month(queryset: QuerySet[Pledge], *, include_proposed: bool = False) -> list[Totals]:
    dated = queryset.filter(announced_on__isnull=False).annotate(month=TruncMonth("announced_on"))
    return pledge_totals(dated, group_by=("month",), include_proposed=include_proposed)


def chart_of_months(queryset: QuerySet[Pledge], *, include_proposed: bool = False):
    months = totals_by_month(queryset, include_proposed=include_proposed)
    return charts.chart_timeline([(row.key["month"], row.amount_eur) for row in months])


def chart_of_donors(
    queryset: QuerySet[Pledge], *, categories: list[Category], include_proposed: bool = False
):
    """Totals by donor, stacked by top category: one query for the sums, one for the donors'
    names. ``categories``: every category, with its parent.

    The sums are grouped by the ids of donor and category, their names and top categories
    looked up here: grouped by names and top category slug, a million pledges' roll-up had
    its 124k rows sorted as text before adding them up, three times as long.
    """
    rows = pledge_totals(
        queryset, group_by=("donor", "category"), include_proposed=include_proposed
    )
    top_of = {category.pk: (category.parent or category).slug for category in categories}
    names = Donor.objects.in_bulk({row.key["donor"] for row in rows})
    donors: dict[int, dict] = {}
    for row in rows:
        donor = names[row.key["donor"]]
        values = donors.setdefault(
            donor.pk, {"slug": donor.slug, "label": donor.local_name, "values": {}}
        )["values"]
        top = top_of[row.key["category"]]
        values[top] = values.get(top, 0) + row.amount_eur
    tops = [(c.slug, c.local_name) for c in categories if c.parent_id is None]
    return charts.chart_donor_bars(list(donors.values()), categories=tops)


def chart_of_items(
    pledges: QuerySet[Pledge], *, categories: list[Category], include_proposed: bool = False
):
    """Quantities per item and category, from the pledges: the roll-up keeps no item names.

    One query over the in-kind pledges, grouped by category id and the item as typed; the
    chart tells which spellings are one item (``charts.item_key``). Only pledges that totals
    add up are counted, so a part of another pledge is not counted twice.
    """
    rows = (
        pledges.filter(quantity__isnull=False)
        .filter(countable_condition(include_proposed=include_proposed))
        .order_by()
        .values("category", "item")
        .annotate(sum_quantity=Sum("quantity"), n=Count("id"))
        .values_list("category", "item", "sum_quantity", "n")
    )
    by_id = {category.pk: category for category in categories}
    return charts.chart_in_kind(
        {
            "slug": by_id[category].slug,
            "label": by_id[category].local_name,
            "item": item,
            "quantity": quantity,
            "pledges": count,
        }
        for category, item, quantity, count in rows
    )


def dashboard_charts(
    queryset: QuerySet[Pledge],
    *,
    detailed: QuerySet[Pledge] | None = None,
    pledges: QuerySet[Pledge] | None = None,
    include_proposed: bool = False,
) -> dict:
    """The three charts of the overview, for the pledges the filters select. Cached until
    the data change (``tracker.cache``), per language: the charts carry their labels.

    ``detailed``: the same pledges from a table that keeps donor and category (pledges or
    roll-up), for the charts by donor and by category, when ``queryset`` is the summary.
    ``pledges``: the same pledges themselves, for the items given in kind, when ``detailed``
    is the roll-up.
    """
    detailed = queryset if detailed is None else detailed
    pledges = detailed if pledges is None else pledges

    def compute() -> dict:
        categories = list(Category.objects.select_related("parent"))
        return {
            "donor_chart": chart_of_donors(
                detailed, categories=categories, include_proposed=include_proposed
            ),
            "timeline": chart_of_months(queryset, include_proposed=include_proposed),
            "items_chart": chart_of_items(
                pledges, categories=categories, include_proposed=include_proposed
            ),
        }

    key = (
        *query_key(queryset),
        *query_key(detailed),
        *query_key(pledges),
        include_proposed,
        language_key(),
    )
    return cached("charts", key, compute)


def donor_breakdowns(pledges: QuerySet[Any]) -> dict:
    """The figures of a donor page, for the donor's pledges. Cached until the data change
    (``tracker.cache``), per language: they carry their labels."""

    def compute() -> dict:
        return {
            "by_stage": totals_by_stage(pledges),
            "by_category": totals_by_top_category(pledges),
            "by_year": totals_by_year(pledges),
            "timeline": chart_of_months(pledges),
        }

    return cached("donor-breakdowns", (*query_key(pledges), language_key()), compute)


#: How the totals CSV can group: the name in ``?by=`` -> (annotation, grouped fields).
#: Those that read the donor or category (by name or through ``top_category``) need a table
#: that keeps them: ``DETAILED_GROUPS``.
TOTALS_GROUPS = {
    "": (None, ()),
    "donor": (None, ("donor__slug", "donor__name")),
    "category": ("top_category", ("top_category",)),
    "subcategory": (None, ("category__slug",)),
    "stage": (None, ("stage",)),
    "year": ("year", ("year",)),
    "month": ("month", ("month",)),
}
DETAILED_GROUPS = ("donor", "category", "subcategory")
#: The groups a release's rows keep otherwise (tracker/models/releases.py), under the names
#: of the live groups' columns.
RELEASED_GROUPS = {
    "donor": ("donor_slug", "donor_name"),
    "category": ("top_category",),
    "subcategory": ("category_slug",),
}
RELEASED_ANNOTATIONS = {
    "donor_name": F("donor"),
    "top_category": F("category"),
    "category_slug": Coalesce(NullIf(F("subcategory"), Value("")), F("category")),
}
TOTALS_COLUMNS = (
    "amount_eur",
    "pledges_with_eur",
    "in_kind_without_value",
    "without_eur_rate",
    "listed_not_added",
)
# No column adds up quantities: drones, shells and vehicles are not one count.


def totals_table(
    queryset: QuerySet[Pledge],
    *,
    by: str,
    detailed: QuerySet[Pledge] | None = None,
    include_proposed: bool = False,
) -> tuple[tuple[str, ...], list[tuple]]:
    """The header and rows of the totals CSV: ``pledge_totals`` grouped as ``by`` names.

    ``detailed``, as for ``dashboard_charts``: read instead of ``queryset`` by the groupings
    by donor or category.
    """
    if by in DETAILED_GROUPS and detailed is not None:
        queryset = detailed
    annotation, fields = TOTALS_GROUPS[by]
    if issubclass(queryset.model, ReleasedPledge) and by in RELEASED_GROUPS:
        fields = RELEASED_GROUPS[by]
        annotation = None
        queryset = queryset.annotate(**{name: RELEASED_ANNOTATIONS[name] for name in fields[-1:]})
    if annotation == "top_category":
        queryset = with_top_category(queryset)
    elif annotation == "year":
        queryset = queryset.annotate(year=ExtractYear("announced_on"))
    elif annotation == "month":
        queryset = queryset.filter(announced_on__isnull=False).annotate(
            month=TruncMonth("announced_on")
        )
    rows = pledge_totals(queryset, group_by=fields, include_proposed=include_proposed)
    if not fields and not rows:
        rows = [Totals()]
    header = tuple(field.replace("__", "_") for field in fields) + TOTALS_COLUMNS
    table = [
        (
            *(row.key[field] for field in fields),
            row.amount_eur,
            row.valued,
            row.in_kind_without_value,
            row.without_eur_rate,
            row.not_counted,
        )
        for row in rows
    ]
    return header, table
