"""Articles into the database and into the fixture that carries them, together or not at all.

They come as files, or read already from web pages or pasted text (``articles.sources``): each
is a parsed article like any other, so what follows holds for all of them.

Identity: an article with a URL is that URL; an article without one is its body, byte for byte
(the text stored verbatim is the identity, so nothing else has to be kept in step with it). A
new article's slug is its title's slug plus the first 8 hex digits of the SHA-256 of that
identity: the same file always gets the same slug, whatever else the database holds, and two
articles with the same headline do not take each other's natural key (loaddata would
otherwise write one over the other).

Importing a file that is already loaded changes nothing. A file whose URL is loaded with a
different body replaces that article's body and sentences only when every cited sentence keeps
its position, offsets and text; the fixture's record of the article is replaced with it.

Only the new or replaced articles are loaded, not the whole fixture file: reloading the file
would undo what editors changed on articles imported before (a corrected title, a sentence's
kind).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.template.defaultfilters import pluralize

from articles.loading import (
    SLUG_MAX_LENGTH,
    ArticleFileError,
    ParsedArticle,
    file_replace,
    fixture_dumps,
    fixture_records,
    slug_make,
)
from articles.models import Article, article_body_change_check, sentence_describe
from articles.sources import articles_read

IMPORT_FIXTURE_NAME = "imported_articles"

_DIGEST_LENGTH = 8
# What loading can fail with past the checks (a constraint, a guard in the models, a full
# disk); the import reports it like any other problem instead of failing the request.
_LOAD_ERRORS = (DatabaseError, DeserializationError, CommandError, ValidationError, OSError)
_CHANGE_REASON_LENGTH = 100  # simple_history's history_change_reason


class ImportStatus(StrEnum):
    LOADED = "loaded"
    RELOADED = "reloaded"
    ALREADY_LOADED = "already loaded"


class ArticlesImportError(ArticleFileError):
    """Files that cannot be imported, one message per problem; nothing was loaded."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class ArticleImported:
    """What importing one file did."""

    name: str
    status: ImportStatus
    slug: str
    title: str
    n_sentences: int

    def __str__(self) -> str:
        if self.status == ImportStatus.ALREADY_LOADED:
            return f"Already loaded: {self.title} ({self.name}, as {self.slug})."
        verb = "Loaded" if self.status == ImportStatus.LOADED else "Reloaded"
        return (
            f"{verb} 1 article with {self.n_sentences} sentence{pluralize(self.n_sentences)}: "
            f"{self.title} ({self.name}, as {self.slug})."
        )


@dataclass(frozen=True)
class _Plan:
    name: str
    article: ParsedArticle
    status: ImportStatus
    slug: str
    existing: Article | None

    @property
    def outcome(self) -> ArticleImported:
        return ArticleImported(
            name=self.name,
            status=self.status,
            slug=self.slug,
            title=self.existing.title
            if self.existing is not None and self.status == ImportStatus.ALREADY_LOADED
            else self.article.title,
            n_sentences=len(self.article.sentences),
        )


def import_fixture_path(name: str | os.PathLike[str] | None = None) -> Path:
    """The fixture imports append to: a name under fixtures/ ("imported_articles"), or a path.

    Without a name, settings.ARTICLES_IMPORT_FIXTURE, else fixtures/imported_articles.json.
    """
    if name is None:
        configured = getattr(settings, "ARTICLES_IMPORT_FIXTURE", None)
        if configured:
            return Path(configured)
        name = IMPORT_FIXTURE_NAME
    name = str(name)
    if os.sep in name or (os.altsep and os.altsep in name):
        return Path(name)
    return Path(settings.BASE_DIR) / "fixtures" / f"{name.removesuffix('.json')}.json"


def article_slug_make(*, article: ParsedArticle) -> str:
    """The title's slug and a digest of the article's identity (its URL, else its body)."""
    identity = article.url or article.body
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:_DIGEST_LENGTH]
    title = slug_make(article.title, max_length=SLUG_MAX_LENGTH - _DIGEST_LENGTH - 1)
    return f"{title}-{digest}"


def articles_import(
    *,
    files: Sequence[str | os.PathLike[str] | File] = (),
    articles: Sequence[tuple[str, ParsedArticle]] = (),
    fixture_path: str | os.PathLike[str] | None = None,
    user=None,
    dry_run: bool = False,
) -> list[ArticleImported]:
    """Load articles into the database and append them to the import fixture.

    ``files`` are paths or uploaded files (text files, saved web pages); ``articles`` are read
    already (``articles.sources``), each with the name that messages give it. All or nothing:
    when any cannot be imported, ArticlesImportError lists every problem, naming its source,
    and neither the database nor the fixture file has changed. ``dry_run`` checks everything
    and says what importing would do, changing nothing.
    """
    fixture_path = Path(fixture_path) if fixture_path else import_fixture_path()
    parsed, errors = articles_read(files=files)
    parsed += articles
    errors += _duplicates_find(parsed)
    if not parsed and not errors:
        errors.append("No article files were given.")
    if errors:
        raise ArticlesImportError(errors)

    try:
        if dry_run:
            with transaction.atomic():
                _fixture_groups(fixture_path, _read_or_none(fixture_path))
                return [plan.outcome for plan in _plans_make(parsed)]
        with _directory_lock(fixture_path.parent):
            return _articles_import_locked(parsed, fixture_path=fixture_path, user=user)
    except _LOAD_ERRORS as error:
        raise ArticlesImportError([f"Loading failed: {error}"]) from error


def _articles_import_locked(
    parsed: Sequence[tuple[str, ParsedArticle]], *, fixture_path: Path, user
) -> list[ArticleImported]:
    previous = _read_or_none(fixture_path)
    moved = False
    try:
        with transaction.atomic():
            plans = _plans_make(parsed)
            loading = [plan for plan in plans if plan.status != ImportStatus.ALREADY_LOADED]
            if loading:
                content = _fixture_merge(fixture_path, previous, loading)
                _plans_load(loading, user=user)
                # Last, inside the transaction: if moving the file fails, the load is rolled
                # back; if the commit fails, the old file is put back below.
                file_replace(fixture_path, content)
                moved = True
    except BaseException:
        if moved:
            _file_restore(fixture_path, previous)
        raise
    return [plan.outcome for plan in plans]


def _duplicates_find(parsed: Sequence[tuple[str, ParsedArticle]]) -> list[str]:
    errors = []
    names_by_url: dict[str, str] = {}
    names_by_body: dict[str, str] = {}
    for name, article in parsed:
        if article.url and article.url in names_by_url:
            errors.append(
                f"{name}: the url {article.url} is also the url of {names_by_url[article.url]}; "
                "import one of them."
            )
        elif article.body in names_by_body:
            errors.append(
                f"{name}: the same text as {names_by_body[article.body]}; import one of them."
            )
        names_by_url.setdefault(article.url, name)
        names_by_body.setdefault(article.body, name)
    return errors


def _plans_make(parsed: Sequence[tuple[str, ParsedArticle]]) -> list[_Plan]:
    plans, errors = [], []
    for name, article in parsed:
        try:
            plans.append(_plan_make(name, article))
        except ValueError as error:
            errors.append(f"{name}: {error}")
    if errors:
        raise ArticlesImportError(errors)
    return plans


def _plan_make(name: str, article: ParsedArticle) -> _Plan:
    if article.url:
        existing = Article.objects.filter(url=article.url).first()
    else:
        existing = Article.objects.filter(body=article.body).order_by("pk").first()
    if existing is not None and existing.body == article.body:
        return _Plan(name, article, ImportStatus.ALREADY_LOADED, existing.slug, existing)
    if existing is not None:
        _reload_check(existing, article)
        return _Plan(name, article, ImportStatus.RELOADED, existing.slug, existing)
    same_text = Article.objects.filter(url="", body=article.body).first()
    if same_text is not None:
        raise ValueError(
            f"its text is already loaded, without a url, as {same_text.slug}; give that "
            "article the url in the admin instead."
        )
    slug = article_slug_make(article=article)
    taken = Article.objects.filter(slug=slug).first()
    if taken is not None:
        raise ValueError(f"the slug {slug} is already taken by the article {taken.title!r}.")
    return _Plan(name, article, ImportStatus.LOADED, slug, None)


def _reload_check(existing: Article, article: ParsedArticle) -> None:
    """A changed body may replace the stored one only if every cited sentence stays put."""
    prefix = f"the url {article.url} is already loaded as {existing.slug} with a different text"
    # Hold the article's sentences until the commit: a pledge that cites one of them meanwhile
    # waits, rather than citing a sentence this import is about to change. (SQLite has no row
    # locks; it lets one writer at a time in anyway.)
    list(existing.sentences.select_for_update().order_by().values_list("pk", flat=True))
    try:
        article_body_change_check(article=existing, new_body=article.body)
    except ValidationError as error:
        raise ValueError(f"{prefix}, and it cannot be replaced. {error.messages[0]}") from error
    # The text is still there, but the new text must also be cut into the same sentences at
    # the same positions: pledges and reader links (#s-<position>) name them by position.
    segments = dict(enumerate(article.sentences, start=1))
    cited = existing.sentences.cited().order_by("position")
    moved = [
        sentence
        for sentence in cited
        if (segment := segments.get(sentence.position)) is None
        or (segment.start, segment.end) != (sentence.start, sentence.end)
    ]
    if moved:
        raise ValueError(
            f"{prefix}, and it cannot be replaced: sentences that pledges cite would get another "
            "position or other boundaries: "
            + "; ".join(sentence_describe(sentence=sentence) for sentence in moved)
            + "."
        )


def _fixture_merge(path: Path, previous: bytes | None, plans: Sequence[_Plan]) -> bytes:
    """The fixture file with the plans' articles added or replaced, sorted like articles.json."""
    groups = _fixture_groups(path, previous)
    for plan in plans:
        groups[plan.slug] = fixture_records([plan.article], slugs=[plan.slug])

    def order(slug: str) -> tuple[str, str]:
        first = groups[slug][0]
        source = first["fields"].get("source_name", "") if _is_article(first) else ""
        return (source, slug)

    records = [record for slug in sorted(groups, key=order) for record in groups[slug]]
    return fixture_dumps(records).encode("utf-8")


def _fixture_groups(path: Path, previous: bytes | None) -> dict[str, list[dict]]:
    """The records of the fixture file by article slug: the article, then its sentences."""
    if previous is None:
        return {}
    try:
        records = json.loads(previous.decode("utf-8"))
    except ValueError as error:  # not UTF-8, or not JSON
        raise ArticlesImportError(
            [f"{path}: not valid JSON ({error}); fix or move it first."]
        ) from error
    if not isinstance(records, list):
        raise ArticlesImportError(
            [f"{path}: not a fixture of articles and sentences (not a list); fix or move it first."]
        )
    groups: dict[str, list[dict]] = {}
    for number, record in enumerate(records, start=1):
        model, fields = _model_and_fields(record)
        if model == "articles.article" and isinstance(fields.get("slug"), str):
            groups.setdefault(fields["slug"], []).insert(0, record)
        elif model == "articles.sentence" and isinstance(fields.get("article"), list):
            groups.setdefault(fields["article"][0], []).append(record)
        else:
            raise ArticlesImportError(
                [
                    f"{path}, record {number}: not an article or a sentence with its article "
                    f"(model {model!r}); fix or move the file first."
                ]
            )
    return groups


def _model_and_fields(record: object) -> tuple[object, dict]:
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        return None, {}
    return record.get("model"), record["fields"]


def _is_article(record: dict) -> bool:
    return record["model"] == "articles.article"


def _plans_load(plans: Sequence[_Plan], *, user) -> None:
    for plan in plans:
        if plan.existing is not None:
            # loaddata updates sentences by (slug, position) and never deletes: the old
            # sentences past the end of the new text go (none is cited, _reload_check saw to it).
            plan.existing.sentences.filter(position__gt=len(plan.article.sentences)).delete()
    with tempfile.TemporaryDirectory() as directory:
        # One file per article, loaded together (all or nothing): a record that fails is
        # then named by the file it came from.
        names: dict[str, str] = {}
        for number, plan in enumerate(plans):
            load = Path(directory) / f"{number}.json"
            records = fixture_records([plan.article], slugs=[plan.slug])
            load.write_bytes(fixture_dumps(records).encode("utf-8"))
            names[str(load)] = plan.name
        try:
            call_command("loaddata", *names, verbosity=0)
        except CommandError as error:
            message = str(error)
            for written, name in names.items():
                message = message.replace(written, name)
            raise ArticlesImportError([message]) from error
    # loaddata saves raw, which leaves no history; an import is a change like any other.
    articles = Article.objects.in_bulk([plan.slug for plan in plans], field_name="slug")
    for plan in plans:
        reason = f"Imported from {plan.article.source_name}"
        Article.history.bulk_history_create(
            [articles[plan.slug]],
            update=plan.status == ImportStatus.RELOADED,
            default_user=user,
            default_change_reason=reason[:_CHANGE_REASON_LENGTH],
        )


def _read_or_none(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _file_restore(path: Path, previous: bytes | None) -> None:
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        file_replace(path, previous)


@contextlib.contextmanager
def _directory_lock(directory: Path) -> Iterator[None]:
    """One import at a time per fixture directory: two would each write the file without the
    other's articles."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # and with it the lock
