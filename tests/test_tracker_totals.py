from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, DonorFactory, PledgeFactory
from tracker.models import Pledge
from tracker.selectors.totals import pledge_totals, totals_overall

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk_pledges():
    uk = DonorFactory(slug="united-kingdom", name="United Kingdom")
    whole = PledgeFactory(
        donor=uk,
        amount=Decimal("6600000000"),
        currency="USD",
        announced_on=datetime.date(2025, 1, 16),
    )
    PledgeFactory(  # "davon": a subset of the 6.6 billion
        donor=uk,
        amount=Decimal("3000000000"),
        currency="USD",
        part_of=whole,
        announced_on=datetime.date(2025, 1, 16),
    )
    PledgeFactory(  # a cumulative figure the article reports
        donor=uk,
        amount=Decimal("20000000000"),
        currency="EUR",
        is_aggregate=True,
    )
    PledgeFactory(donor=uk, amount=None, currency="", quantity=15, item="Gravehawk")
    PledgeFactory(
        donor=uk,
        amount=Decimal("1000000"),
        currency="UAH",
        announced_on=datetime.date(2025, 6, 4),
    )
    return whole


class TestTotals:
    def test_a_part_of_pair_and_an_aggregate_count_once(self, uk_pledges):
        totals = totals_overall(Pledge.objects.all())
        assert totals.amount_eur == uk_pledges.amount_eur == Decimal("6425233644.86")
        assert totals.valued == 1
        assert totals.in_kind_without_value == 1
        assert totals.without_eur_rate == 1
        assert totals.not_counted == 2
        assert totals.pledges == 5

    def test_proposals_only_when_asked(self):
        PledgeFactory(amount=Decimal("3000000000"), stage=Pledge.Stage.PROPOSED)
        PledgeFactory(amount=Decimal("1000000"))
        assert totals_overall(Pledge.objects.all()).amount_eur == Decimal("1000000")
        included = totals_overall(Pledge.objects.all(), include_proposed=True)
        assert included.amount_eur == Decimal("3001000000")
        assert included.not_counted == 0

    def test_per_currency_sums_follow_the_same_rule(self, uk_pledges):
        totals = totals_overall(Pledge.objects.all())
        assert [(t.currency, t.amount, t.pledges) for t in totals.by_currency] == [
            ("UAH", Decimal("1000000"), 1),
            ("USD", Decimal("6600000000"), 1),
        ]

    def test_grouped_rows_add_up_to_the_overall_total(self, uk_pledges):
        de = DonorFactory(slug="germany", name="Germany")
        PledgeFactory(donor=de, amount=Decimal("500"), currency="EUR")
        rows = pledge_totals(Pledge.objects.all(), group_by=("donor__slug",))
        by_donor = {row.key["donor__slug"]: row.amount_eur for row in rows}
        assert by_donor == {"germany": Decimal("500"), "united-kingdom": Decimal("6425233644.86")}
        assert sum(by_donor.values()) == totals_overall(Pledge.objects.all()).amount_eur

    def test_group_by_category_parent(self):
        military = CategoryFactory(slug="military")
        drones = CategoryFactory(slug="drones", parent=military)
        PledgeFactory(category=drones, amount=Decimal("2"))
        PledgeFactory(category=military, amount=Decimal("3"))
        rows = pledge_totals(Pledge.objects.all(), group_by=("category__parent__slug",))
        assert {row.key["category__parent__slug"]: row.amount_eur for row in rows} == {
            "military": Decimal("2"),
            None: Decimal("3"),
        }

    def test_nothing_matches(self):
        totals = totals_overall(Pledge.objects.none())
        assert (totals.amount_eur, totals.pledges) == (Decimal(0), 0)

    def test_one_query(self, uk_pledges, django_assert_num_queries):
        with django_assert_num_queries(1):
            pledge_totals(Pledge.objects.all(), group_by=("donor__slug", "stage"))
