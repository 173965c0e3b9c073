"""What an import reads, each kind into the same parsed article (``articles.loading.article_make``):
text files with their header block, saved web pages, web addresses fetched now, pasted text.

Every problem is collected with the name of what it came from (the file, the URL, "pasted
text"), so that an editor sees them all at once; the import then loads nothing.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat

from articles.fetching import FetchError, page_fetch
from articles.loading import ParsedArticle, article_make, article_parse_bytes, language_check
from articles.models import Article
from articles.webpage import page_parse

#: The largest text file or pasted text: a long report is a tenth of it.
TEXT_MAX_SIZE = 2 * 1024 * 1024
#: URLs fetched in one import, one after the other within a request: at most ten times
#: ``fetching.FETCH_SECONDS``.
URLS_MAX = 10
PAGE_SUFFIXES = (".html", ".htm")
PASTED = "pasted text"

_web_url = URLValidator(schemes=("http", "https"))
_SOURCE_NAME_LENGTH = 255

Named = tuple[str, ParsedArticle]


@dataclass(frozen=True)
class PastedText:
    """An article's text as an editor pasted or piped it, with what it does not say itself."""

    text: str
    title: str
    url: str = ""
    publisher: str = ""
    language: str = ""
    published_on: datetime.date | None = None


def articles_read(
    *,
    files: Sequence[str | os.PathLike[str] | File] = (),
    urls: Sequence[str] = (),
    texts: Sequence[PastedText] = (),
) -> tuple[list[Named], list[str]]:
    """Each input as a parsed article named by where it came from, and every problem found."""
    parsed, errors = _files_read(files)
    if len(urls) > URLS_MAX:
        errors.append(f"{len(urls)} URLs; at most {URLS_MAX} can be fetched at once.")
        urls = ()
    for url in urls:
        try:
            parsed.append((url, url_read(url)))
        except ValueError as error:
            errors.append(f"{url}: {error}")
    for pasted in texts:
        name = f"{PASTED} “{pasted.title}”" if pasted.title.strip() else PASTED
        try:
            parsed.append((name, text_read(pasted)))
        except ValueError as error:
            errors.append(f"{name}: {error}")
    return parsed, errors


def file_read(raw: bytes, *, name: str) -> ParsedArticle:
    """A saved web page (.html, .htm) or a text file, by its name; ValueError says what is
    wrong."""
    if name.lower().endswith(PAGE_SUFFIXES):
        return page_parse(raw, source_name=name)
    return article_parse_bytes(raw, source_name=name)


def url_read(url: str) -> ParsedArticle:
    """The article at a web address, fetched now; ValueError (FetchError) says why not."""
    try:
        _web_url(url)
    except ValidationError as error:
        raise FetchError("only http and https addresses can be fetched.") from error
    page = page_fetch(url)
    return page_parse(page.content, source_name=page.url[:_SOURCE_NAME_LENGTH], url=page.url)


def text_read(pasted: PastedText) -> ParsedArticle:
    """Pasted text, stored as given (line ends aside: a browser sends CRLF); ValueError says
    what is wrong."""
    body = pasted.text.replace("\r\n", "\n")
    if len(body.encode("utf-8")) > TEXT_MAX_SIZE:
        raise ValueError(f"larger than {filesizeformat(TEXT_MAX_SIZE)}.")
    if "\x00" in body:
        raise ValueError("a NUL character: not text.")
    if not pasted.title.strip():
        raise ValueError("give the article's title.")
    if pasted.url:
        try:
            _web_url(pasted.url)
        except ValidationError as error:
            raise ValueError(f"the url {pasted.url!r} is not an http or https address.") from error
    if pasted.language and pasted.language not in Article.Language.values:
        raise ValueError(
            f"language must be one of {', '.join(Article.Language.values)}, "
            f"not {pasted.language!r}."
        )
    if not body.strip():
        raise ValueError("the article body is empty.")
    return article_make(
        body=body,
        source_name=PASTED,
        title=" ".join(pasted.title.split()),
        url=pasted.url,
        publisher=pasted.publisher.strip(),
        language=pasted.language or language_check(body),
        published_on=pasted.published_on,
    )


def _files_read(files: Sequence[str | os.PathLike[str] | File]) -> tuple[list[Named], list[str]]:
    parsed: list[Named] = []
    errors: list[str] = []
    seen: set[Path] = set()
    for file in files:
        if isinstance(file, File):
            name = source_name = Path(file.name or "upload").name
            file.seek(0)
            raw = file.read()
        else:
            path = Path(file)
            # The same path given twice is one file, not a duplicate article.
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            name, source_name = str(path), path.name
            try:
                raw = path.read_bytes()
            except OSError as error:
                errors.append(f"{name}: cannot be read ({error.strerror}).")
                continue
        try:
            parsed.append((name, file_read(raw, name=source_name)))
        except ValueError as error:
            errors.append(f"{name}: {error}")
    return parsed, errors
