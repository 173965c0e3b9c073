"""Formatting of figures and dates the way an analyst reads them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language

from tracker.models import Pledge
from tracker.services.fx import fx_missing_reason

register = template.Library()

DATE_FORMATS = {
    Pledge.Precision.DAY: "DATE_FORMAT",
    Pledge.Precision.MONTH: "YEAR_MONTH_FORMAT",
    Pledge.Precision.YEAR: "Y",
}


@lru_cache(maxsize=32)
def _separators(language: str | None) -> tuple[str, str] | None:
    """The decimal and thousand separators of ``language``; None where digits are not
    grouped in threes (Python's own grouping then does not apply)."""
    if formats.get_format("NUMBER_GROUPING", language) != 3:
        return None
    return (
        formats.get_format("DECIMAL_SEPARATOR", language),
        formats.get_format("THOUSAND_SEPARATOR", language),
    )


def number(value: Decimal | int, places: int, *, grouped: bool = True) -> str:
    """``formats.number_format(value, places, use_l10n=True, force_grouping=grouped)``,
    for a value already rounded to ``places``, in a fraction of its time.

    A page of the table formats a few hundred figures; Django's formatter looks the
    separators up for each one. Here they are looked up once per language, and Python's
    own formatting does the rest (tests/test_tracker_formats.py holds the two equal).
    """
    separators = _separators(get_language())
    if separators is None:
        return formats.number_format(value, places, use_l10n=True, force_grouping=grouped)
    if not value:
        value = abs(value)  # Django prints no "-0.00"
    group = "," if grouped or settings.USE_THOUSAND_SEPARATOR else ""
    text = f"{value:{group}.{places}f}" if isinstance(value, Decimal) else f"{value:{group}}"
    decimal_separator, thousand_separator = separators
    return text.translate({44: thousand_separator, 46: decimal_separator})


@register.filter
def amount(value: Decimal | None, places: int | None = None) -> str:
    """6600000000 -> "6,600,000,000"; cents only when there are any, or ``places`` decimals."""
    if value is None:
        return ""
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    # Django's number formatting cuts extra decimals off; round them instead.
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number(value, places)


@register.filter
def count(value: int | None) -> str:
    if value is None:
        return ""
    return number(int(value), 0)


@register.filter
def normalize(value: Decimal | None) -> str:
    """0.842100 -> "0.8421" ("0,8421" in German): a rate as the ECB publishes it."""
    if value is None:
        return ""
    places = max(0, -value.normalize().as_tuple().exponent)
    return number(value, places, grouped=False)


@register.filter
def fx_reason(pledge: Pledge) -> str:
    return fx_missing_reason(pledge)


@lru_cache(maxsize=8192)
def _date_label(language: str | None, day: date, format_name: str) -> str:
    return formats.date_format(day, format_name)


def date_label(day: date, precision: str = Pledge.Precision.DAY) -> str:
    """``day`` at ``precision`` in the active language: "16 Jan 2025", "Jan 2025", "2025".

    Remembered per language and day (a few thousand days cover the data): Django's date
    formatting costs more than everything else a table row needs.
    """
    return _date_label(get_language(), day, DATE_FORMATS.get(precision, "DATE_FORMAT"))


@register.filter
def announced(pledge: Pledge) -> str:
    """The announcement date at the precision the source gives: "16 Jan 2025", "Jan 2025"."""
    day: date | None = pledge.announced_on
    if day is None:
        return ""
    return date_label(day, pledge.date_precision)


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
