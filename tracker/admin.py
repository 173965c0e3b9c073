"""The editors' side: record pledges against the sentences that state them.

The article page lists every sentence with its position and offsets, the pledges that cite
it, the pledges our suggestion engine reads in it (one click opens the form filled in), and
an "add pledge" link for anything else. "Save and next" moves on to the next suggestion.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import ArticleAdmin
from articles.models import Article, Sentence
from tracker.models import Category, Donor, Pledge, PledgeReviewQueue
from tracker.resources import PledgeResource
from tracker.services.duplicates import MergeRefused, pledges_merge, with_duplicate_flag
from tracker.services.review import (
    ReviewRefused,
    pledge_reopen_if_changed,
    pledge_review,
)
from tracker.services.suggestions import (
    pledge_mark_suggested,
    suggestion_form_values,
    suggestion_label,
    suggestion_recorded_as,
)
from tracker.suggest import Suggestion, suggest_article


def suggestions_open(article: Article) -> dict[int, list[tuple[Suggestion, str]]]:
    """The suggestions of ``article`` not yet recorded, with their add-form URLs, by position.

    A suggested part ("davon") whose whole is already recorded gets that pledge as part_of.
    """
    sentences = {
        s.position: s for s in article.sentences.prefetch_related("pledges", "supporting_pledges")
    }
    donors = dict(Donor.objects.values_list("slug", "pk"))
    categories = dict(Category.objects.values_list("slug", "pk"))
    suggestions = suggest_article(article, donors=Donor.objects.all())
    recorded_as: dict[int, Pledge] = {}
    for index, suggestion in enumerate(suggestions):
        sentence = sentences.get(suggestion.sentence_position)
        pledges = [*sentence.pledges.all(), *sentence.supporting_pledges.all()] if sentence else []
        pledge = suggestion_recorded_as(suggestion, pledges)
        if pledge is not None:
            recorded_as[index] = pledge
    by_position: dict[int, list[tuple[Suggestion, str]]] = {}
    for index, suggestion in enumerate(suggestions):
        sentence = sentences.get(suggestion.sentence_position)
        if sentence is None or index in recorded_as:
            continue
        values = suggestion_form_values(
            suggestion, sentence_id=sentence.pk, donors=donors, categories=categories
        )
        whole = recorded_as.get(suggestion.part_of_index)
        if whole is not None:
            values["part_of"] = whole.pk
        url = reverse("admin:tracker_pledge_add") + "?" + urlencode(values)
        by_position.setdefault(suggestion.sentence_position, []).append((suggestion, url))
    return by_position


class SentenceInline(admin.TabularInline):
    model = Sentence
    fields = ("position", "offsets", "kind", "text", "suggested", "cited_by", "add_pledge")
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

    def get_formset(self, request, obj=None, **kwargs):
        # Suggestions are read once for the whole article (the previous sentence matters).
        self.open_suggestions = suggestions_open(obj) if obj is not None else {}
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="suggested")
    def suggested(self, obj: Sentence) -> str:
        return format_html_join(
            "",
            '<a class="suggestion" href="{}" title="{}">{}</a>',
            (
                (url, f"Read: “{suggestion.evidence}”", suggestion_label(suggestion))
                for suggestion, url in getattr(self, "open_suggestions", {}).get(obj.position, [])
            ),
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
class AnnotatedArticleAdmin(SimpleHistoryAdmin, ArticleAdmin):
    inlines = (SentenceInline,)


@admin.register(Donor)
class DonorAdmin(SimpleHistoryAdmin):
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


class DuplicateFilter(admin.SimpleListFilter):
    title = "possible duplicate"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return (("yes", "Reported by another article too"),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(possible_duplicate=True)
        return queryset


@admin.register(Pledge)
class PledgeAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = (PledgeResource,)
    list_display = (
        "id",
        "donor",
        "figure",
        "category",
        "stage",
        "announced_on",
        "is_aggregate",
        "part_of",
        "review_status",
        "duplicate",
        "source",
    )
    list_display_links = ("id", "figure")
    actions = ("mark_reviewed", "merge_pledges")
    list_filter = (
        "review_status",
        DuplicateFilter,
        "origin",
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
    readonly_fields = (
        "amount_eur",
        "fx_rate",
        "fx_date",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "origin",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        ("Source", {"fields": ("sentence", "evidence")}),
        ("Who and what", {"fields": ("donor", "recipient", "category", "stage")}),
        ("Figure", {"fields": ("qualifier", "amount", "currency", "quantity", "item")}),
        ("When", {"fields": ("announced_on", "date_precision", "period")}),
        ("Counting", {"fields": ("part_of", "is_aggregate")}),
        ("Notes", {"fields": ("notes",)}),
        ("Review", {"fields": ("review_status", "reviewed_by", "reviewed_at", "origin")}),
        (
            "Conversion and record",
            {
                "classes": ("collapse",),
                "fields": ("amount_eur", "fx_rate", "fx_date", "created_at", "updated_at"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pledge]:
        return with_duplicate_flag(super().get_queryset(request))

    def add_data_read_fail_error_to_form(self, form, error: Exception) -> None:
        # django-import-export names only the kind of error; say which file and where.
        name = form.cleaned_data["import_file"].name
        form.add_error("import_file", f"{name} cannot be read in this format: {error}")

    def import_action(self, request: HttpRequest, **kwargs):
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            name = request.FILES["import_file"].name
            failed = len(result.invalid_rows) + len(result.row_errors())
            self.message_user(
                request,
                f"Nothing was imported from {name}: {failed} row(s) cannot be imported, "
                "listed below with their problems.",
                messages.ERROR,
            )
        return response

    @admin.display(description="duplicate?", boolean=True, ordering="possible_duplicate")
    def duplicate(self, obj: Pledge) -> bool:
        return obj.possible_duplicate

    def save_model(self, request, obj, form, change):
        if change:
            pledge_reopen_if_changed(pledge=obj, changed_fields=set(form.changed_data))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Accepting a suggestion: the form carried what was suggested (see the add link).
        if not change and request.GET.get("suggestion"):
            pledge_mark_suggested(pledge=form.instance, payload=request.GET["suggestion"])

    def response_add(self, request, obj, post_url_continue=None):
        if "_savenext" in request.POST:
            return self._next_suggestion(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_savenext" in request.POST:
            return self._next_suggestion(request, obj)
        return super().response_change(request, obj)

    def _next_suggestion(self, request: HttpRequest, pledge: Pledge):
        """Open the next open suggestion of the article, from this sentence on."""
        article = pledge.sentence.article
        self.message_user(request, f"Saved pledge #{pledge.pk}: {pledge}.", messages.SUCCESS)
        open_ = suggestions_open(article)
        for position in sorted(p for p in open_ if p >= pledge.sentence.position):
            return redirect(open_[position][0][1])
        self.message_user(request, "No more open suggestions after this sentence.", messages.INFO)
        return redirect("admin:articles_article_change", article.pk)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("tracker.review_pledge")

    @admin.action(description="Mark as reviewed (by you, a second editor)", permissions=["review"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Pledge]) -> None:
        reviewed = 0
        # The review queue lists proxy rows; history is kept for the concrete model.
        for pledge in Pledge.objects.filter(pk__in=queryset.values("pk")):
            try:
                pledge_review(pledge=pledge, reviewer=request.user)
            except ReviewRefused as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
            else:
                reviewed += 1
        if reviewed:
            self.message_user(request, f"{reviewed} pledge(s) marked reviewed.", messages.SUCCESS)

    @admin.action(
        description="Merge into one pledge (the oldest keeps the others' sentences)",
        permissions=["delete"],
    )
    def merge_pledges(self, request: HttpRequest, queryset: QuerySet[Pledge]) -> None:
        pledges = list(queryset.order_by("created_at", "pk"))
        try:
            keep = pledges_merge(keep=pledges[0], others=pledges[1:])
        except MergeRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            f"Merged {len(pledges)} pledges into #{keep.pk}; their sentences are its evidence.",
            messages.SUCCESS,
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


@admin.register(PledgeReviewQueue)
class ReviewQueueAdmin(PledgeAdmin):
    """Drafts first, oldest first: what a second editor should look at next."""

    list_display = (
        "id",
        "review_status",
        "donor",
        "figure",
        "stage",
        "announced_on",
        "recorded",
        "duplicate",
        "source",
    )
    list_filter = ("review_status", DuplicateFilter, "origin", "stage")
    actions = ("mark_reviewed",)
    date_hierarchy = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pledge]:
        return super().get_queryset(request).order_by("review_status", "created_at", "pk")

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        # "draft" sorts before "reviewed".
        return ("review_status", "created_at", "pk")

    @admin.display(description="recorded", ordering="created_at")
    def recorded(self, obj: Pledge):
        return obj.created_at

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Edits go through the pledge's own page, where history and review rules apply.
        return redirect("admin:tracker_pledge_change", object_id)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Review queue: drafts first, oldest first",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)
