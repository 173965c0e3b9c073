from __future__ import annotations

import csv
import datetime
import gzip
import io
import itertools
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
from tracker.models import Donor, Pledge
from tracker.selectors.table import PAGE_SIZE, PledgeTable, pledge_table

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
        assert len(first.context_data["table"].rows) == PAGE_SIZE
        assert len(second.context_data["table"].rows) == 3
        assert b'rel="next"' in first.content

    @pytest.mark.parametrize("page", ["0", "-1", "999", "abc", "1e9", "²", "٣", "9" * 40])
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
        totals = response.context_data["table"].totals
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
        # + the sort values of the row a cursor names
        after = Pledge.objects.order_by("-announced_on", "-id")[0].pk
        with django_assert_num_queries(4):
            client.get(f"/pledges/?page=2&after={after}", headers=HTMX_TABLE)
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
        assert response.context_data["table"].totals.valued == 1
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


def table(query: str, donor: str | None = None, *, per_page: int = PAGE_SIZE) -> PledgeTable:
    """The table, or a donor page's, as ``query`` asks for it."""
    owner = Donor.objects.get(slug=donor) if donor else None
    return pledge_table(QueryDict(query), donor=owner, per_page=per_page)


def listed_ids(query: str, donor: str | None = None) -> list[int]:
    """Every row the filters select, in the sort, as one plain query reads them."""
    return list(table(query, donor).filter.qs.values_list("pk", flat=True))


class TestPaging:
    """Next and Previous walk the rows with cursors (keyset paging); a typed page number
    skips with OFFSET; both give exactly the rows of one plain query, in order."""

    @pytest.mark.parametrize(
        "sort", ["-announced_on", "announced_on", "-amount_eur", "amount_eur", "donor", "-donor"]
    )
    @pytest.mark.parametrize(
        ("query", "donor"),
        [
            ("", None),
            ("donor=uk", None),
            ("category=military", None),
            ("stage=delivered&include_proposed=on", None),
            ("date_from=2024-01-01&date_to=2024-07-31", None),
            ("", "de"),
            ("stage=pledged", "uk"),
        ],
    )
    def test_next_and_previous_walk_every_row_once(self, spread, sort, query, donor):
        query = f"{query}&sort={sort}"
        expected = listed_ids(query, donor)
        assert len(expected) > 10
        for per_page in (1, 7, 50):
            pages, page = [], table(query, donor, per_page=per_page)
            while True:
                pages.append([row["id"] for row in page.rows])
                assert page.number == len(pages)
                assert page.count == len(expected)
                if not page.has_next:
                    break
                page = table(
                    f"{query}&page={page.number + 1}&after={page.after}", donor, per_page=per_page
                )
            assert [pk for rows in pages for pk in rows] == expected, per_page
            # And back, from the last page to the first.
            while page.has_previous:
                if page.previous_is_first:
                    page = table(query, donor, per_page=per_page)
                else:
                    page = table(
                        f"{query}&page={page.number - 1}&before={page.before}",
                        donor,
                        per_page=per_page,
                    )
                assert [row["id"] for row in page.rows] == pages[page.number - 1]
            assert page.number == 1

    @pytest.mark.parametrize("query", ["amount_eur_min=1", "sort=-amount_eur", "sort=donor", ""])
    def test_a_typed_page_number_skips_with_offset(self, spread, query):
        expected = listed_ids(query)
        for number in (1, 2, 5):
            page = table(f"{query}&page={number}", per_page=7)
            assert page.number == number
            assert [row["id"] for row in page.rows] == expected[(number - 1) * 7 : number * 7]

    def test_no_parameter_at_all_lists_the_rows_of_the_default_sort(self, client, spread):
        # Undated pledges last, as ?sort=-announced_on puts them: not where a plain
        # ORDER BY announced_on DESC would (first, on PostgreSQL).
        def listed(query: str) -> list[int]:
            response = client.get(f"/pledges/{query}", headers=HTMX_TABLE)
            return [row["id"] for row in response.context_data["table"].rows]

        expected = listed_ids("sort=-announced_on")
        assert len(expected) > PAGE_SIZE
        assert listed("") == listed("?sort=-announced_on") == expected[:PAGE_SIZE]
        assert listed("?page=2") == expected[PAGE_SIZE : 2 * PAGE_SIZE]
        assert Pledge.objects.get(pk=expected[-1]).announced_on is None

    def test_next_links_carry_a_cursor_and_the_page_number(self, client, spread):
        first = client.get("/pledges/?sort=-amount_eur", headers=HTMX_TABLE)
        last = first.context_data["table"].rows[-1]["id"]
        assert f'href="?sort=-amount_eur&amp;page=2&amp;after={last}"'.encode() in first.content
        second = client.get(f"/pledges/?sort=-amount_eur&page=2&after={last}", headers=HTMX_TABLE)
        expected = listed_ids("sort=-amount_eur")
        assert [row["id"] for row in second.context_data["table"].rows] == expected[50:100]
        assert b"Page 2 of 2" in second.content
        # Previous from the second page is the first page itself, without a cursor.
        assert b'href="/pledges/?sort=-amount_eur" hx-get' in second.content

    def test_a_cursor_at_a_deleted_pledge_gives_the_first_page_and_says_so(self, client, spread):
        gone = PledgeFactory()
        gone_pk = gone.pk
        gone.delete()
        response = client.get(f"/pledges/?page=3&after={gone_pk}", headers=HTMX_TABLE)
        assert response.status_code == 200
        assert response.context_data["table"].number == 1
        assert [row["id"] for row in response.context_data["table"].rows] == listed_ids("")[:50]
        assert b"starts at a pledge that is gone" in response.content

    @pytest.mark.parametrize("cursor", ["abc", "-1", "0", "1e9", "9" * 40, "%00", "²", "٣"])
    def test_a_malformed_cursor_is_ignored(self, client, spread, cursor):
        for name in ("after", "before"):
            response = client.get(f"/pledges/?{name}={cursor}", headers=HTMX_TABLE)
            assert response.status_code == 200
            assert response.context_data["table"].number == 1

    def test_a_page_costs_the_same_queries_at_any_depth(self, client, spread, no_cache):
        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                client.get(url, headers=HTMX_TABLE)
            return len(captured)

        first = client.get("/pledges/?sort=donor", headers=HTMX_TABLE).context_data["table"]
        last = first.rows[-1]["id"]
        assert queries(f"/pledges/?sort=donor&page=2&after={last}") == (
            queries("/pledges/?sort=donor") + 1  # the cursor's sort values
        )
        # Where the rows with a date end, the page reads on among the undated ones: one more.
        dated = Pledge.objects.filter(announced_on__isnull=False).order_by("announced_on", "id")
        last_dated = dated.last()
        assert last_dated is not None
        assert queries(f"/pledges/?sort=announced_on&page=2&after={dated[10].pk}") + 1 == (
            queries(f"/pledges/?sort=announced_on&page=2&after={last_dated.pk}")
        )


class TestExport:
    def test_header_is_the_design_columns(self, client):
        response = client.get("/pledges/export.csv")
        content = b"".join(response.streaming_content).decode()
        assert content.splitlines()[0] == (
            "id,donor,donor_iso2,recipient,category,subcategory,stage,qualifier,amount,currency,"
            "amount_eur,fx_rate,fx_date,quantity,item,announced_on,date_precision,part_of_id,"
            "is_aggregate,article_slug,article_title,article_url,published_on,sentence_position,"
            "sentence_text,sentence_link,notes,updated_at,fx_provisional,"
            "category_label,subcategory_label,source_link"
        )
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="pledges-')

    def test_every_filtered_row_not_one_page(self, client):
        PledgeFactory.create_batch(PAGE_SIZE + 5, currency="EUR")
        PledgeFactory.create_batch(3, currency="USD")
        rows = csv_rows(client.get("/pledges/export.csv?currency=EUR"))
        page = client.get("/pledges/?currency=EUR", headers=HTMX_TABLE)
        assert len(rows) == page.context_data["table"].count == PAGE_SIZE + 5

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
        assert listed.context_data["table"].count == 2
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
            assert response.context_data["table"].count == 2, (name, value)

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
        assert response.context_data["table"].count == 3
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
