"""CSV export: every filtered pledge, one row each, in the columns of DESIGN.md.

Rows are produced lazily from a server-side iterator, so memory stays flat however many rows
match. Text that a spreadsheet would run as a formula is neutralised with a leading quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet

from tracker.models import Pledge

COLUMNS = (
    "id",
    "donor",
    "donor_iso2",
    "recipient",
    "category",
    "subcategory",
    "stage",
    "qualifier",
    "amount",
    "currency",
    "amount_eur",
    "fx_rate",
    "fx_date",
    "quantity",
    "item",
    "announced_on",
    "date_precision",
    "part_of_id",
    "is_aggregate",
    "article_slug",
    "article_title",
    "article_url",
    "published_on",
    "sentence_position",
    "sentence_text",
    "sentence_link",
    "notes",
    "updated_at",
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_neutralise(value: str) -> str:
    """Prefix a quote to text a spreadsheet would evaluate (OWASP CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def pledge_row(pledge: Pledge, *, sentence_link: Callable[[Pledge], str]) -> list[str]:
    category = pledge.category
    top, sub = (category.parent, category) if category.parent_id else (category, None)
    article = pledge.sentence.article
    text = cell_neutralise
    return [
        _plain(pledge.id),
        text(pledge.donor.name),
        pledge.donor.iso2,
        text(pledge.recipient),
        top.slug,
        sub.slug if sub else "",
        pledge.stage,
        pledge.qualifier,
        _plain(pledge.amount),
        pledge.currency,
        _plain(pledge.amount_eur),
        _plain(pledge.fx_rate),
        _plain(pledge.fx_date),
        _plain(pledge.quantity),
        text(pledge.item),
        _plain(pledge.announced_on),
        pledge.date_precision,
        _plain(pledge.part_of_id),
        _plain(pledge.is_aggregate),
        article.slug,
        text(article.title),
        text(article.url),
        _plain(article.published_on),
        _plain(pledge.sentence.position),
        text(pledge.sentence.text),
        sentence_link(pledge),
        text(pledge.notes),
        _plain(pledge.updated_at),
    ]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    queryset: QuerySet[Pledge], *, sentence_link: Callable[[Pledge], str]
) -> Iterator[str]:
    """The header, then one CSV line per pledge, produced as the rows arrive."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(COLUMNS)
    for pledge in queryset.iterator(chunk_size=2000):
        yield writer.writerow(pledge_row(pledge, sentence_link=sentence_link))


def csv_table(header: tuple[str, ...], rows: list[tuple]) -> str:
    """A small CSV (the totals), with the same cell rules as the pledge export."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [cell_neutralise(value) if isinstance(value, str) else _plain(value) for value in row]
        )
    return out.getvalue()
