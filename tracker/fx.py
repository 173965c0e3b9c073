"""Amounts in euros at the ECB reference rate of the announcement day.

Which rates are known. The ECB's history ships inside the CurrencyConverter package, so a fresh
install converts with no download; ``manage.py update_rates`` stores, in the ``ExchangeRate``
table, every rate of a newer ECB file that the package lacks or states differently (a day
after the package's history ends, or a correction). The rate of a currency on a day is the
table's when it has one, else the package's: the table only ever holds what a newer ECB file
said, so where both know a day the table is the newer word. Every worker reads the table, so a
rate stored once is used everywhere, with no restart; nothing is fetched at request time.

Which rate a pledge gets. The rate of its announcement day, or of the last earlier day with one
when the ECB published none that day (a weekend, a TARGET holiday). When the day lies after the
last day the known history has for its currency, the day's rate is not known yet: the pledge
gets the currency's latest rate, marked **provisional**, and ``update_rates`` converts it again
when the day's rate arrives. (A Saturday's pledge is final once the following Monday is in the
history: Friday's rate is then known to be its rate.) A currency whose rates end more than a
week before the history does has been dropped by the ECB (RUB, BGN): a date after its last
rate gets none.

A currency the ECB does not quote (UAH), an unknown date or a date outside the history leaves
the EUR fields empty, and ``fx_missing_reason`` says why. The reasons read only the pledge and
the package's list of currencies, never the table, so that pages showing them run no query;
a currency the ECB adds after the package's history counts as unquoted before its first rate.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

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
    """The ECB history bundled with the CurrencyConverter package."""
    return CurrencyConverter(
        decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False
    )


@cache
def ecb_currencies() -> frozenset[str]:
    """The currencies the bundled ECB history quotes or once quoted, EUR included."""
    return frozenset(ecb_rates().currencies)


class EcbRate(NamedTuple):
    #: units of the currency per euro
    rate: Decimal
    #: the day the ECB published it for
    day: datetime.date
    #: the day asked for lies after the known history: the latest rate stands in
    provisional: bool


class EcbHistory:
    """The ECB's reference rates as known here: the package's history, and over it the rates
    ``update_rates`` stored (``stored``: currency -> day -> rate)."""

    def __init__(
        self,
        stored: dict[str, dict[datetime.date, Decimal]],
        *,
        stored_end: datetime.date | None = None,
    ) -> None:
        self.package = ecb_rates()
        self.stored = stored
        self.stored_bounds = {
            currency: (min(days), max(days)) for currency, days in stored.items() if days
        }
        ends = [self.package.bounds["EUR"].last_date]
        ends += [last for _, last in self.stored_bounds.values()]
        if stored_end is not None:
            ends.append(stored_end)
        #: the last day of the whole history, in any currency
        self.end = max(ends)

    @classmethod
    def load(cls, currency: str | None = None) -> EcbHistory:
        """The history with the stored rates of ``currency`` (one query more), or of all."""
        from django.db.models import Max

        from tracker.models import ExchangeRate

        rows = ExchangeRate.objects.order_by()
        stored_end = None
        if currency is not None:
            rows = rows.filter(currency=currency)
            # The other currencies' days tell whether this one is still quoted.
            stored_end = ExchangeRate.objects.aggregate(end=Max("day"))["end"]
        stored: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
        for code, day, rate in rows.values_list("currency", "day", "rate"):
            stored[code][day] = rate
        return cls(stored, stored_end=stored_end)

    def published(self, currency: str, day: datetime.date) -> Decimal | None:
        """The rate the ECB published for ``day``, if any."""
        rate = self.stored.get(currency, {}).get(day)
        if rate is not None or currency not in self.package.currencies:
            return rate
        try:
            return Decimal(self.package.convert(1, "EUR", currency, date=day))
        except RateNotFoundError:
            return None

    def bounds(self, currency: str) -> tuple[datetime.date, datetime.date] | None:
        """The first and the last day with a rate of ``currency``; None if it has none."""
        days = list(self.stored_bounds.get(currency, ()))
        if currency in self.package.bounds:
            days += self.package.bounds[currency]
        return (min(days), max(days)) if days else None

    def rate(self, currency: str, day: datetime.date) -> EcbRate | None:
        """The rate of ``currency`` for a pledge of ``day``; None when there is none."""
        bounds = self.bounds(currency)
        if bounds is None or day < bounds[0]:
            return None
        last = bounds[1]
        provisional = day > last
        if provisional:
            if last < self.end - datetime.timedelta(days=MAX_DAYS_BACK):
                return None  # the ECB stopped quoting it
            day = last
        for back in range(MAX_DAYS_BACK + 1):
            rate_day = day - datetime.timedelta(days=back)
            rate = self.published(currency, rate_day)
            if rate is not None:
                return EcbRate(rate, rate_day, provisional)
        return None


def ecb_rate(
    currency: str, day: datetime.date, *, history: EcbHistory | None = None
) -> EcbRate | None:
    """The rate of ``currency`` for ``day`` (``EcbHistory.rate``), from ``history`` or from
    the package and the stored rates of that currency."""
    if history is None:
        history = EcbHistory.load(currency)
    return history.rate(currency, day)


def fx_missing_reason(pledge: Pledge) -> str:
    """Why a pledge with an amount has no EUR value; empty when it has one or needs none."""
    if pledge.amount is None or pledge.amount_eur is not None:
        return ""
    if pledge.currency not in ecb_currencies():
        return gettext("No EUR rate: the ECB publishes no reference rate for %(currency)s.") % {
            "currency": pledge.currency
        }
    if pledge.announced_on is None:
        return gettext("No EUR rate: the announcement date is unknown.")
    bounds = ecb_rates().bounds[pledge.currency]
    if pledge.announced_on < bounds.first_date:
        return gettext("No EUR rate: the ECB history for %(currency)s begins on %(first)s.") % {
            "currency": pledge.currency,
            "first": bounds.first_date.isoformat(),
        }
    return gettext(
        "No EUR rate: the ECB history for %(currency)s covers %(first)s to %(last)s."
    ) % {
        "currency": pledge.currency,
        "first": bounds.first_date.isoformat(),
        "last": bounds.last_date.isoformat(),
    }


def fx_provisional_note(pledge: Pledge) -> str:
    """What a provisional EUR value stands on; empty for a final one."""
    if not pledge.fx_provisional or pledge.announced_on is None or pledge.fx_date is None:
        return ""
    return gettext(
        "Provisional EUR value: the ECB rate of %(day)s is not known here yet, so the latest "
        "one, of %(rate_day)s, stands in; the value is recomputed when the rates are updated."
    ) % {"day": pledge.announced_on.isoformat(), "rate_day": pledge.fx_date.isoformat()}


def fx_warning(pledge: Pledge) -> str:
    """What an editor saving ``pledge`` should know about its EUR value; empty if nothing."""
    if reason := fx_missing_reason(pledge):
        return gettext(
            "Pledge #%(id)s has no EUR value and is left out of the EUR totals. %(reason)s"
        ) % {"id": pledge.pk, "reason": reason}
    if note := fx_provisional_note(pledge):
        return gettext("Pledge #%(id)s: %(note)s") % {"id": pledge.pk, "note": note}
    return ""


def pledge_convert_to_eur(pledge: Pledge, *, history: EcbHistory | None = None) -> None:
    """Set ``amount_eur``, ``fx_rate``, ``fx_date`` and ``fx_provisional`` from the amount,
    currency and date, with the rates of ``history`` (read from the database when None)."""
    pledge.amount_eur = pledge.fx_rate = pledge.fx_date = None
    pledge.fx_provisional = False
    if pledge.amount is None or not pledge.currency:
        return
    if pledge.currency == "EUR":
        pledge.amount_eur, pledge.fx_rate, pledge.fx_date = pledge.amount, Decimal(1), None
        return
    if pledge.announced_on is None:
        return
    found = ecb_rate(pledge.currency, pledge.announced_on, history=history)
    if found is None:
        return
    pledge.amount_eur = (Decimal(pledge.amount) / found.rate).quantize(CENT, ROUND_HALF_EVEN)
    pledge.fx_rate, pledge.fx_date, pledge.fx_provisional = found
