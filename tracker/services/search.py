"""The ``q`` search: full-text on PostgreSQL (German and English), words anywhere elsewhere.

Every pledge keeps its searchable words in ``search_text`` (donor names, item, notes, the
sentence). PostgreSQL searches it through a GIN index over its German and English text
vectors, so "Drohne" finds "Drohnen" and "drones" finds "drone"; SQLite, the embedded
default, looks for each word as a substring of the same column.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from articles.models import Sentence
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
    for word in words:
        matches &= Q(search_text__icontains=word)
    return queryset.filter(matches)


def pledges_search_refresh(queryset: QuerySet[Pledge] | None = None) -> int:
    """Rebuild ``search_text`` in one UPDATE: after bulk loads, or a donor's renaming."""
    queryset = Pledge.objects.all() if queryset is None else queryset
    donor = Donor.objects.filter(pk=OuterRef("donor_id"))
    sentence = Sentence.objects.filter(pk=OuterRef("sentence_id"))
    space = Value(" ")
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
