"""The pledge table: a page of rows with its count, totals, filter chips, sort links and pages.

It is what htmx swaps in on every filter, sort and page, so it renders with Jinja2
(``templates/jinja2/tracker/_pledge_table.html``), from values prepared here: the rows by
``tracker.rows`` (markup included), figures in the page's language looked up once, plural
phrases ready made (``makemessages`` reads plurals from Python only). The full pages place the
same markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.core.paginator import Page
from django.http import HttpRequest, QueryDict
from django.template.defaulttags import querystring as django_querystring
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from tracker.charts import money_compact
from tracker.filters import PledgeFilter
from tracker.rows import row_labels, rows_html
from tracker.selectors.totals import Totals
from tracker.templatetags.pledges import LocalFormats, local_formats

TABLE_TEMPLATE = "tracker/_pledge_table.html"
TOTALS_TEMPLATE = "tracker/_totals.html"
FILTER_STATE_TEMPLATE = "tracker/_filter_state.html"

#: The sortable columns, and the way their first click sorts: largest amounts and newest dates
#: first, donors A to Z. A second click reverses.
FIRST_DIRECTION = {"donor": "donor", "amount_eur": "-amount_eur", "announced_on": "-announced_on"}


@dataclass(frozen=True, slots=True)
class SortLink:
    #: the table sorted as a click on the column asks, from its first page
    url: str
    #: "ascending" or "descending" when the table is sorted by this column
    direction: str | None


def query_with(query: QueryDict, **changes: str | int | None) -> str:
    """Django's ``{% querystring %}``: ``query`` with ``changes`` (None removes one)."""
    return django_querystring(SimpleNamespace(request=SimpleNamespace(GET=query)), **changes)


def sort_links(query: QueryDict, current: str) -> dict[str, SortLink]:
    """Each sortable column's link, given the page's query and the sort in effect."""
    links = {}
    for key, first in FIRST_DIRECTION.items():
        if current == key:
            next_sort, direction = f"-{key}", "ascending"
        elif current == f"-{key}":
            next_sort, direction = key, "descending"
        else:
            next_sort, direction = first, None
        links[key] = SortLink(query_with(query, sort=next_sort, page=None), direction)
    return links


@dataclass(frozen=True, slots=True)
class CurrencyLine:
    amount: str
    currency: str
    pledges: str


@dataclass(frozen=True, slots=True)
class TotalsText:
    """The totals of the table's filters as ``_totals.html`` shows them."""

    eur: str
    eur_compact: str
    #: "from 8,355 pledges with a EUR value, 3 of them at a provisional rate, + 12 in-kind
    #: pledges without a value"
    notes: str
    #: "(31 listed but not added: ...)", or empty
    not_counted: str
    by_currency: tuple[CurrencyLine, ...]


def totals_text(totals: Totals, formats: LocalFormats) -> TotalsText:
    def counted(phrase: str, count: int) -> str:
        return phrase % {"counter": formats.count(count)}

    notes = [
        counted(
            ngettext(
                "from %(counter)s pledge with a EUR value",
                "from %(counter)s pledges with a EUR value",
                totals.valued,
            ),
            totals.valued,
        )
    ]
    if totals.provisional:
        phrase = ngettext(
            "%(counter)s of them at a provisional rate",
            "%(counter)s of them at a provisional rate",
            totals.provisional,
        )
        notes.append(counted(phrase, totals.provisional))
    if totals.in_kind_without_value:
        phrase = ngettext(
            "+ %(counter)s in-kind pledge without a value",
            "+ %(counter)s in-kind pledges without a value",
            totals.in_kind_without_value,
        )
        notes.append(counted(phrase, totals.in_kind_without_value))
    if totals.without_eur_rate:
        phrase = ngettext(
            "+ %(counter)s amount without an EUR rate",
            "+ %(counter)s amounts without an EUR rate",
            totals.without_eur_rate,
        )
        notes.append(counted(phrase, totals.without_eur_rate))
    not_counted = ""
    if totals.not_counted:
        phrase = ngettext(
            "(%(counter)s listed but not added: subset, aggregate or proposal)",
            "(%(counter)s listed but not added: subsets, aggregates, proposals)",
            totals.not_counted,
        )
        not_counted = counted(phrase, totals.not_counted)
    return TotalsText(
        eur=formats.amount(totals.amount_eur),
        eur_compact=money_compact(totals.amount_eur, language=formats.language),
        notes=", ".join(notes),
        not_counted=not_counted,
        by_currency=tuple(
            CurrencyLine(
                formats.amount(total.amount),
                total.currency,
                counted(
                    ngettext("%(counter)s pledge", "%(counter)s pledges", total.pledges),
                    total.pledges,
                ),
            )
            for total in totals.by_currency
        ),
    )


def count_html(pledges: int, formats: LocalFormats) -> SafeString:
    """ "<strong>8,355</strong> pledges": a translation of ours around a formatted number."""
    phrase = ngettext("<strong>%(n)s</strong> pledge", "<strong>%(n)s</strong> pledges", pledges)
    return mark_safe(phrase % {"n": formats.count(pledges)})  # noqa: S308


def table_context(
    request: HttpRequest,
    pledge_filter: PledgeFilter,
    page: Page,
    totals: Totals,
    *,
    target: str,
    export_url: str,
) -> dict:
    """What ``_pledge_table.html`` and its includes need. ``target`` is the element the filter
    chips refresh (the table itself, or the dashboard around it)."""
    formats = local_formats(get_language())
    sort = pledge_filter.sort_key
    labels = row_labels()
    return {
        "request": request,
        "filter": pledge_filter,
        "page": page,
        "totals": totals,
        "sort": sort,
        "chips": pledge_filter.chips(),
        "export_url": export_url,
        "target": target,
        "errors": pledge_filter.error_messages,
        "formats": formats,
        "labels": labels,
        "rows_html": rows_html(page.object_list, labels),
        "sorts": sort_links(request.GET, sort),
        "previous_url": query_with(request.GET, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": query_with(request.GET, page=page.next_page_number())
        if page.has_next()
        else "",
        "count_html": count_html(page.paginator.count, formats),
        "totals_text": totals_text(totals, formats),
    }


def render(template_name: str, context: dict) -> SafeString:
    """One of the table's Jinja2 templates, for a Django page to place as it is (Jinja2 has
    escaped every value)."""
    html = render_to_string(template_name, context, using="jinja2")
    return mark_safe(html)  # noqa: S308
