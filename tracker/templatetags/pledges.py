"""Template filters for figures and dates (tracker.local_formats does the formatting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template

from tracker.local_formats import active_formats
from tracker.models import Pledge

register = template.Library()


@register.filter
def amount(value: Decimal | None, places: int | None = None) -> str:
    """6600000000 -> "6,600,000,000"; cents only when there are any, or ``places`` decimals."""
    return active_formats().amount(value, places)


@register.filter
def count(value: int | None) -> str:
    return active_formats().count(value)


@register.filter
def normalize(value: Decimal | None) -> str:
    """0.842100 -> "0.8421" ("0,8421" in German): a rate as the ECB publishes it."""
    return active_formats().normalize(value)


def date_label(day: date, precision: str = Pledge.Precision.DAY) -> str:
    """``day`` at ``precision`` in the active language: "16 Jan 2025", "Jan 2025", "2025"."""
    return active_formats().date(day, precision)


@register.filter
def announced(pledge: Pledge) -> str:
    """The announcement date at the precision the source gives: "16 Jan 2025", "Jan 2025"."""
    day: date | None = pledge.announced_on
    if day is None:
        return ""
    return date_label(day, pledge.date_precision)
