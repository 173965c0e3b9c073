"""What the API answers, as the OpenAPI document describes it.

Money is a string of a decimal number (``"6600000000.00"``), dates and times ISO 8601, links
absolute. Every answer names its licence and the data release it reads; the pledges of a
release (``?release=N``) are its CSV rows (``ReleasedPledge``).
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from tracker.selectors.datapackage import FIELDS

Money = str


def column(name: str) -> str:
    """The description of a release's column, as its data package gives it."""
    return FIELDS[name][1]


class Licence(Schema):
    name: str = Field(description="SPDX identifier", examples=["CC-BY-4.0"])
    title: str
    url: str


class Envelope(Schema):
    licence: Licence
    release: str = Field(
        description='The data release read: its number ("3") for `?release=3`, "live" for the '
        "data as they are now."
    )


class DonorRef(Schema):
    slug: str
    name: str
    iso2: str = Field(description="ISO 3166 alpha-2, empty for organisations and groups")


class ArticleRef(Schema):
    slug: str
    title: str
    publisher: str
    url: str = Field(description="The publisher's page, as received (may be empty)")
    published_on: date | None


class SentenceRef(Schema):
    position: int = Field(description="1 for the article's first sentence")
    start: int = Field(description="Offset of the sentence in the article body, in code points")
    end: int = Field(description="body[start:end] == text")
    text: str


class Evidence(Schema):
    article: ArticleRef
    sentence: SentenceRef
    reader_link: str = Field(description="Our reader at the sentence (#s-<position>)")
    source_link: str | None = Field(
        description="The publisher's page at the quoted words (a #:~:text= fragment); "
        "null when the article has no web address"
    )


class Pledge(Schema):
    id: int = Field(description="Stable: a pledge keeps its id")
    url: str = Field(description="This record in the API")
    page: str = Field(description="The pledge's page on the site")
    donor: DonorRef
    recipient: str
    category: str = Field(description="Top-level category slug")
    subcategory: str | None
    stage: str = Field(description="proposed, pledged, allocated or delivered")
    qualifier: str = Field(description="exact, approx, over, at_least or up_to")
    amount: Money | None = Field(description="In the original currency")
    currency: str = Field(description="ISO 4217")
    amount_eur: Money | None = Field(description="At the ECB reference rate of fx_date")
    fx_rate: Money | None = Field(description="Units of the currency per EUR")
    fx_date: date | None
    fx_provisional: bool = Field(description="Converted at a later day's rate until its own")
    quantity: int | None = Field(description="Items in kind")
    item: str
    announced_on: date | None
    date_precision: str = Field(description="day, month or year")
    period: str
    part_of_id: int | None = Field(description="The larger pledge this one is part of")
    is_aggregate: bool = Field(description="A reported cumulative figure, not a new pledge")
    review_status: str = Field(description="draft or reviewed")
    notes: str
    updated_at: datetime
    evidence: Evidence


class PledgeDetail(Pledge):
    further_evidence: list[Evidence] = Field(
        description="Other sentences (other articles) reporting the same pledge"
    )


class ReleasedPledge(Schema):
    """A pledge as a numbered release published it: the row of the release's CSV
    (`/releases/N/pledges.csv`), column for column, with the same values. Empty text is an
    empty string; an empty number or date is null; text is never prefixed as the CSV's
    formulas are."""

    id: int = Field(description=column("id"))
    url: str = Field(description="This record in the API, in the same release")
    donor: str = Field(description=column("donor"))
    donor_iso2: str = Field(description=column("donor_iso2"))
    recipient: str = Field(description=column("recipient"))
    category: str = Field(description=column("category"))
    subcategory: str = Field(description=column("subcategory"))
    stage: str = Field(description=column("stage"))
    qualifier: str = Field(description=column("qualifier"))
    amount: Money | None = Field(description=column("amount"))
    currency: str = Field(description=column("currency"))
    amount_eur: Money | None = Field(description=column("amount_eur"))
    fx_rate: Money | None = Field(description=column("fx_rate"))
    fx_date: date | None = Field(description="The day of the rate (see fx_provisional)")
    quantity: int | None = Field(description=column("quantity"))
    item: str = Field(description=column("item"))
    announced_on: date | None = Field(description=column("announced_on"))
    date_precision: str = Field(description=column("date_precision"))
    part_of_id: int | None = Field(description=column("part_of_id"))
    is_aggregate: bool = Field(description=column("is_aggregate"))
    article_slug: str = Field(description=column("article_slug"))
    article_title: str = Field(description=column("article_title"))
    article_url: str = Field(description=column("article_url"))
    published_on: date | None = Field(description=column("published_on"))
    sentence_position: int = Field(description=column("sentence_position"))
    sentence_text: str = Field(description=column("sentence_text"))
    sentence_link: str = Field(description=column("sentence_link"))
    notes: str = Field(description=column("notes"))
    updated_at: datetime = Field(description=column("updated_at"))
    fx_provisional: bool = Field(description=column("fx_provisional"))
    category_label: str = Field(description=column("category_label"))
    subcategory_label: str = Field(description=column("subcategory_label"))
    source_link: str = Field(
        description="The publisher's page at the quoted words; empty without a web address"
    )


class PledgeList(Envelope):
    count: int = Field(description="Pledges matching the filters, on every page together")
    limit: int
    next: str | None = Field(description="The next page: the same query, after the last record")
    results: list[Pledge | ReleasedPledge] = Field(
        description="Live pledges (Pledge); with `?release=N`, that release's (ReleasedPledge)"
    )


class PledgeOne(Envelope):
    result: PledgeDetail | ReleasedPledge = Field(
        description="The live pledge (PledgeDetail); with `?release=N`, as that release has it "
        "(ReleasedPledge)"
    )


class Donor(Schema):
    slug: str
    name: str
    name_de: str
    iso2: str
    kind: str = Field(description="country, organisation or group")
    pledges: int = Field(description="Its pledges, all stages")
    page: str
    pledges_url: str = Field(description="Its pledges in the API")


class DonorList(Envelope):
    results: list[Donor]


class Category(Schema):
    slug: str
    name: str
    name_de: str
    parent: str | None = Field(description="The parent's slug; null for a top-level category")


class CategoryList(Envelope):
    results: list[Category]


class TotalsList(Envelope):
    by: str = Field(description="The grouping; empty for one overall row")
    results: list[dict[str, str | int | None]] = Field(
        description="The rows of /pledges/totals.csv: the group's columns, then amount_eur "
        "(a string), pledges_with_eur, in_kind_without_value, without_eur_rate, "
        "listed_not_added"
    )


class Article(Schema):
    id: int
    slug: str
    title: str
    publisher: str
    url: str
    published_on: date | None
    language: str
    reader: str = Field(description="The article in our reader")
    pledges_url: str = Field(description="Its pledges in the API")


class ArticleList(Envelope):
    limit: int
    next: str | None
    results: list[Article]


class Problem(Schema):
    detail: str
    errors: list[str] = Field(default=[], description="Each parameter not understood")
