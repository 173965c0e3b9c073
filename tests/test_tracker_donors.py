"""The donor list (``/donors/``): every donor with its totals, sortable, in either language."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from articles.models import Sentence
from tests.factories import PledgeFactory
from tracker.models import Category, Donor, Pledge, name_sort_key

pytestmark = pytest.mark.django_db

DE = {"Accept-Language": "de"}


def shown_donors(response) -> list[str]:
    """The donors of the table, in the order shown."""
    table = response.content.decode().split('<table class="donors">', 1)[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a href="/donors/[^/]+/">([^<]*)</a>', table)


def add_pledge(slug: str, amount: str, **fields) -> Pledge:
    return PledgeFactory(
        donor=Donor.objects.get(slug=slug),
        category=Category.objects.get(slug="drones"),
        sentence=Sentence.objects.first(),
        amount=Decimal(amount),
        **fields,
    )


@pytest.mark.usefixtures("seeds_for_the_class")
class TestDonorList:
    def test_lists_donors_with_pledges_largest_total_first(self, client, seeded):
        response = client.get("/donors/")
        assert response.status_code == 200
        assert shown_donors(response) == ["United Kingdom", "Germany", "NATO allies"]
        page = response.content.decode()
        assert 'href="/donors/united-kingdom/"' in page
        # The other 46 donors are listed too, folded below.
        assert "46 donors without pledges" in page
        assert 'href="/donors/austria/"' in page

    @pytest.mark.parametrize("slug", ["united-kingdom", "germany", "nato-allies"])
    def test_totals_agree_with_the_table_of_the_donor(self, client, seeded, slug):
        rows = client.get("/donors/").context_data["donors"].rows
        (row,) = [row for row in rows if row.donor.slug == slug]
        table = client.get(f"/pledges/?donor={slug}").context_data["table"]
        assert row.totals.amount_eur == table.totals.amount_eur
        assert row.totals.pledges == table.count
        assert row.totals.not_counted == table.totals.not_counted

    def test_subsets_aggregates_and_proposals_are_listed_not_added(self, client, seeded):
        rows = {row.donor.slug: row for row in client.get("/donors/").context_data["donors"].rows}
        # Pledge 6 is part of pledge 5; the NATO allies' two are aggregates; Germany's a proposal.
        assert rows["united-kingdom"].totals.amount_eur == Decimal("6718547978.07")
        assert rows["united-kingdom"].totals.not_counted == 1
        assert rows["nato-allies"].totals.amount_eur == 0
        assert rows["nato-allies"].totals.not_counted == 2
        assert rows["germany"].totals.not_counted == 1

    def test_latest_month_of_announcement(self, client, seeded):
        rows = {row.donor.slug: row for row in client.get("/donors/").context_data["donors"].rows}
        assert rows["united-kingdom"].latest_month == datetime.date(2025, 6, 1)
        assert "Jun 2025" in client.get("/donors/").content.decode()

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("name", ["Germany", "NATO allies", "United Kingdom"]),
            ("-name", ["United Kingdom", "NATO allies", "Germany"]),
            ("-amount_eur", ["United Kingdom", "Germany", "NATO allies"]),
            ("amount_eur", ["Germany", "NATO allies", "United Kingdom"]),
            ("-pledges", ["United Kingdom", "NATO allies", "Germany"]),
            ("pledges", ["Germany", "NATO allies", "United Kingdom"]),
        ],
    )
    def test_sorts(self, client, seeded, sort, expected):
        response = client.get(f"/donors/?sort={sort}")
        assert shown_donors(response) == expected
        assert response.context_data["donors"].sort == sort

    def test_sort_links_reverse_the_sort_in_effect(self, client, seeded):
        page = client.get("/donors/?sort=name").content.decode()
        assert 'href="?sort=-name"' in page
        assert 'href="?sort=-amount_eur"' in page
        assert 'href="?sort=-pledges"' in page
        assert 'aria-sort="ascending"' in page

    @pytest.mark.parametrize("sort", ["bogus", "-", "amount", "<script>", "name\x00"])
    def test_unknown_sort_falls_back_to_the_default(self, client, seeded, sort):
        response = client.get("/donors/", {"sort": sort})
        assert response.status_code == 200
        assert shown_donors(response) == ["United Kingdom", "Germany", "NATO allies"]
        assert "is not one we know: sorted by EUR total instead" in response.content.decode()
        assert "<script>" not in response.content.decode().split("<main", 1)[1]

    def test_a_write_shows_at_once(self, client, seeded, settings):
        settings.CACHES = {"default": settings.CACHES["database"]}
        assert "Austria" not in shown_donors(client.get("/donors/"))
        add_pledge("austria", "9000000000")
        assert shown_donors(client.get("/donors/"))[0] == "Austria"

    def test_query_count_does_not_grow_with_donors(
        self, client, seeded, no_cache, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2) as few:
            client.get("/donors/")
        for slug in ("austria", "norway", "poland", "france", "italy"):
            add_pledge(slug, "1000000", announced_on=datetime.date(2024, 3, 5))
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get("/donors/")
        assert len(response.context_data["donors"].rows) == 8

    def test_a_cached_page_reads_nothing_but_the_cache(
        self, client, seeded, settings, django_assert_num_queries
    ):
        settings.CACHES = {"default": settings.CACHES["database"]}
        client.get("/donors/")
        with django_assert_num_queries(2):  # the version and the rendered part, from the cache
            client.get("/donors/")

    def test_in_navigation_and_the_donor_breadcrumb(self, client, seeded):
        page = client.get("/donors/").content.decode()
        assert '<a href="/donors/" aria-current="page">Donors</a>' in page
        donor_page = client.get("/donors/germany/").content.decode()
        assert re.search(
            r'<p class="breadcrumb"><a href="/">Overview</a> › <a href="/donors/">Donors</a> › '
            r"Germany</p>",
            donor_page,
        )


def test_the_donor_list_without_any_pledge(client, db):
    call_command("loaddata", "reference", verbosity=0)
    response = client.get("/donors/")
    assert response.status_code == 200
    assert "No pledges recorded yet." in response.content.decode()


class TestGermanNames:
    @pytest.fixture
    def spread(self, seeded):
        for slug in ("austria", "norway", "poland", "netherlands", "united-states"):
            add_pledge(slug, "1000000")

    def test_names_are_german_and_sorted_with_umlauts_in_place(self, client, spread):
        names = shown_donors(client.get("/donors/?sort=name", headers=DE))
        assert names == [
            "Deutschland",
            "NATO-Verbündete",
            "Niederlande",
            "Norwegen",
            "Österreich",
            "Polen",
            "Vereinigte Staaten",
            "Vereinigtes Königreich",
        ]

    def test_english_sorts_by_english_names(self, client, spread):
        names = shown_donors(client.get("/donors/?sort=name"))
        assert names[:3] == ["Austria", "Germany", "NATO allies"]

    def test_the_donor_filter_lists_oesterreich_among_the_os(self, client, seeded):
        page = client.get("/pledges/", headers=DE).content.decode()
        options = page.split("Australien", 1)[1]
        order = [options.index(name) for name in ("Norwegen", "Österreich", "Polen", "Zypern")]
        assert order == sorted(order)

    def test_sort_key_folds_accents_and_case(self):
        names = ["Zypern", "österreich", "Ungarn", "Österreich", "Oman", "Polen"]
        assert sorted(names, key=name_sort_key) == [
            "Oman",
            "Österreich",
            "österreich",
            "Polen",
            "Ungarn",
            "Zypern",
        ]
