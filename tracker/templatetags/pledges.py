"""Formatting of figures and dates the way an analyst reads them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats

from tracker.models import Pledge
from tracker.services.fx import fx_missing_reason

register = template.Library()

DATE_FORMATS = {
    Pledge.Precision.DAY: "DATE_FORMAT",
    Pledge.Precision.MONTH: "YEAR_MONTH_FORMAT",
    Pledge.Precision.YEAR: "Y",
}


@register.filter
def amount(value: Decimal | None, places: int | None = None) -> str:
    """6600000000 -> "6,600,000,000"; cents only when there are any, or ``places`` decimals."""
    if value is None:
        return ""
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    # Django's number formatting cuts extra decimals off; round them instead.
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


@register.filter
def count(value: int | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def normalize(value: Decimal | None) -> str:
    """0.842100 -> "0.8421" ("0,8421" in German): a rate as the ECB publishes it."""
    if value is None:
        return ""
    places = max(0, -value.normalize().as_tuple().exponent)
    return formats.number_format(value, places, use_l10n=True)


@register.filter
def fx_reason(pledge: Pledge) -> str:
    return fx_missing_reason(pledge)


@register.filter
def announced(pledge: Pledge) -> str:
    """The announcement date at the precision the source gives: "16 Jan 2025", "Jan 2025"."""
    day: date | None = pledge.announced_on
    if day is None:
        return ""
    return formats.date_format(day, DATE_FORMATS.get(pledge.date_precision, "DATE_FORMAT"))


# The first click on a column sorts the way an analyst usually wants it: largest amounts and
# newest dates first, donors A to Z. A second click reverses.
FIRST_DIRECTION = {"amount_eur": "-amount_eur", "announced_on": "-announced_on", "donor": "donor"}


@register.inclusion_tag("tracker/_sort_header.html", takes_context=True)
def sort_header(context: template.Context, label: str, key: str, numeric: bool = False) -> dict:
    current = context["sort"]
    if current == key:
        next_sort, direction = f"-{key}", "ascending"
    elif current == f"-{key}":
        next_sort, direction = key, "descending"
    else:
        next_sort, direction = FIRST_DIRECTION[key], None
    return {
        "request": context["request"],
        "label": label,
        "next_sort": next_sort,
        "direction": direction,
        "numeric": numeric,
    }
