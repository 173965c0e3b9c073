"""Totals that never double count.

A total sums pledges that are neither part of another pledge nor a reported aggregate, and
leaves proposals out unless asked (DESIGN.md). In-kind pledges without a value are counted
apart, so nothing silently drops out of the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from tracker.models import Pledge


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    amount: Decimal
    pledges: int


@dataclass(frozen=True)
class Totals:
    by_currency: list[CurrencyTotal] = field(default_factory=list)
    in_kind_without_value: int = 0
    counted: int = 0
    not_counted: int = 0

    @property
    def pledges(self) -> int:
        return self.counted + self.not_counted


def countable_condition(*, include_proposed: bool = False) -> Q:
    condition = Q(part_of__isnull=True, is_aggregate=False)
    if not include_proposed:
        condition &= ~Q(stage=Pledge.Stage.PROPOSED)
    return condition


def totals_by_currency(queryset: QuerySet[Pledge], *, include_proposed: bool = False) -> Totals:
    """Sum the countable pledges of ``queryset`` per original currency, in one query."""
    countable = countable_condition(include_proposed=include_proposed)
    rows = (
        queryset.order_by()
        .values("currency")
        .annotate(
            amount=Sum("amount", filter=countable),
            counted=Count("id", filter=countable),
            listed=Count("id"),
        )
        .order_by("currency")
    )
    by_currency = []
    in_kind = counted = listed = 0
    for row in rows:
        counted += row["counted"]
        listed += row["listed"]
        if not row["currency"]:
            in_kind += row["counted"]
        elif row["counted"]:
            by_currency.append(CurrencyTotal(row["currency"], row["amount"], row["counted"]))
    by_currency.sort(key=lambda total: (-total.pledges, total.currency))
    return Totals(
        by_currency=by_currency,
        in_kind_without_value=in_kind,
        counted=counted,
        not_counted=listed - counted,
    )
