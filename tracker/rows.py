"""The pledge table's rows, with their text prepared in Python once per page.

Fifty rows formatted by template filters and tags (a link, a translated label and a formatted
figure per cell) cost more to render than the database takes to find them. Here each row's
links, labels and figures are made by the same functions the filters use, with each
translation looked up once per page; ``_pledge_table.html`` places them and escapes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from tracker.models import Pledge
from tracker.services.fx import fx_missing_reason
from tracker.templatetags.pledges import amount, announced, count, normalize


@dataclass(frozen=True, slots=True)
class PledgeRow:
    pledge: Pledge
    donor_url: str
    detail_url: str
    label: str
    figure: str
    quantity: str
    eur: str
    eur_title: str
    fx: str
    fx_title: str
    no_rate: str
    part_of_url: str
    part_of_label: str
    announced: str
    sentence_url: str
    quote: str
    article_title: str


def url_filler(name: str, sample: int | str) -> Callable[[int | str], str]:
    """``reverse(name, args=[key])`` for many keys: resolved once, then filled in per row."""
    before, after = reverse(name, args=[sample]).split(str(sample))
    return lambda key: f"{before}{key}{after}"


def pledge_rows(pledges: Iterable[Pledge]) -> list[PledgeRow]:
    """The rows of one page of the table, from pledges loaded by ``for_table()``."""
    donor_url = url_filler("donor-detail", "donor-slug")
    detail_url = url_filler("pledge-detail", 123456789)
    article_url = url_filler("article-detail", "article-slug")
    pledge_label = gettext("Pledge #%(id)s")
    subset_label = gettext("subset of #%(id)s")
    rate_title = gettext("ECB reference rate of %(day)s")
    rate_text = gettext("at %(rate)s %(currency)s/EUR")
    quote = gettext("“%(text)s”")
    rows = []
    for pledge in pledges:
        sentence = pledge.sentence
        eur, fx = pledge.amount_eur, pledge.currency != "EUR" and pledge.amount_eur is not None
        rows.append(
            PledgeRow(
                pledge=pledge,
                donor_url=donor_url(pledge.donor.slug),
                detail_url=detail_url(pledge.pk),
                label=pledge_label % {"id": pledge.pk},
                figure=amount(pledge.amount),
                quantity=count(pledge.quantity),
                eur=amount(eur, 0) if eur is not None else "",
                eur_title=amount(eur) if eur is not None else "",
                fx=rate_text % {"rate": normalize(pledge.fx_rate), "currency": pledge.currency}
                if fx
                else "",
                fx_title=rate_title % {"day": formats.date_format(pledge.fx_date, "DATE_FORMAT")}
                if fx
                else "",
                no_rate=fx_missing_reason(pledge),
                part_of_url=detail_url(pledge.part_of_id) if pledge.part_of_id else "",
                part_of_label=subset_label % {"id": pledge.part_of_id},
                announced=announced(pledge),
                sentence_url=f"{article_url(sentence.article.slug)}#{sentence.anchor}",
                quote=quote % {"text": truncatechars(sentence.text, 140)},
                article_title=truncatechars(sentence.article.title, 70),
            )
        )
    return rows
