"""The analyst pages in German: every label translated, no placeholder left raw."""

from __future__ import annotations

import re
from html import unescape

import pytest

from articles.models import Article, Sentence
from tests.test_tracker_pledge_review import anna, ben, change, drafted, review  # noqa: F401

pytestmark = pytest.mark.django_db

#: Labels of the pages in English: none may show on a German page. (Notes and items are the
#: editors' own words, some in English, so the list holds labels only.)
ENGLISH = (
    "Overview",
    "Pledges",
    "Donors",
    "Articles",
    "Kiel comparison",
    "Editors",
    "Skip to content",
    "Last changed",
    "History",
    "Review",
    "Reviewed",
    "Sent back",
    "Draft",
    "Latest announcement",
    "EUR total",
    "not added",
    "without pledges",
    "Share of the largest",
    "Where it is stated",
    "Also reported in",
    "Category:",
    "Donor:",
    "Further evidence",
    "Source sentence",
    "sentence 1 of",
    "pledge #",
    "Pledge #",
    "Download CSV",
    "Totals",
    "Amount",
    "Announced",
    "Published",
    "Language",
    "Recipient",
    "Counted in totals",
    "click to sort",
    "date unknown",
    "created",
    "changed",
)
PLACEHOLDERS = ("%(", ")s", "{{", "}}", "{%", "%}")


def visible_text(html: str) -> str:
    """What a reader sees or hears: the text, and the titles and labels of elements."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(" ".join([text, *attributes]))


@pytest.fixture
def pages(client, drafted, ben) -> list[str]:  # noqa: F811
    """One of each analyst page; the pledge page with a review and a change in its history."""
    review(client, drafted, ben)
    change(client, drafted, ben, category=drafted.category_id, notes="Nachgetragen.")
    client.logout()
    cited = Article.objects.filter(sentences__pledges__isnull=False).first()
    uncited = Sentence.objects.exclude(pledges__isnull=False).first().article
    return [
        "/",
        "/pledges/",
        "/pledges/?date_from=nonsense&sort=nonsense",
        "/donors/",
        "/donors/?sort=nonsense",
        "/donors/united-kingdom/",
        "/donors/austria/",
        f"/pledges/{drafted.pk}/",
        "/pledges/5/",
        "/articles/",
        f"/articles/{cited.slug}/",
        f"/articles/{uncited.slug}/",
        "/reference/",
    ]


def test_pages_in_german_have_no_english_label_or_raw_placeholder(client, pages):
    for path in pages:
        response = client.get(path, headers={"Accept-Language": "de"})
        assert response.status_code == 200, path
        assert response["Content-Language"] == "de", path
        text = visible_text(response.content.decode())
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (path, placeholder)
        for english in ENGLISH:
            assert not re.search(rf"\b{re.escape(english)}\b", text), (path, english)


def test_the_same_pages_in_english_show_those_labels(client, pages):
    # The check above would pass on a page that shows no labels at all.
    shown = set()
    for path in pages:
        text = visible_text(client.get(path).content.decode())
        assert "%(" not in text, path
        shown |= {english for english in ENGLISH if re.search(rf"\b{re.escape(english)}\b", text)}
    assert shown >= {"Overview", "Donors", "Last changed", "History", "Latest announcement"}
