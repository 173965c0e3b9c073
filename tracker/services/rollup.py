"""The roll-up of pledges: kept exact on every write, rebuilt after bulk loads, read by totals.

Each pledge adds itself to one ``PledgeRollup`` row, its *cell*: the combination of donor,
category, stage, currency, review status, month, whether it is added to totals, what kind of
value it has and whether it counts items. A save moves the pledge's share from its old cell to
its new one; a delete takes it away. Both happen in the transaction of the write, under a lock
on the pledge row, so concurrent editors never leave a total wrong.

Writes that bypass ``Pledge.save()`` (``generate_corpus``, ``recompute_eur``) call
``rollup_rebuild()`` when they are done; ``manage.py rollup --check`` compares the roll-up with
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

from tracker.models import Pledge, PledgeRollup
from tracker.services.fx import CENT

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
ZERO = Decimal(0)

Share = tuple[tuple, int, Decimal, Decimal, int | None]


def pledge_share(values: dict[str, Any], sign: int = 1) -> Share:
    """The cell of one pledge and what it adds there (taken away when ``sign`` is -1)."""
    announced_on = values["announced_on"]
    if values["amount_eur"] is not None:
        value = PledgeRollup.Value.EUR
    elif values["amount"] is None:
        value = PledgeRollup.Value.IN_KIND
    else:
        value = PledgeRollup.Value.NO_RATE
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


def rollup_add(shares: Iterable[Share], using: str) -> None:
    """Add each share to its cell: one UPDATE, or an INSERT for a cell not seen before."""
    combined: dict[tuple, list] = {}
    for cell, pledges, amount, amount_eur, quantity in shares:
        total = combined.setdefault(cell, [0, ZERO, ZERO, None])
        total[0] += pledges
        total[1] += amount
        total[2] += amount_eur
        if quantity is not None:
            total[3] = (total[3] or 0) + quantity
    # Cells in one order for every writer: two saves moving shares between the same two cells
    # in opposite directions wait for each other instead of deadlocking.
    for cell, (pledges, amount, amount_eur, quantity) in sorted(
        combined.items(), key=lambda item: repr(item[0])
    ):
        if not pledges and not amount and not amount_eur and not quantity:
            continue  # an edit that changed nothing the totals read
        rows = PledgeRollup.objects.using(using).filter(**dict(zip(CELL_FIELDS, cell, strict=True)))
        # One row of the cell, in case two were inserted at once; its lock orders writers.
        changed = (
            PledgeRollup.objects.using(using)
            .filter(pk=Subquery(rows.order_by("pk").values("pk")[:1]))
            .update(
                pledges=F("pledges") + pledges,
                amount=F("amount") + amount,
                amount_eur=F("amount_eur") + amount_eur,
                quantity=None if quantity is None else F("quantity") + quantity,
            )
        )
        if not changed:
            fields = dict(zip(CELL_FIELDS[:-1], cell[:-1], strict=True))
            PledgeRollup.objects.using(using).create(
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


def rollup_row_loaded(sender, instance: PledgeRollup, raw: bool, **kwargs) -> None:
    """A roll-up row read from a fixture (a dump of a whole database) adds nothing.

    The pledges of the fixture have added themselves up as they loaded, into rows of their
    own; the loaded row goes in as a new row of zeros, so nothing is counted twice and no
    row the pledges wrote is overwritten.
    """
    if raw:
        instance.pk = None
        instance.pledges, instance.amount, instance.amount_eur = 0, ZERO, ZERO
        instance.quantity = None if instance.quantity is None else 0


def rollup_cells(pledges: QuerySet[Pledge]) -> QuerySet:
    """The roll-up of ``pledges``, computed from them: one row of sums per cell."""
    return (
        pledges.order_by()
        .annotate(
            month=TruncMonth("announced_on"),
            standalone=ExpressionWrapper(
                Q(part_of__isnull=True, is_aggregate=False), output_field=BooleanField()
            ),
            value=Case(
                When(amount_eur__isnull=False, then=Value(PledgeRollup.Value.EUR)),
                When(amount__isnull=True, then=Value(PledgeRollup.Value.IN_KIND)),
                default=Value(PledgeRollup.Value.NO_RATE),
            ),
            itemised=ExpressionWrapper(Q(quantity__isnull=False), output_field=BooleanField()),
        )
        .values(*CELL_KEYS)
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
    rollup_model=PledgeRollup,
) -> int:
    """Replace the roll-up with one computed from the pledges; returns the number of cells.

    A migration passes its historical models.
    """
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            # Writers of pledges wait here, readers do not: no save slips between the read
            # and the swap. (SQLite's write transactions already run one at a time.)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {pledge_model._meta.db_table} IN SHARE MODE")
        rollup_model.objects.using(using).all().delete()
        cells = [
            rollup_model(
                donor_id=row["donor_id"],
                category_id=row["category_id"],
                stage=row["stage"],
                currency=row["currency"],
                review_status=row["review_status"],
                announced_on=row["month"],
                standalone=row["standalone"],
                value=row["value"],
                pledges=row["n"],
                amount=row["sum_amount"],
                amount_eur=row["sum_eur"],
                quantity=row["sum_quantity"],
            )
            for row in rollup_cells(pledge_model.objects.using(using)).iterator(
                chunk_size=batch_size
            )
        ]
        rollup_model.objects.using(using).bulk_create(cells, batch_size=batch_size)
    return len(cells)


def rollup_differences(using: str = "default") -> list[dict[str, Any]]:
    """The cells where the kept roll-up and one computed afresh from the pledges disagree."""
    kept = (
        PledgeRollup.objects.using(using)
        .annotate(
            month=F("announced_on"),
            itemised=ExpressionWrapper(Q(quantity__isnull=False), output_field=BooleanField()),
        )
        .values(*CELL_KEYS)
        .annotate(
            n=Sum("pledges"),
            sum_amount=Sum("amount"),
            sum_eur=Sum("amount_eur"),
            sum_quantity=Sum("quantity"),
        )
    )

    def by_cell(rows) -> dict[tuple, tuple]:
        return {
            tuple(row[name] for name in CELL_KEYS): (
                row["n"],
                Decimal(row["sum_amount"]).quantize(CENT),
                Decimal(row["sum_eur"]).quantize(CENT),
                row["sum_quantity"],
            )
            for row in rows
            if row["n"]
        }

    expected = by_cell(rollup_cells(Pledge.objects.using(using)))
    found = by_cell(kept)
    return [
        {
            "cell": dict(zip(CELL_KEYS, cell, strict=True)),
            "expected": expected.get(cell),
            "found": found.get(cell),
        }
        for cell in sorted(expected.keys() | found.keys(), key=repr)
        if expected.get(cell) != found.get(cell)
    ]
