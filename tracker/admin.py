"""The editors' side: record pledges against the sentences that state them.

The article page lists every sentence with its position and offsets and an "add pledge"
link that opens the pledge form with the sentence and the article's date filled in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles.admin import ArticleAdmin
from articles.models import Article, Sentence
from tracker.models import Category, Donor, Pledge


class SentenceInline(admin.TabularInline):
    model = Sentence
    fields = ("position", "offsets", "kind", "text", "cited_by", "add_pledge")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "sentences"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Sentence]:
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .prefetch_related("pledges__donor")
        )

    @admin.display(description="chars")
    def offsets(self, obj: Sentence) -> str:
        return f"{obj.start}–{obj.end}"

    @admin.display(description="pledges")
    def cited_by(self, obj: Sentence) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:tracker_pledge_change", args=[p.pk]), p) for p in obj.pledges.all()),
        )

    @admin.display(description="")
    def add_pledge(self, obj: Sentence) -> str:
        params = {"sentence": obj.pk}
        if obj.article.published_on:
            params["announced_on"] = obj.article.published_on.isoformat()
        url = reverse("admin:tracker_pledge_add") + "?" + urlencode(params)
        return format_html(
            '<a class="addlink" href="{}" title="Add a pledge from this sentence">Add pledge</a>',
            url,
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Listed for reading; a sentence's kind is changed on the sentence's own page.
        return False


admin.site.unregister(Article)


@admin.register(Article)
class AnnotatedArticleAdmin(ArticleAdmin):
    inlines = (SentenceInline,)


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ("name", "name_de", "iso2", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "name_de", "iso2", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name_de", "slug", "position")
    list_select_related = ("parent",)
    search_fields = ("name", "name_de", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "donor",
        "figure",
        "category",
        "stage",
        "announced_on",
        "is_aggregate",
        "part_of",
        "source",
    )
    list_display_links = ("id", "figure")
    list_filter = (
        "stage",
        "category",
        "currency",
        "is_aggregate",
        "qualifier",
        ("donor", admin.RelatedOnlyFieldListFilter),
        ("sentence__article", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("donor", "category__parent", "sentence__article", "part_of__donor")
    search_fields = (
        "donor__name",
        "donor__name_de",
        "item",
        "notes",
        "sentence__text",
        "sentence__article__title",
    )
    date_hierarchy = "announced_on"
    autocomplete_fields = ("donor", "sentence", "evidence", "part_of")
    readonly_fields = ("amount_eur", "fx_rate", "fx_date", "created_at", "updated_at")
    fieldsets = (
        ("Source", {"fields": ("sentence", "evidence")}),
        ("Who and what", {"fields": ("donor", "recipient", "category", "stage")}),
        ("Figure", {"fields": ("qualifier", "amount", "currency", "quantity", "item")}),
        ("When", {"fields": ("announced_on", "date_precision", "period")}),
        ("Counting", {"fields": ("part_of", "is_aggregate")}),
        ("Notes", {"fields": ("notes",)}),
        (
            "Conversion and record",
            {
                "classes": ("collapse",),
                "fields": ("amount_eur", "fx_rate", "fx_date", "created_at", "updated_at"),
            },
        ),
    )

    @admin.display(description="sentence")
    def source(self, obj: Pledge) -> str:
        return format_html(
            '<a href="{}" title="{}">{} #{}</a>',
            obj.sentence.get_absolute_url(),
            obj.sentence.text,
            Truncator(obj.sentence.article.title).chars(40),
            obj.sentence.position,
        )

    required_messages = {
        "sentence": "Choose the sentence that states this pledge (type words from it).",
        "donor": "Choose who gives (type a country or organisation).",
        "category": "Choose a category; the sub-category if the article says what is given.",
    }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name, message in self.required_messages.items():
            form.base_fields[name].error_messages["required"] = message
        # Quote the cited sentence above the form, so the editor reads it while typing.
        sentence = obj.sentence if obj else self._sentence_from_query(request)
        if sentence is not None:
            form.base_fields["sentence"].help_text = format_html(
                '<blockquote class="cited-sentence">{}</blockquote>'
                '<a href="{}" target="_blank">Read it in the article</a>',
                sentence.text,
                sentence.get_absolute_url(),
            )
        return form

    @staticmethod
    def _sentence_from_query(request: HttpRequest) -> Sentence | None:
        sentence_id = request.GET.get("sentence", "")
        if not sentence_id.isdigit():
            return None
        return Sentence.objects.select_related("article").filter(pk=sentence_id).first()
