from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import PledgeFactory
from tracker.models import Pledge

pytestmark = pytest.mark.django_db


def violates(**changes) -> bool:
    pledge = PledgeFactory()
    try:
        with transaction.atomic():
            Pledge.objects.filter(pk=pledge.pk).update(**changes)
    except IntegrityError:
        return True
    return False


class TestPledgeConstraints:
    def test_a_valid_pledge_passes(self):
        assert not violates(amount=Decimal("5"), currency="NOK")

    def test_amount_is_never_negative(self):
        assert violates(amount=Decimal("-1"))

    def test_an_amount_needs_a_currency(self):
        assert violates(currency="")

    def test_a_currency_needs_an_amount(self):
        assert violates(amount=None, quantity=3, item="tanks")

    @pytest.mark.parametrize("currency", ["eur", "EU", "E1R", "€€€"])
    def test_currency_is_iso_shaped(self, currency):
        assert violates(currency=currency)

    def test_quantity_is_positive(self):
        assert violates(quantity=0, item="tanks")

    def test_a_pledge_states_something(self):
        assert violates(amount=None, currency="", quantity=None, item="")

    def test_a_pledge_is_never_part_of_itself(self):
        pledge = PledgeFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Pledge.objects.filter(pk=pledge.pk).update(part_of=pledge)

    def test_a_sentence_is_required(self):
        pledge = PledgeFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Pledge.objects.filter(pk=pledge.pk).update(sentence=None)


class TestPledgeValidation:
    def test_messages_speak_the_editors_language(self):
        pledge = PledgeFactory.build(amount=Decimal("10"), currency="", quantity=4, item="")
        with pytest.raises(ValidationError) as error:
            pledge.full_clean()
        assert error.value.message_dict["currency"] == [
            "Give the currency of this amount, e.g. EUR."
        ]
        assert error.value.message_dict["item"] == ["Say what the quantity counts, e.g. “drones”."]

    def test_currency_is_upper_cased(self):
        pledge = PledgeFactory.build(currency="gbp")
        pledge.clean()
        assert pledge.currency == "GBP"

    def test_month_precision_wants_the_first_day(self):
        import datetime

        pledge = PledgeFactory.build(
            announced_on=datetime.date(2025, 1, 16), date_precision=Pledge.Precision.MONTH
        )
        with pytest.raises(ValidationError) as error:
            pledge.clean()
        assert "use the first day: 2025-01-01" in str(error.value)

    def test_figure_reads_like_the_article(self):
        pledge = PledgeFactory.build(
            amount=Decimal("3000000000"), currency="USD", qualifier=Pledge.Qualifier.OVER
        )
        assert pledge.figure == "over 3,000,000,000 USD"
        assert (
            PledgeFactory.build(amount=None, currency="", quantity=15, item="Gravehawk").figure
            == "15 Gravehawk"
        )

    def test_stage_maps_to_iati(self):
        assert PledgeFactory.build(stage="pledged").iati_transaction_type == "12"
        assert PledgeFactory.build(stage="delivered").iati_transaction_type == "3"
        assert PledgeFactory.build(stage="proposed").iati_transaction_type is None
