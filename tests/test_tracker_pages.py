"""The dashboard, pledge and donor pages on the demo data."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from tracker.models import Pledge

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.mark.usefixtures("seeds_for_the_class")
class TestDashboard:
    def test_headline_and_charts_follow_the_filters(self, client, seeded):
        response = client.get("/")
        assert response.status_code == 200
        assert response.context_data["table"].totals.amount_eur == Decimal("6718547978.07")
        content = response.content.decode()
        assert re.findall(r'<g class="bar" data-donor="([\w-]+)"', content) == ["united-kingdom"]
        assert "€6.7bn" in content

        with_proposals = client.get("/?include_proposed=on").content.decode()
        assert re.findall(r'<g class="bar" data-donor="([\w-]+)"', with_proposals) == [
            "united-kingdom",
            "germany",
        ]
        assert "€9.7bn" in with_proposals

    def test_one_fragment_refreshes_totals_charts_and_table(self, client, seeded):
        response = client.get(
            "/?donor=germany&include_proposed=on",
            headers={**HTMX, "HX-Target": "dashboard-body"},
        )
        assert response.template_name == "tracker/dashboard.html#dashboard-body"
        content = response.content.decode()
        assert content.lstrip().startswith('<div id="dashboard-body"')
        assert 'data-donor="germany"' in content
        assert 'id="pledge-table"' in content
        assert '<form id="filters"' not in content

    def test_sort_and_pages_refresh_only_the_table(self, client, seeded):
        response = client.get("/?sort=donor", headers={**HTMX, "HX-Target": "pledge-table"})
        assert response.template_name == "tracker/pledge_list.html#pledge-table"
        assert "chart" not in response.content.decode()

    @pytest.mark.parametrize("path", ["/", "/pledges/", "/donors/germany/"])
    def test_each_partial_is_the_element_htmx_targets(self, client, seeded, path):
        from tracker.views import PARTIALS

        for target, template in PARTIALS.items():
            response = client.get(path, headers={**HTMX, "HX-Target": target})
            if target == "dashboard-body" and path != "/":
                # Not a part of this page: the whole page.
                assert "#" not in response.template_name
                continue
            assert response.template_name == template
            assert template.endswith(f"#{target}")
            content = response.content.decode().lstrip()
            assert re.match(rf'<[a-z]+ id="{target}"', content), content[:80]

    def test_empty_result_says_why(self, client, seeded):
        content = client.get("/?donor=france").content.decode()
        assert "No pledge matches all of these filters." in content
        assert "Remove filter Donor: France" in content
        assert "No pledges with a EUR value match these filters." in content

    def test_query_count(self, client, seeded, no_cache, django_assert_num_queries):
        # table: totals (with the count), its ids, its rows; charts: donors x categories,
        # the categories, the donors' names, months, items; form: donors, categories
        with django_assert_num_queries(10):
            client.get("/")
        with django_assert_num_queries(8):
            client.get("/", headers={**HTMX, "HX-Target": "dashboard-body"})


class TestDatesFarApart:
    """Pledges at both ends of the dates the database keeps (1990 and 2099) give the timeline
    of the overview and of the donor page 55 two-year bars, not 1,320 months."""

    def test_the_timelines_stay_small(self, client, seeded):
        from articles.date_window import EARLIEST

        for day in (EARLIEST, datetime.date(2099, 12, 31)):
            pledge = Pledge.objects.get(pk=4)  # a United Kingdom pledge in GBP
            pledge.pk, pledge.version, pledge.currency = None, 1, "EUR"
            pledge.announced_on = day
            pledge.save()
        for path in ("/", "/donors/united-kingdom/"):
            content = client.get(path).content.decode()
            assert content.count('<g class="period" data-period=') == 55, path
            assert 'data-period="1990-1991"' in content and 'data-period="2098-2099"' in content
            assert len(content) < 120_000, path


class TestPledgePage:
    def test_every_field_the_passage_and_the_conversion(self, client, seeded):
        content = client.get("/pledges/4/").content.decode()
        assert "247,000,000" in content
        assert "293,314,333.21" in content
        assert "at 0.8421 GBP per euro, the rate of 4 Jun 2025" in content
        assert "ECB euro foreign exchange reference rates" in content
        assert 'class="sentence cited">Die britische Regierung plant zudem' in content
        # the neighbouring sentences are there for context
        assert "100.000 Drohnen zu liefern" in content

    def test_parts_and_whole_link_each_other(self, client, seeded):
        whole = client.get("/pledges/5/").content.decode()
        part = client.get("/pledges/6/").content.decode()
        assert 'href="/pledges/6/"' in whole and "Its parts" in whole
        assert 'href="/pledges/5/"' in part and "No: part of a larger pledge" in part

    def test_other_reports_are_listed(self, client, seeded):
        content = client.get("/pledges/1/").content.decode()
        assert "Also reported in" in content
        assert "Im ersten Quartal 2025 haben NATO-Partner" in content

    def test_missing_rate_says_why(self, client, seeded):
        Pledge.objects.filter(pk=4).update(currency="UAH", amount_eur=None, fx_rate=None)
        content = client.get("/pledges/4/").content.decode()
        assert "No EUR rate: the ECB publishes no reference rate for UAH." in content

    @pytest.mark.parametrize("path", ["/pledges/999/", "/pledges/0/", "/pledges/-1/"])
    def test_unknown_pledge_is_404(self, client, path):
        assert client.get(path).status_code == 404

    def test_query_count(self, client, seeded, django_assert_num_queries):
        # pledge with its relations, evidence, parts, the passage, its history
        with django_assert_num_queries(5):
            client.get("/pledges/6/")


class TestDonorPage:
    def test_totals_by_stage_category_and_year(self, client, seeded):
        response = client.get("/donors/united-kingdom/")
        assert response.context_data["table"].totals.amount_eur == Decimal("6718547978.07")
        assert [b.label for b in response.context_data["breakdowns"]["by_stage"]] == ["Pledged"]
        assert [b.label for b in response.context_data["breakdowns"]["by_year"]] == ["2025"]
        assert response.context_data["table"].count == 5
        assert 'class="chart chart-timeline"' in response.content.decode() or (
            'id="timeline-chart"' in response.content.decode()
        )

    def test_its_table_is_prefiltered_and_exports_only_its_pledges(self, client, seeded):
        response = client.get(
            "/donors/germany/?sort=-amount_eur", headers={**HTMX, "HX-Target": "pledge-table"}
        )
        assert response.template_name == "tracker/pledge_list.html#pledge-table"
        assert response.context_data["table"].export_url == (
            "/pledges/export.csv?sort=-amount_eur&donor=germany"
        )
        rows = response.context_data["table"].rows
        assert {row["donor_url"] for row in rows} == {"/donors/germany/"}

    def test_unknown_donor_is_404(self, client):
        assert client.get("/donors/atlantis/").status_code == 404

    def test_german_names_in_german(self, client, seeded):
        with translation.override("de"):
            content = client.get("/donors/united-kingdom/", HTTP_ACCEPT_LANGUAGE="de").content
        assert "Vereinigtes Königreich" in content.decode()

    def test_query_count(self, client, seeded, no_cache, django_assert_num_queries):
        # donor; table: totals (with the count), its ids, its rows; by stage, category
        # (+ names), year; months; whether the Kiel data are loaded
        with django_assert_num_queries(10):
            client.get("/donors/united-kingdom/")


@pytest.mark.usefixtures("seeds_for_the_class")
class TestGerman:
    def test_the_table_in_german(self, client, seeded):
        client.cookies["django_language"] = "de"
        content = client.get("/pledges/?donor=united-kingdom").content.decode()
        assert '<html lang="de">' in content
        assert "CSV herunterladen" in content
        assert "6,7 Mrd. €" in content
        assert "247.000.000" in content  # German grouping
        assert "16. Jan. 2025" in content
        assert "Vereinigtes Königreich" in content
        assert "zu 0,8421 GBP/EUR" in content

    def test_english_is_the_default(self, client, seeded):
        content = client.get("/pledges/").content.decode()
        assert '<html lang="en">' in content
        assert "Download CSV" in content and "€6.7bn" in content

    def test_the_csv_stays_machine_readable_in_german(self, client, seeded):
        client.cookies["django_language"] = "de"
        response = client.get("/pledges/export.csv?donor=united-kingdom")
        content = b"".join(response.streaming_content).decode()
        assert content.startswith("id,donor,")
        assert ",247000000.00,GBP,293314333.21,0.842100," in content


@pytest.mark.usefixtures("seeds_for_the_class")
class TestTotalsExport:
    def rows(self, client, query: str) -> list[dict[str, str]]:
        import csv
        import io

        response = client.get(f"/pledges/totals.csv?{query}")
        assert response.status_code == 200, response.content
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    def test_overall_matches_the_dashboard(self, client, seeded):
        [row] = self.rows(client, "")
        dashboard = client.get("/").context_data["table"].totals
        assert Decimal(row["amount_eur"]) == dashboard.amount_eur == Decimal("6718547978.07")
        assert row["pledges_with_eur"] == "2"
        assert row["in_kind_without_value"] == "2"
        assert row["listed_not_added"] == "4"
        assert "items" not in row  # 100,000 drones and 15 systems are not 100,015 of anything

    def test_by_donor_with_proposals_and_filters(self, client, seeded):
        rows = self.rows(client, "by=donor&include_proposed=on&category=military")
        assert {r["donor_slug"]: r["amount_eur"] for r in rows} == {
            "germany": "3000000000.00",
            "nato-allies": "0.00",  # listed (two aggregates), nothing added
            "united-kingdom": "6718547978.07",
        }

    def test_by_month(self, client, seeded):
        rows = self.rows(client, "by=month&donor=united-kingdom")
        assert [(r["month"], r["amount_eur"]) for r in rows] == [
            ("2025-01-01", "6425233644.86"),
            ("2025-06-01", "293314333.21"),
        ]

    def test_bad_grouping_or_filter_is_refused(self, client, seeded):
        response = client.get("/pledges/totals.csv?by=colour&date_from=nope")
        assert response.status_code == 400
        text = response.content.decode()
        assert "by: one of donor, category, subcategory, stage, year, month" in text
        assert "Announced from: Enter a valid date." in text

    def test_dashboard_links_carry_the_filters(self, client, seeded):
        content = client.get("/?donor=germany&sort=donor").content.decode()
        assert 'href="/pledges/totals.csv?donor=germany&amp;by=donor"' in content
