from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.factories import ArticleFactory, PledgeFactory, SentenceFactory
from tracker.models import Pledge
from tracker.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

HTMX_TABLE = {"HX-Request": "true", "HX-Target": "pledge-table"}


def csv_rows(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


class TestPledgeList:
    def test_whole_page_without_htmx_headers(self, client):
        PledgeFactory(item="Gravehawk", quantity=15)
        response = client.get("/pledges/")
        assert response.status_code == 200
        assert response.template_name == "tracker/pledge_list.html"
        assert b'<form id="filters"' in response.content
        assert b'id="pledge-table"' in response.content
        assert b"Gravehawk" in response.content

    def test_fragment_for_the_table_target(self, client):
        PledgeFactory(item="Gravehawk", quantity=15)
        response = client.get("/pledges/", headers=HTMX_TABLE)
        assert response.template_name == "tracker/pledge_list.html#pledge-table"
        assert response.content.lstrip().startswith(b'<section id="pledge-table"')
        assert b'<form id="filters"' not in response.content
        assert b"Gravehawk" in response.content
        assert "HX-Target" in response["Vary"]

    @pytest.mark.parametrize(
        "headers",
        [
            {"HX-Request": "true"},
            {"HX-Request": "true", "HX-Target": "main"},
            {
                "HX-Request": "true",
                "HX-Target": "pledge-table",
                "HX-History-Restore-Request": "true",
            },
        ],
    )
    def test_other_htmx_requests_get_the_whole_page(self, client, headers):
        response = client.get("/pledges/", headers=headers)
        assert response.template_name == "tracker/pledge_list.html"

    def test_rows_link_to_their_sentence(self, client):
        sentence = SentenceFactory(article=ArticleFactory(slug="uk-aid"), position=7)
        PledgeFactory(sentence=sentence)
        response = client.get("/pledges/")
        assert b'href="/articles/uk-aid/#s-7"' in response.content

    def test_fifty_rows_a_page(self, client):
        PledgeFactory.create_batch(PAGE_SIZE + 3)
        first = client.get("/pledges/", headers=HTMX_TABLE)
        second = client.get("/pledges/?page=2", headers=HTMX_TABLE)
        assert len(first.context_data["page"].object_list) == PAGE_SIZE
        assert len(second.context_data["page"].object_list) == 3
        assert b'rel="next"' in first.content

    @pytest.mark.parametrize("page", ["0", "-1", "999", "abc", "1e9"])
    def test_any_page_number_gives_a_page(self, client, page):
        PledgeFactory()
        assert client.get(f"/pledges/?page={page}").status_code == 200

    def test_bad_filter_shows_a_message_not_an_error(self, client):
        PledgeFactory()
        response = client.get("/pledges/?date_from=2025-13-45&donor=atlantis&sort=x")
        assert response.status_code == 200
        assert b"Some filters were not understood" in response.content
        assert b"Announced from: Enter a valid date." in response.content

    def test_totals_per_currency_skip_subsets_aggregates_and_proposals(self, client):
        whole = PledgeFactory(amount=Decimal("6600000000"), currency="USD")
        PledgeFactory(amount=Decimal("3000000000"), currency="USD", part_of=whole)
        PledgeFactory(amount=Decimal("50000000000"), currency="EUR", is_aggregate=True)
        PledgeFactory(amount=Decimal("3000000000"), currency="EUR", stage=Pledge.Stage.PROPOSED)
        PledgeFactory(amount=Decimal("247000000"), currency="GBP")
        PledgeFactory(amount=None, currency="", quantity=15, item="Gravehawk")
        response = client.get("/pledges/", headers=HTMX_TABLE)
        totals = response.context_data["totals"]
        assert {t.currency: t.amount for t in totals.by_currency} == {
            "USD": Decimal("6600000000"),
            "GBP": Decimal("247000000"),
        }
        assert totals.in_kind_without_value == 1
        assert totals.not_counted == 3
        assert b"6,600,000,000" in response.content
        assert b"+ 1 in-kind pledge without a value" in response.content

    def test_query_count_is_pinned(self, client, django_assert_num_queries):
        PledgeFactory.create_batch(60)
        # totals (which count the rows too), the page's ids, its rows
        with django_assert_num_queries(3):
            client.get("/pledges/?page=2", headers=HTMX_TABLE)
        # + donors and categories for the filter form
        with django_assert_num_queries(5):
            client.get("/pledges/")

    def test_post_is_refused(self, client):
        assert client.post("/pledges/").status_code == 405


class TestExport:
    def test_header_is_the_design_columns(self, client):
        response = client.get("/pledges/export.csv")
        content = b"".join(response.streaming_content).decode()
        assert content.splitlines()[0] == (
            "id,donor,donor_iso2,recipient,category,subcategory,stage,qualifier,amount,currency,"
            "amount_eur,fx_rate,fx_date,quantity,item,announced_on,date_precision,part_of_id,"
            "is_aggregate,article_slug,article_title,article_url,published_on,sentence_position,"
            "sentence_text,sentence_link,notes,updated_at"
        )
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="pledges-')

    def test_every_filtered_row_not_one_page(self, client):
        PledgeFactory.create_batch(PAGE_SIZE + 5, currency="EUR")
        PledgeFactory.create_batch(3, currency="USD")
        rows = csv_rows(client.get("/pledges/export.csv?currency=EUR"))
        page = client.get("/pledges/?currency=EUR", headers=HTMX_TABLE)
        assert len(rows) == page.context_data["page"].paginator.count == PAGE_SIZE + 5

    def test_values_and_sentence_link(self, client):
        sentence = SentenceFactory(article=ArticleFactory(slug="uk-aid"), position=3)
        pledge = PledgeFactory(
            sentence=sentence, amount=Decimal("247000000.50"), currency="GBP", is_aggregate=True
        )
        [row] = csv_rows(client.get("/pledges/export.csv"))
        assert row["id"] == str(pledge.pk)
        assert row["amount"] == "247000000.50"
        assert row["currency"] == "GBP"
        assert row["is_aggregate"] == "true"
        assert row["announced_on"] == "2025-06-04"
        assert row["sentence_link"] == "http://testserver/articles/uk-aid/#s-3"
        assert row["sentence_text"] == sentence.text

    @pytest.mark.parametrize(
        "payload", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    )
    def test_formula_cells_are_neutralised(self, client, payload):
        PledgeFactory(notes=payload, item=payload, quantity=1)
        [row] = csv_rows(client.get("/pledges/export.csv"))
        assert row["notes"] == "'" + payload
        assert row["item"] == "'" + payload

    def test_bad_filter_exports_nothing(self, client):
        PledgeFactory()
        response = client.get("/pledges/export.csv?date_to=soon")
        assert response.status_code == 400
        assert "Announced until: Enter a valid date." in response.content.decode()


class TestHealth:
    def test_ok_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    def test_503_when_it_does_not(self, client, monkeypatch):
        from django.db import OperationalError, connection

        def broken_cursor(*args, **kwargs):
            raise OperationalError("connection refused")

        monkeypatch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
        assert response.status_code == 503


def test_copy_export_writes_exactly_what_the_row_by_row_export_writes(seeded):
    from django.db import connection

    from tracker.services.export import copy_lines, csv_lines

    if connection.vendor != "postgresql":
        pytest.skip("COPY is the PostgreSQL path; elsewhere csv_lines is the export")
    PledgeFactory(notes='=HYPERLINK("x")\r\nsecond line, "quoted"', item="", quantity=None)
    queryset = Pledge.objects.for_table()
    by_rows = "".join(csv_lines(queryset, reader_url="https://example.org"))
    by_copy = b"".join(copy_lines(queryset, reader_url="https://example.org")).decode()
    assert by_copy == by_rows
    assert by_rows.count("\n") > 9


def test_pages_are_compressed_for_browsers_that_accept_it(client, seeded):
    response = client.get("/pledges/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 12_000
    assert "Accept-Encoding" in response["Vary"]
