"""Article text files -> parsed articles with their sentences -> fixture records.

A file is UTF-8 text, optionally opened by a header block (``url:``, ``title:``, ``published:``,
``publisher:``, ``language:`` lines, then a blank line). The stored body is everything after the
header block exactly as it is in the file, or the whole file when there is no header: offsets
into it must hold for ever, so nothing is stripped or normalised. What the header does not say
is read from the body where the page carries it: the headline, the date line, the publisher.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.text import slugify

from articles.date_window import date_in_window, validate_date_in_window
from articles.models import Article
from articles.segment import NEWS_DATELINE_RE, Kind, Segment, date_find, segment

HEADER_KEYS = ("url", "title", "published", "publisher", "language")
SLUG_MAX_LENGTH = 80

_HEADER_LINE_RE = re.compile(r"([A-Za-z][A-Za-z_-]*)[ \t]*:[ \t]*(.*?)\s*")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date in a URL's path: "/2024/03/19/" or "/2024-03-19-title" (not in the host or query).
_URL_DATE_RE = re.compile(
    r"(?<![\d])(?P<year>(?:19|20)\d\d)(?P<sep>[/-])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?!\d)"
    # "/news/2026-04/20/": a month folder, then the day's.
    r"|(?<![\d])(?P<year2>(?:19|20)\d\d)-(?P<month2>[01]\d)/(?P<day2>[0-3]\d)(?!\d)"
)
# Words that are frequent in one language and rare in the other ("was", "will", "an" and "die"
# are words in both, so they are left out).
_GERMAN_WORDS = (
    "der das und ist nicht mit von für auf den dem des ein eine einen sich zu im auch wird "
    "wurde werden haben hat sind bei nach über aus wie oder dass"
)
_ENGLISH_WORDS = (
    "the and of to is that for with on are by it has have be this from were would not at as its "
    "which their"
)
_STOPWORDS = {"de": frozenset(_GERMAN_WORDS.split()), "en": frozenset(_ENGLISH_WORDS.split())}
_LANGUAGE_MIN_WORDS = 20
_LANGUAGE_MIN_SHARE = 0.08
_BREADCRUMB_SEPARATOR_RE = re.compile(r"\s+[»›]\s+")
# The article named in a comment or newsletter blurb under it: zum Artikel "...".
_NAMED_ARTICLE_RE = re.compile(
    r"\b(?:zum|zu dem|über den) (?:Artikel|Beitrag)\s*[„\"“»]([^\"“”«»\n]{5,300})[\"“”«]"
)
_DATELINE_SOURCE_RE = re.compile(
    r"(?:[•·*\-–—]\s*)?(?P<name>[^\W\d_][^\d!?|–—]{0,58}?)\s+[-–—|]\s+(?P<rest>.*\d{4}.*)"
)
_PAYWALL_SOURCE_RE = re.compile(r"\bsubscribe to (\S+) to (?:keep|continue) reading", re.I)
_MARKUP_RE = re.compile(r"\*\*|__|^#+\s*")
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)
_FALLBACK_TITLE_LENGTH = 120


class ArticleFileError(ValueError):
    """An article file that cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class ParsedArticle:
    source_name: str
    title: str
    url: str
    publisher: str
    published_on: datetime.date | None
    language: str
    body: str
    sentences: tuple[Segment, ...]


def article_parse(path: str | os.PathLike[str]) -> ParsedArticle:
    """Read one article file; ArticleFileError names the file for anything wrong with it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ArticleFileError(f"{path}: cannot be read ({error.strerror}).") from error
    try:
        return article_parse_bytes(raw, source_name=path.name)
    except ValueError as error:
        raise ArticleFileError(f"{path}: {error}") from error


def article_parse_bytes(raw: bytes, *, source_name: str) -> ParsedArticle:
    """Decode and parse an article file's content; ValueError says what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8."
        ) from error
    if "\x00" in text:
        # Valid UTF-8, but no article holds a NUL: this is how UTF-16 without a byte order
        # mark looks, and PostgreSQL could not store it anyway.
        raise ValueError(
            f"a NUL byte at offset {raw.index(0)}: not UTF-8 text (UTF-16?); save the file "
            "as UTF-8."
        )
    # A byte order mark belongs to the encoding, not to the text, and would hide the header.
    text = text.removeprefix("\ufeff")
    return article_parse_text(text, source_name=source_name)


def article_parse_text(text: str, *, source_name: str) -> ParsedArticle:
    """Parse an article's text; ValueError says what is wrong with it."""
    header, body = header_parse(text)
    known = "published" in header
    return article_make(
        body=body,
        source_name=source_name,
        title=header.get("title", ""),
        url=header.get("url", ""),
        publisher=header.get("publisher", ""),
        language=header.get("language", ""),
        published_on=header_date(header["published"]) if known else None,
        date_known=known,
    )


def article_make(
    *,
    body: str,
    source_name: str,
    title: str = "",
    url: str = "",
    publisher: str = "",
    language: str = "",
    published_on: datetime.date | None = None,
    date_known: bool = False,
    sentences: Sequence[Segment] | None = None,
) -> ParsedArticle:
    """An article of ``body``, stored as it is and cut into sentences; ValueError says what is
    wrong with it.

    Every way in (a text file, a web page, pasted text) ends here, so that each gives the same
    kind of article. What is not given is read from the body: the language, the headline, the
    publisher, and, unless ``date_known`` (a date given, or given as unknown), the date.
    ``sentences`` are the body's, when it was cut for this language already.
    """
    if not body.strip():
        raise ValueError("the article body is empty.")
    language = language or language_detect(body)
    sentences = tuple(segment(body, language) if sentences is None else sentences)
    if not date_known and published_on is None:
        published_on = published_extract(sentences)
    article = ParsedArticle(
        source_name=source_name,
        title=title or title_extract(body, sentences) or Path(source_name).stem,
        url=url,
        publisher=publisher or publisher_extract(sentences),
        published_on=published_on,
        language=language,
        body=body,
        sentences=sentences,
    )
    _check_lengths(article)
    return article


def header_parse(text: str) -> tuple[dict[str, str], str]:
    """Split off the header block: its non-empty fields, and the body after its blank line.

    There is a header when the first line is one of its fields; without one, the body is the
    whole text.
    """
    lines = text.splitlines(keepends=True)
    first = _HEADER_LINE_RE.fullmatch(lines[0]) if lines else None
    if not first or first[1].lower() not in HEADER_KEYS:
        return {}, text
    fields: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return _header_validate(fields), "".join(lines[number:])
        match = _HEADER_LINE_RE.fullmatch(line)
        key = match[1].lower() if match else None
        if match is None or key not in HEADER_KEYS:
            raise ValueError(
                f"line {number} of the header block is not one of the fields "
                f"{', '.join(HEADER_KEYS)}; end the header with a blank line."
            )
        if key in fields:
            raise ValueError(f"the header field {key!r} appears twice.")
        fields[key] = match[2]
    raise ValueError("the header block is not followed by a blank line and a body.")


def header_date(value: str) -> datetime.date | None:
    """The ``published:`` header: YYYY-MM-DD from 1990 to a year ahead, or ``unknown`` for
    None."""
    if value.lower() == "unknown":
        return None
    wrong = ValueError(f"published must be YYYY-MM-DD or unknown, not {value!r}.")
    if not _ISO_DATE_RE.fullmatch(value):
        raise wrong
    try:
        published = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise wrong from error
    try:
        validate_date_in_window(published)
    except ValidationError as error:
        raise ValueError(f"published: {error.messages[0]}") from error
    return published


def language_detect(text: str) -> str:
    """German or English, by counting frequent words; German when in doubt."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {
        language: sum(word in stopwords for word in words)
        for language, stopwords in _STOPWORDS.items()
    }
    return "en" if scores["en"] > scores["de"] else "de"


def language_check(text: str) -> str:
    """German or English, as ``language_detect`` reads it; ValueError when the text reads as
    neither (its frequent words are not those of either language)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    # German and English news have 15 to 25 % of these words, a French page 3 %; a text too
    # short to tell is given the benefit of the doubt.
    if len(words) >= _LANGUAGE_MIN_WORDS:
        share = max(sum(word in stopwords for word in words) for stopwords in _STOPWORDS.values())
        if share < _LANGUAGE_MIN_SHARE * len(words):
            raise ValueError(
                "the text reads as neither German nor English; only German and English "
                "articles can be loaded."
            )
    return language_detect(text)


def title_extract(body: str, sentences: Sequence[Segment]) -> str:
    """The headline of the page, or "" when the body shows none."""
    for sentence in sentences:
        if sentence.kind == Kind.CONTENT:
            break
        if sentence.kind == Kind.HEADLINE:
            return _title_clean(sentence.text)
    crumb = _breadcrumb_title(sentences)
    if crumb is not None:
        return crumb
    named = _NAMED_ARTICLE_RE.search(body)
    if named:
        return _title_clean(named[1])
    for sentence in sentences:
        if sentence.kind == Kind.HEADLINE:
            return _title_clean(sentence.text)
    return _opening_title(sentences)


def _opening_title(sentences: Sequence[Segment]) -> str:
    """The first sentence of the text, cut to a title's length; "" when there is none."""
    for sentence in sentences:
        if sentence.kind == Kind.CONTENT:
            title = _title_clean(sentence.text)
            if len(title) > _FALLBACK_TITLE_LENGTH:
                title = title[:_FALLBACK_TITLE_LENGTH].rsplit(" ", 1)[0] + " …"
            return title
    return ""


def _breadcrumb_title(sentences: Sequence[Segment]) -> str | None:
    """The last step of a menu's breadcrumb trail, when it is long enough to be a title."""
    for sentence in sentences:
        crumbs = _BREADCRUMB_SEPARATOR_RE.split(sentence.text)
        if sentence.kind == Kind.MENU and len(crumbs) > 1 and len(crumbs[-1]) > 3:
            return _title_clean(crumbs[-1])
    return None


def publisher_extract(sentences: Sequence[Segment]) -> str:
    """The publisher a date line or a paywall names ("Chas Pravdy - 05 November 2025"), or ""."""
    for sentence in sentences:
        if sentence.kind == Kind.DATELINE:
            wire = NEWS_DATELINE_RE.match(sentence.text + " ")
            if wire:
                return wire["agency"].strip()
            source = _DATELINE_SOURCE_RE.fullmatch(sentence.text)
            if source and date_find(source["rest"]):
                return source["name"].strip()
    for sentence in sentences:
        paywall = _PAYWALL_SOURCE_RE.search(sentence.text)
        if sentence.kind == Kind.BOILERPLATE and paywall:
            return paywall[1].rstrip(".,")
    return ""


def published_extract(sentences: Sequence[Segment]) -> datetime.date | None:
    """The first date written in a date line of the page that is a date an article can have
    (``articles.date_window``), or None."""
    for sentence in sentences:
        if sentence.kind == Kind.DATELINE:
            found = date_find(sentence.text)
            if found and date_in_window(found):
                return found
    return None


def url_date(url: str) -> datetime.date | None:
    """The date written in a URL's path ("/2024/03/19/", "/2024-03-19-title", "/2024-03/19/"),
    when it is a real date an article can have (``articles.date_window``), else None."""
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0].split("#", 1)[0]
    for match in _URL_DATE_RE.finditer(path):
        year, month, day = (
            match.group(name) or match.group(f"{name}2") for name in ("year", "month", "day")
        )
        try:
            found = datetime.date(int(year), int(month), int(day))
        except ValueError:
            continue
        if date_in_window(found):
            return found
    return None


def slug_make(title: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A slug for the title, umlauts spelt out, cut at a word boundary."""
    slug = slugify(title.translate(_TRANSLITERATION))
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-") or "article"


def slugs_assign(titles: Sequence[str]) -> list[str]:
    """One slug per title, in order; a repeated slug gets -2, -3, ... after its first use."""
    bases = [slug_make(title) for title in titles]
    reserved = set(bases)
    used: set[str] = set()
    slugs = []
    for base in bases:
        slug, number = base, 2
        # A suffixed slug must not take the plain slug of another title ("nato-2").
        while slug in used or (slug != base and slug in reserved):
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        slugs.append(slug)
    return slugs


def articles_parse(paths: Iterable[str | os.PathLike[str]]) -> list[ParsedArticle]:
    """Parse every file (each file once), in a stable order: by file name."""
    unique = {Path(path).resolve(): Path(path) for path in paths}
    articles = [article_parse(path) for path in unique.values()]
    return sorted(articles, key=lambda article: (article.source_name, article.body))


def fixture_records(
    articles: Sequence[ParsedArticle], *, slugs: Sequence[str] | None = None
) -> list[dict]:
    """Fixture records with natural keys and no primary keys: each article, then its sentences.

    Without ``slugs``, slugs are given from the titles in the order of ``articles``, so the same
    files always get the same slugs. Timestamps are left out: the database sets them, and a
    rebuild gives the same file. So are the words around each sentence (``prefix``,
    ``suffix``): loading a sentence takes them from the body it is loaded onto.
    """
    # The database allows one article per URL; loaddata would stop half-way through.
    files_by_url: dict[str, str] = {}
    for article in articles:
        if article.url in files_by_url:
            raise ArticleFileError(
                f"{article.source_name}: the url {article.url} is also the url of "
                f"{files_by_url[article.url]}."
            )
        if article.url:
            files_by_url[article.url] = article.source_name
    records: list[dict] = []
    if slugs is None:
        slugs = slugs_assign([article.title for article in articles])
    for article, slug in zip(articles, slugs, strict=True):
        records.append(
            {
                "model": "articles.article",
                "fields": {
                    "slug": slug,
                    "title": article.title,
                    "url": article.url,
                    "publisher": article.publisher,
                    "published_on": (
                        article.published_on.isoformat() if article.published_on else None
                    ),
                    "language": article.language,
                    "body": article.body,
                    "source_name": article.source_name,
                },
            }
        )
        records.extend(
            {
                "model": "articles.sentence",
                "fields": {
                    "article": [slug],
                    "position": position,
                    "start": sentence.start,
                    "end": sentence.end,
                    "text": sentence.text,
                    "kind": str(sentence.kind),
                },
            }
            for position, sentence in enumerate(article.sentences, start=1)
        )
    return records


def fixture_dumps(records: Sequence[dict]) -> str:
    """The fixture file's text: the same records always give the same bytes."""
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def fixture_write(path: str | os.PathLike[str], records: Sequence[dict]) -> None:
    """Write the fixture all at once: a reader never sees half a file."""
    file_replace(path, fixture_dumps(records).encode("utf-8"))


def file_replace(path: str | os.PathLike[str], content: bytes) -> None:
    """Give ``path`` this content in one step: a reader sees the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its file is private (0600), and the fixture must stay readable by others.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _header_validate(fields: dict[str, str]) -> dict[str, str]:
    fields = {key: value for key, value in fields.items() if value}
    if "url" in fields:
        try:
            URLValidator()(fields["url"])
        except ValidationError as error:
            raise ValueError(f"url {fields['url']!r} is not a valid URL.") from error
    if "language" in fields:
        fields["language"] = fields["language"].lower()
        if fields["language"] not in Article.Language.values:
            raise ValueError(
                f"language must be one of {', '.join(Article.Language.values)}, "
                f"not {fields['language']!r}."
            )
    return fields


def _title_clean(text: str) -> str:
    return " ".join(_MARKUP_RE.sub("", text).split())


def _check_lengths(article: ParsedArticle) -> None:
    for name in ("title", "url", "publisher"):
        field = Article._meta.get_field(name)
        limit = field.max_length if isinstance(field, models.CharField) else None
        if limit is not None and len(getattr(article, name)) > limit:
            raise ValueError(f"the {name} is longer than {limit} characters.")
