"""The roll-up and summary the totals read: exact after every kind of write, and the same totals
as the pledges.

Random edits (seeded, so a failure replays) move pledges between every dimension of the roll-up;
after each, the kept roll-up and summary must equal those added up afresh, and every filter they
serve must give the totals the pledges give.
"""

from __future__ import annotations

import datetime
import random
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.http import QueryDict

from tests.factories import CategoryFactory, DonorFactory, PledgeFactory, SentenceFactory
from tracker.filters import PledgeFilter
from tracker.models import Pledge, PledgeReviewQueue, PledgeRollup, PledgeSummary
from tracker.selectors.breakdowns import TOTALS_GROUPS, dashboard_charts, totals_table
from tracker.selectors.totals import pledge_totals
from tracker.services.rollup import rollup_differences, rollup_rebuild

pytestmark = pytest.mark.django_db

STAGES = [stage for stage, _ in Pledge.Stage.choices]
CURRENCIES = ["EUR", "USD", "GBP", "UAH"]  # UAH: an amount without an ECB rate


@pytest.fixture
def world():
    military = CategoryFactory(slug="military", name="Military")
    return {
        "donors": [DonorFactory(slug=slug, name=slug.title()) for slug in ("uk", "de", "nl")],
        "categories": [
            military,
            CategoryFactory(slug="drones", name="Drones", parent=military),
            CategoryFactory(slug="financial", name="Financial"),
        ],
        "sentence": SentenceFactory(),
    }


def random_values(rng: random.Random, world) -> dict:
    kind = rng.choice(["amount", "amount", "in kind", "both"])
    amount = Decimal(rng.randrange(1, 10**9)) / 100 if kind != "in kind" else None
    quantity = rng.randrange(1, 500) if kind != "amount" else None
    return {
        "donor": rng.choice(world["donors"]),
        "category": rng.choice(world["categories"]),
        "stage": rng.choice(STAGES),
        "amount": amount,
        "currency": rng.choice(CURRENCIES) if amount is not None else "",
        "quantity": quantity,
        "item": "drones" if quantity else "",
        "announced_on": rng.choice(
            [None, datetime.date(2024, 2, 29), datetime.date(2024, 3, 1), datetime.date(2025, 6, 4)]
        ),
        "is_aggregate": rng.random() < 0.15,
        "review_status": rng.choice([Pledge.Review.DRAFT, Pledge.Review.REVIEWED]),
    }


#: What an edit changes together: an amount comes with its currency, in kind with its item.
CHANGES = [
    ("donor",),
    ("category",),
    ("stage",),
    ("announced_on",),
    ("is_aggregate",),
    ("review_status",),
    ("amount", "currency", "quantity", "item"),
]


def random_change(rng: random.Random, world, pledge: Pledge) -> None:
    values = random_values(rng, world)
    for group in rng.sample(CHANGES, k=3):
        for name in group:
            setattr(pledge, name, values[name])
    pledge.save()


def random_edits(rng: random.Random, world, steps: int) -> None:
    for _ in range(steps):
        pledges = list(Pledge.objects.all())
        action = rng.choice(["add", "add", "change", "change", "subset", "delete", "queue"])
        if action == "add" or not pledges:
            PledgeFactory(sentence=world["sentence"], **random_values(rng, world))
        elif action == "change":
            random_change(rng, world, rng.choice(pledges))
        elif action == "subset" and len(pledges) > 1:
            whole, part = rng.sample(pledges, k=2)
            if whole.part_of_id is None and not Pledge.objects.filter(part_of=part).exists():
                part.part_of = whole
                part.save(update_fields=["part_of"])
        elif action == "delete":
            pledge = rng.choice(pledges)
            if not pledge.parts.exists():
                pledge.delete()
        elif action == "queue":  # the review queue saves through a proxy model
            pledge = PledgeReviewQueue.objects.get(pk=rng.choice(pledges).pk)
            pledge.review_status = Pledge.Review.REVIEWED
            pledge.save()


FILTERS = (
    "",
    "donor=uk",
    "donor=uk&donor=nl",
    "category=military",
    "category=drones&stage=delivered",
    "currency=usd",
    "reviewed=on",
    "include_proposed=on",
    "date_from=2024-03-01",
    "date_to=2024-02-29",
    "date_from=2024-01-01&date_to=2024-03-31&include_proposed=on",
    "stage=proposed&include_proposed=on&sort=-amount_eur",
)


def filtered(query: str, *, summaries: bool = True) -> PledgeFilter:
    return PledgeFilter(
        QueryDict(query),
        queryset=Pledge.objects.all(),
        rollups=PledgeRollup.objects.all(),
        summaries=PledgeSummary.objects.all() if summaries else None,
    )


#: Groupings of ``pledge_totals``; those naming a donor or category need the roll-up.
GROUPINGS = (
    (),
    ("stage",),
    ("currency", "review_status"),
    ("donor__slug",),
    ("stage", "category__slug"),
)


def assert_same_totals(query: str) -> None:
    """Pledges, roll-up and summary give the same totals, however grouped, for ``query``."""
    pledge_filter = filtered(query)
    summed = not {"donor", "category"} & set(QueryDict(query))
    assert pledge_filter.totals_qs.model is (PledgeSummary if summed else PledgeRollup), query
    assert pledge_filter.detailed_totals_qs.model is PledgeRollup, query
    assert filtered(query, summaries=False).totals_qs.model is PledgeRollup, query
    pledges, rollups = pledge_filter.qs, pledge_filter.detailed_totals_qs
    totals_qs, proposed = pledge_filter.totals_qs, pledge_filter.include_proposed_in_totals
    for group_by in GROUPINGS:
        expected = pledge_totals(pledges, group_by=group_by, include_proposed=proposed)
        assert pledge_totals(rollups, group_by=group_by, include_proposed=proposed) == expected
        if not any(name.startswith(("donor", "category")) for name in group_by):
            found = pledge_totals(totals_qs, group_by=group_by, include_proposed=proposed)
            assert found == expected, (query, group_by)
    for by in TOTALS_GROUPS:
        expected = totals_table(pledges, by=by, include_proposed=proposed)
        assert totals_table(rollups, by=by, include_proposed=proposed) == expected, (query, by)
        found = totals_table(totals_qs, by=by, detailed=rollups, include_proposed=proposed)
        assert found == expected, (query, by)
    expected = dashboard_charts(pledges, include_proposed=proposed)
    # The items given in kind are read from the pledges: the roll-up keeps no item names.
    found = dashboard_charts(rollups, pledges=pledges, include_proposed=proposed)
    assert found == expected, query
    found = dashboard_charts(
        totals_qs, detailed=rollups, pledges=pledges, include_proposed=proposed
    )
    assert found == expected, query


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_keep_the_rollup_exact(world, seed):
    rng = random.Random(seed)
    for _ in range(6):
        random_edits(rng, world, steps=10)
        assert rollup_differences() == []
    assert Pledge.objects.exists()
    for query in FILTERS:
        assert_same_totals(query)


def test_a_pledge_moves_between_cells(world):
    uk, de = world["donors"][:2]
    pledge = PledgeFactory(donor=uk, sentence=world["sentence"], amount=Decimal("10.50"))
    pledge.donor, pledge.amount = de, Decimal("4.25")
    pledge.save()
    by_donor = {
        row["donor__slug"]: (row["pledges"], row["amount_eur"])
        for row in PledgeRollup.objects.values("donor__slug", "pledges", "amount_eur")
    }
    assert by_donor == {"uk": (0, Decimal("0.00")), "de": (1, Decimal("4.25"))}
    # The summary has no donor: the pledge stays in its cell there, with its new amount.
    assert list(PledgeSummary.objects.values_list("pledges", "amount_eur")) == [
        (1, Decimal("4.25"))
    ]
    pledge.delete()
    assert PledgeRollup.objects.filter(pledges__gt=0).count() == 0
    assert PledgeSummary.objects.filter(pledges__gt=0).count() == 0
    assert rollup_differences() == []


def test_fixtures_load_into_the_rollup(seeded):
    # loaddata saves raw, past Pledge.save(): the signals still add every pledge up.
    assert PledgeRollup.objects.count() > 0
    assert PledgeSummary.objects.count() > 0
    assert rollup_differences() == []
    for query in ("", "donor=united-kingdom", "category=military", "reviewed=on"):
        assert_same_totals(query)
    call_command("loaddata", "demo_pledges", verbosity=0)  # again: replaces, adds nothing
    assert rollup_differences() == []


def test_a_dump_of_the_whole_database_loads_without_counting_twice(seeded, tmp_path):
    rollup_rebuild()  # rows in another order than the pledges' load gives them
    dump = tmp_path / "all.json"
    tables = ("tracker.pledge", "tracker.pledgerollup", "tracker.pledgesummary")
    call_command("dumpdata", *tables, output=str(dump))
    expected = pledge_totals(PledgeRollup.objects.all())
    assert pledge_totals(PledgeSummary.objects.all()) == expected
    Pledge.objects.filter(part_of__isnull=False).delete()
    Pledge.objects.all().delete()
    PledgeRollup.objects.all().delete()
    PledgeSummary.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    assert pledge_totals(PledgeRollup.objects.all()) == expected
    assert pledge_totals(PledgeSummary.objects.all()) == expected
    assert rollup_differences() == []


@pytest.mark.parametrize(
    "query",
    [
        "q=drones",
        "amount_eur_min=5",
        "amount_eur_max=5",
        "article={article}",
        "date_from=2024-03-02",
        "date_to=2024-03-30",
        "donor=uk&date_from=2024-02-15&date_to=2024-03-31",
    ],
)
def test_filters_the_rollup_cannot_express_read_the_pledges(world, query):
    pledge_filter = filtered(query.format(article=world["sentence"].article.slug))
    assert not pledge_filter.errors
    assert pledge_filter.totals_qs.model is Pledge
    assert pledge_filter.totals_qs.query.where == pledge_filter.qs.query.where


def test_without_rollups_a_filter_reads_the_pledges(world):
    pledge_filter = PledgeFilter(QueryDict("donor=uk"), queryset=Pledge.objects.all())
    assert pledge_filter.totals_qs.model is Pledge


def test_invalid_filters_are_dropped_alike(world):
    PledgeFactory(donor=world["donors"][0], sentence=world["sentence"])
    pledge_filter = filtered("date_from=2024-02-30&donor=nobody&stage=bogus")
    assert pledge_filter.errors
    assert pledge_totals(pledge_filter.totals_qs) == pledge_totals(pledge_filter.qs)


def test_check_and_rebuild_commands(world, capsys):
    PledgeFactory(sentence=world["sentence"], donor=world["donors"][0])
    call_command("rollup", "--check")
    assert "matches" in capsys.readouterr().out
    PledgeRollup.objects.update(pledges=7)  # a write past Pledge.save()
    with pytest.raises(CommandError, match="differs from the pledges in 1 cells"):
        call_command("rollup")
    assert "tracker_pledgerollup" in capsys.readouterr().err
    call_command("rollup", "--rebuild")
    assert "Rebuilt the roll-up: 1 rows; its summary: 1 rows." in capsys.readouterr().out
    assert rollup_differences() == []
    PledgeSummary.objects.update(amount_eur=0)
    with pytest.raises(CommandError, match="differs from the pledges in 1 cells"):
        call_command("rollup", "--check")
    assert "tracker_pledgesummary" in capsys.readouterr().err
    call_command("rollup", "--rebuild")
    assert rollup_differences() == []


CELL_COLUMNS = (
    "stage",
    "currency",
    "review_status",
    "announced_on",
    "standalone",
    "value",
    "pledges",
    "amount",
    "amount_eur",
    "quantity",
)


def test_rebuild_gives_the_rows_kept_one_by_one(world):
    random_edits(random.Random(7), world, steps=40)

    def cells():
        rollup = PledgeRollup.objects.filter(pledges__gt=0).values_list(
            "donor_id", "category_id", *CELL_COLUMNS
        )
        summary = PledgeSummary.objects.filter(pledges__gt=0).values_list(*CELL_COLUMNS)
        return sorted(rollup, key=repr), sorted(summary, key=repr)

    kept = cells()
    assert all(kept)
    assert rollup_rebuild() == (len(kept[0]), len(kept[1]))
    assert cells() == kept


@pytest.mark.django_db(transaction=True)
def test_concurrent_editors_leave_the_rollup_exact():
    """Writers in their own connections add to the same cells at once, new and existing."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent write transactions need PostgreSQL; SQLite runs one at a time")
    donor, category = DonorFactory(slug="uk"), CategoryFactory(slug="military")
    sentence = SentenceFactory()
    existing = [PledgeFactory(donor=donor, category=category, sentence=sentence) for _ in range(4)]
    barrier = threading.Barrier(4)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            barrier.wait(timeout=10)
            for step in range(10):
                PledgeFactory(
                    donor=donor,
                    category=category,
                    sentence=sentence,
                    amount=Decimal(worker * 100 + step),
                )
                pledge = Pledge.objects.get(pk=existing[worker].pk)
                pledge.stage = STAGES[step % len(STAGES)]
                pledge.save()
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert Pledge.objects.count() == 44
    assert rollup_differences() == []
