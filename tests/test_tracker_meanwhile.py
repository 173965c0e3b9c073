"""Reads handed to another thread and connection while the request reads its own."""

from __future__ import annotations

import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import ProgrammingError, connection, connections
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import DonorFactory, PledgeFactory
from tracker import meanwhile as meanwhile_module
from tracker.meanwhile import Done, meanwhile, overlaps
from tracker.models import Pledge
from tracker.views import CountedPaginator

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads overlap on PostgreSQL only"
)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "pledge-table"}


def where_and_who() -> tuple[int, int]:
    """The thread, and the database session, that ran this."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 0"
        )
        (session,) = cursor.fetchone()
    return threading.get_ident(), session


def csrf_free(response) -> str:
    """The page without its CSRF tokens (64 letters and digits), masked afresh per response."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", response.text)


def raises(error: Exception):
    raise error


@pytest.mark.django_db
def test_inside_a_transaction_the_work_runs_at_once_on_the_same_connection():
    # A test case is a transaction: another connection would not see its rows.
    PledgeFactory()
    assert connection.in_atomic_block
    assert not overlaps()
    pending = meanwhile(Pledge.objects.count)
    assert isinstance(pending, Done)
    assert pending.result() == 1
    assert meanwhile(where_and_who).result() == where_and_who()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_only_postgresql_overlaps():
    assert overlaps() == (connection.vendor == "postgresql")


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
class TestOnPostgreSQL:
    def test_the_work_runs_on_another_thread_and_connection(self):
        thread, session = where_and_who()
        other_thread, other_session = meanwhile(where_and_who).result()
        assert other_thread != thread
        assert other_session != session

    def test_the_thread_keeps_its_connection_between_requests(self):
        first = meanwhile(where_and_who).result()
        assert meanwhile(where_and_who).result() == first

    def test_it_reads_what_the_request_has_committed(self):
        PledgeFactory.create_batch(3)
        assert meanwhile(Pledge.objects.count).result() == 3

    def test_the_requests_execute_wrappers_see_its_queries(self):
        seen = []

        def recorder(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(recorder):
            assert meanwhile(Pledge.objects.count).result() == 0
        assert len(seen) == 1
        assert "COUNT" in seen[0]
        # and only while the request has them: the thread's connection keeps none
        assert meanwhile(lambda: list(connections["default"].execute_wrappers)).result() == []
        assert len(seen) == 1

    def test_its_errors_reach_the_request_and_the_thread_recovers(self):
        with pytest.raises(ValueError, match="no such figure"):
            meanwhile(raises, ValueError("no such figure")).result()

        def broken_query():
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")

        with pytest.raises(ProgrammingError):
            meanwhile(broken_query).result()
        PledgeFactory()
        assert meanwhile(Pledge.objects.count).result() == 1

    def test_the_thread_works_in_the_requests_language(self):
        with translation.override("de"):
            assert meanwhile(translation.get_language).result() == "de"
            assert meanwhile(gettext, "Donor").result() == "Geber"
        with translation.override("en"):
            assert meanwhile(gettext, "Donor").result() == "Donor"

    def test_work_handed_over_by_the_pool_runs_inline_there(self):
        def hand_over():
            inner = meanwhile(threading.get_ident)
            return isinstance(inner, Done), inner.result(), threading.get_ident()

        inline, inner_thread, outer_thread = meanwhile(hand_over).result()
        assert inline
        assert inner_thread == outer_thread != threading.get_ident()

    def test_shutdown_closes_the_threads_connections(self):
        _, session = meanwhile(where_and_who).result()
        meanwhile_module.shutdown()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [session])
            assert cursor.fetchone() == (0,)
        # and the next piece of work starts a new thread
        assert meanwhile(Pledge.objects.count).result() == 0

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "sort=-amount_eur",
            "sort=-amount_eur&page=2",
            "page=2",
            "page=99",
            "stage=delivered&sort=announced_on&page=2",
            "q=drones",
            "page=abc",
        ],
    )
    def test_the_table_is_the_same_read_either_way(self, client, monkeypatch, query):
        for number in range(60):
            PledgeFactory(
                amount=Decimal(1000 + number),
                currency="EUR",
                stage=Pledge.Stage.DELIVERED if number % 3 else Pledge.Stage.PROPOSED,
                announced_on=date(2023, 1 + number % 12, 1 + number % 28),
                item="drones" if number % 5 == 0 else "",
            )
        overlapped = client.get(f"/pledges/?{query}", **HTMX)
        monkeypatch.setattr(meanwhile_module, "OVERLAPPING_VENDORS", frozenset())
        inline = client.get(f"/pledges/?{query}", **HTMX)
        assert overlapped.status_code == inline.status_code == 200
        assert overlapped.content == inline.content
        assert b"<tr id=" in overlapped.content

    @pytest.mark.parametrize("language", ["en", "de"])
    def test_the_dashboard_and_a_donor_page_are_the_same_read_either_way(
        self, client, monkeypatch, language
    ):
        donor = DonorFactory(slug="germany", name="Germany", name_de="Deutschland")
        for number in range(12):
            PledgeFactory(
                donor=donor if number % 2 else DonorFactory(),
                amount=Decimal(1000 + number),
                currency="EUR",
                announced_on=date(2023, 1 + number, 1),
            )
        client.cookies["django_language"] = language
        pages = ("/", "/?stage=pledged", f"/donors/{donor.slug}/")
        # The requests activate the language in this thread: the tests after get theirs back.
        with translation.override(translation.get_language()):
            overlapped = [client.get(page) for page in pages]
            monkeypatch.setattr(meanwhile_module, "OVERLAPPING_VENDORS", frozenset())
            inline = [client.get(page) for page in pages]
        for page, one, other in zip(pages, overlapped, inline, strict=True):
            assert one.status_code == other.status_code == 200, page
            assert csrf_free(one) == csrf_free(other), page
        assert ("Deutschland" if language == "de" else "Germany") in csrf_free(overlapped[0])


@pytest.mark.django_db
class TestCountLaterPaginator:
    """The table's paginator, given a count it has to wait for."""

    @pytest.fixture
    def pledges(self):
        PledgeFactory.create_batch(5)
        return Pledge.objects.for_table()

    def counter(self, count: int) -> tuple[list[int], callable]:
        asked = []

        def count_of() -> int:
            asked.append(count)
            return count

        return asked, count_of

    @pytest.mark.parametrize("number", [1, "1", None, "abc"])
    def test_the_first_page_is_read_before_the_count_is_asked_for(self, pledges, number):
        asked, count_of = self.counter(5)
        page = CountedPaginator(pledges, 2, count=count_of).get_page(number)
        assert [row.id for row in page.object_list] == list(
            pledges.values_list("id", flat=True)[:2]
        )
        assert asked == []
        assert page.paginator.num_pages == 3
        assert page.has_next()
        assert asked == [5]

    def test_a_later_page_asks_for_it(self, pledges):
        asked, count_of = self.counter(5)
        page = CountedPaginator(pledges, 2, count=count_of).get_page("3")
        assert asked == [5]
        assert page.number == 3
        assert len(page.object_list) == 1

    def test_a_page_past_the_end_is_the_last(self, pledges):
        asked, count_of = self.counter(5)
        page = CountedPaginator(pledges, 2, count=count_of).get_page("7")
        assert page.number == 3

    def test_nothing_to_list_is_one_empty_page(self):
        asked, count_of = self.counter(0)
        page = CountedPaginator(Pledge.objects.for_table(), 2, count=count_of).get_page("1")
        assert list(page.object_list) == []
        assert page.paginator.num_pages == 1
