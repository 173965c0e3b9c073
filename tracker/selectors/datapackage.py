"""A release's ``datapackage.json``: a Frictionless Data Package describing its CSV.

The Table Schema gives every column of the export (tracker/selectors/export.py) its type,
description and, for the choices, the values it takes. Written from the release's row, so a
release's package is the same whenever it is asked for, but for the site's address.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.conf import settings
from django.urls import reverse

from tracker.models import Pledge, Release
from tracker.selectors.export import COLUMNS

#: Each column's Table Schema type and description, in the CSV's order.
FIELDS: dict[str, tuple[str, str]] = {
    "id": ("integer", "The pledge's id; stable across releases."),
    "donor": ("string", "The donor's name: a country, an organisation or a group of donors."),
    "donor_iso2": ("string", "The donor's ISO 3166-1 alpha-2 code; empty if not a country."),
    "recipient": ("string", "Who receives the pledge; Ukraine unless stated."),
    "category": ("string", "The top category's slug: military, financial or humanitarian."),
    "subcategory": ("string", "The sub-category's slug (air-defence, loans ...), if any."),
    "stage": ("string", "proposed, pledged, allocated or delivered (IATI 12 / 2 / 3)."),
    "qualifier": ("string", "How exact the figure is: exact, approx, over, at_least, up_to."),
    "amount": ("number", "The amount as the article states it, in full, in `currency`."),
    "currency": ("string", "ISO 4217 code of `amount`."),
    "amount_eur": ("number", "`amount` in EUR at the ECB reference rate of `fx_date`."),
    "fx_rate": ("number", "The ECB reference rate used: units of `currency` per EUR."),
    "fx_date": (
        "string",
        "The day of the rate, YYYY-MM-DD; followed by ' (provisional)' when the announcement "
        "day's rate was not published yet and the latest earlier one stands in.",
    ),
    "quantity": ("integer", "For pledges in kind: how many `item`s."),
    "item": ("string", "What is given in kind."),
    "announced_on": ("date", "When the pledge was announced, at `date_precision`."),
    "date_precision": ("string", "day, month or year: month and year give the first day."),
    "part_of_id": ("integer", "The id of the larger pledge this one is part of; never summed."),
    "is_aggregate": ("boolean", "A reported cumulative figure, not a new pledge; never summed."),
    "article_slug": ("string", "The article that states the pledge, by its slug on this site."),
    "article_title": ("string", "The article's title."),
    "article_url": ("string", "The article's original address."),
    "published_on": ("date", "The article's publication date."),
    "sentence_position": ("integer", "The sentence's position in the article, from 1."),
    "sentence_text": ("string", "The sentence that states the pledge."),
    "sentence_link": ("string", "The sentence in this site's reader."),
    "notes": ("string", "The editors' notes."),
    "updated_at": ("datetime", "When the pledge was last saved, in UTC."),
    "fx_provisional": ("boolean", "Whether `amount_eur` is at a provisional rate."),
    "category_label": ("string", "The top category's English name."),
    "subcategory_label": ("string", "The sub-category's English name, if any."),
    "source_link": (
        "string",
        "The publisher's page at the sentence's words (a #:~:text= fragment); empty when the "
        "article has no web address.",
    ),
}
CHOICES = {
    "stage": Pledge.Stage.values,
    "qualifier": Pledge.Qualifier.values,
    "date_precision": Pledge.Precision.values,
}
DESCRIPTION = (
    "Aid pledges to Ukraine stated in news articles, one row per donor, commitment and item, "
    "each traced to the sentence that states it. Totals add amount_eur of rows that are "
    "neither part of another (part_of_id) nor an aggregate, and leave proposals out. Text "
    "that a spreadsheet would run as a formula starts with an apostrophe (')."
)
SOURCES = [
    {"title": "News articles, each row's article_title and article_url"},
    {
        "title": "ECB euro foreign exchange reference rates",
        "path": "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
        "euro_reference_exchange_rates/html/index.en.html",
    },
]


def table_schema() -> dict[str, Any]:
    fields = []
    for column in COLUMNS:
        kind, description = FIELDS[column]
        field: dict[str, Any] = {"name": column, "type": kind, "description": description}
        if kind == "boolean":
            field |= {"trueValues": ["true"], "falseValues": ["false"]}
        if column in CHOICES:
            field["constraints"] = {"enum": CHOICES[column]}
        if column == "id":
            field["constraints"] = {"required": True, "unique": True}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def datapackage(release: Release, *, site_url: str) -> dict[str, Any]:
    """The Data Package of ``release``; ``site_url`` is the site's absolute root."""
    number = release.number
    return {
        "profile": "tabular-data-package",
        "name": "aid-pledge-tracker",
        "title": f"Aid Pledge Tracker, release {number}",
        "description": DESCRIPTION,
        "version": f"{number}.0.0",
        "created": release.published_at.astimezone(UTC).replace(microsecond=0).isoformat(),
        "homepage": site_url + reverse("release-detail", args=[number]),
        "licenses": [
            {
                "name": settings.DATA_LICENCE["name"],
                "path": settings.DATA_LICENCE["url"],
                "title": settings.DATA_LICENCE["title"],
            }
        ],
        "sources": SOURCES,
        "resources": [
            {
                "name": "pledges",
                "path": "pledges.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(),
            }
        ],
    }
