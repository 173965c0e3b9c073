from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import translation

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.filters import PledgeFilter
from tracker.models import Pledge, PledgeRollup, PledgeSummary

pytestmark = pytest.mark.django_db


def filtered(query: str) -> list[int]:
    pledge_filter = PledgeFilter(QueryDict(query), queryset=Pledge.objects.for_table())
    return [pledge.pk for pledge in pledge_filter.qs]


@pytest.fixture
def pledges():
    military = CategoryFactory(slug="military", name="Military")
    drones = CategoryFactory(slug="drones", name="Drones", parent=military)
    financial = CategoryFactory(slug="financial", name="Financial")
    uk = DonorFactory(
        slug="united-kingdom", name="United Kingdom", name_de="Vereinigtes Königreich"
    )
    de = DonorFactory(slug="germany", name="Germany", name_de="Deutschland")
    nordic = ArticleFactory(slug="nordic")
    return {
        "uk_drones": PledgeFactory(
            donor=uk,
            category=drones,
            amount=None,
            currency="",
            quantity=100000,
            item="Drohnen",
            announced_on=datetime.date(2025, 6, 4),
            sentence=SentenceFactory(
                article=ArticleFactory(body="Großbritannien liefert 100.000 Drohnen.")
            ),
        ),
        "uk_money": PledgeFactory(
            donor=uk,
            category=military,
            amount=Decimal("247000000"),
            currency="GBP",
            announced_on=datetime.date(2025, 6, 4),
            notes="Ausbildung",
        ),
        "de_budget": PledgeFactory(
            donor=de,
            category=financial,
            amount=Decimal("3000000000"),
            currency="EUR",
            stage=Pledge.Stage.PROPOSED,
            announced_on=datetime.date(2025, 1, 16),
            sentence=SentenceFactory(article=nordic),
        ),
        "undated": PledgeFactory(donor=de, category=financial, announced_on=None),
    }


class TestPledgeFilter:
    def test_no_parameters_lists_everything_newest_first_undated_last(self, pledges):
        assert filtered("") == [
            pledges["uk_money"].pk,
            pledges["uk_drones"].pk,
            pledges["de_budget"].pk,
            pledges["undated"].pk,
        ]

    def test_donor_is_repeatable(self, pledges):
        assert set(filtered("donor=united-kingdom")) == {
            pledges["uk_drones"].pk,
            pledges["uk_money"].pk,
        }
        assert len(filtered("donor=united-kingdom&donor=germany")) == 4

    def test_parent_category_includes_its_children(self, pledges):
        assert set(filtered("category=military")) == {
            pledges["uk_drones"].pk,
            pledges["uk_money"].pk,
        }
        assert filtered("category=drones") == [pledges["uk_drones"].pk]

    def test_stage(self, pledges):
        assert filtered("stage=proposed") == [pledges["de_budget"].pk]

    def test_currency_ignores_case(self, pledges):
        assert filtered("currency=gbp") == [pledges["uk_money"].pk]

    def test_date_range_is_inclusive(self, pledges):
        assert filtered("date_from=2025-06-04&date_to=2025-06-04") == [
            pledges["uk_money"].pk,
            pledges["uk_drones"].pk,
        ]
        assert filtered("date_to=2025-03-01") == [pledges["de_budget"].pk]

    def test_amount_eur_bounds(self, pledges):
        # 247m GBP on 2025-06-04 is 293,314,333.21 EUR; the undated pledge is 1m EUR.
        assert filtered("amount_eur_min=1000000000") == [pledges["de_budget"].pk]
        assert filtered("amount_eur_min=293314333.21&amount_eur_max=293314333.21") == [
            pledges["uk_money"].pk
        ]
        assert filtered("amount_eur_max=1000000000") == [
            pledges["uk_money"].pk,
            pledges["undated"].pk,
        ]

    def test_article(self, pledges):
        assert filtered("article=nordic") == [pledges["de_budget"].pk]

    def test_text_search_needs_every_word_somewhere(self, pledges):
        assert filtered("q=drohnen") == [pledges["uk_drones"].pk]
        assert filtered("q=königreich ausbildung") == [pledges["uk_money"].pk]
        assert filtered("q=nothing-like-this") == []

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("announced_on", ["de_budget", "uk_drones", "uk_money", "undated"]),
            ("-amount_eur", ["de_budget", "uk_money", "undated", "uk_drones"]),
            ("amount_eur", ["undated", "uk_money", "de_budget", "uk_drones"]),
            ("donor", ["de_budget", "undated", "uk_money", "uk_drones"]),
            ("-donor", ["uk_money", "uk_drones", "de_budget", "undated"]),
        ],
    )
    def test_sort(self, pledges, sort, expected):
        assert filtered(f"sort={sort}") == [pledges[name].pk for name in expected]

    @pytest.mark.parametrize(
        "query",
        [
            "donor=atlantis",
            "category=not-a-category",
            "stage=maybe",
            "currency=EURO",
            "currency=1$3",
            "date_from=2025-13-01",
            "date_to=yesterday",
            # Dates no pledge can have: before 1990, more than a year ahead.
            "date_to=9999-12-31",
            "date_from=0001-01-01",
            "date_from=0202-03-02",
            "date_to=2100-01-01",
            "date_from=1989-12-31",
            "amount_eur_min=-5",
            "amount_eur_max=lots",
            "amount_eur_min=1e400",
            "article=no-such-article",
            "sort=price",
            "q=" + "x" * 201,
        ],
    )
    def test_bad_values_are_form_errors_and_ignored(self, pledges, query):
        pledge_filter = PledgeFilter(QueryDict(query), queryset=Pledge.objects.for_table())
        assert not pledge_filter.is_valid()
        assert pledge_filter.error_messages
        assert pledge_filter.qs.count() == 4


class TestRequestsKeepApart:
    """Each request has its own filters and form fields: what one request sets on its copies
    never reaches another."""

    def test_each_request_has_its_own_filters_fields_and_widgets(self, pledges):
        first = PledgeFilter(QueryDict("donor=germany"), queryset=Pledge.objects.for_table())
        second = PledgeFilter(QueryDict(""), queryset=Pledge.objects.for_table())
        assert first.filters["donor"] is not second.filters["donor"]
        assert first.filters["donor"].parent is first
        assert second.filters["donor"].parent is second
        for name in first.form.fields:
            assert first.form.fields[name] is not second.form.fields[name]
            assert first.form.fields[name].widget is not second.form.fields[name].widget

    def test_each_request_has_its_own_querysets_to_compile(self, pledges):
        # Compiling a queryset adds its select_related joins to its query: two threads
        # rendering one shared queryset at once wrote SQL naming a join it did not have.
        first = PledgeFilter(QueryDict(""), queryset=Pledge.objects.for_table())
        second = PledgeFilter(QueryDict(""), queryset=Pledge.objects.for_table())
        for name in ("donor", "category", "article"):
            mine, theirs = first.form.fields[name].queryset, second.form.fields[name].queryset
            assert mine is not theirs
            assert mine.query is not theirs.query
        labels = [label for _, label in second.form.fields["category"].choices][1:]
        assert sorted(labels) == ["Financial", "Military", "Military › Drones"]

    def test_donor_order_in_german_does_not_leak_into_english(self, pledges):
        def donor_labels(language: str) -> list[str]:
            with translation.override(language):
                pledge_filter = PledgeFilter(QueryDict(""), queryset=Pledge.objects.for_table())
                return [label for _, label in pledge_filter.form.fields["donor"].choices]

        assert donor_labels("de") == ["Deutschland", "Vereinigtes Königreich"]
        assert donor_labels("en") == ["Germany", "United Kingdom"]
        assert donor_labels("de") == ["Deutschland", "Vereinigtes Königreich"]

    def test_a_bound_request_does_not_bind_the_next(self, pledges):
        PledgeFilter(QueryDict("stage=proposed"), queryset=Pledge.objects.for_table()).is_valid()
        assert len(filtered("")) == 4


def over_every_table(query: str) -> PledgeFilter:
    """The filters as the table reads them: pledges, with their roll-up and summary."""
    return PledgeFilter(
        QueryDict(query),
        queryset=Pledge.objects.all(),
        rollups=PledgeRollup.objects.all(),
        summaries=PledgeSummary.objects.all(),
    )


class TestTotalsTables:
    def test_the_summary_still_serves_a_sort_and_a_donor_turns_it_down(self):
        DonorFactory(slug="germany")
        unfiltered = over_every_table("sort=-amount_eur")
        assert unfiltered.totals_qs.model is PledgeSummary
        one_donor = over_every_table("donor=germany")
        assert one_donor.totals_qs.model is PledgeRollup
