"""The analyst's filters: one FilterSet behind the table, its fragment and the CSV export."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q, QuerySet

from articles.models import Article
from tracker.models import Category, Donor, Pledge

SORTS = {
    "announced_on": (F("announced_on").asc(nulls_last=True), "id"),
    "-announced_on": (F("announced_on").desc(nulls_last=True), "-id"),
    "amount_eur": (F("amount_eur").asc(nulls_last=True), "id"),
    "-amount_eur": (F("amount_eur").desc(nulls_last=True), "-id"),
    "donor": ("donor__name", F("announced_on").desc(nulls_last=True), "-id"),
    "-donor": ("-donor__name", F("announced_on").desc(nulls_last=True), "-id"),
}
DEFAULT_SORT = "-announced_on"

SORT_CHOICES = (
    ("-announced_on", "Newest first"),
    ("announced_on", "Oldest first"),
    ("-amount_eur", "Largest EUR amount first"),
    ("amount_eur", "Smallest EUR amount first"),
    ("donor", "Donor A–Z"),
    ("-donor", "Donor Z–A"),
)

DATE_INPUT = {"input_formats": ["%Y-%m-%d"], "widget": forms.DateInput(attrs={"type": "date"})}


class PledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Donor, item, sentence, notes"}
        ),
    )
    donor = django_filters.ModelMultipleChoiceFilter(
        label="Donor",
        field_name="donor__slug",
        to_field_name="slug",
        queryset=Donor.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    category = django_filters.ModelChoiceFilter(
        label="Category",
        to_field_name="slug",
        queryset=Category.objects.select_related("parent"),
        method="filter_category",
        empty_label="All categories",
    )
    stage = django_filters.ChoiceFilter(
        label="Stage", choices=Pledge.Stage.choices, empty_label="All stages"
    )
    currency = django_filters.CharFilter(
        label="Currency",
        field_name="currency",
        lookup_expr="iexact",
        max_length=3,
        validators=[RegexValidator(r"^[A-Za-z]{3}$", "A currency is a three-letter code: EUR.")],
        widget=forms.TextInput(
            attrs={"list": "currency-codes", "placeholder": "EUR", "size": 4, "maxlength": 3}
        ),
    )
    date_from = django_filters.DateFilter(
        label="Announced from", field_name="announced_on", lookup_expr="gte", **DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label="Announced until", field_name="announced_on", lookup_expr="lte", **DATE_INPUT
    )
    amount_eur_min = django_filters.NumberFilter(
        label="EUR at least",
        field_name="amount_eur",
        lookup_expr="gte",
        min_value=0,
        max_digits=20,
        decimal_places=2,
    )
    amount_eur_max = django_filters.NumberFilter(
        label="EUR at most",
        field_name="amount_eur",
        lookup_expr="lte",
        min_value=0,
        max_digits=20,
        decimal_places=2,
    )
    article = django_filters.ModelChoiceFilter(
        label="Article",
        field_name="sentence__article",
        to_field_name="slug",
        queryset=Article.objects.order_by("title"),
        empty_label="All articles",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Pledge
        fields: list[str] = []

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

    def filter_queryset(self, queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
        # The sort applies even when no "sort" parameter is given, so paging is always stable.
        return super().filter_queryset(queryset).order_by(*SORTS[self.sort_key])

    def filter_text(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        matches = Q()
        for word in value.split():
            matches &= (
                Q(donor__name__icontains=word)
                | Q(donor__name_de__icontains=word)
                | Q(item__icontains=word)
                | Q(notes__icontains=word)
                | Q(sentence__text__icontains=word)
            )
        return queryset.filter(matches)

    def filter_category(
        self, queryset: QuerySet[Pledge], name: str, value: Category
    ) -> QuerySet[Pledge]:
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_sort(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        return queryset  # applied in filter_queryset, after every other filter
