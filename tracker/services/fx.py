"""Amounts in euros at the ECB reference rate of the announcement day.

The ECB's rate history ships inside the CurrencyConverter package and is read from disk, never
fetched. When the ECB published no rate that day (a weekend, a TARGET holiday), the last
earlier business day's rate is used. A currency the ECB does not quote (UAH) or a date outside
the history leaves the EUR fields empty, and `fx_missing_reason` says why.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import TYPE_CHECKING

from currency_converter import CurrencyConverter, RateNotFoundError
from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:  # the model calls this module on save
    from tracker.models import Pledge

SOURCE = gettext_lazy("ECB euro foreign exchange reference rates")
# The longest run of days without a published rate (Easter: Friday to Monday) is four.
MAX_DAYS_BACK = 7
CENT = Decimal("0.01")


@cache
def ecb_rates() -> CurrencyConverter:
    return CurrencyConverter(
        decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False
    )


def ecb_rate(currency: str, day: datetime.date) -> tuple[Decimal, datetime.date] | None:
    """Units of ``currency`` per euro on ``day`` or the last earlier day with a rate."""
    rates = ecb_rates()
    if currency not in rates.currencies:
        return None
    bounds = rates.bounds[currency]
    if not bounds.first_date <= day <= bounds.last_date:
        return None
    for back in range(MAX_DAYS_BACK + 1):
        rate_day = day - datetime.timedelta(days=back)
        try:
            return Decimal(rates.convert(1, "EUR", currency, date=rate_day)), rate_day
        except RateNotFoundError:
            continue
    return None


def fx_missing_reason(pledge: Pledge) -> str:
    """Why a pledge with an amount has no EUR value; empty when it has one or needs none."""
    if pledge.amount is None or pledge.amount_eur is not None:
        return ""
    rates = ecb_rates()
    if pledge.currency not in rates.currencies:
        return gettext("No EUR rate: the ECB publishes no reference rate for %(currency)s.") % {
            "currency": pledge.currency
        }
    if pledge.announced_on is None:
        return gettext("No EUR rate: the announcement date is unknown.")
    bounds = rates.bounds[pledge.currency]
    return gettext(
        "No EUR rate: the ECB history for %(currency)s covers %(first)s to %(last)s."
    ) % {
        "currency": pledge.currency,
        "first": bounds.first_date.isoformat(),
        "last": bounds.last_date.isoformat(),
    }


def pledge_convert_to_eur(pledge: Pledge) -> None:
    """Set ``amount_eur``, ``fx_rate`` and ``fx_date`` from the amount, currency and date."""
    pledge.amount_eur = pledge.fx_rate = pledge.fx_date = None
    if pledge.amount is None or not pledge.currency:
        return
    if pledge.currency == "EUR":
        pledge.amount_eur, pledge.fx_rate, pledge.fx_date = pledge.amount, Decimal(1), None
        return
    if pledge.announced_on is None:
        return
    found = ecb_rate(pledge.currency, pledge.announced_on)
    if found is None:
        return
    rate, rate_day = found
    pledge.amount_eur = (Decimal(pledge.amount) / rate).quantize(CENT, ROUND_HALF_EVEN)
    pledge.fx_rate, pledge.fx_date = rate, rate_day
