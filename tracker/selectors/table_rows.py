"""The rows of the pledge table: each pledge's values as the table prints them.

A page prints fifty rows of some twenty values. Given model instances, the template reached
each value through related objects and a filter, and its lookups cost more than the query;
here one query reads the values and each row is a dictionary of ready text, which the template
(``tracker/pledge_list.html#pledge-table``) only places in its markup.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from django.urls import reverse
from django.utils.translation import get_language, gettext

from articles.models import Sentence
from tracker.fx import fx_missing_reason
from tracker.local_formats import LocalFormats, local_formats
from tracker.models import Pledge, Release
from tracker.models.pledges import localized

#: What a row reads, all in one query.
ROW_VALUES = (
    "id",
    "donor__slug",
    "donor__name",
    "donor__name_de",
    "amount",
    "currency",
    "qualifier",
    "quantity",
    "item",
    "amount_eur",
    "fx_rate",
    "fx_date",
    "fx_provisional",
    "category__name",
    "category__name_de",
    "category__parent__name",
    "category__parent__name_de",
    "stage",
    "part_of_id",
    "is_aggregate",
    "period",
    "announced_on",
    "date_precision",
    "sentence__position",
    "sentence__text",
    "sentence__article__slug",
    "sentence__article__title",
    "sentence__article__publisher",
)


class TableRow(TypedDict):
    """One pledge as a row shows it. Empty text where the pledge has no such value."""

    id: int
    #: "Pledge #17" and the pledge's page
    label: str
    url: str
    donor: str
    donor_url: str
    #: the amount ("6,600,000,000"), its currency, and "about", "up to" ... unless exact
    amount: str
    currency: str
    amount_qualifier: str
    #: items in kind: "200", "Leopard 2 tanks", and the qualifier when there is no amount
    quantity: str
    item: str
    quantity_qualifier: str
    #: the value in EUR, rounded and exact; the rate ("at 1.0845 USD/EUR") and its day for a
    #: converted amount; ``provisional`` when the rate is not the announcement day's
    eur: str
    eur_exact: str
    fx_rate: str
    fx_day: str
    provisional: bool
    #: why an amount has no EUR value
    no_rate: str
    category: str
    parent_category: str
    stage: str
    stage_label: str
    #: the larger pledge this one is part of: "subset of #12" and its page
    part_of_label: str
    part_of_url: str
    aggregate: bool
    period: str
    #: the announcement date at the precision the source gives
    announced: str
    #: the sentence in quotation marks, and its place in the reader
    quote: str
    sentence_url: str
    article: str
    publisher: str


def table_rows(ids: list[int]) -> list[TableRow]:
    """The rows of the pledges ``ids``, in the order given."""
    pledges = Pledge.objects.filter(pk__in=ids).values(*ROW_VALUES)
    found = {values["id"]: values for values in pledges}
    language = get_language()
    row = RowMaker(local_formats(language), language)
    return [row(found[pk]) for pk in ids if pk in found]


def released_table_rows(release: Release, ids: list[int]) -> list[TableRow]:
    """The rows of the pledges ``ids`` as ``release`` has them, in the order given."""
    found = {}
    for kept in release.pledges.filter(pledge_id__in=ids).values():
        sub = bool(kept["subcategory"])
        found[kept["pledge_id"]] = {
            "id": kept["pledge_id"],
            "amount": kept["amount"],
            "currency": kept["currency"],
            "qualifier": kept["qualifier"],
            "quantity": kept["quantity"],
            "item": kept["item"],
            "amount_eur": kept["amount_eur"],
            "fx_rate": kept["fx_rate"],
            "fx_date": kept["fx_date"],
            "fx_provisional": kept["fx_provisional"],
            "stage": kept["stage"],
            "is_aggregate": kept["is_aggregate"],
            "period": kept["period"],
            "announced_on": kept["announced_on"],
            "date_precision": kept["date_precision"],
            "donor__slug": kept["donor_slug"],
            "donor__name": kept["donor"],
            "donor__name_de": kept["donor_name_de"],
            "category__name": kept["subcategory_label"] if sub else kept["category_label"],
            "category__name_de": kept["subcategory_label_de" if sub else "category_label_de"],
            "category__parent__name": kept["category_label"] if sub else None,
            "category__parent__name_de": kept["category_label_de"] if sub else None,
            "part_of_id": kept["part_of"],
            "sentence__position": kept["sentence_position"],
            "sentence__text": kept["sentence_text"],
            "sentence__article__slug": kept["article_slug"],
            "sentence__article__title": kept["article_title"],
            "sentence__article__publisher": kept["publisher"],
        }
    language = get_language()
    row = RowMaker(local_formats(language), language)
    return [row(found[pk]) for pk in ids if pk in found]


class RowMaker:
    """Makes the rows of one page, in one language. Donors and articles recur on a page: their
    addresses are worked out once each."""

    def __init__(self, formats: LocalFormats, language: str | None) -> None:
        self.formats = formats
        self.language = language
        self.donor_urls: dict[str, str] = {}
        self.article_urls: dict[str, str] = {}

    def __call__(self, values: dict[str, Any]) -> TableRow:
        formats, language = self.formats, self.language
        pk: int = values["id"]
        amount: Decimal | None = values["amount"]
        currency: str = values["currency"]
        qualifier = ""
        if values["qualifier"] != Pledge.Qualifier.EXACT:
            qualifier = str(Pledge.Qualifier(values["qualifier"]).label)
        eur: Decimal | None = values["amount_eur"]
        announced_on: date | None = values["announced_on"]
        part_of: int | None = values["part_of_id"]
        text: str = values["sentence__text"]
        converted = eur is not None and currency != "EUR"
        return {
            "id": pk,
            "label": gettext("Pledge #%(id)s") % {"id": pk},
            "url": reverse("pledge-detail", args=[pk]),
            "donor": localized(values["donor__name"], values["donor__name_de"], language),
            "donor_url": self.donor_url(values["donor__slug"]),
            "amount": formats.amount(amount),
            "currency": currency if amount is not None else "",
            "amount_qualifier": qualifier if amount is not None else "",
            "quantity": formats.count(values["quantity"]),
            "item": values["item"],
            "quantity_qualifier": qualifier
            if amount is None and values["quantity"] is not None
            else "",
            "eur": formats.amount(eur, 0),
            "eur_exact": formats.amount(eur),
            "fx_rate": self.fx_rate(values) if converted else "",
            "fx_day": self.fx_day(values["fx_date"]) if converted else "",
            "provisional": eur is not None and values["fx_provisional"],
            "no_rate": no_rate_reason(values) if amount is not None and eur is None else "",
            "category": localized(values["category__name"], values["category__name_de"], language),
            "parent_category": localized(
                values["category__parent__name"] or "",
                values["category__parent__name_de"],
                language,
            ),
            "stage": values["stage"],
            "stage_label": str(Pledge.Stage(values["stage"]).label),
            "part_of_label": gettext("subset of #%(id)s") % {"id": part_of} if part_of else "",
            "part_of_url": reverse("pledge-detail", args=[part_of]) if part_of else "",
            "aggregate": values["is_aggregate"],
            "period": values["period"],
            "announced": formats.date(announced_on, values["date_precision"])
            if announced_on is not None
            else "",
            "quote": gettext("“%(text)s”") % {"text": text},
            "sentence_url": self.sentence_url(
                values["sentence__article__slug"], values["sentence__position"]
            ),
            "article": values["sentence__article__title"],
            "publisher": values["sentence__article__publisher"],
        }

    def donor_url(self, slug: str) -> str:
        if slug not in self.donor_urls:
            self.donor_urls[slug] = reverse("donor-detail", args=[slug])
        return self.donor_urls[slug]

    def sentence_url(self, article_slug: str, position: int) -> str:
        if article_slug not in self.article_urls:
            self.article_urls[article_slug] = reverse("article-detail", args=[article_slug])
        return f"{self.article_urls[article_slug]}#{Sentence.anchor_of(position)}"

    def fx_rate(self, values: dict[str, Any]) -> str:
        """ "at 1.0845 USD/EUR": the ECB rate the amount was converted at."""
        rate = self.formats.normalize(values["fx_rate"])
        currency = values["currency"]
        return gettext("at %(rate)s %(currency)s/EUR") % {"rate": rate, "currency": currency}

    def fx_day(self, day: date | None) -> str:
        """ "ECB reference rate of 16 Jan 2025"."""
        if day is None:
            return ""
        return gettext("ECB reference rate of %(day)s") % {"day": self.formats.date(day)}


def no_rate_reason(values: dict[str, Any]) -> str:
    pledge = Pledge(
        amount=values["amount"],
        amount_eur=values["amount_eur"],
        currency=values["currency"],
        announced_on=values["announced_on"],
    )
    return fx_missing_reason(pledge)
