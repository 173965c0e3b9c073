"""The API's reads: pledges, donors, categories, totals and articles as plain JSON values.

The pledges are the table's: the same filter (``PledgeFilter``), sort and keyset cursor
(``tracker/selectors/table.py``), so ``/api/pledges?<query>`` lists the rows of
``/pledges/?<query>`` and ``/pledges/export.csv?<query>``; with ``?release=N`` over the rows of
that release, each record then the release's CSV row (``released_records``). Money is written
as a string
(``"6600000000.00"``: a JSON number would pass through floating point in most readers), dates
in ISO 8601. Links are absolute, built from ``root`` ("https://host").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet
from django.http import QueryDict
from django.urls import reverse

from articles.models import Article, Sentence
from articles.text_fragments import text_fragment_url
from tracker.filters import PledgeFilter, query_without
from tracker.models import Category, Donor, Pledge, Release
from tracker.selectors.breakdowns import TOTALS_GROUPS, totals_table
from tracker.selectors.export import COLUMNS, export_values, plain_cell
from tracker.selectors.table import ids_after, page_ids, pledge_filter
from tracker.selectors.totals import totals_overall

#: Pledges a page of the API holds unless ``limit`` says otherwise, and at most.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: The largest id a cursor may name: the databases' 64-bit integers.
MAX_ID = 2**63 - 1

#: What a pledge record reads, in one query for a whole page.
RECORD_VALUES = (
    "id",
    "donor__slug",
    "donor__name",
    "donor__iso2",
    "recipient",
    "category__slug",
    "category__parent__slug",
    "stage",
    "qualifier",
    "amount",
    "currency",
    "amount_eur",
    "fx_rate",
    "fx_date",
    "fx_provisional",
    "quantity",
    "item",
    "announced_on",
    "date_precision",
    "period",
    "part_of_id",
    "is_aggregate",
    "review_status",
    "notes",
    "updated_at",
    "sentence__position",
    "sentence__start",
    "sentence__end",
    "sentence__text",
    "sentence__article__slug",
    "sentence__article__title",
    "sentence__article__publisher",
    "sentence__article__url",
    "sentence__article__published_on",
)


class Refused(Exception):
    """Parameters the API cannot follow: each named with what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def json_value(value: Any) -> Any:
    """Decimals as strings, dates as ISO 8601; anything else as it is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def filter_problems(filters: PledgeFilter) -> list[str]:
    """Each parameter the table's filter could not understand, by its name in the query."""
    return [f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items()]


def positive_int(text: str | None, name: str, *, default: int, most: int) -> int:
    """A whole number from 1 to ``most`` given as ``name``, or ``default`` when absent."""
    if text is None or text == "":
        return default
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(most))
    if not digits or not 1 <= int(text) <= most:
        raise Refused([f"{name}: a whole number from 1 to {most}."])
    return int(text)


def paging(query: QueryDict) -> tuple[int, int, list[str]]:
    """The page size (``limit``) and the cursor (``after``, 0 for none) ``query`` asks for,
    and what is wrong with them."""
    problems, limit, after = [], DEFAULT_LIMIT, 0
    try:
        limit = positive_int(query.get("limit"), "limit", default=DEFAULT_LIMIT, most=MAX_LIMIT)
    except Refused as refused:
        problems += refused.problems
    try:
        after = positive_int(query.get("after"), "after", default=0, most=MAX_ID)
    except Refused as refused:
        problems += refused.problems
    return limit, after, problems


@dataclass(frozen=True)
class PledgePage:
    records: list[dict[str, Any]]
    #: the matching pledges, all pages together
    count: int
    limit: int
    #: the query of the next page (the same filters, ``after`` the last record), or None
    next_query: str | None


def pledges_page(query: QueryDict, *, release: Release | None, root: str) -> PledgePage:
    """The page of pledges ``query`` asks for: the table's filters and sort, ``limit``
    records ``after`` the pledge of that id; of the live pledges, or of ``release``."""
    filters = pledge_filter(query_without(query, "limit"), release=release)
    limit, after, problems = paging(query)
    problems = filter_problems(filters) + problems
    keys = filters.sort_keys[filters.sort_key]
    # A release's rows are known by their pledge's id, which the cursor carries.
    rows: QuerySet[Any] = Pledge.objects.all()
    id_field = "pk"
    if release is not None:
        rows, id_field = release.pledges.all(), "pledge_id"
    position = None
    if after:
        position = rows.filter(**{id_field: after}).values(*(key.field for key in keys)).first()
    if after and position is None:
        held = f"there is no pledge {after}"
        if release is not None:
            held = f"release {release.number} holds no pledge {after}"
        problems.append(f"after: {held}; start again without after.")
    if problems:
        raise Refused(problems)

    if position is None:
        ids = page_ids(filters.qs[: limit + 1], id_field)
    else:
        ids = ids_after(filters.qs, keys, position, limit + 1, id_field)
    more, ids = len(ids) > limit, ids[:limit]
    totals = totals_overall(filters.totals_qs, include_proposed=filters.include_proposed_in_totals)
    next_query = None
    if more:
        following = query_without(query)
        following["after"] = str(ids[-1])
        next_query = following.urlencode()
    if release is None:
        records = pledge_records(ids, root=root)
    else:
        records = released_records(release, ids, root=root)
    return PledgePage(records=records, count=totals.pledges, limit=limit, next_query=next_query)


def pledge_records(ids: list[int], *, root: str) -> list[dict[str, Any]]:
    """The records of the pledges ``ids``, in the order given."""
    found = {row["id"]: row for row in Pledge.objects.filter(pk__in=ids).values(*RECORD_VALUES)}
    return [pledge_record(found[pk], root=root) for pk in ids if pk in found]


def pledge_record(row: dict[str, Any], *, root: str) -> dict[str, Any]:
    """One pledge as the API writes it, from its ``RECORD_VALUES``."""
    pk = row["id"]
    parent = row["category__parent__slug"]
    return {
        "id": pk,
        "url": root + reverse("api:pledge", args=[pk]),
        "page": root + reverse("pledge-detail", args=[pk]),
        "donor": {
            "slug": row["donor__slug"],
            "name": row["donor__name"],
            "iso2": row["donor__iso2"],
        },
        "recipient": row["recipient"],
        "category": parent or row["category__slug"],
        "subcategory": row["category__slug"] if parent else None,
        "stage": row["stage"],
        "qualifier": row["qualifier"],
        "amount": json_value(row["amount"]),
        "currency": row["currency"],
        "amount_eur": json_value(row["amount_eur"]),
        "fx_rate": json_value(row["fx_rate"]),
        "fx_date": json_value(row["fx_date"]),
        "fx_provisional": row["fx_provisional"],
        "quantity": row["quantity"],
        "item": row["item"],
        "announced_on": json_value(row["announced_on"]),
        "date_precision": row["date_precision"],
        "period": row["period"],
        "part_of_id": row["part_of_id"],
        "is_aggregate": row["is_aggregate"],
        "review_status": row["review_status"],
        "notes": row["notes"],
        "updated_at": json_value(row["updated_at"]),
        "evidence": evidence_record(
            slug=row["sentence__article__slug"],
            title=row["sentence__article__title"],
            publisher=row["sentence__article__publisher"],
            url=row["sentence__article__url"],
            published_on=row["sentence__article__published_on"],
            position=row["sentence__position"],
            start=row["sentence__start"],
            end=row["sentence__end"],
            text=row["sentence__text"],
            root=root,
        ),
    }


def evidence_record(
    *,
    slug: str,
    title: str,
    publisher: str,
    url: str,
    published_on: date | None,
    position: int,
    start: int,
    end: int,
    text: str,
    root: str,
) -> dict[str, Any]:
    """A sentence that states a pledge: its article, its words and where they are, our
    reader at the sentence and the publisher's page at the same words."""
    return {
        "article": {
            "slug": slug,
            "title": title,
            "publisher": publisher,
            "url": url,
            "published_on": json_value(published_on),
        },
        "sentence": {"position": position, "start": start, "end": end, "text": text},
        "reader_link": f"{root}{reverse('article-detail', args=[slug])}#"
        + Sentence.anchor_of(position),
        "source_link": text_fragment_url(url, text) or None,
    }


def pledge_detail(pk: int, *, root: str) -> dict[str, Any] | None:
    """One pledge's record with every further sentence that reports it, or None."""
    records = pledge_records([pk], root=root)
    if not records:
        return None
    further = (
        Sentence.objects.filter(supporting_pledges=pk)
        .order_by("article__slug", "position")
        .values(
            "position",
            "start",
            "end",
            "text",
            slug=F("article__slug"),
            title=F("article__title"),
            publisher=F("article__publisher"),
            url=F("article__url"),
            published_on=F("article__published_on"),
        )
    )
    return {
        **records[0],
        "further_evidence": [evidence_record(**values, root=root) for values in further],
    }


def released_records(release: Release, ids: list[int], *, root: str) -> list[dict[str, Any]]:
    """The pledges ``ids`` as ``release`` published them, in the order given: each its row
    of the release's CSV, with the same values (``export_values``), numbers and booleans
    as JSON's own, and a link to the record in the API."""
    rows = export_values(release.pledges.filter(pledge_id__in=ids))
    found = {row["c_id"]: row for row in rows}
    return [released_record(found[pk], release, root=root) for pk in ids if pk in found]


def released_record(row: dict[str, Any], release: Release, *, root: str) -> dict[str, Any]:
    """One row of ``export_values`` of a release as the API writes it, in the CSV's columns."""
    pk, slug, position = row["c_id"], row["c_article_slug"], row["c_sentence_position"]
    record: dict[str, Any] = {
        "id": pk,
        "url": f"{root}{reverse('api:pledge', args=[pk])}?release={release.number}",
    }
    for column in COLUMNS[1:]:
        if column == "sentence_link":
            record[column] = (
                f"{root}{reverse('article-detail', args=[slug])}#{Sentence.anchor_of(position)}"
            )
        elif column == "source_link":
            record[column] = text_fragment_url(row["c_article_url"], row["c_sentence_text"])
        else:
            value = row[f"c_{column}"]
            # Money, dates and the time of the last edit as the CSV writes them.
            record[column] = plain_cell(value) if isinstance(value, Decimal | date) else value
    return record


def released_pledge(release: Release, pk: int, *, root: str) -> dict[str, Any] | None:
    """One pledge as ``release`` published it, or None when the release does not hold it."""
    records = released_records(release, [pk], root=root)
    return records[0] if records else None


def donor_records(*, root: str) -> list[dict[str, Any]]:
    """Every donor, by name, with its number of pledges and the links to them."""
    donors = Donor.objects.annotate(pledge_count=Count("pledges")).order_by("name")
    return [
        {
            "slug": donor.slug,
            "name": donor.name,
            "name_de": donor.name_de,
            "iso2": donor.iso2,
            "kind": donor.kind,
            "pledges": donor.pledge_count,
            "page": root + reverse("donor-detail", args=[donor.slug]),
            "pledges_url": f"{root}{reverse('api:pledges')}?donor={donor.slug}",
        }
        for donor in donors
    ]


def category_records() -> list[dict[str, Any]]:
    """Every category, top-level ones first, each with its parent's slug."""
    categories = Category.objects.select_related("parent").order_by(
        F("parent__position").asc(nulls_first=True), "parent__slug", "position", "slug"
    )
    return [
        {
            "slug": category.slug,
            "name": category.name,
            "name_de": category.name_de,
            "parent": category.parent.slug if category.parent else None,
        }
        for category in categories
    ]


def totals_records(
    query: QueryDict, *, release: Release | None
) -> tuple[str, list[dict[str, Any]]]:
    """The totals of the table's filters, overall or grouped by ``by``, of the live pledges
    or of ``release``: the rows of ``/pledges/totals.csv`` with the same query, as records."""
    filters = pledge_filter(query_without(query, "by"), release=release)
    by = query.get("by", "")
    problems = filter_problems(filters)
    if by not in TOTALS_GROUPS:
        choices = ", ".join(name for name in TOTALS_GROUPS if name)
        problems.append(f"by: one of {choices}, or nothing.")
    if problems:
        raise Refused(problems)
    header, rows = totals_table(
        filters.totals_qs,
        by=by,
        detailed=filters.detailed_totals_qs,
        include_proposed=filters.include_proposed_in_totals,
    )
    return by, [
        {name: json_value(value) for name, value in zip(header, row, strict=True)} for row in rows
    ]


def article_records(query: QueryDict, *, root: str) -> tuple[list[dict[str, Any]], int, int | None]:
    """``limit`` articles in the order they were loaded, ``after`` the one of that id; the
    limit; and the id to continue after, if there are more."""
    limit, after, problems = paging(query)
    if problems:
        raise Refused(problems)
    articles = list(
        Article.objects.filter(pk__gt=after)
        .order_by("pk")
        .values("pk", "slug", "title", "publisher", "url", "published_on", "language")[: limit + 1]
    )
    more, articles = len(articles) > limit, articles[:limit]
    records = [
        {
            "id": article["pk"],
            "slug": article["slug"],
            "title": article["title"],
            "publisher": article["publisher"],
            "url": article["url"],
            "published_on": json_value(article["published_on"]),
            "language": article["language"],
            "reader": root + reverse("article-detail", args=[article["slug"]]),
            "pledges_url": f"{root}{reverse('api:pledges')}?article={article['slug']}",
        }
        for article in articles
    ]
    return records, limit, articles[-1]["pk"] if more else None
