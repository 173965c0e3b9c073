"""The editors' side: record pledges against the sentences that state them.

The article page lists every sentence with its position and offsets, the pledges that cite
it, the pledges our suggestion engine reads in it (one click opens the form filled in), and
an "add pledge" link for anything else. "Save and next" moves on to the next suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, cast
from urllib.parse import urlencode

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import is_historic

from articles.admin import ArticleAdmin
from articles.models import Article, Sentence
from tracker import admin_workspace
from tracker.fx import fx_warning
from tracker.models import (
    Category,
    Donor,
    EditConflict,
    Pledge,
    PledgeReviewQueue,
    Release,
    SuggestionRejection,
)
from tracker.resources import PledgeResource
from tracker.selectors.review_queue import draft_after, draft_before, sent_back, with_author
from tracker.selectors.sentence_figure import sentence_marked
from tracker.selectors.suggestion_quality import suggestion_quality
from tracker.selectors.suggestions import ArticleSuggestions, article_suggestions, suggestions_open
from tracker.services.duplicates import MergeRefused, pledges_merge, with_duplicate_flag
from tracker.services.editing import (
    pledge_field,
    pledge_saves_since,
    pledge_snapshot,
    pledge_values,
    snapshot_values,
    value_shown,
)
from tracker.services.rejections import (
    RejectionRefused,
    suggestion_reject,
    suggestion_rejection_undo,
)
from tracker.services.review import (
    COMMENT_MAX_LENGTH,
    ReviewRefused,
    pledge_author,
    pledge_may_delete,
    pledge_reopen_if_changed,
    pledge_review,
    pledge_send_back,
)
from tracker.services.suggestions import pledge_mark_suggested, suggestion_label

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import WithAnnotations

    class DuplicateFlag(TypedDict):
        """What services.duplicates.with_duplicate_flag adds to each pledge."""

        possible_duplicate: bool

    class StaffRequest(HttpRequest):
        """The admin's requests: only a signed-in editor reaches them."""

        user: User


@dataclass(frozen=True)
class FieldConflict:
    """One field another editor changed while this editor had the form open."""

    label: str
    opened: str
    theirs: str
    yours: str
    yours_changed: bool


#: What restoring an old version keeps from the pledge as it is now.
KEPT_ON_RESTORE = (
    "version",
    "review_status",
    "reviewed_by_id",
    "reviewed_at",
    "origin",
    "suggestion",
    "created_at",
)


class PledgeAdminForm(forms.ModelForm):
    """The pledge form carries the version it was opened at, and the pledge as it was then; a
    save from an older version is refused with what the other editor changed, and keeps this
    editor's entries."""

    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        widgets: ClassVar[dict] = {"version": forms.HiddenInput}
        error_messages: ClassVar[dict] = {
            "version": {
                "required": "This form lacks its version: open the pledge again and re-enter "
                "your changes."
            }
        }

    def __init__(self, *args, instance: Pledge | None = None, **kwargs) -> None:
        current = instance
        if instance is not None and is_historic(instance):
            # Restoring a version from the history saves it over the pledge as it is now:
            # review, origin and version stay the current ones. A deleted pledge comes back
            # as a new draft with its old number.
            current = Pledge.objects.filter(pk=instance.pk).first()
            if current is None:
                instance._state.adding = True
                instance.review_status = Pledge.Review.DRAFT
                instance.reviewed_by = instance.reviewed_at = None
            else:
                for name in KEPT_ON_RESTORE:
                    setattr(instance, name, getattr(current, name))
        kwargs["instance"] = instance
        super().__init__(*args, **kwargs)
        self.conflict: list[FieldConflict] | None = None
        self.compared = [name for name in self.fields if name not in ("version", "opened")]
        # The pledge as stored when the form was built: what this editor's entries change.
        self.stored = (
            None
            if self.instance._state.adding or current is None
            else pledge_values(current, [*self.compared, "review_status"])
        )
        if self.stored is not None:
            self.fields["opened"].initial = pledge_snapshot(self.stored)
        else:
            self.fields["version"].required = False
            self.fields["version"].required = False

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.instance._state.adding:
            cleaned["version"] = 1
            return cleaned
        opened = cleaned.get("version")
        if self.stored is not None and opened is not None and opened != self.instance.version:
            refusal = self.conflict_refuse(opened, self.stored)
            if refusal:
                raise ValidationError(refusal)
            # Saved since, but nothing this form shows was changed: nothing to lose.
            cleaned["version"] = self.instance.version
        return cleaned

    def conflict_refuse(self, opened: int, stored: dict[str, object]) -> str | None:
        """Compare with the pledge as this editor opened it; keep their entries, take the other
        editor's values where this editor changed nothing, and say what happened (None when
        the saves since changed nothing this form shows)."""
        before = snapshot_values(self.data.get("opened", ""), stored)
        data = cast(QueryDict, self.data).copy()  # a bound form's data: the request's POST
        self.conflict = []
        for name in [*self.compared, "review_status"]:
            theirs = stored[name]
            field = self.fields.get(name)
            if before is not None and before[name] == theirs:
                continue
            if field is None:  # the review: not typed in this form
                if before is None:
                    continue
                yours_changed, yours = False, "—"
            else:
                raw = self[name].data
                if before is None and not field.has_changed(theirs, raw):
                    continue
                yours_changed = before is None or field.has_changed(before[name], raw)
                yours = self.value_entered(name)
                if not yours_changed:
                    self.data_set(data, name, theirs)
            self.conflict.append(
                FieldConflict(
                    label=str(pledge_field(name).verbose_name),
                    opened="?" if before is None else value_shown(name, before[name]),
                    theirs=value_shown(name, theirs),
                    yours=yours,
                    yours_changed=yours_changed,
                )
            )
        if not self.conflict:
            self.conflict = None
            return None
        # Saving again is a decision taken after seeing the other editor's changes.
        data["version"] = str(self.instance.version)
        data["opened"] = pledge_snapshot(stored)
        self.data = data
        saves = pledge_saves_since(pledge_id=self.instance.pk, version=opened)
        who = ", ".join(
            f"{save.who} ({date_format(timezone.localtime(save.when), 'DATETIME_FORMAT')}"
            f"{', ' + save.reason if save.reason else ''})"
            for save in saves
        ) or gettext("someone")
        changed = ", ".join(row.label for row in self.conflict)
        return gettext(
            "Not saved: %(who)s saved this pledge after you opened it. They changed: "
            "%(fields)s. Your entries are still in the form; where you had not changed a "
            "field it now shows their value. Check, then save again."
        ) % {"who": who, "fields": changed}

    def value_entered(self, name: str) -> str:
        if name not in self.cleaned_data:
            return str(self[name].data or "—")
        value = self.cleaned_data[name]
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, QuerySet):
            value = sorted(value.values_list("pk", flat=True))
        return value_shown(name, value)

    @staticmethod
    def data_set(data, name: str, value) -> None:
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
            else:
                data.pop(name, None)
        else:
            data[name] = "" if value is None else str(value)

    def changed_from_stored(self) -> set[str]:
        """The fields this save changes, against the pledge as stored (not the old version
        being restored)."""
        if self.stored is None:
            return set()
        stored = self.stored
        return {
            name
            for name in self.compared
            if self.fields[name].has_changed(stored[name], self[name].data)
        }


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
        found = article_suggestions(obj) if obj is not None else ArticleSuggestions()
        self.open_suggestions = {
            position: [(item, f"reject-{item.sentence_id}-{n}") for n, item in enumerate(items)]
            for position, items in found.open.items()
        }
        self.rejected_suggestions = found.rejected
        self.may_reject = request.user.has_perm("tracker.add_suggestionrejection")
        self.may_undo = request.user.has_perm("tracker.delete_suggestionrejection")
        # The forms the Reject and Undo buttons submit (form="..."): a form cannot hold
        # another, so the article's page puts them after its own.
        reject = reverse("admin:tracker_suggestionrejection_reject")
        self.forms_after = [
            {
                "id": form_id,
                "action": reject,
                "fields": {"sentence": item.sentence_id, "suggestion": item.payload},
            }
            for items in self.open_suggestions.values()
            for item, form_id in items
        ] + [
            {
                "id": f"undo-{item.rejection.pk}",
                "action": reverse(
                    "admin:tracker_suggestionrejection_undo", args=[item.rejection.pk]
                ),
                "fields": {},
            }
            for items in self.rejected_suggestions.values()
            for item in items
        ]
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="suggested")
    def suggested(self, obj: Sentence) -> str:
        lines = [
            format_html(
                '<div class="suggestion-open"><a class="suggestion" href="{}" title="{}">{}</a>'
                "{}</div>",
                item.url,
                gettext("Read: “%(words)s”") % {"words": item.suggestion.evidence},
                suggestion_label(item.suggestion),
                self._reject_controls(form_id) if getattr(self, "may_reject", False) else "",
            )
            for item, form_id in getattr(self, "open_suggestions", {}).get(obj.position, [])
        ]
        for rejected in getattr(self, "rejected_suggestions", {}).get(obj.position, []):
            rejection = rejected.rejection
            said = [gettext("rejected")]
            if rejection.reason:
                said.append(rejection.get_reason_display())
            if rejection.rejected_by:
                said.append(rejection.rejected_by.get_username())
            undo = format_html(
                '<button type="submit" form="undo-{}" class="undo-rejection">{}</button>',
                rejection.pk,
                gettext("Undo"),
            )
            lines.append(
                format_html(
                    '<div class="suggestion-rejected"><del>{}</del> <span>{}</span> {}</div>',
                    suggestion_label(rejected.suggestion),
                    " · ".join(said),
                    undo if getattr(self, "may_undo", False) else "",
                )
            )
        if not lines:
            return ""
        return format_html(
            '<div class="suggestions" id="suggestions-{}">{}</div>',
            obj.position,
            format_html_join("", "{}", ((line,) for line in lines)),
        )

    @staticmethod
    def _reject_controls(form_id: str) -> str:
        reasons = format_html_join(
            "",
            '<option value="{}">{}</option>',
            SuggestionRejection.Reason.choices,
        )
        return format_html(
            '<span class="suggestion-reject"><select name="reason" form="{}" aria-label="{}">'
            '<option value="">{}</option>{}</select>'
            '<button type="submit" form="{}" class="reject-suggestion">{}</button></span>',
            form_id,
            gettext("Why reject it (optional)"),
            gettext("reason?"),
            reasons,
            form_id,
            gettext("Reject"),
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
        params: dict[str, object] = {"sentence": obj.pk}
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


class HistoryAdmin(SimpleHistoryAdmin):
    """The history of every change, where restoring a version needs the right to change the
    object: django-simple-history lets anyone who may view it post the restore."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            allowed = (
                self.has_change_permission(request, current)
                if current is not None
                else self.has_add_permission(request)  # restoring a deleted one adds it
            )
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


admin.site.unregister(Article)


@admin.register(Article)
class AnnotatedArticleAdmin(HistoryAdmin, ArticleAdmin):
    inlines = (SentenceInline,)
    change_form_template = "admin/tracker/article_change_form.html"

    # Beside the title, where an editor looks: the slug column can push the end out of view.
    list_display = (ArticleAdmin.list_display[0], "workspace", *ArticleAdmin.list_display[1:])

    @admin.display(description="")
    def workspace(self, obj: Article) -> str:
        return format_html(
            '<a class="workspace-link" href="{}">{}</a>',
            admin_workspace.workspace_url(obj.pk),
            gettext("Annotate"),
        )

    def get_urls(self):
        site = self.admin_site

        def view(function, method=require_POST):
            return site.admin_view(method(partial(function, site=site)))

        return [
            path(
                "<int:object_id>/workspace/",
                view(admin_workspace.workspace_view, require_safe),
                name="articles_article_workspace",
            ),
            path(
                "<int:object_id>/workspace/accept/",
                view(admin_workspace.accept_view),
                name="articles_article_workspace_accept",
            ),
            path(
                "<int:object_id>/workspace/accept-all/",
                view(admin_workspace.accept_all_view),
                name="articles_article_workspace_accept_all",
            ),
            path(
                "<int:object_id>/workspace/reject/",
                view(admin_workspace.reject_view),
                name="articles_article_workspace_reject",
            ),
            path(
                "<int:object_id>/workspace/undo/",
                view(admin_workspace.undo_view),
                name="articles_article_workspace_undo",
            ),
            path(
                "<int:object_id>/workspace/selection/",
                view(admin_workspace.selection_view, require_safe),
                name="articles_article_workspace_selection",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        obj = context.get("original")
        if obj is not None and request.user.has_perm("tracker.add_pledge"):
            context["workspace_url"] = admin_workspace.workspace_url(obj.pk)
        context["forms_after"] = [
            form
            for formset in context.get("inline_admin_formsets", [])
            for form in getattr(formset.opts, "forms_after", [])
        ]
        context["quality_url"] = reverse("admin:tracker_suggestionrejection_quality")
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(Donor)
class DonorAdmin(HistoryAdmin):
    list_display = ("name", "name_de", "iso2", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "name_de", "iso2", "slug")
    prepopulated_fields: ClassVar[dict] = {"slug": ("name",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name_de", "slug", "position")
    list_select_related = ("parent",)
    search_fields = ("name", "name_de", "slug")
    prepopulated_fields: ClassVar[dict] = {"slug": ("name",)}


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
class PledgeAdmin(ImportExportModelAdmin, HistoryAdmin):
    form = PledgeAdminForm
    resource_classes = (PledgeResource,)
    object_history_form_template = "admin/tracker/pledge/history_form.html"
    # Typed as a whole: ReviewQueueAdmin below shows other columns, filters and actions.
    # The sentence beside the figure, where it is read without scrolling sideways.
    list_display: tuple[str, ...] = (
        "id",
        "donor",
        "figure",
        "source",
        "category",
        "stage",
        "announced_on",
        "review_status",
        "duplicate",
        "is_aggregate",
        "part_of",
    )
    list_display_links = ("id", "figure")
    actions: tuple[str, ...] = ("mark_reviewed", "merge_pledges")
    list_filter: ClassVar[tuple[Any, ...]] = (
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
    date_hierarchy: ClassVar[str | None] = "announced_on"
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
    # What an editor checks first fits one laptop screen with the Save buttons; the rest is
    # folded (and opens by itself when one of its fields has an error: admin-annotate.js).
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "sentence",
                    ("donor", "category"),
                    ("qualifier", "amount", "currency"),
                    ("quantity", "item"),
                    ("stage", "announced_on", "date_precision"),
                    "version",
                    "opened",
                )
            },
        ),
        (
            gettext_lazy("More: period, part of, aggregate, notes, …"),
            {
                "classes": ("collapse",),
                "fields": ("period", "part_of", "is_aggregate", "recipient", "evidence", "notes"),
            },
        ),
        (
            gettext_lazy("Review and record"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("review_status", "reviewed_by", "reviewed_at", "origin"),
                    ("amount_eur", "fx_rate", "fx_date"),
                    ("created_at", "updated_at"),
                ),
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
            upload = request.FILES.get("import_file")
            name = upload.name if upload else "the file"
            failed = len(result.invalid_rows) + len(result.row_errors())
            self.message_user(
                request,
                f"Nothing was imported from {name}: {failed} row(s) cannot be imported, "
                "listed below with their problems.",
                messages.ERROR,
            )
        return response

    @admin.display(description="duplicate?", boolean=True, ordering="possible_duplicate")
    def duplicate(self, obj: WithAnnotations[Pledge, DuplicateFlag]) -> bool:
        return obj.possible_duplicate

    def save_model(self, request, obj, form, change):
        if form.stored is not None:
            pledge_reopen_if_changed(pledge=obj, changed_fields=form.changed_from_stored())
        super().save_model(request, obj, form, change)
        # Saved without a EUR value, or with a provisional one: say so, not silently.
        if warning := fx_warning(obj):
            self.message_user(request, warning, messages.WARNING)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Another save landed between this form's check and its own (the view's
            # transaction is rolled back): the form, built again, now shows that save.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a version is a save, checked against the current version like any other."""
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Accepting a suggestion: the form carried what was suggested (see the add link).
        if not change and request.GET.get("suggestion"):
            pledge_mark_suggested(pledge=form.instance, payload=request.GET["suggestion"])

    def response_add(self, request, obj, post_url_continue=None):
        if "_savenext" in request.POST:
            return self._next_suggestion(request, obj)
        if self._back_to_workspace(request):
            return self._to_workspace(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_savenext" in request.POST:
            return self._next_suggestion(request, obj)
        if self._back_to_workspace(request):
            return self._to_workspace(request, obj)
        return super().response_change(request, obj)

    @staticmethod
    def _back_to_workspace(request: HttpRequest) -> bool:
        # Opened from the workspace (Edit, or a selection): a plain Save returns there.
        leaving = ("_continue", "_addanother", "_saveasnew")
        return bool(request.GET.get("workspace")) and not any(k in request.POST for k in leaving)

    def _to_workspace(self, request: HttpRequest, pledge: Pledge):
        self.message_user(request, f"Saved pledge #{pledge.pk}: {pledge}.", messages.SUCCESS)
        sentence = pledge.sentence
        return redirect(admin_workspace.workspace_url(sentence.article_id, sentence.position))

    def _next_suggestion(self, request: HttpRequest, pledge: Pledge):
        """Open the next open suggestion of the article, from this sentence on."""
        article = pledge.sentence.article
        self.message_user(request, f"Saved pledge #{pledge.pk}: {pledge}.", messages.SUCCESS)
        open_ = suggestions_open(article)
        for position in sorted(p for p in open_ if p >= pledge.sentence.position):
            return redirect(open_[position][0][1])
        self.message_user(request, "No more open suggestions after this sentence.", messages.INFO)
        return redirect("admin:articles_article_change", article.pk)

    def has_delete_permission(self, request: HttpRequest, obj: Pledge | None = None) -> bool:
        # Per pledge, this also decides the "delete" link, the delete page and every pledge
        # that "Delete selected" and "Merge" would remove.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or pledge_may_delete(pledge=obj, user=request.user))

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("tracker.review_pledge")

    @admin.action(description="Mark as reviewed (by you, a second editor)", permissions=["review"])
    def mark_reviewed(self, request: StaffRequest, queryset: QuerySet[Pledge]) -> None:
        reviewed = 0
        # The review queue lists proxy rows; history is kept for the concrete model.
        for pledge in Pledge.objects.filter(pk__in=queryset.values("pk")):
            try:
                pledge_review(pledge=pledge, reviewer=request.user)
            except (ReviewRefused, EditConflict) as refusal:
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
        kept = [pledge for pledge in pledges[1:] if not self.has_delete_permission(request, pledge)]
        if kept:
            self.message_user(
                request,
                gettext(
                    "Nothing merged: merging removes %(ids)s, which has been reviewed; "
                    "ask an administrator."
                )
                % {"ids": ", ".join(f"#{pledge.pk}" for pledge in kept)},
                messages.ERROR,
            )
            return
        try:
            keep = pledges_merge(keep=pledges[0], others=pledges[1:])
        except (MergeRefused, EditConflict) as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            f"Merged {len(pledges)} pledges into #{keep.pk}; their sentences are its evidence.",
            messages.SUCCESS,
        )

    @admin.display(description="sentence")
    def source(self, obj: Pledge) -> str:
        # The whole sentence, wrapped, to be read in the list; the article below it.
        return format_html(
            '<div class="list-sentence">{}</div>'
            '<a class="list-sentence-source" href="{}">{} #{}</a>',
            sentence_marked(obj),
            obj.sentence.get_absolute_url(),
            Truncator(obj.sentence.article.title).chars(40),
            obj.sentence.position,
        )

    # --- Review: approve or send back, one pledge at a time --------------------------------

    def get_urls(self):
        if self.model is not Pledge:  # the review queue's rows post here too
            return super().get_urls()
        return [
            path(
                "<int:object_id>/decide/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="tracker_pledge_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request: StaffRequest, object_id: int) -> HttpResponse:
        """Approve the pledge, or send it back to its editor, with an optional comment; then
        open the next draft of the queue (or go back to the queue, where the decision was
        made there)."""
        if not self.has_review_permission(request):
            raise PermissionDenied
        pledge = get_object_or_404(Pledge, pk=object_id)
        decision = request.POST.get("decision", "")
        comment = request.POST.get("comment", "")
        try:
            if decision == "approve":
                pledge_review(pledge=pledge, reviewer=request.user, comment=comment)
                done = gettext("Approved pledge #%(id)s: %(pledge)s.")
            elif decision == "send_back":
                pledge_send_back(pledge=pledge, reviewer=request.user, comment=comment)
                done = gettext("Sent pledge #%(id)s back to its editor: %(pledge)s.")
            else:
                raise ReviewRefused(gettext("Choose Approve or Send back."))
        except (ReviewRefused, EditConflict) as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            if request.POST.get("back") == "queue":
                return self._back_to_queue(request, pledge)
            return redirect(self._review_url(pledge))
        self.message_user(request, done % {"id": pledge.pk, "pledge": pledge}, messages.SUCCESS)
        following = draft_after(pledge, request.user)
        if request.POST.get("back") == "queue":
            return self._back_to_queue(request, following)
        if following is not None:
            return redirect(self._review_url(following))
        self.message_user(request, gettext("No drafts left to review after this one."))
        return redirect("admin:tracker_pledgereviewqueue_changelist")

    @staticmethod
    def _review_url(pledge: Pledge) -> str:
        """The pledge's form as opened from the review queue: with the review keys."""
        return reverse("admin:tracker_pledge_change", args=[pledge.pk]) + "?review=1"

    @staticmethod
    def _back_to_queue(request: HttpRequest, focus: Pledge | None) -> HttpResponse:
        # The queue as it was filtered (only its own parameters make it back), at the row
        # of the next draft.
        filters = QueryDict(request.POST.get("filters", ""), mutable=True)
        url = reverse("admin:tracker_pledgereviewqueue_changelist")
        if filters:
            url += "?" + filters.urlencode()
        return redirect(url + (f"#pledge-{focus.pk}" if focus is not None else ""))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pledge = Pledge.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if pledge is not None and self.has_review_permission(request):
            extra_context = {"review": self._review_panel(request, pledge), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def _review_panel(self, request: StaffRequest, pledge: Pledge) -> dict[str, Any]:
        """What the pledge form shows a reviewer: where the pledge stands, the decision
        buttons, and (opened from the queue) the previous and next draft and the keys."""
        author = pledge_author(pledge)
        from_queue = request.GET.get("review") == "1"
        panel: dict[str, Any] = {
            "decide_url": reverse("admin:tracker_pledge_decide", args=[pledge.pk]),
            "draft": pledge.review_status == Pledge.Review.DRAFT,
            "pledge": pledge,
            "author": author,
            "own": author is not None and author.pk == request.user.pk,
            "sent_back": sent_back(pledge),
            "comment_max": COMMENT_MAX_LENGTH,
            "keys": from_queue,
            "queue_url": reverse("admin:tracker_pledgereviewqueue_changelist"),
        }
        if from_queue:
            before, after = draft_before(pledge, request.user), draft_after(pledge, request.user)
            panel["previous_url"] = self._review_url(before) if before else ""
            panel["next_url"] = self._review_url(after) if after else ""
        return panel

    required_messages: ClassVar[dict] = {
        "sentence": "Choose the sentence that states this pledge (type words from it).",
        "donor": "Choose who gives (type a country or organisation).",
        "category": "Choose a category; the sub-category if the article says what is given.",
    }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Someone who may only view pledges gets a form without fields: every one is shown
        # read-only instead.
        for name, message in self.required_messages.items():
            if name in form.base_fields:
                form.base_fields[name].error_messages["required"] = message
        # Quote the cited sentence above the form, so the editor reads it while typing.
        sentence = obj.sentence if obj else self._sentence_from_query(request)
        if sentence is not None and "sentence" in form.base_fields:
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

    # Few columns, so that the whole sentence and the decision fit beside the figure.
    list_display = ("id", "review_status", "donor", "figure", "source", "duplicate")
    list_filter = ("review_status", DuplicateFilter, "origin", "stage")
    actions = ("mark_reviewed",)
    date_hierarchy = None
    change_list_template = "admin/tracker/pledgereviewqueue/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pledge]:
        queue = with_author(super().get_queryset(request))
        return queue.order_by("review_status", "created_at", "pk")

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if self.has_review_permission(request):
            # The decision below the sentence it is about.
            return tuple(
                "source_decision" if name == "source" else name for name in self.list_display
            )
        return self.list_display

    @admin.display(description="sentence and decision")
    def source_decision(self, obj: Pledge) -> str:
        return format_html("{}{}", self.source(obj), self.decision(obj))

    def decision(self, obj: Pledge) -> str:
        """Approve or Send back from the row; the form they belong to is outside the list's
        own form (the change list template writes one per row)."""
        if getattr(obj, "mine", False):
            return format_html(
                '<span id="pledge-{}" class="row-decision">{}</span>',
                obj.pk,
                gettext("recorded by you"),
            )
        approve = ""
        if obj.review_status == Pledge.Review.DRAFT:
            approve = format_html(
                '<button type="submit" form="decide-{}" name="decision" value="approve"'
                ' class="button default">{}</button>',
                obj.pk,
                gettext("Approve"),
            )
        return format_html(
            '<div id="pledge-{}" class="row-decision">'
            '<input type="text" name="comment" form="decide-{}" maxlength="{}"'
            ' placeholder="{}" aria-label="{}">{}'
            '<button type="submit" form="decide-{}" name="decision" value="send_back"'
            ' class="button">{}</button></div>',
            obj.pk,
            obj.pk,
            COMMENT_MAX_LENGTH,
            gettext("comment (optional)"),
            gettext("Comment on pledge #%(id)s") % {"id": obj.pk},
            approve,
            obj.pk,
            gettext("Send back"),
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Which rows this reviewer recorded: those get no buttons.
        for pledge in changelist.result_list:
            pledge.mine = pledge.author_id == request.user.pk
        return changelist

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        # "draft" sorts before "reviewed".
        return ("review_status", "created_at", "pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return False

    # Edits and the history go through the pledge's own pages, where its rules apply.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opened from the queue: the pledge's form with the review keys.
        return redirect(reverse("admin:tracker_pledge_change", args=[object_id]) + "?review=1")

    def history_view(self, request, object_id, extra_context=None):
        return redirect("admin:tracker_pledge_history", object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return redirect("admin:tracker_pledge_simple_history", object_id, version_id)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Review queue: drafts first, oldest first",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)


@admin.register(SuggestionRejection)
class SuggestionRejectionAdmin(HistoryAdmin):
    """Rejected suggestions, read-only but for admins; deleting one (or *Undo* beside its
    sentence) offers the suggestion again. Rejecting happens on the article's page."""

    list_display = ("rejected_at", "figure", "figure_rule", "reason", "rejected_by", "source")
    list_filter = ("reason", ("rejected_by", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("sentence__article", "rejected_by")
    search_fields = ("sentence__text", "sentence__article__title")
    date_hierarchy = "rejected_at"
    # Only the reason can change, by an admin.
    readonly_fields = (
        "sentence",
        "amount",
        "currency",
        "quantity",
        "suggestion",
        "rejected_by",
        "rejected_at",
    )
    fields = (
        "sentence",
        "amount",
        "currency",
        "quantity",
        "suggestion",
        "reason",
        "rejected_by",
        "rejected_at",
    )
    change_list_template = "admin/tracker/suggestionrejection/change_list.html"

    @admin.display(description="figure")
    def figure(self, obj: SuggestionRejection) -> str:
        return str(obj)

    @admin.display(description="rule")
    def figure_rule(self, obj: SuggestionRejection) -> str:
        return obj.figure_rule

    @admin.display(description="sentence")
    def source(self, obj: SuggestionRejection) -> str:
        return format_html(
            '<a href="{}#suggestions-{}" title="{}">{} #{}</a>',
            reverse("admin:articles_article_change", args=[obj.sentence.article_id]),
            obj.sentence.position,
            obj.sentence.text,
            Truncator(obj.sentence.article.title).chars(40),
            obj.sentence.position,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Suggestions are rejected beside their sentence, on the article's page.
        return False

    def get_urls(self):
        return [
            path(
                "reject/",
                self.admin_site.admin_view(require_POST(self.reject_view)),
                name="tracker_suggestionrejection_reject",
            ),
            path(
                "<int:object_id>/undo/",
                self.admin_site.admin_view(require_POST(self.undo_view)),
                name="tracker_suggestionrejection_undo",
            ),
            path(
                "quality/",
                self.admin_site.admin_view(require_safe(self.quality_view)),
                name="tracker_suggestionrejection_quality",
            ),
            *super().get_urls(),
        ]

    def reject_view(self, request: StaffRequest) -> HttpResponse:
        """Reject one suggestion of a sentence (a button beside it on the article's page)."""
        if not request.user.has_perm("tracker.add_suggestionrejection"):
            raise PermissionDenied
        try:
            rejection, new = suggestion_reject(
                sentence_id=request.POST.get("sentence", ""),
                payload=request.POST.get("suggestion", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
            )
        except RejectionRefused as refusal:
            return HttpResponseBadRequest(str(refusal), content_type="text/plain; charset=utf-8")
        if new:
            self.log_addition(request, rejection, [{"added": {}}])
            self.message_user(
                request,
                gettext("Rejected %(figure)s: it is no longer suggested for this sentence.")
                % {"figure": rejection},
                messages.SUCCESS,
            )
        return self._back_to_article(rejection)

    def undo_view(self, request: StaffRequest, object_id: int) -> HttpResponse:
        """Undo a rejection: the suggestion is offered again."""
        if not request.user.has_perm("tracker.delete_suggestionrejection"):
            raise PermissionDenied
        rejection = get_object_or_404(
            SuggestionRejection.objects.select_related("sentence"), pk=object_id
        )
        response = self._back_to_article(rejection)
        self.log_deletions(request, SuggestionRejection.objects.filter(pk=rejection.pk))
        suggestion_rejection_undo(rejection=rejection, user=request.user)
        self.message_user(
            request,
            gettext("Rejection undone: %(figure)s is suggested again.") % {"figure": rejection},
            messages.SUCCESS,
        )
        return response

    def quality_view(self, request: HttpRequest) -> TemplateResponse:
        """How each rule of the suggestion engine does, from every decision editors made."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Suggestions: how each rule does"),
            "quality": suggestion_quality(),
        }
        return TemplateResponse(request, "admin/tracker/suggestion_quality.html", context)

    @staticmethod
    def _back_to_article(rejection: SuggestionRejection) -> HttpResponse:
        sentence = rejection.sentence
        url = reverse("admin:articles_article_change", args=[sentence.article_id])
        return redirect(f"{url}#suggestions-{sentence.position}")


# --- Releases: read only --------------------------------------------------------------------


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Published releases, to look at: ``manage.py release`` publishes them, and nobody
    changes or deletes one (tracker/models/releases.py)."""

    list_display = ("number", "published_at", "summary")
    fields = ("number", "published_at", "summary", "page")
    readonly_fields = fields
    actions = None

    @admin.display(description="changes since the release before")
    def summary(self, release: Release) -> str:
        counts = {kind: len(ids) for kind, ids in release.changes.items()}
        return ", ".join(f"{count} {kind}" for kind, count in counts.items())

    @admin.display(description="page")
    def page(self, release: Release) -> str:
        url = reverse("release-detail", args=[release.number])
        return format_html('<a href="{}">{}</a>', url, url)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Login records (django-axes) ----------------------------------------------------------

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Axes' list of failed logins per account and address; deleting one lifts its lock.

    Without axes' "Clean up expired attempts" action, which fails (a 500) outside a login
    request; expired attempts are cleaned up at every login anyway.
    """

    actions = ("delete_selected",)
