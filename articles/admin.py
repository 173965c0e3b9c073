"""Articles and their sentences in the admin.

Bodies are read-only once loaded: sentences point into them by offset, so a body is changed
only by loading the article again. Articles come in through "Import articles" on the article
list, which runs the same import as `manage.py import_articles`. Sentences are listed for
reading and for autocomplete.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from articles.importing import (
    ArticlesImportError,
    ImportStatus,
    articles_import,
    import_fixture_path,
)
from articles.models import Article, Sentence

UPLOAD_MAX_SIZE = 2 * 1024 * 1024
IMPORT_PERMISSION = "articles.add_article"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, as Django's documentation shows."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        clean_one = super().clean
        files = list(data) if isinstance(data, list | tuple) else [data]
        # No file at all is cleaned as one missing file, so that "required" holds.
        return [clean_one(file, initial) for file in files or [None]]


class ArticleUploadForm(forms.Form):
    # A declared field, which Django's form metaclass moves off the class: `form.files`
    # stays the uploaded files.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Article files",
        help_text=(
            f"Plain text (.txt, UTF-8), at most {filesizeformat(UPLOAD_MAX_SIZE)} each, "
            "optionally opened by a header block (url, title, published, publisher, language) "
            "and a blank line."
        ),
    )

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        errors = []
        for file in files:
            if not file.name.lower().endswith(".txt"):
                errors.append(f"{file.name}: not a .txt file; save the article as plain text.")
            elif file.size > UPLOAD_MAX_SIZE:
                errors.append(
                    f"{file.name}: {filesizeformat(file.size)}, larger than "
                    f"{filesizeformat(UPLOAD_MAX_SIZE)}."
                )
        if errors:
            raise forms.ValidationError(errors)
        return files


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "published_on", "language", "sentence_count", "slug")
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
        # Articles arrive as text files (Import articles, import_articles, or
        # build_article_fixture), which are split into sentences on the way in; an article
        # typed in here would have none.
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self) -> list[URLPattern]:
        import_view = require_http_methods(["GET", "HEAD", "POST"])(self.import_view)
        return [
            path(
                "import/",
                self.admin_site.admin_view(import_view),
                name="articles_article_import",
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
        """Upload article files; all of them are loaded, or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = ArticleUploadForm(request.POST, request.FILES)
        else:
            form = ArticleUploadForm()
        if form.is_bound and form.is_valid():
            try:
                imported = articles_import(files=form.cleaned_data["files"], user=request.user)
            except ArticlesImportError as error:
                for message in error.errors:
                    messages.error(request, message)
                messages.error(request, "Nothing was loaded.")
            else:
                for outcome in imported:
                    level = (
                        messages.INFO
                        if outcome.status == ImportStatus.ALREADY_LOADED
                        else messages.SUCCESS
                    )
                    messages.add_message(request, level, str(outcome))
                return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import articles",
            "form": form,
            "fixture_name": import_fixture_path().name,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)


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
