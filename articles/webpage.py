"""Web pages -> articles: the main text of a saved or fetched page and what the page says of it.

trafilatura takes the article's text out of the page (no menus, footers, related links) and
reads its title, site name and canonical URL; htmldate reads its publication date from the
markup and the URL. The text trafilatura gives is stored as it is: the sentences are cut from
that very string, so their offsets hold.

Nothing here touches the network: both libraries are given the page's bytes (htmldate fetches
a *string* that looks like a URL, so a string is never passed).
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import htmldate
import trafilatura
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language_info
from trafilatura.settings import Document

from articles.date_window import EARLIEST, latest_date
from articles.loading import ParsedArticle, article_make, language_check, url_date
from articles.models import Article

PAGE_MAX_SIZE = 5 * 1024 * 1024
# Fewer words than this is an index, a search result, an error or a consent page.
_MIN_WORDS = 20
# The html element and the head's meta elements come first; no need to read a whole page.
_HEAD_BYTES = 64 * 1024

_web_url = URLValidator(schemes=("http", "https"))


def page_parse(raw: bytes, *, source_name: str, url: str = "") -> ParsedArticle:
    """The article of a web page's HTML; ValueError says why there is none.

    ``url`` is where the page was fetched from. The article's URL is the page's canonical one
    when it names one on the same site (without the tracking parameters and redirects of a
    shared link, so a page saved and the same page fetched are one article), else ``url``.
    """
    if len(raw) > PAGE_MAX_SIZE:
        raise ValueError(
            f"{filesizeformat(len(raw))}, larger than {filesizeformat(PAGE_MAX_SIZE)}."
        )
    if b"\x00" in raw:
        raise ValueError("not a web page (binary content); save the page as HTML.")
    document = trafilatura.bare_extraction(
        raw,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
    )
    if not isinstance(document, Document):  # None: nothing that looks like a page
        document = Document()
    body = document.text or ""
    words = len(body.split())
    if words < _MIN_WORDS:
        raise ValueError(
            f"no article text found on the page ({words} word{'s' if words != 1 else ''}); "
            "save the article's own page, not an index, search or error page."
        )
    url = _article_url(fetched=url, canonical=_web_url_or_blank(document.url))
    return article_make(
        body=body,
        source_name=source_name,
        title=document.title or "",
        url=url,
        publisher=(document.sitename or "")[: _max_length("publisher")],
        language=_page_language(raw, body),
        published_on=page_date(raw, url=url),
    )


def page_date(raw: bytes, *, url: str = "") -> datetime.date | None:
    """The page's original publication date from its markup, else from its URL; None when
    neither says.

    Not htmldate's extensive search: it would take a date from the page's text or its links
    (a related story's), and a wrong date is worse than an unknown one, which the article's
    own date line may still give (``article_make``).
    """
    found = htmldate.find_date(
        raw,
        original_date=True,
        extensive_search=False,
        url=url or None,
        min_date=EARLIEST.isoformat(),
        max_date=latest_date().isoformat(),
        # The markup's full date first; a URL may carry only the day of a first version.
        deferred_url_extractor=True,
    )
    if found:
        return datetime.date.fromisoformat(found)
    return url_date(url) if url else None


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name"])
    except KeyError:
        return code


def _page_language(raw: bytes, body: str) -> str:
    """The language the page declares, else the one its text reads as; ValueError for any
    other than German or English."""
    declared = _DeclaredLanguage.of(raw[:_HEAD_BYTES].decode("utf-8", errors="replace"))
    if not declared:
        return language_check(body)
    if declared not in Article.Language.values:
        raise ValueError(
            f"the page is in {_language_name(declared)} ({declared}); only German and English "
            "articles can be loaded."
        )
    return declared


def _article_url(*, fetched: str, canonical: str) -> str:
    if not fetched or not canonical:
        return fetched or canonical

    def site(url: str) -> str:
        return (urlsplit(url).hostname or "").removeprefix("www.")

    return canonical if site(canonical) == site(fetched) else fetched


def _web_url_or_blank(url: str | None) -> str:
    if not url or len(url) > _max_length("url"):
        return ""
    try:
        _web_url(url)
    except ValidationError:
        return ""
    return url


def _max_length(name: str) -> int:
    field = Article._meta.get_field(name)
    return field.max_length or 0 if isinstance(field, models.CharField) else 0


class _DeclaredLanguage(HTMLParser):
    """The primary language of ``<html lang>``, else of a Content-Language or og:locale meta
    element ("de-AT" and "de_AT" are "de")."""

    def __init__(self) -> None:
        super().__init__()
        self.languages: dict[str, str] = {}

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        for key in ("html", "content-language", "og:locale"):
            value = parser.languages.get(key, "").strip()
            if value:
                return value.replace("_", "-").split("-")[0].lower()
        return ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.languages.setdefault("html", values.get("lang", ""))
        elif tag == "meta":
            key = (values.get("http-equiv") or values.get("property") or "").lower()
            if key in ("content-language", "og:locale"):
                self.languages.setdefault(key, values.get("content", ""))
