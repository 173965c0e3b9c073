from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import PledgeFactory
from tracker.fx import fx_missing_reason, pledge_convert_to_eur
from tracker.models import Pledge
from tracker.services.rollup import rollup_differences

pytestmark = pytest.mark.django_db


def converted(amount: str, currency: str, day: datetime.date | None) -> Pledge:
    pledge = Pledge(amount=Decimal(amount), currency=currency, announced_on=day)
    pledge_convert_to_eur(pledge)
    return pledge


class TestConversion:
    def test_rate_of_the_announcement_day(self):
        pledge = converted("247000000", "GBP", datetime.date(2025, 6, 4))
        assert pledge.fx_rate == Decimal("0.8421")
        assert pledge.fx_date == datetime.date(2025, 6, 4)
        assert pledge.amount_eur == Decimal("293314333.21")

    def test_weekend_uses_the_last_earlier_business_day(self):
        saturday = converted("1000", "USD", datetime.date(2025, 6, 7))
        friday = converted("1000", "USD", datetime.date(2025, 6, 6))
        assert saturday.fx_date == datetime.date(2025, 6, 6)
        assert saturday.fx_rate == friday.fx_rate
        assert saturday.amount_eur == friday.amount_eur

    def test_currency_without_ecb_rate_keeps_its_figure_and_says_why(self):
        pledge = converted("1000000", "UAH", datetime.date(2025, 6, 4))
        assert (pledge.amount_eur, pledge.fx_rate, pledge.fx_date) == (None, None, None)
        assert pledge.amount == Decimal("1000000")
        assert fx_missing_reason(pledge) == (
            "No EUR rate: the ECB publishes no reference rate for UAH."
        )

    def test_date_outside_the_history_says_so(self):
        pledge = converted("1000", "USD", datetime.date(1990, 1, 1))
        assert pledge.amount_eur is None
        assert fx_missing_reason(pledge) == (
            "No EUR rate: the ECB history for USD begins on 1999-01-04."
        )

    def test_a_currency_the_ecb_dropped_gets_no_rate_after_its_last(self):
        pledge = converted("1000", "RUB", datetime.date(2024, 5, 2))
        assert (pledge.amount_eur, pledge.fx_provisional) == (None, False)
        assert fx_missing_reason(pledge) == (
            "No EUR rate: the ECB history for RUB covers 2005-04-01 to 2022-03-01."
        )

    def test_unknown_date(self):
        pledge = converted("1000", "USD", None)
        assert fx_missing_reason(pledge) == "No EUR rate: the announcement date is unknown."

    def test_euros_need_no_rate(self):
        pledge = converted("3000000000", "EUR", None)
        assert pledge.amount_eur == Decimal("3000000000")
        assert pledge.fx_rate == 1
        assert fx_missing_reason(pledge) == ""


class TestRecomputedOnSave:
    def test_changing_amount_currency_or_date_recomputes(self):
        pledge = PledgeFactory(
            amount=Decimal("247000000"), currency="GBP", announced_on=datetime.date(2025, 6, 4)
        )
        assert pledge.amount_eur == Decimal("293314333.21")
        pledge.currency = "EUR"
        pledge.save()
        pledge.refresh_from_db()
        assert pledge.amount_eur == Decimal("247000000")
        pledge.currency, pledge.announced_on = "USD", datetime.date(2025, 1, 16)
        pledge.save(update_fields=["currency", "announced_on"])
        pledge.refresh_from_db()
        assert pledge.fx_rate == Decimal("1.0272")
        pledge.amount, pledge.currency = None, ""
        pledge.quantity, pledge.item = 15, "Gravehawk"
        pledge.save()
        pledge.refresh_from_db()
        assert (pledge.amount_eur, pledge.fx_rate, pledge.fx_date) == (None, None, None)

    def test_recompute_eur_redoes_all(self):
        pledge = PledgeFactory(amount=Decimal("100"), currency="USD")
        Pledge.objects.filter(pk=pledge.pk).update(amount_eur=None, fx_rate=None, fx_date=None)
        assert {row["table"] for row in rollup_differences()} == {
            "tracker_pledgerollup",
            "tracker_pledgesummary",
        }
        out = io.StringIO()
        call_command("recompute_eur", stdout=out)
        assert out.getvalue() == "Recomputed EUR values: 1 changed, 0 without an ECB rate.\n"
        assert rollup_differences() == []  # the roll-up and its summary, added up afresh
        pledge.refresh_from_db()
        assert pledge.fx_date == datetime.date(2025, 6, 4)
        assert pledge.amount_eur == (Decimal("100") / pledge.fx_rate).quantize(Decimal("0.01"))


def test_demo_fixture_carries_the_values_a_save_would_compute():
    records = json.loads((settings.BASE_DIR / "fixtures" / "demo_pledges.json").read_text())
    for record in records:
        fields = record["fields"]
        pledge = Pledge(
            amount=Decimal(fields["amount"]) if fields["amount"] else None,
            currency=fields["currency"],
            announced_on=datetime.date.fromisoformat(fields["announced_on"]),
        )
        pledge_convert_to_eur(pledge)
        expected = [pledge.amount_eur, pledge.fx_rate, pledge.fx_date]
        stored = [fields["amount_eur"], fields["fx_rate"], fields["fx_date"]]
        assert stored == [None if v is None else str(v) for v in expected], record["pk"]
