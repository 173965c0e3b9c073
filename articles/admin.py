"""Articles and their sentences in the admin.

Bodies are read-only once loaded: sentences point into them by offset, so a body is changed
only by loading the article again. Articles come in through "Import articles" on the article
list: files, web addresses or pasted text are read (``articles.sources``), shown for the editor
to check and correct, and on confirmation loaded by the same import as `manage.py
import_articles`. Sentences are listed for reading and for autocomplete.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from typing import ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from articles.forms import ArticleImportForm, ArticlePreviewFormSet
from articles.importing import (
    ArticlesImportError,
    ImportStatus,
    articles_import,
    import_fixture_path,
)
from articles.loading import ParsedArticle, article_make
from articles.models import Article, Sentence
from articles.segment import Kind, Segment
from articles.sources import TEXT_MAX_SIZE, articles_read

UPLOAD_MAX_SIZE = TEXT_MAX_SIZE
IMPORT_PERMISSION = "articles.add_article"
# The articles read for the preview wait in the session until they are confirmed: fetched
# pages are not fetched again, and what is loaded is what the editor saw.
_PREVIEW_KEY = "articles-import-preview"
_PREVIEW_LINES = 400  # characters of each article's text shown in the preview


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display: tuple[str, ...] = (
        "title",
        "publisher",
        "published_on",
        "language",
        "sentence_count",
        "slug",
    )
    list_filter = ("language", "publisher")
    search_fields = ("title", "slug", "url", "publisher")
    date_hierarchy = "published_on"
    formfield_overrides: ClassVar[dict] = {models.URLField: {"assume_scheme": "https"}}
    change_list_template = "admin/articles/article/change_list.html"
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
        # Articles arrive through Import articles, import_articles or build_article_fixture,
        # which split them into sentences on the way in; an article typed in here would have
        # none.
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self) -> list[URLPattern]:
        import_view = require_http_methods(["GET", "HEAD", "POST"])(self.import_view)
        confirm_view = require_POST(self.import_confirm_view)
        return [
            path(
                "import/",
                self.admin_site.admin_view(import_view),
                name="articles_article_import",
            ),
            path(
                "import/confirm/",
                self.admin_site.admin_view(confirm_view),
                name="articles_article_import_confirm",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Files, web addresses or pasted text, read and shown for confirmation; nothing is
        saved yet."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = ArticleImportForm(request.POST, request.FILES)
        else:
            form = ArticleImportForm()
        if form.is_bound and form.is_valid():
            named, errors = articles_read(
                files=form.cleaned_data["files"],
                urls=form.cleaned_data["urls"],
                texts=form.pasted(),
            )
            try:
                if errors:
                    raise ArticlesImportError(errors)
                outcomes = articles_import(articles=named, dry_run=True)
            except ArticlesImportError as error:
                for message in error.errors:
                    messages.error(request, message)
                messages.error(request, "Nothing was loaded.")
            else:
                token = _preview_store(request, named)
                formset = ArticlePreviewFormSet(
                    initial=[_preview_initial(article) for _, article in named]
                )
                return self._preview_response(request, token, named, outcomes, formset)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import articles",
            "form": form,
            "fixture_name": import_fixture_path().name,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def import_confirm_view(self, request: HttpRequest) -> HttpResponse:
        """Load the previewed articles with the editor's corrections: all of them, or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        stored = request.session.get(_PREVIEW_KEY)
        formset = ArticlePreviewFormSet(request.POST)
        if (
            not stored
            or stored["token"] != request.POST.get("token")
            or formset.total_form_count() != len(stored["articles"])
        ):
            messages.error(request, "This preview is out of date; read the articles again.")
            return HttpResponseRedirect(reverse("admin:articles_article_import"))
        if formset.is_valid():
            try:
                named = _preview_read(stored, corrections=formset.cleaned_data)
                imported = articles_import(articles=named, user=request.user)
            except ArticlesImportError as error:
                for message in error.errors:
                    messages.error(request, message)
                messages.error(request, "Nothing was loaded.")
            else:
                del request.session[_PREVIEW_KEY]
                return self._imported_response(request, imported)
        try:
            named = _preview_read(stored)
            outcomes = articles_import(articles=named, dry_run=True)
        except ArticlesImportError as error:
            for message in error.errors:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("admin:articles_article_import"))
        return self._preview_response(request, stored["token"], named, outcomes, formset)

    def _imported_response(self, request, imported) -> HttpResponse:
        for outcome in imported:
            level = messages.SUCCESS
            if outcome.status == ImportStatus.ALREADY_LOADED:
                level = messages.INFO
            messages.add_message(request, level, str(outcome))
        if len(imported) == 1:
            # One article: straight to it, where its suggestions are.
            article = Article.objects.only("pk").get(slug=imported[0].slug)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def _preview_response(self, request, token, named, outcomes, formset) -> TemplateResponse:
        rows = [
            {
                "name": name,
                "article": article,
                "outcome": outcome,
                "form": form,
                "opening": _opening(article.body),
            }
            for (name, article), outcome, form in zip(named, outcomes, formset, strict=True)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Check the articles before they are loaded",
            "token": token,
            "rows": rows,
            "formset": formset,
            "fixture_name": import_fixture_path().name,
            "media": self.media + formset.media,
        }
        return TemplateResponse(request, "admin/articles/article/import_preview.html", context)


def _preview_initial(article: ParsedArticle) -> dict:
    return {
        "title": article.title,
        "publisher": article.publisher,
        "language": article.language,
        "published_on": article.published_on,
    }


def _preview_store(request: HttpRequest, named: Sequence[tuple[str, ParsedArticle]]) -> str:
    """Keep the articles in the session until they are confirmed. The token is a digest of
    them: a preview page left open from other articles is not confirmed for these."""
    articles = [
        {
            "name": name,
            "source_name": article.source_name,
            "body": article.body,
            "url": article.url,
            **_preview_initial(article),
            "published_on": article.published_on.isoformat() if article.published_on else "",
            # Cutting a long text takes seconds: it is cut again only in another language.
            "sentences": [[s.start, s.end, str(s.kind)] for s in article.sentences],
        }
        for name, article in named
    ]
    content = json.dumps(articles, ensure_ascii=False, sort_keys=True).encode("utf-8")
    token = hashlib.sha256(content).hexdigest()[:32]
    request.session[_PREVIEW_KEY] = {"token": token, "articles": articles}
    return token


def _preview_read(
    stored: dict, *, corrections: Sequence[dict] | None = None
) -> list[tuple[str, ParsedArticle]]:
    """The previewed articles again, from the same text, with the editor's corrections."""
    named, errors = [], []
    for number, item in enumerate(stored["articles"]):
        fields = {
            "title": item["title"],
            "publisher": item["publisher"],
            "language": item["language"],
            "published_on": (
                datetime.date.fromisoformat(item["published_on"]) if item["published_on"] else None
            ),
        }
        if corrections is not None:
            fields.update(corrections[number])
        sentences = None
        if fields["language"] == item["language"] and "sentences" in item:
            body = item["body"]
            sentences = [
                Segment(start, end, body[start:end], Kind(kind))
                for start, end, kind in item["sentences"]
            ]
        try:
            article = article_make(
                body=item["body"],
                source_name=item["source_name"],
                url=item["url"],
                date_known=True,
                sentences=sentences,
                **fields,
            )
        except ValueError as error:
            errors.append(f"{item['name']}: {error}")
        else:
            named.append((item["name"], article))
    if errors:
        raise ArticlesImportError(errors)
    return named


def _opening(body: str) -> str:
    opening = body.strip()[:_PREVIEW_LINES]
    return opening if len(body.strip()) <= _PREVIEW_LINES else opening.rsplit(" ", 1)[0] + " …"


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
