"""Every page issues the same number of queries however many pledges there are.

Counted without a cache: the SQL a page runs for its figures. What the cache adds on a miss and
saves on a hit: tests/test_tracker_cache.py.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PledgeFactory
from tracker.models import Donor, Pledge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cache")]

FRAGMENT = {"HX-Request": "true", "HX-Target": "pledge-table"}
PAGES = [
    ("/", {}),
    ("/?donor=united-kingdom&category=military&q=drones", {}),
    ("/pledges/", {}),
    ("/pledges/?sort=-amount_eur&page=2", FRAGMENT),
    ("/pledges/?donor=united-kingdom&date_from=2024-01-01&date_to=2025-12-31", FRAGMENT),
    ("/pledges/?q=Ukraine", FRAGMENT),
    # A typed page number past the end is the last page; Next and Previous carry a cursor.
    ("/pledges/?page=10000", FRAGMENT),
    ("/pledges/?sort=donor&page=2&after=4", FRAGMENT),
    ("/pledges/?sort=-amount_eur&page=3&before=4", FRAGMENT),
    ("/pledges/?sort=announced_on&donor=united-kingdom&page=10000", FRAGMENT),
    ("/donors/united-kingdom/?page=10000", FRAGMENT),
    ("/pledges/4/", {}),
    ("/donors/united-kingdom/", {}),
    ("/articles/", {}),
    ("/articles/die-lage-im-ueberblick-kiew-und-moskau-schmieden-an-ihren-allianzen/", {}),
    ("/reference/", {}),
    ("/pledges/totals.csv?by=donor", {}),
]


def queries(client, path: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
    return len(captured)


def test_query_counts_do_not_grow_with_the_data(client, seeded):
    small = {path: queries(client, path, headers) for path, headers in PAGES}
    uk = Donor.objects.get(slug="united-kingdom")
    for donor in (uk, *Donor.objects.exclude(pk=uk.pk)[:20]):
        PledgeFactory.create_batch(8, donor=donor, notes="more pledges for Ukraine")
    assert Pledge.objects.count() > 150
    large = {path: queries(client, path, headers) for path, headers in PAGES}
    assert large == small
    assert small["/pledges/?sort=-amount_eur&page=2"] <= 5  # the fragment's budget
    # A page: its totals (with the count), its ids and its rows; a donor filter reads the
    # donor too.
    assert small["/pledges/?page=10000"] == 3
    assert small["/pledges/?sort=announced_on&donor=united-kingdom&page=10000"] == 4
    # A cursor reads the sort values of the row it names.
    assert small["/pledges/?sort=donor&page=2&after=4"] == 4
    assert small["/pledges/?sort=-amount_eur&page=3&before=4"] == 4
