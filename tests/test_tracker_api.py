"""The JSON API: its OpenAPI document, the table's filters and cursor, evidence, hostile input,
read-only methods and the rate limit."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate

from articles.text_fragments import text_fragment_url
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tests.test_tracker_hostile_input import HOSTILE, RAW_ESCAPES, queries
from tracker.api.rate_limit import rate_parse
from tracker.api.routes import PledgeQuery, TotalsQuery
from tracker.filters import PledgeFilter
from tracker.formulas import cell_neutralise
from tracker.models import Pledge, Release
from tracker.selectors.export import COLUMNS
from tracker.selectors.table import pledge_filter
from tracker.services.releases import release_publish

pytestmark = pytest.mark.django_db

HTMX_TABLE = {"HX-Request": "true", "HX-Target": "pledge-table"}
ENDPOINTS = ("/api/pledges", "/api/totals", "/api/articles", "/api/donors", "/api/categories")


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.API_RATE_LIMIT = ""


@pytest.fixture
def pledges(db):
    """Eighteen pledges of three donors over three categories, with ties in date and amount, some
    undated and some without a EUR value, so that every sort meets equal and empty values."""
    military = CategoryFactory(slug="military", name="Military")
    drones = CategoryFactory(slug="drones", name="Drones", parent=military)
    financial = CategoryFactory(slug="financial", name="Financial")
    donors = [
        DonorFactory(slug="germany", name="Germany", iso2="DE"),
        DonorFactory(slug="france", name="France", iso2="FR"),
        DonorFactory(slug="nato-allies", name="NATO allies", kind="group"),
    ]
    article = ArticleFactory(
        slug="hilfe",
        title="Hilfe für die Ukraine",
        publisher="Beispiel-Zeitung",
        url="https://example.org/hilfe",
        body="Deutschland sagt 5 Mrd. Euro zu. Frankreich liefert Drohnen.",
    )
    sentence = SentenceFactory(article=article, position=1, start=0, end=32)
    made = []
    for number in range(18):
        made.append(
            PledgeFactory(
                donor=donors[number % 3],
                category=(military, drones, financial)[number % 3],
                sentence=sentence,
                amount=None if number % 7 == 0 else Decimal(1_000_000 * (number % 5 + 1)),
                currency="" if number % 7 == 0 else "EUR",
                quantity=50 if number % 7 == 0 else None,
                item="Drohnen" if number % 7 == 0 else "",
                announced_on=None
                if number % 11 == 0
                else datetime.date(2025, 1 + number % 4, 1 + number % 2),
            )
        )
    return made


@pytest.fixture
def one_pledge(db):
    return PledgeFactory(
        donor=DonorFactory(slug="germany"),
        category=CategoryFactory(slug="military"),
        review_status=Pledge.Review.REVIEWED,
    )


def api(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def directives(response) -> dict[str, str]:
    """The Content-Security-Policy's directives, by name."""
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def walk(client, path: str) -> list[int]:
    """Every id the API lists for ``path``, following ``next`` to the end."""
    return [record["id"] for record in walk_records(client, path)]


def walk_records(client, path: str) -> list[dict]:
    """Every record the API lists for ``path``, following ``next`` to the end."""
    records, url = [], path
    while url:
        page = api(client, url)
        records += page["results"]
        url = page["next"]
    return records


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


class TestOpenApi:
    def test_the_document_validates_as_openapi_3_1(self, client):
        document = api(client, "/api/openapi.json")
        assert document["openapi"].startswith("3.1")
        validate(document)

    def test_every_endpoint_is_documented(self, client):
        paths = api(client, "/api/openapi.json")["paths"]
        assert set(paths) == {*ENDPOINTS, "/api/pledges/{pledge_id}"}
        assert all(set(operations) == {"get"} for operations in paths.values())

    def test_the_pledge_parameters_are_the_filters_and_the_paging(self):
        filters = set(PledgeFilter.base_filters) | {"release"}
        assert set(PledgeQuery.model_fields) == filters | {"limit", "after"}
        assert set(TotalsQuery.model_fields) == filters | {"by"}

    def test_the_docs_page_loads_everything_from_the_site(self, client):
        response = client.get("/api/docs")
        # Swagger UI's icons are data: images, allowed on this page only.
        assert directives(response)["img-src"] == "'self' data:"
        assert directives(client.get("/pledges/"))["img-src"] == "'self'"
        page = response.content.decode()
        assert "cdn" not in page.lower()
        assert "https://" not in page and "http://" not in page
        for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"):
            assert f"/static/ninja/{asset}" in page
            assert finders.find(f"ninja/{asset}")


class TestPledges:
    QUERIES = (
        "",
        "sort=amount_eur",
        "sort=-amount_eur",
        "sort=donor",
        "sort=-donor",
        "sort=announced_on",
        "donor=germany&donor=france&sort=-announced_on",
        "category=military",
        "category=drones",
        "date_from=2025-02-01&date_to=2025-03-31",
        "amount_eur_min=2000000&amount_eur_max=4000000",
        "q=Deutschland&sort=donor",
        "article=hilfe&stage=pledged&currency=eur",
    )

    def test_lists_what_the_table_lists_in_its_order(self, client, pledges):
        for query in self.QUERIES[::2]:
            table = client.get(f"/pledges/?{query}", headers=HTMX_TABLE).context_data["table"]
            first = api(client, f"/api/pledges?{query}&limit=50")
            ids = [record["id"] for record in first["results"]]
            assert ids == [row["id"] for row in table.rows], query
            assert first["count"] == table.count, query
            assert ids, query  # every query matches something: the comparison can fail

    def test_the_cursor_walks_every_matching_pledge_once(self, client, pledges):
        for query in self.QUERIES:
            expected = list(pledge_filter(QueryDict(query)).qs.values_list("pk", flat=True))
            assert walk(client, f"/api/pledges?{query}&limit=4") == expected, query

    def test_next_keeps_the_query(self, client, pledges):
        page = api(client, "/api/pledges?donor=germany&sort=donor&limit=3")
        query = parse_qs(urlsplit(page["next"]).query)
        assert query == {
            "donor": ["germany"],
            "sort": ["donor"],
            "limit": ["3"],
            "after": [str(page["results"][-1]["id"])],
        }

    def test_the_tables_own_cursor_works_here(self, client, pledges):
        table = client.get("/pledges/?sort=-amount_eur", headers=HTMX_TABLE).context_data["table"]
        after = table.rows[9]["id"]
        page = api(client, f"/api/pledges?sort=-amount_eur&page=2&after={after}&limit=5")
        expected = [row["id"] for row in table.rows][10:15]
        assert [record["id"] for record in page["results"]] == expected

    def test_money_is_a_string_and_dates_iso(self, client, pledges):
        record = api(client, f"/api/pledges/{pledges[1].pk}")["result"]
        assert record["amount"] == "2000000.00"
        assert record["amount_eur"] == "2000000.00"
        assert record["announced_on"] == "2025-02-02"
        assert datetime.datetime.fromisoformat(record["updated_at"])
        assert record["donor"] == {"slug": "france", "name": "France", "iso2": "FR"}
        assert (record["category"], record["subcategory"]) == ("military", "drones")

    def test_limit_bounds(self, client, pledges):
        assert len(api(client, "/api/pledges")["results"]) == 18
        assert api(client, "/api/pledges")["limit"] == 50
        assert len(api(client, "/api/pledges?limit=500")["results"]) == 18
        response = client.get("/api/pledges?limit=501")
        assert response.status_code == 400
        assert response.json()["errors"] == ["limit: a whole number from 1 to 500."]

    def test_a_page_is_four_queries_whatever_its_size(
        self, client, pledges, no_cache, django_assert_num_queries
    ):
        # The donors named, the totals' count, the page's ids, its records.
        for limit in (1, 500):
            with django_assert_num_queries(4):
                client.get(f"/api/pledges?donor=germany&sort=-amount_eur&limit={limit}")
        # The cursor's row instead of the donors; a page that runs on into the undated
        # pledges reads their ids apart (the table's ids_after): one more.
        with django_assert_num_queries(4):
            client.get(f"/api/pledges?after={pledges[3].pk}&limit=2")
        with django_assert_num_queries(5):
            client.get(f"/api/pledges?after={pledges[3].pk}&limit=500")


class TestPledge:
    def test_its_evidence(self, client, pledges):
        pledge = pledges[0]
        record = api(client, f"/api/pledges/{pledge.pk}")["result"]
        evidence = record["evidence"]
        assert evidence["article"] == {
            "slug": "hilfe",
            "title": "Hilfe für die Ukraine",
            "publisher": "Beispiel-Zeitung",
            "url": "https://example.org/hilfe",
            "published_on": "2025-06-04",
        }
        sentence = evidence["sentence"]
        assert sentence == {"position": 1, "start": 0, "end": 32, "text": sentence["text"]}
        assert pledge.sentence.article.body[sentence["start"] : sentence["end"]] == sentence["text"]
        assert evidence["reader_link"] == "http://testserver/articles/hilfe/#s-1"
        assert evidence["source_link"] == (
            "https://example.org/hilfe#:~:text=Deutschland%20sagt%205%20Mrd.%20Euro%20zu."
        )
        assert record["page"] == f"http://testserver/pledges/{pledge.pk}/"
        assert record["further_evidence"] == []

    def test_further_evidence_and_no_source_link_without_a_web_address(self, client, pledges):
        other = SentenceFactory(article=ArticleFactory(slug="bericht", url=""))
        pledges[0].evidence.add(other)
        further = api(client, f"/api/pledges/{pledges[0].pk}")["result"]["further_evidence"]
        assert [item["article"]["slug"] for item in further] == ["bericht"]
        assert further[0]["source_link"] is None
        assert further[0]["reader_link"].endswith(f"/articles/bericht/#s-{other.position}")

    def test_no_such_pledge_is_a_404_that_says_so(self, client):
        for pk in ("0", "-1", "999999", str(2**63), str(2**70)):
            response = client.get(f"/api/pledges/{pk}")
            assert response.status_code == 404, pk
            assert response.json()["detail"] == f"There is no pledge {pk}."
        response = client.get("/api/pledges/abc")
        assert response.status_code == 422
        assert response.json()["errors"] == [
            "pledge_id: Input should be a valid integer, unable to parse string as an integer."
        ]

    def test_the_pledge_page_links_the_same_words(self, client, pledges):
        response = client.get(f"/pledges/{pledges[0].pk}/")
        link = text_fragment_url("https://example.org/hilfe", pledges[0].sentence.text)
        assert f'href="{link}"' in response.content.decode()


class TestOthers:
    def test_every_answer_names_its_licence_and_release(self, client, pledges):
        for path in (*ENDPOINTS, f"/api/pledges/{pledges[0].pk}"):
            body = api(client, path)
            assert body["licence"]["name"] == "CC-BY-4.0", path
            assert body["release"] == "live", path

    def test_totals_are_the_totals_csv(self, client, pledges):
        for by in ("", "donor", "category", "subcategory", "stage", "year", "month"):
            query = f"by={by}&date_from=2025-01-01"
            text = b"".join(client.get(f"/pledges/totals.csv?{query}").content.splitlines(True))
            rows = list(csv.DictReader(io.StringIO(text.decode())))
            results = api(client, f"/api/totals?{query}")["results"]
            assert [{name: str(value) for name, value in row.items()} for row in results] == rows

    def test_donors_and_categories(self, client, pledges):
        donors = api(client, "/api/donors")["results"]
        assert [donor["slug"] for donor in donors] == ["france", "germany", "nato-allies"]
        assert donors[1]["pledges"] == 6
        assert donors[1]["pledges_url"] == "http://testserver/api/pledges?donor=germany"
        categories = {c["slug"]: c["parent"] for c in api(client, "/api/categories")["results"]}
        assert categories == {"military": None, "financial": None, "drones": "military"}

    def test_articles_page_by_cursor(self, client, pledges):
        for number in range(4):
            ArticleFactory(slug=f"more-{number}")
        first = api(client, "/api/articles?limit=2")
        assert [article["slug"] for article in first["results"]] == ["hilfe", "more-0"]
        rest = api(client, first["next"])
        assert [article["slug"] for article in rest["results"]] == ["more-1", "more-2"]
        assert api(client, rest["next"])["next"] is None

    def test_the_table_offers_the_json_of_its_query(self, client, pledges):
        response = client.get("/pledges/?donor=germany&sort=donor&page=2&after=5")
        assert 'href="/api/pledges?donor=germany&amp;sort=donor"' in response.content.decode()


class TestReleases:
    @pytest.fixture
    def changed(self, pledges) -> Pledge:
        """Release 1 of the eighteen pledges, one with a formula in its notes; then one
        pledge's amount raised from 2,000,000 to 3,000,000 in release 2, and to 4,000,000
        since, live only."""
        Pledge.objects.update(review_status=Pledge.Review.REVIEWED)
        Pledge.objects.filter(pk=pledges[4].pk).update(notes="=SUM(A1:A9)")
        release_publish()
        changed = Pledge.objects.get(pk=pledges[1].pk)
        for amount in (3_000_000, 4_000_000):
            if amount == 4_000_000:
                release_publish()
            changed.amount = Decimal(amount)
            changed.save()
        return changed

    def test_each_release_keeps_its_value(self, client, changed):
        for query, release, amount in (
            ("release=1", "1", "2000000.00"),
            ("release=2", "2", "3000000.00"),
            ("", "live", "4000000.00"),
        ):
            page = api(client, f"/api/pledges?{query}")
            assert page["release"] == release
            assert {r["id"]: r["amount"] for r in page["results"]}[changed.pk] == amount, query
            assert page["count"] == 18
            one = api(client, f"/api/pledges/{changed.pk}?{query}")
            assert (one["release"], one["result"]["amount"]) == (release, amount)
            assert one["result"]["amount_eur"] == amount
            totals = api(client, f"/api/totals?{query}")
            assert totals["release"] == release

    def test_records_are_the_rows_of_the_release_csv(self, client, changed):
        query = "release=1&category=military&sort=-amount_eur"
        records = walk_records(client, f"/api/pledges?{query}&limit=5")
        rows = csv_rows(client.get(f"/pledges/export.csv?{query}"))
        assert [record["id"] for record in records] == [int(row["id"]) for row in rows]
        assert len(records) == 12 and changed.pk in {record["id"] for record in records}
        for record, row in zip(records, rows, strict=True):
            assert list(record) == ["id", "url", *COLUMNS[1:]]
            assert {
                column: as_csv(column, record) for column in COLUMNS if column != "updated_at"
            } == {column: row[column] for column in COLUMNS if column != "updated_at"}
            assert datetime.datetime.fromisoformat(record["updated_at"]) == (
                datetime.datetime.fromisoformat(row["updated_at"])
            )
        # The text as it is, where the CSV defuses a formula for spreadsheets.
        notes = {record["notes"] for record in walk_records(client, "/api/pledges?release=1")}
        assert "=SUM(A1:A9)" in notes

    def test_a_record_links_itself_in_its_release(self, client, changed):
        record = api(client, "/api/pledges?release=1&donor=france&limit=1")["results"][0]
        assert record["url"] == f"http://testserver/api/pledges/{record['id']}?release=1"
        assert api(client, record["url"])["result"] == record
        assert record["sentence_link"] == "http://testserver/articles/hilfe/#s-1"
        assert record["source_link"].startswith("https://example.org/hilfe#:~:text=")

    def test_the_cursor_walks_a_release_once(self, client, changed):
        release = Release.objects.get(number=1)
        for query in TestPledges.QUERIES:
            expected = pledge_filter(QueryDict(query), release=release).qs
            ids = walk(client, f"/api/pledges?release=1&{query}&limit=4")
            assert ids == list(expected.values_list("pledge_id", flat=True)), query
        assert sorted(walk(client, "/api/pledges?release=1&limit=4")) == sorted(
            pledge.pk for pledge in Pledge.objects.all()
        )

    def test_lists_what_the_tables_release_lists(self, client, changed):
        for query in ("release=1&sort=donor", "release=2&sort=-amount_eur&donor=france"):
            table = client.get(f"/pledges/?{query}", headers=HTMX_TABLE).context_data["table"]
            page = api(client, f"/api/pledges?{query}&limit=50")
            assert [record["id"] for record in page["results"]] == [row["id"] for row in table.rows]

    def test_next_keeps_the_release(self, client, changed):
        page = api(client, "/api/pledges?release=2&sort=donor&limit=3")
        query = parse_qs(urlsplit(page["next"]).query)
        assert query["release"] == ["2"] and query["after"] == [str(page["results"][-1]["id"])]
        rest = api(client, page["next"])
        assert rest["release"] == "2"

    def test_totals_are_the_release_totals_csv(self, client, changed):
        for by in ("", "donor", "category", "subcategory", "stage", "year", "month"):
            query = f"release=1&by={by}&date_from=2025-01-01"
            text = b"".join(client.get(f"/pledges/totals.csv?{query}").content.splitlines(True))
            rows = list(csv.DictReader(io.StringIO(text.decode())))
            results = api(client, f"/api/totals?{query}")["results"]
            assert [{name: str(value) for name, value in row.items()} for row in results] == rows
        # Each release's own sum: 2,000,000 more live than in release 1.
        first = Decimal(api(client, "/api/totals?release=1")["results"][0]["amount_eur"])
        live = Decimal(api(client, "/api/totals")["results"][0]["amount_eur"])
        assert live - first == 2_000_000

    def test_a_pledge_the_release_does_not_hold_is_a_404(self, client, changed):
        later = PledgeFactory(review_status=Pledge.Review.REVIEWED)
        response = client.get(f"/api/pledges/{later.pk}?release=2")
        assert response.status_code == 404
        assert response.json()["detail"] == f"Release 2 holds no pledge {later.pk}."
        assert api(client, f"/api/pledges/{later.pk}")["result"]["id"] == later.pk
        response = client.get(f"/api/pledges?release=2&after={later.pk}")
        assert response.json()["errors"] == [
            f"after: release 2 holds no pledge {later.pk}; start again without after."
        ]

    def test_an_unknown_release_is_a_404_naming_it(self, client, changed):
        response = client.get("/api/pledges?release=7")
        assert response.status_code == 404
        assert response.json() == {
            "detail": "Nothing returned: There is no release 7. The releases are numbered 1 to 2.",
            "errors": ["release: There is no release 7. The releases are numbered 1 to 2."],
        }

    def test_the_live_only_answers_refuse_a_release(self, client, changed):
        for path, what in (
            ("/api/donors", "donors"),
            ("/api/categories", "categories"),
            ("/api/articles", "articles"),
        ):
            response = client.get(f"{path}?release=1")
            assert response.status_code == 400, path
            assert response.json()["errors"] == [
                f"release: the {what} are the live data's; /api/pledges and /api/totals read "
                "a release."
            ]

    def test_the_tables_json_link_keeps_the_release(self, client, changed):
        page = client.get("/pledges/?release=1&donor=germany&page=2&after=5").content.decode()
        assert 'href="/api/pledges?release=1&amp;donor=germany"' in page

    def test_a_release_page_is_a_few_queries_whatever_its_size(
        self, client, changed, no_cache, django_assert_num_queries
    ):
        # The release (twice: the page's and the answer's), the donors named, the count,
        # the page's ids, its records.
        for limit in (1, 500):
            with django_assert_num_queries(6):
                client.get(f"/api/pledges?release=1&donor=germany&limit={limit}")


def as_csv(column: str, record: dict) -> str:
    """A release record's value as the release's CSV writes it."""
    value = record[column]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if column == "fx_date" and record["fx_provisional"]:
        text += " (provisional)"
    return cell_neutralise(text)


class TestReadOnly:
    def test_only_get(self, client, one_pledge):
        for method in ("post", "put", "patch", "delete"):
            for path in (*ENDPOINTS, f"/api/pledges/{one_pledge.pk}"):
                assert getattr(client, method)(path).status_code == 405, (method, path)


class TestHostile:
    BAD = (
        "limit=0",
        "limit=-1",
        "limit=1e3",
        f"limit={2**64}",
        "limit=%EF%BC%91",  # a fullwidth one
        "after=abc",
        "after=-5",
        "after=0",
        f"after={2**63}",
        "after=999999999",
        "sort=id;DROP TABLE tracker_pledge",
        "sort=password",
        "date_from=2025-02-30",
        "date_to=99999-01-01",
        "donor=%27%20OR%201%3D1--",
        "category=..%2F..",
        "amount_eur_min=NaN",
        "amount_eur_max=1e309",
        "q=a%00b",
        "q=" + "x" * 5000,
        "currency=%ED%A0%80",
        "by=donor;--",
    )

    def test_bad_values_are_a_clear_400(self, client, one_pledge):
        for query in self.BAD:
            name = query.split("=")[0]
            paths = ["/api/pledges", "/api/totals"]
            if name in ("limit", "after"):
                paths = ["/api/pledges", "/api/articles"]
            if query == "after=999999999":  # articles after the last one: none
                paths = ["/api/pledges"]
            if name == "by":
                paths = ["/api/totals"]
            for path in paths:
                response = client.get(f"{path}?{query}")
                assert response.status_code == 400, (path, query, response.content)
                body = response.json()
                assert body["detail"] == "Nothing returned; fix these parameters.", query
                assert [problem.split(":")[0] for problem in body["errors"]] == [name], body

    #: The parameters each endpoint reads; the others take none, and must ignore any.
    READS: ClassVar = {
        "/api/pledges": ("limit", "after", "q", "sort", "release"),
        "/api/totals": ("by", "amount_eur_min", "release"),
        "/api/articles": ("limit", "after"),
        "/api/donors": ("x", "release"),
        "/api/categories": ("x",),
    }

    def test_hostile_values_anywhere(self, client, one_pledge):
        release_publish()  # so that a hostile release meets one that exists
        for value in (*HOSTILE[::2], *RAW_ESCAPES):
            encoded = value if value in RAW_ESCAPES else quote(value, safe="")
            for path, names in self.READS.items():
                for name in names:
                    response = client.get(f"{path}?{name}={encoded}")
                    # No release but 1 exists: any other is a 404 that names it.
                    allowed = (200, 400, 404) if name == "release" else (200, 400)
                    assert response.status_code in allowed, (path, name, value)
                    assert response.json()
            for pk in (encoded, f"1{encoded}"):
                # A number with spaces around it reads as the number: pledge 1.
                response = client.get(f"/api/pledges/{pk}")
                assert response.status_code in (200, 404, 405, 422), (pk, response.status_code)
            response = client.get(f"/api/pledges/{one_pledge.pk}?release={encoded}")
            assert response.status_code in (200, 404), value
            if response.status_code == 404:
                assert response.json()["errors"][0].startswith("release: "), value

    def test_a_release_that_is_not_one_is_a_404_naming_it(self, client, one_pledge):
        release_publish()
        paths = ("/api/pledges", "/api/totals", f"/api/pledges/{one_pledge.pk}")
        for value in ("abc", "0", "-1", "1.5", "", "99", "9" * 30, "\u0661", "1e3", "2147483648"):
            for path in paths:
                response = client.get(path, {"release": value})
                assert response.status_code == 404, (path, value)
                problem = response.json()["errors"][0]
                assert problem.startswith("release: ") and "release" in problem[9:], (path, value)
        assert client.get("/api/pledges?release=1").status_code == 200

    @hypothesis_settings(max_examples=25)
    @given(query=queries())
    def test_generated_queries_never_fail(self, client, one_pledge, query):
        for path in ("/api/pledges", "/api/totals"):
            response = client.get(f"{path}?{query}")
            assert response.status_code in (200, 400), (path, query)
            assert response.json()


class TestRateLimit:
    def test_a_429_with_retry_after_past_the_limit(self, client, settings, db):
        settings.API_RATE_LIMIT = "3/minute"
        for _ in range(3):
            assert client.get("/api/donors").status_code == 200
        response = client.get("/api/categories")
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        assert response.json()["detail"] == (
            "Too many requests from your address: at most 3 a minute. Wait, then retry."
        )

    def test_counted_per_address(self, client, settings, db):
        settings.API_RATE_LIMIT = "1/hour"
        assert client.get("/api/donors", REMOTE_ADDR="192.0.2.1").status_code == 200
        assert client.get("/api/donors", REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get("/api/donors", REMOTE_ADDR="192.0.2.2").status_code == 200

    def test_signed_in_users_are_not_limited(self, editor_client, settings, db):
        settings.API_RATE_LIMIT = "1/day"
        for _ in range(3):
            assert editor_client.get("/api/donors").status_code == 200

    def test_the_pages_are_not_counted(self, client, settings, db):
        settings.API_RATE_LIMIT = "1/minute"
        for _ in range(2):
            assert client.get("/pledges/").status_code == 200
        assert client.get("/api/donors").status_code == 200

    @pytest.mark.parametrize(
        ("text", "parsed"),
        [("120/minute", (120, 60)), ("5/second", (5, 1)), ("1/day", (1, 86400)), ("", None)],
    )
    def test_the_setting(self, text, parsed):
        assert rate_parse(text) == parsed

    @pytest.mark.parametrize("text", ["120", "0/minute", "x/minute", "10/fortnight", "-1/hour"])
    def test_a_bad_setting_names_itself(self, text):
        with pytest.raises(ImproperlyConfigured, match="API_RATE_LIMIT"):
            rate_parse(text)
