"""The pledge table: one page of the filtered pledges, their totals and the links around them.

Behind ``/pledges/``, the overview and each donor page. The count is the totals' (every listed
pledge), so no second pass over the rows counts them.

Paging. Previous and Next carry a cursor, the id of the row the new page starts after
(``?after=``) or ends before (``?before=``): the page is the next fifty rows in the sort from
that row's sort values, which an index finds at any depth (keyset paging, as Datasette does).
A typed ``?page=N`` still works, skipping rows with OFFSET. Links carry ``page`` too, which
then only numbers the page ("Page 3 of 20").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from tracker.filters import (
    SORT_CHOICES,
    Chip,
    Option,
    PledgeFilter,
    ReleaseFilter,
    SortKey,
    query_without,
)
from tracker.models import Donor, Pledge, PledgeRollup, PledgeSummary, Release
from tracker.selectors.releases import release_asked
from tracker.selectors.table_rows import TableRow, released_table_rows, table_rows
from tracker.selectors.totals import Totals, totals_overall

PAGE_SIZE = 50
#: The sortable columns and the way their first click sorts: largest amounts and newest dates
#: first, donors A to Z. A second click reverses.
FIRST_SORT = {"donor": "donor", "amount_eur": "-amount_eur", "announced_on": "-announced_on"}


@dataclass(frozen=True)
class ColumnSort:
    #: the ``sort`` a click on the column asks for
    sort: str
    #: "ascending" or "descending" when the table is sorted by this column
    direction: str | None


@dataclass(frozen=True)
class PledgeTable:
    filter: PledgeFilter
    #: the active filters, each with the address that removes it
    chips: list[Chip]
    rows: list[TableRow]
    totals: Totals
    #: the page's number, from 1, and the number of pages
    number: int
    pages: int
    #: the cursors of the neighbouring pages: ``after`` for Next, ``before`` for Previous;
    #: ``previous_is_first`` when Previous leads to the first page, which needs no cursor
    after: int | None
    before: int | None
    previous_is_first: bool
    #: each sortable column's link, and every sort for the sort menu
    sorts: dict[str, ColumnSort]
    sort_options: list[Option]
    #: the downloads of the same pledges: CSV, CSV for Excel (a byte-order mark first), XLSX,
    #: JSON
    export_url: str
    export_excel_url: str
    export_xlsx_url: str
    #: the same pledges as JSON, from the API (``/api/pledges``), a page at a time
    api_url: str
    #: what the page could not follow ("the pledge this page starts after is gone")
    notices: list[str]

    @property
    def count(self) -> int:
        return self.totals.pledges

    @property
    def xlsx_max_rows(self) -> int:
        return settings.PLEDGE_XLSX_MAX_ROWS

    @property
    def xlsx_too_large(self) -> bool:
        return self.count > self.xlsx_max_rows

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1 if self.rows else 0

    @property
    def has_previous(self) -> bool:
        return self.previous_is_first or self.before is not None

    @property
    def has_next(self) -> bool:
        return self.after is not None


def pledge_filter(
    query: QueryDict, *, donor: Donor | None = None, release: Release | None = None
) -> PledgeFilter:
    """The table's filters over every pledge, or over one ``donor``'s, or over the rows of a
    ``release``.

    Without a single parameter the filter stays unbound, as django-filter's own views leave it
    (``GET or None``): there is nothing to validate, and the rows come in the default sort.
    """
    data = query or None
    if release is not None:
        return ReleaseFilter(data, queryset=release.pledges.all())
    if donor is not None:
        return PledgeFilter(
            data,
            queryset=Pledge.objects.for_table().filter(donor=donor),
            rollups=PledgeRollup.objects.filter(donor=donor),
        )
    return PledgeFilter(
        data,
        queryset=Pledge.objects.for_table(),
        rollups=PledgeRollup.objects.all(),
        summaries=PledgeSummary.objects.all(),
    )


def export_filter(query: QueryDict, *, totals: bool = False) -> PledgeFilter:
    """The filters of an export (``?release=N`` too): bound even to no parameter, since an
    export checks its parameters; for the ``totals``, with the roll-up and the summary of
    the live pledges, which add them up sooner. ``ReleaseNotFound`` for a release unknown."""
    release = release_asked(query)
    if release is not None:
        return ReleaseFilter(query, queryset=release.pledges.all())
    if totals:
        return PledgeFilter(
            query,
            queryset=Pledge.objects.all(),
            rollups=PledgeRollup.objects.all(),
            summaries=PledgeSummary.objects.all(),
        )
    return PledgeFilter(query, queryset=Pledge.objects.for_table())


def pledge_table(
    query: QueryDict,
    *,
    donor: Donor | None = None,
    release: Release | None = None,
    per_page: int = PAGE_SIZE,
) -> PledgeTable:
    """The page of the table that ``query`` asks for: filters, sort and page; of the live
    pledges, or of the pledges of a ``release`` as published."""
    filters = pledge_filter(query, donor=donor, release=release)
    totals = totals_overall(filters.totals_qs, include_proposed=filters.include_proposed_in_totals)
    pages = max(1, math.ceil(totals.pledges / per_page))
    number = min(max(whole_number(query.get("page")) or 1, 1), pages)
    keys = filters.sort_keys[filters.sort_key]
    pledges = filters.qs
    notices = []
    # A release's rows are known by their pledge's id too, which the cursors carry.
    id_field, read = "pk", table_rows
    if release is not None:
        id_field, read = "pledge_id", partial(released_table_rows, release)

    after, before = whole_number(query.get("after")), whole_number(query.get("before"))
    cursor = after or before
    position = None
    if cursor is not None:
        rows_read = Pledge.objects.all() if release is None else release.pledges.all()
        found = rows_read.filter(**{id_field: cursor})
        position = found.values(*(key.field for key in keys)).first()
        if position is None:
            notices.append(gettext("The page asked for starts at a pledge that is gone."))
            number = 1

    if position is None:
        page = pledges[(number - 1) * per_page : number * per_page + 1]
        rows = read(page_ids(page, id_field))
        more_before, more_after = number > 1, len(rows) > per_page
        rows = rows[:per_page]
    elif after is not None:
        rows = read(ids_after(pledges, keys, position, per_page + 1, id_field))
        more_before, more_after = True, len(rows) > per_page
        rows = rows[:per_page]
    else:
        rows = read(ids_before(pledges, keys, position, per_page + 1, id_field))
        more_before, more_after = len(rows) > per_page, True
        rows = rows[-per_page:]
    if not more_before:
        number = 1
    elif number < 2:
        number = 2  # a cursor typed without its page number: at least the second page

    return PledgeTable(
        filter=filters,
        chips=filters.chips(),
        rows=rows,
        totals=totals,
        number=number,
        pages=max(pages, number),
        after=rows[-1]["id"] if more_after and rows else None,
        before=rows[0]["id"] if more_before and rows and number > 2 else None,
        previous_is_first=more_before and (number <= 2 or not rows),
        sorts=column_sorts(filters.sort_key),
        sort_options=[
            Option(value, str(label), value == filters.sort_key) for value, label in SORT_CHOICES
        ],
        export_url=export_url(query, donor=donor),
        export_excel_url=export_url(query, donor=donor, bom=True),
        export_xlsx_url=export_url(query, donor=donor, view="pledge-export-xlsx"),
        api_url=export_url(query, donor=donor, view="api:pledges"),
        notices=notices,
    )


def page_ids(pledges: QuerySet[Any], id_field: str = "pk") -> list[int]:
    """The ids of a page of ``pledges`` (sliced), in order, read from the pledge table alone,
    where an index of the filters and the sort finds them: with every join of the rows in the
    same query, PostgreSQL walked the newest-first index past every other donor's pledges."""
    return list(pledges.values_list(id_field, flat=True))


def ids_after(
    pledges: QuerySet[Any], keys: tuple[SortKey, ...], position: dict, count: int, id_field: str
) -> list[int]:
    """The ids of the first ``count`` rows after ``position`` in the sort.

    The rows with a value of the first key come before those without: the page reads on
    from the cursor among the former, with the first key's range as well, which an index
    scan starts at (the full condition alone is an OR it cannot start at), then, if it runs
    out, among the rows without a value.
    """
    first, value = keys[0], position[keys[0].field]
    if value is None:
        return page_ids(pledges.filter(beyond(keys, position))[:count], id_field)
    ids = page_ids(pledges.filter(first.reach(value), beyond(keys, position))[:count], id_field)
    if len(ids) < count and first.nullable:
        empty = pledges.filter(**{f"{first.field}__isnull": True})
        ids += page_ids(empty[: count - len(ids)], id_field)
    return ids


def ids_before(
    pledges: QuerySet[Any], keys: tuple[SortKey, ...], position: dict, count: int, id_field: str
) -> list[int]:
    """The ids of the last ``count`` rows before ``position`` in the sort, in its order."""
    first, value = keys[0], position[keys[0].field]
    earlier = pledges.filter(beyond(keys, position, backwards=True))
    if value is not None:
        earlier = earlier.filter(first.reach(value, backwards=True))
    return page_ids(earlier.reverse()[:count], id_field)[::-1]


def whole_number(text: str | None) -> int | None:
    """A positive whole number typed in the address bar, or None."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text) or None


def beyond(keys: tuple[SortKey, ...], position: dict, *, backwards: bool = False) -> Q:
    """The rows after ``position`` (a row's values of the sort's ``keys``) in the sort, or
    before it when ``backwards``.

    Row A comes after row B when, for some key, A's value comes after B's and every earlier
    key is equal: an OR of ANDs. Empty values sort last (``nulls_last``) in both directions.
    The last key is the id, so no two rows tie.
    """
    condition = Q(pk__in=[])
    equal = Q()
    for key in keys:
        value = position[key.field]
        condition |= equal & key.past(value, backwards=backwards)
        equal &= Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})
    return condition


def column_sorts(current: str) -> dict[str, ColumnSort]:
    """Each sortable column's next sort and, for the one in effect, its direction."""
    sorts = {}
    for column, first in FIRST_SORT.items():
        if current == column:
            sorts[column] = ColumnSort(f"-{column}", "ascending")
        elif current == f"-{column}":
            sorts[column] = ColumnSort(column, "descending")
        else:
            sorts[column] = ColumnSort(first, None)
    return sorts


def export_url(
    query: QueryDict,
    *,
    donor: Donor | None = None,
    view: str = "pledge-export",
    bom: bool = False,
) -> str:
    """The CSV (or the ``view``'s file) of the same pledges: the filters without the page,
    and the page's donor; with ``bom=1`` if ``bom``."""
    filters = query_without(query, "bom")
    if donor is not None:
        filters.setlist("donor", [donor.slug])
    if bom:
        filters["bom"] = "1"
    return f"{reverse(view)}?{filters.urlencode()}".rstrip("?")
