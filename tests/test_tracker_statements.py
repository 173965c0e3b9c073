"""Statements compiled once per shape of filters: the same rows as the ORM, whatever the values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, QuerySet, Sum
from django.test.utils import CaptureQueriesContext

from tests.factories import DonorFactory, PledgeFactory, SentenceFactory
from tracker.models import Pledge, PledgeRollup
from tracker.statements import values_rows

pytestmark = pytest.mark.django_db


class Finish:
    """Sums per currency, as the totals read them; counts how often it builds the query."""

    def __init__(self) -> None:
        self.built = 0

    def __call__(self, rollups: QuerySet) -> QuerySet:
        self.built += 1
        return (
            rollups.order_by()
            .values("currency")
            .annotate(n=Sum("pledges"), amount=Sum("amount"))
            .order_by("currency")
            .values_list("currency", "n", "amount")
        )


@pytest.fixture
def donors():
    sentence = SentenceFactory()
    made = [DonorFactory(slug=slug) for slug in ("uk", "de", "nl")]
    for number, donor in enumerate(made):
        for currency in ("EUR", "USD")[: number + 1]:
            PledgeFactory(
                donor=donor,
                sentence=sentence,
                currency=currency,
                amount=Decimal(number + 1) * Decimal("1000.25"),
            )
    return made


def test_the_same_shape_with_other_values_reads_their_rows(donors):
    finish = Finish()
    for donor in donors:
        rollups = PledgeRollup.objects.filter(donor=donor)
        assert values_rows(rollups, finish, key="by currency") == list(Finish()(rollups))
    # Built once for the first donor; the others only filled their donor in.
    assert finish.built == 1


def test_each_shape_of_filters_is_built_once(donors):
    finish = Finish()
    shapes = [
        PledgeRollup.objects.all(),
        PledgeRollup.objects.filter(donor__in=donors[:2]),
        PledgeRollup.objects.filter(donor__in=donors[1:]),  # the shape of the one before
        PledgeRollup.objects.filter(donor__in=donors),
        PledgeRollup.objects.filter(donor__slug="nl"),  # a join
        PledgeRollup.objects.filter(donor__slug="uk"),
    ]
    for rollups in shapes:
        assert values_rows(rollups, finish, key="shapes") == list(Finish()(rollups))
    assert finish.built == 4


def test_one_query_per_call(donors):
    finish = Finish()
    values_rows(PledgeRollup.objects.filter(donor=donors[0]), finish, key="queries")
    with CaptureQueriesContext(connection) as queries:
        rows = values_rows(PledgeRollup.objects.filter(donor=donors[2]), finish, key="queries")
    assert len(queries) == 1
    assert rows == [("EUR", 1, Decimal("3000.75")), ("USD", 1, Decimal("3000.75"))]


def test_keys_keep_statements_apart(donors):
    rollups = PledgeRollup.objects.all()
    by_currency = values_rows(rollups, Finish(), key="one")

    def by_donor(queryset: QuerySet) -> QuerySet:
        return (
            queryset.order_by()
            .values("donor__slug")
            .annotate(n=Sum("pledges"))
            .order_by("donor__slug")
            .values_list("donor__slug", "n")
        )

    assert values_rows(rollups, by_donor, key="two") == [("de", 2), ("nl", 2), ("uk", 1)]
    assert values_rows(rollups, Finish(), key="one") == by_currency


def test_a_filter_that_matches_nothing_reads_nothing(donors):
    with CaptureQueriesContext(connection) as queries:
        assert values_rows(PledgeRollup.objects.filter(donor__in=[]), Finish(), key="none") == []
    assert len(queries) == 0


def test_queries_it_cannot_vouch_for_are_built_every_time(donors):
    finish = Finish()
    annotated = PledgeRollup.objects.annotate(twice=F("pledges") * 2).filter(donor=donors[1])
    for _ in range(2):
        assert values_rows(annotated, finish, key="annotated") == list(Finish()(annotated))
    assert finish.built == 2

    def filtering(queryset: QuerySet) -> QuerySet:
        # A filter of its own around the caller's: the caller's SQL is no longer found whole.
        return Finish()(queryset.filter(pledges__gt=0))

    for donor in donors:
        rollups = PledgeRollup.objects.filter(donor=donor)
        assert values_rows(rollups, filtering, key="filtering") == list(filtering(rollups))


def test_orderings_and_slices_are_shapes_of_their_own(donors):
    def first_two(queryset: QuerySet) -> QuerySet:
        return queryset.values_list("pk")[:2]

    pledges = Pledge.objects.filter(donor__in=donors)
    for ordered in (
        pledges.order_by("amount", "pk"),
        pledges.order_by("-amount", "-pk"),
        pledges.order_by("amount", "pk").reverse(),
        pledges.order_by("-amount", "-pk").reverse(),
    ):
        assert values_rows(ordered, first_two, key="first two") == list(first_two(ordered))
