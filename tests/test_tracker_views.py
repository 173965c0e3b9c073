from __future__ import annotations

import csv
import datetime
import gzip
import io
import itertools
import math
import random
import re
from decimal import Decimal

import brotli
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.filters import PledgeFilter
from tracker.models import Pledge, PledgeRollup, PledgeSummary
from tracker.rows import ROW_VALUES, pledge_rows, rows_queryset, rows_statement, rows_values
from tracker.selectors.totals import totals_overall
from tracker.views import PAGE_SIZE, table_page

try:
    from compression import zstd
except ImportError:  # Python before 3.14
    from backports import zstd

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
        assert response.template_name == "tracker/_pledge_table.html"
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

    def test_query_count_is_pinned(self, client, no_cache, django_assert_num_queries):
        PledgeFactory.create_batch(60)
        # totals (which count the rows too), the page's ids, its rows
        with django_assert_num_queries(3):
            client.get("/pledges/?sort=-amount_eur&page=2", headers=HTMX_TABLE)
        # + the listed pledges per month, where a later page in a date sort starts
        with django_assert_num_queries(4):
            client.get("/pledges/?page=2", headers=HTMX_TABLE)
        # + donors and categories for the filter form
        with django_assert_num_queries(5):
            client.get("/pledges/")

    @pytest.mark.parametrize(
        ("query", "table"),
        [
            ("", "tracker_pledgesummary"),
            ("stage=pledged&currency=eur&date_from=2025-06-01", "tracker_pledgesummary"),
            ("donor={donor}", "tracker_pledgerollup"),
            ("category={category}", "tracker_pledgerollup"),
            ("date_from=2025-06-02", "tracker_pledge"),
        ],
    )
    def test_totals_read_the_smallest_table_that_serves_the_filters(self, client, query, table):
        pledge = PledgeFactory()
        query = query.format(donor=pledge.donor.slug, category=pledge.category.slug)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/pledges/?{query}", headers=HTMX_TABLE)
        assert response.context_data["totals"].valued == 1
        (totals,) = [query["sql"] for query in captured if "SUM(" in query["sql"]]
        assert f'FROM "{table}"' in totals

    def test_post_is_refused(self, client):
        assert client.post("/pledges/").status_code == 405


#: Months with pledges; those between them (December 2023, February, May, June and August to
#: November 2024) have none.
MONTHS = [
    datetime.date(2023, 11, 1),
    datetime.date(2024, 1, 1),
    datetime.date(2024, 3, 1),
    datetime.date(2024, 4, 1),
    datetime.date(2024, 7, 1),
    datetime.date(2024, 12, 1),
    datetime.date(2025, 1, 1),
]


@pytest.fixture
def spread():
    """Pledges over months with gaps, several a day, undated ones, and pledges listed but not
    added up: subsets, aggregates, proposals."""
    rng = random.Random(5)
    military = CategoryFactory(slug="military", name="Military")
    categories = [
        military,
        CategoryFactory(slug="drones", name="Drones", parent=military),
        CategoryFactory(slug="financial", name="Financial"),
    ]
    donors = [DonorFactory(slug=slug, name=slug.upper()) for slug in ("uk", "de")]
    sentence = SentenceFactory()
    wholes: list[Pledge] = []
    for _ in range(90):
        month = rng.choice([*MONTHS, None])
        pledge = PledgeFactory(
            donor=rng.choice(donors),
            category=rng.choice(categories),
            sentence=sentence,
            stage=rng.choice(Pledge.Stage.values),
            review_status=rng.choice(Pledge.Review.values),
            announced_on=month.replace(day=rng.choice([1, 1, 14, 28])) if month else None,
            is_aggregate=rng.random() < 0.1,
            part_of=rng.choice(wholes) if wholes and rng.random() < 0.15 else None,
        )
        if pledge.part_of_id is None:
            wholes.append(pledge)
    assert Pledge.objects.filter(announced_on=None).count() > 7


def seek_filter(query: str, donor: str | None = None) -> PledgeFilter:
    """The filter of the table, or of a donor's page."""
    if donor is None:
        return PledgeFilter(
            QueryDict(query),
            queryset=Pledge.objects.for_table(),
            rollups=PledgeRollup.objects.all(),
            summaries=PledgeSummary.objects.all(),
        )
    return PledgeFilter(
        QueryDict(query),
        queryset=Pledge.objects.for_table().filter(donor__slug=donor),
        rollups=PledgeRollup.objects.filter(donor__slug=donor),
    )


class TestDeepPages:
    """A page in a date sort, started at its month, holds exactly the rows OFFSET gives."""

    @pytest.mark.parametrize("sort", ["-announced_on", "announced_on"])
    @pytest.mark.parametrize(
        ("query", "donor"),
        [
            ("", None),
            ("donor=uk", None),
            ("category=military", None),
            ("stage=delivered&include_proposed=on", None),
            ("reviewed=on", None),
            ("date_from=2024-01-01&date_to=2024-07-31", None),
            ("", "de"),
            ("stage=pledged", "uk"),
        ],
    )
    def test_every_page_has_the_rows_of_offset_paging(
        self, spread, monkeypatch, sort, query, donor
    ):
        pledge_filter = seek_filter(f"{query}&sort={sort}", donor)
        plain = pledge_filter.qs.values_list("pk", flat=True)
        count = plain.count()
        assert count > 10
        expected_totals = totals_overall(
            pledge_filter.qs, include_proposed=pledge_filter.include_proposed_in_totals
        )
        for per_page in (1, 3, 7, 50):
            for number in range(1, math.ceil(count / per_page) + 1):
                page, totals = table_page(pledge_filter, str(number), per_page=per_page)
                assert (page.paginator.months is not None) == (number > 1)
                bottom = (number - 1) * per_page
                assert [row.id for row in page] == list(plain[bottom : bottom + per_page]), (
                    per_page,
                    number,
                )
                assert totals == expected_totals

    @pytest.mark.parametrize("query", ["amount_eur_min=1", "sort=-amount_eur", "sort=donor"])
    def test_other_sorts_and_filters_skip_with_offset(self, spread, monkeypatch, query):
        pledge_filter = seek_filter(query)
        plain = pledge_filter.qs.values_list("pk", flat=True)
        for number in (1, 2, 5):
            page, _ = table_page(pledge_filter, str(number), per_page=7)
            assert page.paginator.months is None
            assert [row.id for row in page] == list(plain[(number - 1) * 7 : number * 7])

    def test_no_parameter_at_all_lists_the_rows_of_the_default_sort(self, client, spread):
        # Undated pledges last, as ?sort=-announced_on puts them: not where a plain
        # ORDER BY announced_on DESC would (first, on PostgreSQL).
        def listed(query: str) -> list[int]:
            response = client.get(f"/pledges/{query}", headers=HTMX_TABLE)
            return [row.id for row in response.context_data["page"].object_list]

        expected = list(seek_filter("sort=-announced_on").qs.values_list("pk", flat=True))
        assert len(expected) > PAGE_SIZE
        assert listed("") == listed("?sort=-announced_on") == expected[:PAGE_SIZE]
        assert listed("?page=2") == expected[PAGE_SIZE : 2 * PAGE_SIZE]
        assert Pledge.objects.get(pk=expected[-1]).announced_on is None

    def test_the_first_page_reads_no_months(self, spread):
        page, _ = table_page(seek_filter(""), "1", per_page=7)
        assert page.paginator.months is None

    @pytest.mark.parametrize(
        ("page", "reads"),
        [
            (2, ('"announced_on" < ', "OFFSET 10")),  # January, past its first 10 rows
            (3, ("NULLS FIRST",)),  # January's last 40, then 10 undated: from the end
            (4, ("IS NULL", "OFFSET 10")),  # undated, past the 10 on page 3
        ],
    )
    def test_a_later_page_reads_from_its_month_in_one_query_more(
        self, client, monkeypatch, no_cache, page, reads
    ):
        march, january = datetime.date(2025, 3, 3), datetime.date(2025, 1, 14)
        shared = {"donor": DonorFactory(), "category": CategoryFactory()}
        shared["sentence"] = SentenceFactory()
        for count, announced_on in ((40, march), (100, january), (60, None)):
            PledgeFactory.create_batch(count, announced_on=announced_on, **shared)
        with CaptureQueriesContext(connection) as captured:
            client.get("/pledges/", headers=HTMX_TABLE)
        queries = len(captured)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/pledges/?page={page}", headers=HTMX_TABLE)
        assert len(captured) == queries + 1  # the listed pledges per month
        page_ids = captured[-2]["sql"]
        assert all(part in page_ids for part in reads), page_ids
        plain = seek_filter("").qs.values_list("pk", flat=True)
        bottom = (page - 1) * PAGE_SIZE
        rows = response.context_data["page"].object_list
        assert [row.id for row in rows] == list(plain[bottom : bottom + PAGE_SIZE])


class TestExport:
    def test_header_is_the_design_columns(self, client):
        response = client.get("/pledges/export.csv")
        content = b"".join(response.streaming_content).decode()
        assert content.splitlines()[0] == (
            "id,donor,donor_iso2,recipient,category,subcategory,stage,qualifier,amount,currency,"
            "amount_eur,fx_rate,fx_date,quantity,item,announced_on,date_precision,part_of_id,"
            "is_aggregate,article_slug,article_title,article_url,published_on,sentence_position,"
            "sentence_text,sentence_link,notes,updated_at,fx_provisional"
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


#: Where the table's filters are read: each page, the fragments htmx asks for, the exports.
FILTERED_PAGES = [
    ("/", {}),
    ("/", HTMX_TABLE),
    ("/pledges/", {}),
    ("/pledges/", HTMX_TABLE),
    ("/donors/germany/", {}),
    ("/donors/germany/", HTMX_TABLE),
]
EXPORTS = ["/pledges/totals.csv", "/pledges/export.csv"]
DATES_OUTSIDE = ["9999-12-31", "0001-01-01", "0202-03-02", "2100-01-01"]


class TestDatesOutsideTheWindow:
    """A date filter no pledge can match (before 1990, over a year ahead) is named and
    ignored like any other bad value; 9999-12-31 used to be a server error."""

    @pytest.fixture
    def pledges(self):
        germany = DonorFactory(slug="germany", name="Germany")
        PledgeFactory(donor=germany, announced_on=datetime.date(2022, 3, 2))
        PledgeFactory(donor=germany, announced_on=datetime.date(2025, 6, 4))
        PledgeFactory(donor=germany, stage=Pledge.Stage.PROPOSED)

    @pytest.mark.parametrize("path, headers", FILTERED_PAGES)
    def test_pages_name_the_date_and_ignore_it(self, client, pledges, path, headers):
        listed = client.get(path, {"stage": "pledged"}, headers=headers)
        assert listed.context_data["page"].paginator.count == 2
        for (name, label), value in itertools.product(
            [("date_to", "until"), ("date_from", "from")], DATES_OUTSIDE
        ):
            response = client.get(path, {name: value, "stage": "pledged"}, headers=headers)
            assert response.status_code == 200, (name, value)
            page = response.content.decode()
            assert "Some filters were not understood and are ignored:" in page
            assert (
                f"Announced {label}: {value} is outside the accepted dates, 1990-01-01 to " in page
            )
            assert response.context_data["page"].paginator.count == 2, (name, value)

    @pytest.mark.parametrize("path", EXPORTS)
    def test_exports_refuse_it(self, client, pledges, path):
        for value in DATES_OUTSIDE:
            response = client.get(path, {"date_to": value, "by": "month"})
            assert response.status_code == 400, value
            assert (
                f"Announced until: {value} is outside the accepted dates, 1990-01-01 to "
                in response.content.decode()
            )

    def test_the_window_s_own_ends_are_dates_like_any_other(self, client, pledges):
        from articles.date_window import latest_date

        query = {"date_from": "1990-01-01", "date_to": latest_date().isoformat()}
        response = client.get("/pledges/", query, headers=HTMX_TABLE)
        assert b"Some filters were not understood" not in response.content
        assert response.context_data["page"].paginator.count == 3
        assert client.get("/pledges/totals.csv", query).status_code == 200


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

    from tracker.selectors.export import copy_lines, csv_lines

    if connection.vendor != "postgresql":
        pytest.skip("COPY is the PostgreSQL path; elsewhere csv_lines is the export")
    PledgeFactory(notes='=HYPERLINK("x")\r\nsecond line, "quoted"', item="", quantity=None)
    queryset = Pledge.objects.for_table()
    by_rows = "".join(csv_lines(queryset, reader_url="https://example.org"))
    by_copy = b"".join(copy_lines(queryset, reader_url="https://example.org")).decode()
    assert by_copy == by_rows
    assert by_rows.count("\n") > 9


def test_the_export_streams_blocks_not_rows(client, seeded):
    """Each database hands the export over a row at a time; the response gathers the rows
    into blocks, so a small export is one block and a large one far fewer blocks than rows."""
    from tracker.selectors.export import csv_lines

    PledgeFactory.create_batch(40)
    response = client.get("/pledges/export.csv")
    blocks = list(response.streaming_content)
    text = b"".join(blocks).decode()
    assert len(blocks) == 1
    assert text.count("\n") == Pledge.objects.count() + 1
    expected = "".join(csv_lines(Pledge.objects.for_table(), reader_url="http://testserver"))
    assert text == expected


@pytest.mark.parametrize("joiner", ["", b""])
def test_blocks_keep_every_piece_in_order(joiner):
    from tracker.selectors.export import in_blocks

    lines = [f"row {number},x\n" for number in range(1000)]
    pieces = [line.encode() for line in lines] if isinstance(joiner, bytes) else lines
    blocks = list(in_blocks(iter(pieces), joiner=joiner, size=500))
    assert joiner.join(blocks) == joiner.join(pieces)
    assert all(len(block) >= 500 for block in blocks[:-1])
    assert blocks[-1]
    assert len(blocks) < len(pieces) / 30
    assert list(in_blocks(iter([]), joiner=joiner)) == []


@pytest.mark.parametrize(
    ("accept", "coding", "decompress"),
    [
        # Chrome and Firefox, Safari, a client that asks for gzip alone
        ("gzip, deflate, br, zstd", "zstd", zstd.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
    ],
)
def test_pages_are_compressed_in_the_best_coding_the_browser_accepts(
    client, seeded, accept, coding, decompress
):
    plain = client.get("/pledges/").content
    response = client.get("/pledges/", headers={"Accept-Encoding": accept})
    assert response["Content-Encoding"] == coding
    assert "accept-encoding" in response["Vary"].lower()
    assert len(response.content) < len(plain) / 4
    # The same page once decompressed, but for the CSRF token, masked anew per response.
    token = re.compile(rb"\b[A-Za-z0-9]{64}\b")
    assert token.sub(b"", decompress(response.content)) == token.sub(b"", plain)


def test_a_client_that_accepts_no_compression_gets_the_page_as_it_is(client, seeded):
    response = client.get("/pledges/", headers={"Accept-Encoding": "identity"})
    assert not response.has_header("Content-Encoding")
    assert b"pledge-table" in response.content


class TestRowsStatement:
    """The page's rows are read through a statement compiled once per page length."""

    def test_values_equal_the_querysets_in_the_order_asked(self, spread):
        ids = list(Pledge.objects.order_by("?").values_list("pk", flat=True)[:23])
        expected = {values["id"]: values for values in rows_queryset().filter(pk__in=ids)}
        read = list(rows_values(ids))
        assert sorted(values["id"] for values in read) == sorted(ids)
        for values in read:
            assert list(values) == list(ROW_VALUES)
            assert values == expected[values["id"]]
            # Converted as the ORM converts them (decimals and dates, also on SQLite).
            for name in ("amount", "amount_eur", "announced_on", "is_aggregate"):
                assert type(values[name]) is type(expected[values["id"]][name])

    def test_one_statement_per_page_length_and_one_query_a_page(self, spread):
        rows_statement.cache_clear()
        ids = list(Pledge.objects.values_list("pk", flat=True)[:7])
        with CaptureQueriesContext(connection) as queries:
            first = pledge_rows(ids)
            second = pledge_rows(ids[::-1])
        assert len(queries) == 2
        assert rows_statement.cache_info().currsize == 1
        assert [row.id for row in first] == ids
        assert [row.id for row in second] == ids[::-1]

    def test_missing_and_repeated_ids(self, spread):
        pk = Pledge.objects.values_list("pk", flat=True).first()
        assert [row.id for row in pledge_rows([pk, 10**9])] == [pk]
        assert [row.id for row in pledge_rows([pk, pk])] == [pk, pk]
        assert pledge_rows([]) == []
