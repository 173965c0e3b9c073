"""The ``q`` search: full-text on PostgreSQL (German and English), words anywhere elsewhere.

Every pledge keeps its searchable words in ``search_text`` (donor names, item, notes, the
sentence). PostgreSQL searches it through a GIN index over its German and English text
vectors, so "Drohne" finds "Drohnen" and "drones" finds "drone". SQLite, the embedded
default, searches it through an FTS5 table (migration 0016) for words that begin with each
word typed, case and diacritics aside: "ukr" finds "Ukraine", "ubergabe" finds "Übergabe".
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat

from articles.models import Sentence
from tracker.cache import data_changed
from tracker.models import Donor, Pledge

#: The indexed expression; the migration creates the index from the same definition.
SEARCH_VECTOR = SearchVector("search_text", config="german") + SearchVector(
    "search_text", config="english"
)


def pledges_search(queryset: QuerySet[Pledge], text: str) -> QuerySet[Pledge]:
    """Pledges whose words match every word of ``text``."""
    words = text.split()
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config="german", search_type="plain") | SearchQuery(
            text, config="english", search_type="plain"
        )
        return queryset.annotate(search=SEARCH_VECTOR).filter(search=query)
    matches = Q()
    fts_query = fts_prefix_query(words)
    if fts_query:
        # FTS5 has no ORM lookup; the statement is a constant and the query a parameter.
        matches &= Q(pk__in=RawSQL(FTS_MATCH, (fts_query,)))  # noqa: S611
    # A word of punctuation only ("-", "&") has nothing FTS5 indexes: it stays a substring.
    for word in words:
        if not has_word_characters(word):
            matches &= Q(search_text__icontains=word)
    return queryset.filter(matches)


FTS_MATCH = "SELECT rowid FROM pledge_fts WHERE pledge_fts MATCH %s"


def has_word_characters(word: str) -> bool:
    """Whether FTS5's unicode61 tokenizer finds a token in ``word`` (letters or digits)."""
    return any(character.isalnum() for character in word)


def fts_prefix_query(words: list[str]) -> str:
    """An FTS5 query matching every word as the start of a word: ``"ukr"* AND "drohn"*``.

    Each word is a quoted string (its quotes doubled), so what users type is never FTS5
    syntax: AND, NEAR, "*", ":" and "^" are only characters. FTS5 splits a quoted word into
    tokens as it split the text, so "100.000" matches "100.000" and "F-16" matches "F-16".
    """
    terms = ['"' + word.replace('"', '""') + '"*' for word in words if has_word_characters(word)]
    return " AND ".join(terms)


def pledges_search_refresh(queryset: QuerySet[Pledge] | None = None) -> int:
    """Rebuild ``search_text`` in one UPDATE: after bulk loads, or a donor's renaming."""
    queryset = Pledge.objects.all() if queryset is None else queryset
    donor = Donor.objects.filter(pk=OuterRef("donor_id"))
    sentence = Sentence.objects.filter(pk=OuterRef("sentence_id"))
    space = Value(" ")
    data_changed(using=queryset.db)
    return queryset.update(
        search_text=Concat(
            Subquery(donor.values("name")[:1]),
            space,
            Coalesce(Subquery(donor.values("name_de")[:1]), Value("")),
            space,
            "item",
            space,
            "notes",
            space,
            Subquery(sentence.values("text")[:1]),
            output_field=CharField(),
        )
    )


def donor_renamed(sender, instance: Donor, raw: bool = False, **kwargs) -> None:
    """A donor's names are part of its pledges' search words."""
    if not raw:
        pledges_search_refresh(Pledge.objects.filter(donor=instance))
