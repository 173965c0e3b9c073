"""The pledge table's rows: read as plain values, formatted once per page, written out here.

The table is the page analysts load most, and finding its fifty rows takes the database a few
milliseconds. Fifty model instances with their donors, categories, sentences and articles,
Django's localisation of every value and a template engine placing some 1,500 values cost
several times that. So the rows take a leaner path: ``values()`` instead of model instances,
each translation and number format looked up once per page, and the markup written by
``rows_html``, every value escaped as Django would.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from types import SimpleNamespace

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from articles.models import Sentence
from tracker.fx import fx_missing_reason
from tracker.models import Pledge, localized
from tracker.templatetags.pledges import local_formats

try:
    # MarkupSafe's escaping in C (Jinja2's), a fifth of html.escape's time on a row's values;
    # it escapes the same five characters.
    from markupsafe._speedups import _escape_inner as esc
except ImportError:  # MarkupSafe without its C speedups
    from html import escape as esc

#: What a row shows, read in one query with the donor, category and sentence joined.
ROW_VALUES = (
    "id",
    "amount",
    "qualifier",
    "currency",
    "quantity",
    "item",
    "amount_eur",
    "fx_rate",
    "fx_date",
    "fx_provisional",
    "part_of_id",
    "is_aggregate",
    "period",
    "stage",
    "announced_on",
    "date_precision",
    "donor__slug",
    "donor__name",
    "donor__name_de",
    "category__name",
    "category__name_de",
    "category__parent__name",
    "category__parent__name_de",
    "sentence__text",
    "sentence__position",
    "sentence__article__slug",
    "sentence__article__title",
    "sentence__article__publisher",
)


# Not frozen: a frozen dataclass sets each of its 32 fields through object.__setattr__, which
# made building a page's rows cost a third more.
@dataclass(slots=True)
class PledgeRow:
    id: int
    donor: str
    donor_url: str
    detail_url: str
    label: str
    has_amount: bool
    #: the qualifier's label ("about"), empty for an exact figure
    qualifier: str
    figure: str
    currency: str
    has_quantity: bool
    quantity: str
    item: str
    has_eur: bool
    eur: str
    eur_title: str
    fx: str
    fx_title: str
    #: the EUR value stands on the latest rate before the day's, which is not known yet
    provisional: bool
    no_rate: str
    category: str
    parent_category: str
    stage: str
    stage_label: str
    part_of_url: str
    part_of_label: str
    is_aggregate: bool
    period: str
    announced: str
    sentence_url: str
    sentence: str
    quote: str
    article_title: str
    publisher: str


def url_filler(name: str, sample: int | str) -> Callable[[int | str], str]:
    """``reverse(name, args=[key])`` for many keys: resolved once, then filled in per row."""
    before, after = reverse(name, args=[sample]).split(str(sample))
    return lambda key: f"{before}{key}{after}"


#: Characters outside Latin, its diacritics-free neighbours, general punctuation and currency
#: signs. Every combining character (U+0300 and up, none among U+2000-U+20CF) is one of them.
MAYBE_COMBINING = re.compile("[^\x00-\u02ff\u2000-\u20cf]")


def truncated(text: str, length: int) -> str:
    """``truncatechars(text, length)``, without its walk over every character when no
    combining mark can make the count differ from ``len``."""
    normal = unicodedata.is_normalized("NFC", text)
    if normal and len(text) <= length:
        return text
    if normal and (
        MAYBE_COMBINING.search(text, 0, length + 1) is None
        or not any(unicodedata.combining(char) for char in text[: length + 1])
    ):
        return f"{text[: length - 1]}…"
    return Truncator(text).chars(length)


@cache
def rows_queryset() -> QuerySet:
    """What ``pledge_rows`` reads, its columns and joins resolved once per process: every
    page then only adds its ids."""
    return Pledge.objects.values(*ROW_VALUES)


@lru_cache(maxsize=64)
def rows_statement(alias: str, vendor: str, count: int) -> tuple[str, SQLCompiler] | None:
    """The SQL that reads ``count`` rows by id, compiled once per process and page length
    (compiling it cost as much as running it), with the compiler that converts its values.
    None if the ids are not the statement's only parameters, in order."""
    sample = list(range(-count, 0))
    compiler = rows_queryset().filter(pk__in=sample).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    return (sql, compiler) if list(params) == sample else None


def rows_values(ids: Sequence[int]) -> Iterable[dict]:
    """``rows_queryset().filter(pk__in=ids)``, through the statement compiled for their
    number."""
    connection = connections[DEFAULT_DB_ALIAS]
    statement = rows_statement(connection.alias, connection.vendor, len(ids))
    if statement is None or len(set(ids)) != len(ids):
        return rows_queryset().filter(pk__in=ids)
    sql, compiler = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        results = cursor.fetchall()
    return (dict(zip(ROW_VALUES, row, strict=True)) for row in compiler.results_iter([results]))


def pledge_rows(ids: Sequence[int]) -> list[PledgeRow]:
    """The rows of one page of the table, in the order of ``ids``."""
    found = {values["id"]: values for values in rows_values(ids)} if ids else {}
    language = get_language()
    formats = local_formats(language)
    donor_url = url_filler("donor-detail", "donor-slug")
    detail_url = url_filler("pledge-detail", 123456789)
    article_url = url_filler("article-detail", "article-slug")
    pledge_label = gettext("Pledge #%(id)s")
    subset_label = gettext("subset of #%(id)s")
    rate_title = gettext("ECB reference rate of %(day)s")
    rate_text = gettext("at %(rate)s %(currency)s/EUR")
    quote = gettext("“%(text)s”")
    stages = {value: str(label) for value, label in Pledge.Stage.choices}
    qualifiers = {value: str(label) for value, label in Pledge.Qualifier.choices}
    qualifiers[Pledge.Qualifier.EXACT] = ""
    rows = []
    for pk in ids:
        if (pledge := found.get(pk)) is None:
            continue  # deleted between the two queries
        figure: Decimal | None = pledge["amount"]
        eur: Decimal | None = pledge["amount_eur"]
        currency = pledge["currency"]
        fx = currency != "EUR" and eur is not None
        announced_on = pledge["announced_on"]
        part_of = pledge["part_of_id"]
        rows.append(
            PledgeRow(
                id=pk,
                donor=localized(pledge["donor__name"], pledge["donor__name_de"], language),
                donor_url=donor_url(pledge["donor__slug"]),
                detail_url=detail_url(pk),
                label=pledge_label % {"id": pk},
                has_amount=figure is not None,
                qualifier=qualifiers.get(pledge["qualifier"], pledge["qualifier"]),
                figure=formats.amount(figure),
                currency=currency,
                has_quantity=pledge["quantity"] is not None,
                quantity=formats.count(pledge["quantity"]),
                item=pledge["item"],
                has_eur=eur is not None,
                eur=formats.amount(eur, 0) if eur is not None else "",
                eur_title=formats.amount(eur),
                fx=rate_text % {"rate": formats.normalize(pledge["fx_rate"]), "currency": currency}
                if fx
                else "",
                fx_title=rate_title % {"day": formats.date(pledge["fx_date"])} if fx else "",
                provisional=pledge["fx_provisional"],
                no_rate=fx_missing_reason(
                    SimpleNamespace(
                        amount=figure, amount_eur=eur, currency=currency, announced_on=announced_on
                    )
                )
                if figure is not None and eur is None
                else "",
                category=localized(pledge["category__name"], pledge["category__name_de"], language),
                parent_category=localized(
                    pledge["category__parent__name"], pledge["category__parent__name_de"], language
                )
                if pledge["category__parent__name"] is not None
                else "",
                stage=pledge["stage"],
                stage_label=stages.get(pledge["stage"], pledge["stage"]),
                part_of_url=detail_url(part_of) if part_of else "",
                part_of_label=subset_label % {"id": part_of} if part_of else "",
                is_aggregate=pledge["is_aggregate"],
                period=pledge["period"],
                announced=formats.date(announced_on, pledge["date_precision"])
                if announced_on
                else "",
                sentence_url=(
                    f"{article_url(pledge['sentence__article__slug'])}"
                    f"#{Sentence.anchor_of(pledge['sentence__position'])}"
                ),
                sentence=pledge["sentence__text"],
                quote=quote % {"text": truncated(pledge["sentence__text"], 140)},
                article_title=truncated(pledge["sentence__article__title"], 70),
                publisher=pledge["sentence__article__publisher"],
            )
        )
    return rows


def row_labels() -> dict[str, str]:
    """The labels every row repeats, translated once per page."""
    return {
        "donor": gettext("Donor"),
        "amount": gettext("Amount or items"),
        "eur": gettext("In EUR"),
        "category": gettext("Category"),
        "stage": gettext("Stage"),
        "announced": gettext("Announced"),
        "source": gettext("Source"),
        "no_rate": gettext("no EUR rate"),
        "provisional": gettext("provisional"),
        "provisional_title": gettext(
            "At the latest ECB rate known: the rate of the announcement day is not published "
            "yet. Recomputed when it is."
        ),
        "part_of": gettext("Part of a larger pledge; not added to totals"),
        "aggregate_title": gettext("A reported cumulative figure; not added to totals"),
        "aggregate": gettext("aggregate"),
    }


def rows_html(rows: Sequence[PledgeRow], labels: dict[str, str]) -> SafeString:
    """The ``<tr>`` elements of ``rows``, for ``_pledge_table.html`` to place; ``labels``
    from ``row_labels``.

    Written out here rather than by a template: fifty rows of thirty values each took Jinja2
    1.5 ms to place, this 0.2 ms. Every value passes through ``esc``, which escapes the five
    characters Django's escaping escapes; ``tests/test_tracker_escaping.py`` fills every field
    with markup.
    """
    label = {name: esc(text) for name, text in labels.items()}
    out = []
    for row in rows:
        amount = kind = eur = ""
        qualifier = f'<span class="qualifier">{esc(row.qualifier)}</span> ' if row.qualifier else ""
        if row.has_amount:
            amount = (
                f'{qualifier}{esc(row.figure)}&nbsp;<span class="currency">{esc(row.currency)}'
                "</span>\n"
            )
        if row.has_quantity or row.item:
            quantity = ""
            if row.has_quantity:
                quantity = f"{'' if row.has_amount else qualifier}{esc(row.quantity)} "
            kind = f'<span class="in-kind">{quantity}{esc(row.item)}</span>\n'
        if row.has_eur:
            fx = ""
            if row.fx:
                fx = f'<span class="fx" title="{esc(row.fx_title)}">{esc(row.fx)}</span>'
            if row.provisional:
                fx += (
                    f'<span class="badge flag provisional" title="{label["provisional_title"]}">'
                    f"{label['provisional']}</span>"
                )
            eur = (
                f'<span title="{esc(row.eur_title)} EUR">{esc(row.eur)}</span>'
                f'&nbsp;<span class="currency">EUR</span>{fx}\n'
            )
        elif row.has_amount:
            eur = f'<span class="muted" title="{esc(row.no_rate)}">{label["no_rate"]}</span>\n'
        parent = ""
        if row.parent_category:
            parent = f'<span class="muted"> · {esc(row.parent_category)}</span>'
        flags = ""
        if row.part_of_url:
            flags += (
                f'<a class="badge flag" href="{esc(row.part_of_url)}" title="{label["part_of"]}">'
                f"{esc(row.part_of_label)}</a>\n"
            )
        if row.is_aggregate:
            flags += (
                f'<span class="badge flag" title="{label["aggregate_title"]}">'
                f"{label['aggregate']}</span>\n"
            )
        if row.period:
            flags += f'<span class="period">{esc(row.period)}</span>\n'
        publisher = f" · {esc(row.publisher)}" if row.publisher else ""
        out.append(
            f"""<tr id="p-{row.id}">
<td class="donor" data-label="{label["donor"]}">
<a href="{esc(row.donor_url)}">{esc(row.donor)}</a>
<a class="pledge-link" href="{esc(row.detail_url)}">{esc(row.label)}</a>
</td>
<td class="num" data-label="{label["amount"]}">
{amount}{kind}</td>
<td class="num eur" data-label="{label["eur"]}">
{eur}</td>
<td data-label="{label["category"]}">{esc(row.category)}{parent}</td>
<td data-label="{label["stage"]}">
<span class="badge stage-{esc(row.stage)}">{esc(row.stage_label)}</span>
{flags}</td>
<td class="date" data-label="{label["announced"]}">{esc(row.announced)}</td>
<td class="source" data-label="{label["source"]}">
<a href="{esc(row.sentence_url)}" title="{esc(row.sentence)}">{esc(row.quote)}</a>
<span class="source-article">{esc(row.article_title)}{publisher}</span>
</td>
</tr>
"""
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
