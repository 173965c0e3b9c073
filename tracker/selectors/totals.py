"""Totals that never double count: the one place any page or export adds pledges up.

A total sums ``amount_eur`` of pledges that are neither part of another pledge nor a reported
aggregate, and leaves proposals out unless asked (DESIGN.md). Nothing silently drops out:
in-kind pledges without a value, amounts without an ECB rate (by reason) and the pledges
listed but not added are all counted and shown beside the sum, and so are the values at a
provisional rate inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum

from tracker.cache import cached, query_key
from tracker.fx import CENT, ecb_currencies
from tracker.models import Pledge, PledgeSums

ZERO = Decimal(0)


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    amount: Decimal
    pledges: int


@dataclass(frozen=True)
class Totals:
    """The sums of one group of pledges (all of them, or one donor, month, category ...)."""

    key: dict[str, Any] = field(default_factory=dict)
    amount_eur: Decimal = Decimal(0)
    #: countable pledges whose EUR value is in ``amount_eur``
    valued: int = 0
    #: of those, the ones converted at a provisional rate (their day's rate is not known yet)
    provisional: int = 0
    #: countable pledges given only in kind (no amount)
    in_kind_without_value: int = 0
    #: countable pledges with an amount and no EUR value: in a currency the ECB does not quote
    #: (UAH), without a date, or dated outside the ECB history of their currency
    currency_not_quoted: int = 0
    undated: int = 0
    outside_history: int = 0
    #: pledges listed but never added: subsets, reported aggregates, proposals (unless included)
    not_counted: int = 0
    #: items given in kind (the sum of quantities) by the countable pledges
    quantity: int = 0
    by_currency: tuple[CurrencyTotal, ...] = ()

    @property
    def without_eur_rate(self) -> int:
        """Countable pledges with an amount and no EUR value, for any reason."""
        return self.currency_not_quoted + self.undated + self.outside_history

    @property
    def counted(self) -> int:
        return self.valued + self.in_kind_without_value + self.without_eur_rate

    @property
    def pledges(self) -> int:
        return self.counted + self.not_counted


def countable_condition(*, include_proposed: bool = False) -> Q:
    condition = Q(part_of__isnull=True, is_aggregate=False)
    if not include_proposed:
        condition &= ~Q(stage=Pledge.Stage.PROPOSED)
    return condition


def pledge_measures(*, include_proposed: bool) -> dict[str, Aggregate]:
    """The sums of a group, read from the pledges themselves."""
    countable = countable_condition(include_proposed=include_proposed)
    without_rate = Q(amount__isnull=False, amount_eur__isnull=True)
    return {
        # Names differ from the fields: an aggregate named like a field would shadow it in
        # the conditions of the others.
        "sum_amount": Sum("amount", filter=countable),
        "sum_eur": Sum("amount_eur", filter=countable),
        "valued": Count("id", filter=countable & Q(amount_eur__isnull=False)),
        "provisional": Count("id", filter=countable & Q(fx_provisional=True)),
        "in_kind": Count("id", filter=countable & Q(amount__isnull=True)),
        "undated": Count("id", filter=countable & without_rate & Q(announced_on__isnull=True)),
        "no_rate": Count("id", filter=countable & without_rate & Q(announced_on__isnull=False)),
        "sum_quantity": Sum("quantity", filter=countable),
        "listed": Count("id"),
        "counted": Count("id", filter=countable),
    }


def rollup_rows(
    queryset: QuerySet[PledgeSums], group_by: Sequence[str], *, include_proposed: bool
) -> list[dict[str, Any]]:
    """The same sums as ``pledge_measures``, per group and currency, from the roll-up or the
    summary.

    The roll-up keeps whether its pledges are added to totals in plain columns, so the
    database adds its rows up per group, currency, kind of value and whether they count (not
    a subset or aggregate, nor a proposal unless asked), and the few dozen sums are sorted
    into counted and listed here: a query with four plain sums costs Django a fraction of one
    with eight filtered ones to build.
    """
    names = (*group_by, "currency")

    counts = Q(standalone=True)
    if not include_proposed:
        counts &= ~Q(stage=Pledge.Stage.PROPOSED)
    # Tuples, not dicts, read by position.
    rows: list[tuple] = list(
        queryset.order_by()
        .annotate(counts=ExpressionWrapper(counts, output_field=BooleanField()))
        .values(*names, "counts", "value")
        .annotate(
            n=Sum("pledges"),
            sum_amount=Sum("amount"),
            sum_eur=Sum("amount_eur"),
            sum_quantity=Sum("quantity"),
        )
        .order_by(*names)
        .values_list(*names, "counts", "value", "n", "sum_amount", "sum_eur", "sum_quantity")
    )
    kinds = {
        PledgeSums.Value.EUR: ("valued",),
        PledgeSums.Value.PROVISIONAL: ("valued", "provisional"),
        PledgeSums.Value.IN_KIND: ("in_kind",),
        PledgeSums.Value.NO_DATE: ("undated",),
        PledgeSums.Value.NO_RATE: ("no_rate",),
    }
    width = len(names)
    merged: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = row[:width]
        sums = merged.get(key)
        if sums is None:
            sums = merged[key] = {
                **dict(zip(names, key, strict=True)),
                "sum_amount": ZERO,
                "sum_eur": ZERO,
                "valued": 0,
                "provisional": 0,
                "in_kind": 0,
                "undated": 0,
                "no_rate": 0,
                "sum_quantity": None,
                "listed": 0,
                "counted": 0,
            }
        counted, value, pledges, sum_amount, sum_eur, sum_quantity = row[width:]
        pledges = pledges or 0
        sums["listed"] += pledges
        if not counted:
            continue
        sums["counted"] += pledges
        for kind in kinds[value]:
            sums[kind] += pledges
        sums["sum_amount"] += sum_amount or ZERO
        sums["sum_eur"] += sum_eur or ZERO
        if sum_quantity is not None:
            sums["sum_quantity"] = (sums["sum_quantity"] or 0) + sum_quantity
    return list(merged.values())


def pledge_totals(
    queryset: QuerySet[Pledge] | QuerySet[PledgeSums],
    *,
    group_by: Sequence[str] = (),
    include_proposed: bool = False,
) -> list[Totals]:
    """Totals of ``queryset``, one row per distinct value of ``group_by`` (or one row), in one
    query. Rows come in the order of the grouped values; an empty queryset gives no rows.

    ``queryset`` selects either pledges or the rows of their roll-up or summary, filtered
    alike: all three give the same totals, the roll-up and the summary in a fraction of the
    time. ``group_by`` names fields of the table read (the summary has no donor or category).
    """
    if issubclass(queryset.model, PledgeSums):
        rows = rollup_rows(queryset, group_by, include_proposed=include_proposed)
    else:
        rows = (
            queryset.order_by()
            .values(*group_by, "currency")
            .annotate(**pledge_measures(include_proposed=include_proposed))
            .order_by(*group_by, "currency")
        )
    groups: dict[tuple, dict[str, Any]] = {}
    quoted = ecb_currencies()
    for row in rows:
        if not row["listed"]:
            continue  # roll-up rows whose pledges all moved away: no group
        key = tuple(row[name] for name in group_by)
        group = groups.setdefault(
            key,
            {
                "key": dict(zip(group_by, key, strict=True)),
                "amount_eur": Decimal(0),
                "valued": 0,
                "provisional": 0,
                "in_kind_without_value": 0,
                "currency_not_quoted": 0,
                "undated": 0,
                "outside_history": 0,
                "not_counted": 0,
                "quantity": 0,
                "by_currency": [],
            },
        )
        group["amount_eur"] += row["sum_eur"] or 0
        # A roll-up sum over no row is empty, where a count is 0.
        counted = row["counted"] or 0
        group["valued"] += row["valued"] or 0
        group["provisional"] += row["provisional"] or 0
        group["in_kind_without_value"] += row["in_kind"] or 0
        group["undated"] += row["undated"] or 0
        # A dated amount without a rate: the currency says which reason (fx_missing_reason).
        if row["currency"] in quoted:
            group["outside_history"] += row["no_rate"] or 0
        else:
            group["currency_not_quoted"] += row["no_rate"] or 0
        group["not_counted"] += row["listed"] - counted
        group["quantity"] += row["sum_quantity"] or 0
        if row["currency"] and counted:
            group["by_currency"].append(
                CurrencyTotal(row["currency"], row["sum_amount"].quantize(CENT), counted)
            )
    return [
        Totals(
            **{
                **group,
                # Sums come back at the database's own scale (SQLite: float-like); cents.
                "amount_eur": group["amount_eur"].quantize(CENT),
                "by_currency": tuple(sorted(group["by_currency"], key=_by_size)),
            }
        )
        for group in groups.values()
    ]


def _by_size(total: CurrencyTotal) -> tuple[int, str]:
    return (-total.pledges, total.currency)


def totals_overall(
    queryset: QuerySet[Pledge] | QuerySet[PledgeSums], *, include_proposed: bool = False
) -> Totals:
    """The one headline total of ``queryset``: zeros when nothing matches. Cached until the
    data change (``tracker.cache``)."""

    def compute() -> Totals:
        rows = pledge_totals(queryset, include_proposed=include_proposed)
        return rows[0] if rows else Totals()

    return cached("totals", (*query_key(queryset), include_proposed), compute)
