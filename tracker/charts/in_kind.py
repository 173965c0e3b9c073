"""Items given in kind: quantities per item, grouped by category, each group on its own scale.

Quantities are only ever added up for one item: 315 million shells and 40 tanks on one axis,
or in one sum, say nothing. Pledge.item is free text, so "the same item" is decided here
(``item_key``): the same category and the same name once case, hyphens and spacing are set
aside. Names in another language or wording stay apart ("FPV drones", "FPV-Drohnen").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from tracker.charts.numbers import rounded, whole_number
from tracker.charts.shapes import IN_KIND_COLOUR, Table, TableRow

#: The chart shows this many categories (those with the most pledges) and this many items in
#: each (the largest quantities); its data table lists them all.
GROUPS_SHOWN = 6
ITEMS_SHOWN = 4

# Spaces, and hyphens and dashes of any kind (U+2010 to U+2015).
_SPACING = re.compile(r"[\s\-\u2010-\u2015_]+")


def item_key(name: str) -> str:
    """What makes two item names the same item: "155-mm  Shells" and "155 mm shells" are."""
    return _SPACING.sub(" ", name.casefold()).strip(" .,;:")


@dataclass(frozen=True)
class InKindItem:
    label: str
    quantity: int
    quantity_label: str
    pledges: int
    pledges_label: str
    #: the bar's length, in per cent of the largest quantity of its category
    bar: float
    tooltip: str


@dataclass(frozen=True)
class InKindGroup:
    slug: str
    label: str
    pledges: int
    #: "12 pledges · 3 items"
    note: str
    #: the items drawn, largest first
    items: tuple[InKindItem, ...]
    #: how many more items the category has, listed in the data table only
    more: int


@dataclass(frozen=True)
class InKindChart:
    id: str
    groups: tuple[InKindGroup, ...]
    #: categories not drawn, listed in the data table only
    more_groups: int
    #: distinct items, as ``item_key`` tells them apart
    item_count: int
    pledges: int
    colour: str
    summary: str
    #: how items are told apart, and that bars compare within a category only
    note: str
    table: Table


@dataclass
class _Item:
    quantity: int = 0
    pledges: int = 0
    #: spelling -> pledges, to name the item by its commonest spelling
    spellings: dict[str, int] = field(default_factory=dict)


def chart_in_kind(
    rows: Iterable[Mapping], *, chart_id: str = "in-kind-chart"
) -> InKindChart | None:
    """Quantities per item, grouped by category, categories with the most pledges first.

    ``rows``: ``{"slug", "label"}`` of the category, ``"item"`` as typed, and the ``"quantity"``
    and number of ``"pledges"`` of that exact spelling. Spellings of the same item
    (``item_key``) are added up, under the commonest one; an empty name is "Item not named".
    Each category's bars are scaled to its own largest quantity. ``None`` when no quantity is
    above zero.
    """
    groups: dict[str, tuple[str, dict[str, _Item]]] = {}
    for row in rows:
        quantity, pledges = int(row.get("quantity") or 0), int(row.get("pledges") or 0)
        if quantity <= 0:
            continue
        spelling = " ".join(str(row.get("item") or "").split())
        _, items = groups.setdefault(str(row["slug"]), (str(row["label"]), {}))
        item = items.setdefault(item_key(spelling), _Item())
        item.quantity += quantity
        item.pledges += pledges
        item.spellings[spelling] = item.spellings.get(spelling, 0) + pledges
    if not groups:
        return None

    def name(item: _Item) -> str:
        spelling = min(item.spellings, key=lambda s: (-item.spellings[s], s.casefold(), s))
        return spelling or gettext("Item not named")

    built = []
    for slug, (label, items) in groups.items():
        ordered = sorted(items.values(), key=lambda i: (-i.quantity, -i.pledges, name(i)))
        largest = ordered[0].quantity
        drawn = tuple(
            InKindItem(
                label=name(item),
                quantity=item.quantity,
                quantity_label=whole_number(item.quantity),
                pledges=item.pledges,
                pledges_label=_pledges(item.pledges),
                bar=rounded(100 * item.quantity / largest),
                tooltip=gettext("%(item)s: %(quantity)s in %(pledges)s")
                % {
                    "item": name(item),
                    "quantity": whole_number(item.quantity),
                    "pledges": _pledges(item.pledges),
                },
            )
            for item in ordered
        )
        pledges = sum(item.pledges for item in ordered)
        note = (
            _pledges(pledges)
            + " · "
            + ngettext("%(count)s item", "%(count)s items", len(drawn))
            % {"count": whole_number(len(drawn))}
        )
        built.append(InKindGroup(slug, label, pledges, note, drawn, 0))
    built.sort(key=lambda g: (-g.pledges, g.label.casefold()))

    item_count = sum(len(g.items) for g in built)
    pledges = sum(g.pledges for g in built)
    table = Table(
        caption=gettext("Quantities per item, by category; never added up across items."),
        head=(gettext("Item"), gettext("Category"), gettext("Quantity"), gettext("Pledges")),
        rows=tuple(
            TableRow(item.label, (group.label, item.quantity_label, whole_number(item.pledges)))
            for group in built
            for item in group.items
        ),
    )
    shown = tuple(
        InKindGroup(
            g.slug,
            g.label,
            g.pledges,
            g.note,
            g.items[:ITEMS_SHOWN],
            max(len(g.items) - ITEMS_SHOWN, 0),
        )
        for g in built[:GROUPS_SHOWN]
    )
    summary = (
        ngettext("%(count)s in-kind pledge", "%(count)s in-kind pledges", pledges)
        % {"count": whole_number(pledges)}
        + " · "
        + ngettext("%(count)s item", "%(count)s items", item_count)
        % {"count": whole_number(item_count)}
    )
    note = gettext(
        "Bars compare the items of one category only. Quantities are added up for the same "
        "item: the same category and name, setting aside case, hyphens and spacing; names in "
        "another language or wording count as other items."
    )
    return InKindChart(
        id=chart_id,
        groups=shown,
        more_groups=max(len(built) - GROUPS_SHOWN, 0),
        item_count=item_count,
        pledges=pledges,
        colour=IN_KIND_COLOUR,
        summary=summary,
        note=note,
        table=table,
    )


def _pledges(count: int) -> str:
    return ngettext("%(count)s pledge", "%(count)s pledges", count) % {"count": whole_number(count)}
