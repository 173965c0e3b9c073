"""Chart figures for templates: ``{% load charts %}``, then ``{{ total|money_compact }}``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from tracker import charts

register = template.Library()


@register.filter
def money_compact(value: Decimal | int | float | None, language: str | None = None) -> str:
    """6400000000 -> "€6.4bn" (English), "6,4 Mrd. €" (German); the active language unless
    one is given: ``{{ total|money_compact:"de" }}``."""
    if value in (None, ""):
        return ""
    try:
        return charts.money_compact(value, language=language)
    except (InvalidOperation, TypeError, ValueError):
        # Like Django's own filters: a value that is not a number renders as nothing.
        return ""
