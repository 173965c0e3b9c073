"""The roll-up of pledges: kept exact on every write, rebuilt after bulk loads, read by totals.

Each pledge adds itself to one ``PledgeRollup`` row, its *cell*: the combination of donor,
category, stage, currency, review status, month, whether it is added to totals, what kind of
value it has and whether it counts items; and to one ``PledgeSummary`` row, the same cell
without donor and category. A save moves the pledge's share from its old cells to its new
ones; a delete takes it away. Both happen in the transaction of the write, under a lock on the
pledge row, so concurrent editors never leave a total wrong.

Writes that bypass ``Pledge.save()`` call ``rollup_rebuild()`` when they are done
(``recompute_eur``, the benchmark's corpus generator in bench/), or move the shares of the
pledges they changed (``update_rates``); ``manage.py rollup --check`` compares both tables with
the pledges and says where they differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from tracker.cache import data_changed
from tracker.fx import CENT
from tracker.models import Pledge, PledgeRollup, PledgeSummary, PledgeSums

#: What a pledge's share is read from, in the database or on an instance.
PLEDGE_FIELDS = (
    "donor_id",
    "category_id",
    "stage",
    "currency",
    "review_status",
    "announced_on",
    "part_of_id",
    "is_aggregate",
    "amount",
    "amount_eur",
    "fx_provisional",
    "quantity",
)
#: What selects a cell: the roll-up's columns (and whether its quantity is empty).
CELL_FIELDS = (
    "donor_id",
    "category_id",
    "stage",
    "currency",
    "review_status",
    "announced_on",
    "standalone",
    "value",
    "quantity__isnull",
)
#: The same cells as rows of sums: what ``rollup_cells`` groups by.
CELL_KEYS = (*CELL_FIELDS[:5], "month", "standalone", "value", "itemised")
#: How many of the cell's leading fields (donor and category) the summary leaves out.
DETAIL = 2
#: The tables of sums, in the order every writer updates them.
ROLLUP_MODELS = (PledgeRollup, PledgeSummary)
ZERO = Decimal(0)

Share = tuple[tuple, int, Decimal, Decimal, int | None]


def pledge_share(values: dict[str, Any], sign: int = 1) -> Share:
    """The cell of one pledge and what it adds there (taken away when ``sign`` is -1)."""
    announced_on = values["announced_on"]
    if values["amount_eur"] is not None:
        provisional = values["fx_provisional"]
        value = PledgeSums.Value.PROVISIONAL if provisional else PledgeSums.Value.EUR
    elif values["amount"] is None:
        value = PledgeSums.Value.IN_KIND
    elif announced_on is None:
        value = PledgeSums.Value.NO_DATE
    else:
        value = PledgeSums.Value.NO_RATE
    cell = (
        values["donor_id"],
        values["category_id"],
        values["stage"],
        values["currency"],
        values["review_status"],
        announced_on.replace(day=1) if announced_on else None,
        values["part_of_id"] is None and not values["is_aggregate"],
        value,
        values["quantity"] is None,
    )
    quantity = values["quantity"]
    return (
        cell,
        sign,
        sign * (values["amount"] or ZERO),
        sign * (values["amount_eur"] or ZERO),
        None if quantity is None else sign * quantity,
    )


def cell_keys(model: type[PledgeSums]) -> tuple[str, ...]:
    """The keys of ``model``'s cells: ``CELL_KEYS``, less donor and category for the summary.

    Read from the fields, so that a migration's historical models answer alike.
    """
    detailed = any(field.name == "donor" for field in model._meta.fields)
    return CELL_KEYS if detailed else CELL_KEYS[DETAIL:]


def rollup_add(shares: Iterable[Share], using: str) -> None:
    """Add each share to its cell in the roll-up and in the summary: per cell one UPDATE, or an
    INSERT for a cell not seen before."""
    shares = list(shares)
    cells_add(PledgeRollup, CELL_FIELDS, shares, using)
    summary_shares: list[Share] = [
        (cell[DETAIL:], pledges, amount, amount_eur, quantity)
        for cell, pledges, amount, amount_eur, quantity in shares
    ]
    cells_add(PledgeSummary, CELL_FIELDS[DETAIL:], summary_shares, using)


def cells_add(
    model: type[PledgeSums], cell_fields: tuple[str, ...], shares: list[Share], using: str
) -> None:
    combined: dict[tuple, list] = {}
    for cell, pledges, amount, amount_eur, quantity in shares:
        total = combined.setdefault(cell, [0, ZERO, ZERO, None])
        total[0] += pledges
        total[1] += amount
        total[2] += amount_eur
        if quantity is not None:
            total[3] = (total[3] or 0) + quantity
    # Rows in one order for every writer: the roll-up's cells, then the summary's (rollup_add),
    # each sorted. Two saves moving shares between the same cells in opposite directions wait
    # for each other instead of deadlocking.
    for cell, (pledges, amount, amount_eur, quantity) in sorted(
        combined.items(), key=lambda item: repr(item[0])
    ):
        if not pledges and not amount and not amount_eur and not quantity:
            continue  # an edit that changed nothing the totals read
        rows = model._default_manager.using(using).filter(
            **dict(zip(cell_fields, cell, strict=True))
        )
        # One row of the cell, in case two were inserted at once; its lock orders writers.
        changed = (
            model._default_manager.using(using)
            .filter(pk=Subquery(rows.order_by("pk").values("pk")[:1]))
            .update(
                pledges=F("pledges") + pledges,
                amount=F("amount") + amount,
                amount_eur=F("amount_eur") + amount_eur,
                quantity=None if quantity is None else F("quantity") + quantity,
            )
        )
        if not changed:
            fields = dict(zip(cell_fields[:-1], cell[:-1], strict=True))
            model._default_manager.using(using).create(
                **fields,
                pledges=pledges,
                amount=amount,
                amount_eur=amount_eur,
                quantity=quantity,
            )


# Signal receivers (connected in tracker.apps): a save reads the row it replaces first.


def pledge_before_save(sender, instance: Pledge, raw: bool, using: str, **kwargs) -> None:
    instance._rollup_before = None
    if instance.pk is None:
        return
    rows = Pledge.objects.using(using).filter(pk=instance.pk)
    if connections[using].in_atomic_block:
        rows = rows.select_for_update()
    instance._rollup_before = rows.values(*PLEDGE_FIELDS).first()


def pledge_saved(sender, instance: Pledge, using: str, **kwargs) -> None:
    shares = [pledge_share({name: getattr(instance, name) for name in PLEDGE_FIELDS})]
    before = getattr(instance, "_rollup_before", None)
    if before is not None:
        shares.append(pledge_share(before, sign=-1))
    rollup_add(shares, using)
    instance._rollup_before = None


def pledge_deleted(sender, instance: Pledge, using: str, **kwargs) -> None:
    rollup_add([pledge_share({name: getattr(instance, name) for name in PLEDGE_FIELDS}, -1)], using)


def rollup_row_loaded(sender, instance: PledgeSums, raw: bool, **kwargs) -> None:
    """A roll-up or summary row read from a fixture (a dump of a whole database) adds nothing.

    The pledges of the fixture have added themselves up as they loaded, into rows of their
    own; the loaded row goes in as a new row of zeros, so nothing is counted twice and no
    row the pledges wrote is overwritten.
    """
    if raw:
        instance.pk = None
        instance.pledges, instance.amount, instance.amount_eur = 0, ZERO, ZERO
        instance.quantity = None if instance.quantity is None else 0


def rollup_cells(pledges: QuerySet[Pledge], keys: tuple[str, ...] = CELL_KEYS) -> QuerySet:
    """The roll-up of ``pledges``, computed from them: one row of sums per cell of ``keys``."""
    provisional = []
    # The historical pledges of an earlier migration may predate the provisional mark.
    if any(field.name == "fx_provisional" for field in pledges.model._meta.fields):
        provisional.append(
            When(
                amount_eur__isnull=False,
                fx_provisional=True,
                then=Value(PledgeSums.Value.PROVISIONAL),
            )
        )
    return (
        pledges.order_by()
        .annotate(
            month=TruncMonth("announced_on"),
            standalone=ExpressionWrapper(
                Q(part_of__isnull=True, is_aggregate=False), output_field=BooleanField()
            ),
            value=Case(
                *provisional,
                When(amount_eur__isnull=False, then=Value(PledgeSums.Value.EUR)),
                When(amount__isnull=True, then=Value(PledgeSums.Value.IN_KIND)),
                When(announced_on__isnull=True, then=Value(PledgeSums.Value.NO_DATE)),
                default=Value(PledgeSums.Value.NO_RATE),
            ),
            itemised=ExpressionWrapper(Q(quantity__isnull=False), output_field=BooleanField()),
        )
        .values(*keys)
        .annotate(
            n=Count("id"),
            sum_amount=Coalesce(Sum("amount"), ZERO),
            sum_eur=Coalesce(Sum("amount_eur"), ZERO),
            sum_quantity=Sum("quantity"),
        )
    )


def rollup_rebuild(
    using: str = "default",
    *,
    batch_size: int = 5000,
    pledge_model=Pledge,
    rollup_models=ROLLUP_MODELS,
) -> tuple[int, ...]:
    """Replace the roll-up and its summary with tables computed from the pledges; returns the
    number of rows of each.

    A migration passes its historical models, and only the tables it has.
    """
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            # Writers of pledges wait here, readers do not: no save slips between the read
            # and the swap. (SQLite's write transactions already run one at a time.)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {pledge_model._meta.db_table} IN SHARE MODE")
        # A migration's rebuild (historical models) is followed by post_migrate, which does
        # the same once the cache's table exists.
        if pledge_model is Pledge:
            data_changed(using=using)
        return tuple(
            _table_rebuild(model, pledge_model._default_manager.using(using), using, batch_size)
            for model in rollup_models
        )


def _table_rebuild(model, pledges: QuerySet, using: str, batch_size: int) -> int:
    keys = cell_keys(model)
    model._default_manager.using(using).all().delete()
    cells = [
        model(
            **{
                ("announced_on" if key == "month" else key): row[key]
                for key in keys
                if key != "itemised"  # an empty quantity says it
            },
            pledges=row["n"],
            amount=row["sum_amount"],
            amount_eur=row["sum_eur"],
            quantity=row["sum_quantity"],
        )
        for row in rollup_cells(pledges, keys).iterator(chunk_size=batch_size)
    ]
    model._default_manager.using(using).bulk_create(cells, batch_size=batch_size)
    return len(cells)


def rollup_differences(using: str = "default") -> list[dict[str, Any]]:
    """The cells where a kept table (roll-up or summary) and one computed afresh from the
    pledges disagree."""
    return [
        difference for model in ROLLUP_MODELS for difference in _table_differences(model, using)
    ]


def _table_differences(model: type[PledgeSums], using: str) -> list[dict[str, Any]]:
    keys = cell_keys(model)
    kept = (
        model._default_manager.using(using)
        .annotate(
            month=F("announced_on"),
            itemised=ExpressionWrapper(Q(quantity__isnull=False), output_field=BooleanField()),
        )
        .values(*keys)
        .annotate(
            n=Sum("pledges"),
            sum_amount=Sum("amount"),
            sum_eur=Sum("amount_eur"),
            sum_quantity=Sum("quantity"),
        )
    )

    def by_cell(rows) -> dict[tuple, tuple]:
        return {
            tuple(row[name] for name in keys): (
                row["n"],
                Decimal(row["sum_amount"]).quantize(CENT),
                Decimal(row["sum_eur"]).quantize(CENT),
                row["sum_quantity"],
            )
            for row in rows
            if row["n"]
        }

    expected = by_cell(rollup_cells(Pledge.objects.using(using), keys))
    found = by_cell(kept)
    return [
        {
            "table": model._meta.db_table,
            "cell": dict(zip(keys, cell, strict=True)),
            "expected": expected.get(cell),
            "found": found.get(cell),
        }
        for cell in sorted(expected.keys() | found.keys(), key=repr)
        if expected.get(cell) != found.get(cell)
    ]
