"""Articles and their sentences in the admin.

Bodies are read-only once loaded: sentences point into them by offset, so a body is changed
only by loading the article again. Sentences are listed for reading and for autocomplete.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from articles.models import Article, Sentence


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "published_on", "language", "sentence_count", "slug")
    list_filter = ("language", "publisher")
    search_fields = ("title", "slug", "url", "publisher")
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("slug", "body", "source_name")
    fields = (
        "title",
        "slug",
        "url",
        "publisher",
        "published_on",
        "language",
        "source_name",
        "body",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).annotate(n_sentences=Count("sentences"))

    @admin.display(description="sentences", ordering="n_sentences")
    def sentence_count(self, obj: Article) -> int:
        return obj.n_sentences

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Articles arrive as fixtures built from text files (build_article_fixture), which
        # also split them into sentences; an article typed in here would have none.
        return False


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "start", "end")
    list_filter = ("kind", "article")
    list_select_related = ("article",)
    search_fields = ("text", "article__title", "article__slug")
    readonly_fields = ("article", "position", "start", "end", "text")
    fields = ("article", "position", "start", "end", "text", "kind")

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("article"), may_have_duplicates

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
