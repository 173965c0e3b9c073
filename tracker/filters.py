"""The analyst's filters: one FilterSet behind the table, its fragment and the CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, OrderBy, Q, QuerySet
from django.http import QueryDict
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.date_window import validate_date_in_window
from articles.models import Article
from tracker.models import (
    Category,
    Donor,
    Pledge,
    PledgeRollup,
    PledgeSummary,
    ReleasedPledge,
    name_sort_key,
)
from tracker.selectors.search import pledges_search


@dataclass(frozen=True)
class SortKey:
    """One column of a sort; empty values sort last whichever the direction."""

    field: str
    descending: bool = False
    nullable: bool = False

    def order(self) -> OrderBy:
        nulls_last = True if self.nullable else None
        if self.descending:
            return F(self.field).desc(nulls_last=nulls_last)
        return F(self.field).asc(nulls_last=nulls_last)

    def reach(self, value, *, backwards: bool = False) -> Q:
        """The rows whose value of this key is ``value`` or comes after it (before it,
        ``backwards``), for a ``value`` that is not empty: a range an index scan starts at."""
        lookup = "lte" if self.descending != backwards else "gte"
        return Q(**{f"{self.field}__{lookup}": value})

    def past(self, value, *, backwards: bool = False) -> Q:
        """The rows whose value of this key comes after ``value`` in the sort (before it,
        ``backwards``): the condition keyset paging adds for one key."""
        lookup = "lt" if self.descending != backwards else "gt"
        if not self.nullable:
            return Q(**{f"{self.field}__{lookup}": value})
        if value is None:  # an empty value is last: nothing after it, every value before
            return Q(**{f"{self.field}__isnull": False}) if backwards else Q(pk__in=[])
        compared = Q(**{f"{self.field}__{lookup}": value})
        return compared if backwards else compared | Q(**{f"{self.field}__isnull": True})


NEWEST = SortKey("announced_on", descending=True, nullable=True)
#: Each sort's columns, the id last so that no two rows tie and paging is stable.
SORT_KEYS = {
    "announced_on": (SortKey("announced_on", nullable=True), SortKey("id")),
    "-announced_on": (NEWEST, SortKey("id", descending=True)),
    "amount_eur": (SortKey("amount_eur", nullable=True), SortKey("id")),
    "-amount_eur": (SortKey("amount_eur", descending=True, nullable=True), SortKey("id")),
    "donor": (SortKey("donor__name"), NEWEST, SortKey("id", descending=True)),
    "-donor": (
        SortKey("donor__name", descending=True),
        NEWEST,
        SortKey("id", descending=True),
    ),
}
#: The parameters that choose a page of the table rather than its pledges.
PAGING = ("page", "after", "before")


def query_without(query: QueryDict, *names: str) -> QueryDict:
    """A copy of ``query`` without the page it asks for, nor ``names``."""
    rest = query.copy()
    for name in (*PAGING, *names):
        rest.pop(name, None)
    return rest


DEFAULT_SORT = "-announced_on"

SORT_CHOICES = (
    ("-announced_on", _("Newest first")),
    ("announced_on", _("Oldest first")),
    ("-amount_eur", _("Largest EUR amount first")),
    ("amount_eur", _("Smallest EUR amount first")),
    ("donor", _("Donor A–Z")),
    ("-donor", _("Donor Z–A")),
)


class PledgeFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            # A reversed range filters nothing: drop both ends, say why.
            del cleaned["date_from"], cleaned["date_to"]
            raise forms.ValidationError(
                _("The start date (%(start)s) is after the end date (%(end)s)."),
                params={"start": start.isoformat(), "end": end.isoformat()},
                code="dates_reversed",
            )
        low, high = cleaned.get("amount_eur_min"), cleaned.get("amount_eur_max")
        if low is not None and high is not None and low > high:
            del cleaned["amount_eur_min"], cleaned["amount_eur_max"]
            raise forms.ValidationError(
                _("The lowest EUR amount is above the highest."), code="amounts_reversed"
            )
        return cleaned


def category_label(category: Category) -> str:
    if category.parent is not None:
        return f"{category.parent.local_name} › {category.local_name}"
    return category.local_name


@dataclass(frozen=True)
class Option:
    """One choice of a list filter: its value in the address, its label, whether chosen."""

    value: str
    label: str
    chosen: bool


@dataclass(frozen=True)
class Chip:
    """One active filter, shown as a removable chip; ``query`` is the view without it."""

    label: str
    value: str
    query: str


#: A date outside the window no pledge can have is a mistake, named and ignored like any other.
DATE_INPUT = {
    "input_formats": ["%Y-%m-%d"],
    "validators": [validate_date_in_window],
    "widget": forms.DateInput(attrs={"type": "date"}),
}


class PledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Donor, item or any word")}
        ),
    )
    donor = django_filters.ModelMultipleChoiceFilter(
        label=_("Donor"),
        to_field_name="slug",
        queryset=Donor.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_donor",
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        to_field_name="slug",
        queryset=Category.objects.select_related("parent"),
        method="filter_category",
        empty_label=_("All categories"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Pledge.Stage.choices, empty_label=_("All stages")
    )
    currency = django_filters.CharFilter(
        label=_("Currency"),
        field_name="currency",
        lookup_expr="iexact",
        max_length=3,
        validators=[RegexValidator(r"^[A-Za-z]{3}$", _("A currency is a three-letter code: EUR."))],
        widget=forms.TextInput(
            attrs={"list": "currency-codes", "placeholder": "EUR", "size": 4, "maxlength": 3}
        ),
    )
    date_from = django_filters.DateFilter(
        label=_("Announced from"), field_name="announced_on", lookup_expr="gte", **DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("Announced until"), field_name="announced_on", lookup_expr="lte", **DATE_INPUT
    )
    amount_eur_min = django_filters.NumberFilter(
        label=_("EUR at least"),
        field_name="amount_eur",
        lookup_expr="gte",
        min_value=0,
        max_digits=20,
        decimal_places=2,
    )
    amount_eur_max = django_filters.NumberFilter(
        label=_("EUR at most"),
        field_name="amount_eur",
        lookup_expr="lte",
        min_value=0,
        max_digits=20,
        decimal_places=2,
    )
    article = django_filters.ModelChoiceFilter(
        label=_("Article"),
        field_name="sentence__article",
        to_field_name="slug",
        queryset=Article.objects.all(),
        # A text box, not a list: there can be tens of thousands of articles. Readers arrive
        # here from an article's "its pledges" link; the chip then shows the title.
        widget=forms.TextInput(attrs={"placeholder": _("article-slug"), "spellcheck": "false"}),
    )
    reviewed = django_filters.BooleanFilter(
        label=_("Reviewed pledges only"),
        method="filter_reviewed",
        widget=forms.CheckboxInput,
    )
    include_proposed = django_filters.BooleanFilter(
        label=_("Add proposals to totals"),
        method="filter_nothing",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Pledge
        fields: tuple[str, ...] = ()
        form = PledgeFilterForm

    #: Each sort's columns, in the fields of the rows filtered.
    sort_keys: ClassVar[dict[str, tuple[SortKey, ...]]] = SORT_KEYS
    #: Filters the roll-up cannot express: they read fields it does not keep.
    NOT_ROLLED_UP = ("q", "amount_eur_min", "amount_eur_max", "article")
    #: Filters the summary cannot express either: it keeps no donor and no category.
    NOT_SUMMED = ("donor", "category")

    def __init__(
        self,
        *args,
        rollups: QuerySet[PledgeRollup] | None = None,
        summaries: QuerySet[PledgeSummary] | None = None,
        **kwargs,
    ) -> None:
        """``rollups`` and ``summaries``: the roll-up and summary rows of the same pledges as
        ``queryset``, when the totals may be read from them (see ``totals_qs``)."""
        super().__init__(*args, **kwargs)
        self.rollups = rollups
        self.summaries = summaries
        # Donors and categories by their names in the active language (``donor_options``
        # sorts them: a database's order puts "Österreich" after the Zs).
        donors = self.form.fields["donor"]
        donors.label_from_instance = lambda donor: donor.local_name
        self.form.fields["category"].label_from_instance = category_label

    @property
    def qs(self) -> QuerySet:
        if not self.is_bound and not hasattr(self, "_qs"):
            # Unbound, django-filter filters nothing; the rows still come in the default sort.
            queryset = self.queryset.all()
            if issubclass(queryset.model, self._meta.model):
                queryset = queryset.order_by(*(key.order() for key in self.sort_keys[DEFAULT_SORT]))
            self._qs = queryset
        return super().qs

    @property
    def include_proposed_in_totals(self) -> bool:
        return bool(
            self.is_bound
            and self.form.is_valid()
            and self.form.cleaned_data.get("include_proposed")
        )

    def chips(self) -> list[Chip]:
        """The active, valid filters in form order, each with the query that removes it."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        cleaned, chips = self.form.cleaned_data, []
        for name, field in self.form.fields.items():
            value = cleaned.get(name)
            if name == "sort" or not value or name in self.form.errors:
                continue
            if name == "donor":
                for donor in value:
                    chips.append(
                        Chip(field.label, donor.local_name, self._query_without(name, donor.slug))
                    )
                continue
            chips.append(
                Chip(field.label, self._chip_value(name, value), self._query_without(name))
            )
        return chips

    def _chip_value(self, name: str, value) -> str:
        if name == "stage":
            return str(Pledge.Stage(value).label)
        if name in ("date_from", "date_to"):
            return formats.date_format(value, "DATE_FORMAT")
        if name in ("amount_eur_min", "amount_eur_max"):
            return formats.number_format(value, 0, use_l10n=True, force_grouping=True) + " EUR"
        if name == "category":
            return category_label(value)
        if name == "article":
            return Truncator(value.title).chars(40)
        if name == "q":
            return gettext("“%(text)s”") % {"text": value}
        if name == "currency":
            return value.upper()
        if name in ("include_proposed", "reviewed"):
            return gettext("yes")
        return str(value)

    # The donor and category choices are written out by the filter panel's template
    # (tracker/_filters.html): the form's widgets render a template for each of them.
    def donor_options(self) -> list[Option]:
        """The donors to tick, chosen ones first, so the selection is always in view."""
        chosen = set(self.form["donor"].value() or ())
        donors = self.form.fields["donor"].queryset
        options = [Option(donor.slug, donor.local_name, donor.slug in chosen) for donor in donors]
        return sorted(options, key=lambda option: (not option.chosen, name_sort_key(option.label)))

    def category_options(self) -> list[Option]:
        chosen = self.form["category"].value()
        categories = self.form.fields["category"].queryset
        return [Option(c.slug, category_label(c), c.slug == chosen) for c in categories]

    def _query_without(self, name: str, value: str | None = None) -> str:
        if value is None:
            return query_without(self.data, name).urlencode()
        query = query_without(self.data)
        query.setlist(name, [v for v in query.getlist(name) if v != value])
        return query.urlencode()

    @cached_property
    def totals_qs(self) -> QuerySet[Any]:
        """What the totals add up, the smallest table that serves the filters: the summary
        when they need neither donor nor category, else what ``detailed_totals_qs`` reads.
        All give the same totals; totals grouped by donor or category read the latter."""
        if self.summaries is None or not self.rollups_serve:
            return self.detailed_totals_qs
        if self.is_bound:
            if any(self.form.cleaned_data.get(name) for name in self.NOT_SUMMED):
                return self.detailed_totals_qs
            return self.filter_queryset(self.summaries.all())
        return self.summaries.all()

    @cached_property
    def detailed_totals_qs(self) -> QuerySet[Any]:
        """What totals by donor or category add up: the roll-up rows of the matching pledges
        when the filters can be read there (``rollups_serve``), else the matching pledges
        themselves. Both give the same totals."""
        if not self.rollups_serve or self.rollups is None:
            return self.qs
        if self.is_bound:
            return self.filter_queryset(self.rollups.all())
        return self.rollups.all()

    @cached_property
    def rollups_serve(self) -> bool:
        """Whether the roll-up can express the filters: all but text, EUR bounds and article,
        and dates on whole months."""
        if self.rollups is None:
            return False
        if not self.is_bound:
            return True
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        if any(cleaned.get(name) not in (None, "") for name in self.NOT_ROLLED_UP):
            return False
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        return not ((start and start.day != 1) or (end and (end + timedelta(days=1)).day != 1))

    @property
    def sort_key(self) -> str:
        """The sort in effect: the requested one when valid, the default otherwise."""
        if not self.is_bound:
            return DEFAULT_SORT
        self.form.is_valid()  # an invalid date elsewhere does not undo a valid sort
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT

    @property
    def error_messages(self) -> list[str]:
        """Each invalid parameter as "Label: what is wrong", for the page and the export."""
        messages = []
        for name, errors in self.errors.items():
            field = self.form.fields.get(name)
            label = f"{field.label}: " if field is not None else ""
            messages.append(label + " ".join(errors))
        return messages

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The filters applied to pledges, or to their roll-up or summary rows."""
        queryset = super().filter_queryset(queryset)
        if not issubclass(queryset.model, self._meta.model):
            return queryset  # roll-up or summary rows: added up, never paged
        # The sort applies even when no "sort" parameter is given, so paging is always stable.
        return queryset.order_by(*(key.order() for key in self.sort_keys[self.sort_key]))

    def filter_text(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        return pledges_search(queryset, value)

    def filter_category(
        self, queryset: QuerySet[Pledge], name: str, value: Category
    ) -> QuerySet[Pledge]:
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_donor(self, queryset: QuerySet[Pledge], name: str, value) -> QuerySet[Pledge]:
        # By id, not by a join on the slug, so the (donor, date) index serves the page.
        if not value:
            return queryset
        return queryset.filter(donor__in=[donor.pk for donor in value])

    def filter_reviewed(self, queryset: QuerySet[Pledge], name: str, value: bool):
        return queryset.filter(review_status=Pledge.Review.REVIEWED) if value else queryset

    def filter_nothing(self, queryset: QuerySet[Pledge], name: str, value) -> QuerySet[Pledge]:
        # "sort" is applied in filter_queryset, after every other filter; "include_proposed"
        # changes the totals, not the rows.
        return queryset


#: The pledge fields a release's rows keep under other names (tracker/models/releases.py).
RELEASED_FIELDS = {"donor__name": "donor", "id": "pledge_id"}


class ReleaseFilter(PledgeFilter):
    """The table's filters and sorts over the rows of a release (``?release=N``): the same
    parameters, checked by the same form, read from the values the release keeps. ``q``
    finds each word anywhere in the release's words, rather than through the live search
    index; ``reviewed`` changes nothing, as a release holds reviewed pledges only."""

    article = django_filters.ModelChoiceFilter(
        label=_("Article"),
        to_field_name="slug",
        queryset=Article.objects.all(),
        method="filter_article",
        widget=forms.TextInput(attrs={"placeholder": _("article-slug"), "spellcheck": "false"}),
    )

    sort_keys: ClassVar[dict[str, tuple[SortKey, ...]]] = {
        name: tuple(
            SortKey(RELEASED_FIELDS.get(key.field, key.field), key.descending, key.nullable)
            for key in keys
        )
        for name, keys in SORT_KEYS.items()
    }

    class Meta:
        model = ReleasedPledge
        fields: tuple[str, ...] = ()
        form = PledgeFilterForm

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split():
            queryset = queryset.filter(search_text__icontains=word)
        return queryset

    def filter_category(self, queryset: QuerySet[Any], name: str, value: Category):
        # A release keeps the top category's slug and, for a sub-category, its own.
        return queryset.filter(Q(category=value.slug) | Q(subcategory=value.slug))

    def filter_donor(self, queryset: QuerySet[Any], name: str, value) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(donor_slug__in=[donor.slug for donor in value])

    def filter_article(self, queryset: QuerySet[Any], name: str, value: Article):
        return queryset.filter(article_slug=value.slug)

    def filter_reviewed(self, queryset: QuerySet[Any], name: str, value: bool):
        return queryset
