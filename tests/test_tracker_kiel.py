from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from articles.models import Sentence
from tests.conftest import SEED_FIXTURES
from tests.factories import DonorFactory, PledgeFactory
from tracker.models import (
    Category,
    Donor,
    KielActivity,
    KielMonthly,
    KielRelease,
    KielWeapon,
    Pledge,
)
from tracker.selectors.kiel import kiel_comparison, kiel_month_number, kiel_weapons
from tracker.services.kiel import (
    ACTIVITIES_FILE,
    DATA_DIRECTORY,
    MONTHLY_FILE,
    WEAPONS_FILE,
    KielDataError,
    kiel_donor_map,
    kiel_load,
)

pytestmark = pytest.mark.django_db

MILLION = Decimal(1_000_000)
UK = "united-kingdom"


def row_counts() -> tuple[int, int, int, int]:
    return (
        KielRelease.objects.count(),
        KielActivity.objects.count(),
        KielMonthly.objects.count(),
        KielWeapon.objects.count(),
    )


def kiel_names() -> set[str]:
    names: set[str] = set()
    for file, column in ((ACTIVITIES_FILE, "giver"), (MONTHLY_FILE, "country")):
        with (DATA_DIRECTORY / file).open(newline="", encoding="utf-8") as handle:
            names |= {row[column] for row in csv.DictReader(handle)}
    return names


@pytest.fixture
def kiel_copy(tmp_path) -> Path:
    """A writable copy of the Kiel files, to break."""
    directory = tmp_path / "kiel"
    shutil.copytree(DATA_DIRECTORY, directory)
    return directory


def line_replace(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


class TestKielLoad:
    def test_reproduces_the_published_release_28_allocations(self):
        kiel_load(directory=DATA_DIRECTORY)
        allocations = dict(
            KielActivity.objects.filter(measure=KielActivity.Measure.ALLOCATION)
            .values_list("donor_name")
            .annotate(total=Sum("value_eur"))
        )
        assert round(allocations["United States"] / MILLION) == 115_381
        assert round(allocations["Germany"] / MILLION) == 25_295
        assert round(allocations["United Kingdom"] / MILLION) == 20_009

    def test_commitments_are_activity_values(self):
        kiel_load(directory=DATA_DIRECTORY)
        commitments = dict(
            KielActivity.objects.values_list("donor_name").annotate(total=Sum("value_eur_activity"))
        )
        # Kiel's Country Summary, Release 28: Norway's total commitments EUR 24.72 bn.
        assert round(commitments["Norway"] / MILLION) == 24_724
        assert round(commitments["United States"] / MILLION) == 118_963

    def test_reads_every_file(self):
        loaded = kiel_load(directory=DATA_DIRECTORY)
        assert row_counts() == (2, 5565, 1079, 61)
        assert loaded["files"][ACTIVITIES_FILE] == {
            "rows": 5565,
            "release": "Ukraine Support Tracker, Release 28 (02/2026)",
        }
        assert loaded["files"][MONTHLY_FILE]["release"] == (
            "Ukraine Support Tracker, Release 29 (04/2026)"
        )
        release = KielRelease.objects.get(number=29)
        assert (release.period, release.released_on.isoformat()) == ("04/2026", "2026-08-04")
        first = KielActivity.objects.get(line=2)
        assert (first.donor_name, first.announced_on.isoformat(), first.category) == (
            "Australia",
            "2022-03-01",
            KielActivity.AidType.HUMANITARIAN,
        )
        assert first.value_eur == Decimal("23417159.98")
        march = KielMonthly.objects.get(donor_name="Australia", year=2022, month=3)
        assert march.total_eur_bn == Decimal("0.142911")
        assert march.commitments_eur_bn == Decimal("0.142912")
        tanks = KielWeapon.objects.get(donor_name="Australia", category="Tanks")
        assert (tanks.count, tanks.value_eur) == (49, Decimal("463047927"))

    def test_loading_twice_gives_the_same_rows(self):
        kiel_load(directory=DATA_DIRECTORY)
        first = row_counts()
        total = KielActivity.objects.aggregate(total=Sum("value_eur"))["total"]
        kiel_load(directory=DATA_DIRECTORY)
        assert row_counts() == first
        assert KielActivity.objects.aggregate(total=Sum("value_eur"))["total"] == total

    @pytest.mark.parametrize(
        ("file", "line", "old", "new", "problem"),
        [
            (
                ACTIVITIES_FILE,
                100,
                ",Allocation,5000000.0,",
                ",Allocation,12x5,",
                "verdi_eur is not a number: '12x5'",
            ),
            (
                ACTIVITIES_FILE,
                2,
                "2022-03-01",
                "2022-03-41",
                "dato is not a date (YYYY-MM-DD): '2022-03-41'",
            ),
            (
                ACTIVITIES_FILE,
                3,
                "Humanitarian,Allocation",
                "Humanitarian,Pledge",
                "maal is 'Pledge', expected one of Allocation, Commitment",
            ),
            (ACTIVITIES_FILE, 5, ",3,True,", ",3,True,x,", "11 fields where the header has 10"),
            (MONTHLY_FILE, 1, '"military",', '"army",', "missing column military"),
            (MONTHLY_FILE, 3, ",0.0653,", ",NaN,", "humanitarian is not a number: 'NaN'"),
            (MONTHLY_FILE, 4, ",2022,4,", ",2022,13,", "month is not a whole number"),
            (WEAPONS_FILE, 3, ',49,463047927,"M1A1', ',463047927,"M1A1', "4 fields where the"),
        ],
    )
    def test_malformed_file_loads_nothing(self, kiel_copy, file, line, old, new, problem):
        kiel_load(directory=DATA_DIRECTORY)
        before = row_counts()
        line_replace(kiel_copy / file, line, old, new)
        with pytest.raises(KielDataError) as caught:
            kiel_load(directory=kiel_copy)
        assert str(caught.value).startswith(f"{file}, line {line}: {problem}")
        assert row_counts() == before

    def test_missing_file_loads_nothing(self, kiel_copy):
        (kiel_copy / WEAPONS_FILE).unlink()
        with pytest.raises(KielDataError, match=f"{WEAPONS_FILE}: file not found"):
            kiel_load(directory=kiel_copy)
        assert row_counts() == (0, 0, 0, 0)


@pytest.mark.usefixtures("seeds_for_the_class")
class TestKielDonorMap:
    def test_maps_the_names_that_differ(self, seeded):
        donors = kiel_donor_map(names=["EU (Commission and Council)", "United States"])
        assert donors["EU (Commission and Council)"].slug == "eu-institutions"
        assert donors["United States"].slug == "united-states"

    def test_covers_every_kiel_donor_in_the_reference_fixture(self, seeded):
        fixture = json.loads((Path(settings.BASE_DIR) / "fixtures/reference.json").read_text())
        ours = {obj["fields"]["name"] for obj in fixture if obj["model"] == "tracker.donor"}
        names = kiel_names()
        assert len(names) == 44
        donors = kiel_donor_map(names=names)
        unmapped = {name for name, donor in donors.items() if donor is None}
        assert unmapped == set()
        assert names - {"EU (Commission and Council)"} <= ours
        loaded = kiel_load(directory=DATA_DIRECTORY)
        assert loaded["unmapped_donors"] == []
        assert not KielActivity.objects.filter(donor__isnull=True).exists()
        assert not KielMonthly.objects.filter(donor__isnull=True).exists()
        assert not KielWeapon.objects.filter(donor__isnull=True).exists()

    def test_unmapped_name_is_kept_and_shown(self, seeded, kiel_copy, client):
        line_replace(kiel_copy / ACTIVITIES_FILE, 2, "Australia,", "Atlantis,")
        loaded = kiel_load(directory=kiel_copy)
        assert loaded["unmapped_donors"] == ["Atlantis"]
        kept = KielActivity.objects.get(line=2)
        assert (kept.donor_name, kept.donor) == ("Atlantis", None)
        row = next(row for row in kiel_comparison().rows if row.kiel_name == "Atlantis")
        assert (row.donor, row.name, row.ours_committed, row.in_kiel) == (
            None,
            "Atlantis",
            None,
            True,
        )
        # Its one item dates from March 2022, before our pledges' months.
        assert row.allocations.kiel_eur is None
        response = client.get("/reference/")
        assert "Atlantis" in response.content.decode()
        assert "not one of our donors" in response.content.decode()


def uk_row():
    return next(row for row in kiel_comparison().rows if row.donor and row.donor.slug == UK)


def kiel_item(release, donor, line, month, measure, value, activity=None) -> KielActivity:
    """One Kiel aid item of ``donor`` in ``month`` (a date; None when Kiel does not know it)."""
    return KielActivity.objects.create(
        release=release,
        line=line,
        donor_name=donor.name,
        donor=donor,
        announced_on=month,
        month_number=kiel_month_number(month) if month else 0,
        category=KielActivity.AidType.MILITARY,
        measure=measure,
        value_eur=value,
        value_eur_redistributed=value,
        value_eur_activity=value if activity is None else activity,
    )


def our_pledge(donor, stage, amount, day) -> Pledge:
    return PledgeFactory(
        donor=donor,
        category=Category.objects.filter(parent__isnull=False).first(),
        sentence=Sentence.objects.first(),
        stage=stage,
        amount=amount,
        currency="EUR",
        announced_on=day,
    )


@pytest.mark.usefixtures("seeds_for_the_class")
class TestKielComparison:
    def test_like_with_like_over_the_same_months(self, seeded):
        """Our allocated + delivered beside Kiel's allocations, our pledged + allocated +
        delivered beside Kiel's commitments, both over the months of our pledges."""
        germany = Donor.objects.get(slug="germany")
        release = KielRelease.objects.create(number=28, period="12/2025", label="Release 28")
        allocation, commitment = KielActivity.Measure.ALLOCATION, KielActivity.Measure.COMMITMENT
        kiel_item(release, germany, 2, date(2025, 3, 10), allocation, 100 * MILLION)
        kiel_item(release, germany, 3, date(2025, 3, 10), allocation, 40 * MILLION, activity=0)
        kiel_item(release, germany, 4, date(2025, 5, 2), commitment, 0, activity=300 * MILLION)
        # Outside the period (our pledges date from January to June 2025), and undated.
        kiel_item(release, germany, 5, date(2025, 9, 1), allocation, 50 * MILLION)
        kiel_item(release, germany, 6, date(2022, 4, 1), commitment, 0, activity=70 * MILLION)
        kiel_item(release, germany, 7, None, allocation, 7 * MILLION)
        stage = Pledge.Stage
        our_pledge(germany, stage.ALLOCATED, 10 * MILLION, date(2025, 3, 1))
        our_pledge(germany, stage.DELIVERED, 5 * MILLION, date(2025, 4, 20))
        our_pledge(germany, stage.PLEDGED, 20 * MILLION, date(2025, 5, 5))
        our_pledge(germany, stage.PROPOSED, 1000 * MILLION, date(2025, 5, 5))
        our_pledge(germany, stage.DELIVERED, 900 * MILLION, date(2021, 5, 5))

        comparison = kiel_comparison()
        # Our 2021 pledge widens our span; Kiel's coverage starts in January 2022.
        period = comparison.period
        assert (period.ours_first, period.ours_last) == (date(2021, 5, 1), date(2025, 6, 1))
        assert (period.first, period.last) == (date(2022, 1, 1), date(2025, 6, 1))
        assert period.clipped
        row = comparison.row_of(germany)
        assert row.allocations.ours_eur == 15 * MILLION
        assert row.allocations.kiel_eur == 140 * MILLION
        assert row.allocations.gap_eur == -125 * MILLION
        assert round(row.allocations.gap_percent, 2) == Decimal("-89.29")
        assert row.commitments.ours_eur == 35 * MILLION
        assert row.commitments.kiel_eur == (100 + 300 + 70) * MILLION
        assert row.kiel_undated_eur == 7 * MILLION
        assert comparison.kiel_undated_eur == 7 * MILLION

    def test_period_is_our_span_clipped_to_kiels_coverage(self, seeded):
        kiel_load(directory=DATA_DIRECTORY)
        period = kiel_comparison().period
        assert (period.first, period.last) == (date(2025, 1, 1), date(2025, 6, 1))
        assert (period.coverage_first, period.coverage_last) == (
            date(2022, 1, 1),
            date(2026, 2, 1),
        )
        assert not period.clipped and not period.empty

    def test_one_row_per_donor_ours_beside_kiels(self, seeded):
        kiel_load(directory=DATA_DIRECTORY)
        rows = {row.name: row for row in kiel_comparison().rows}
        uk = rows["United Kingdom"]
        # The seed's pledges of the United Kingdom are all at the stage pledged.
        assert uk.ours_allocated is None
        assert uk.allocations.ours_eur is None
        assert uk.ours_committed.amount_eur == Decimal("6718547978.07")
        assert uk.ours_committed.valued == 2
        # Kiel's, January to June 2025.
        assert round(uk.allocations.kiel_eur / MILLION) == 5_031
        assert round(uk.commitments.kiel_eur / MILLION) == 96
        assert uk.commitments.gap_eur == uk.ours_committed.amount_eur - uk.commitments.kiel_eur
        # Kiel's donor we have no pledge for: no gap, not -100 %.
        assert rows["United States"].ours_committed is None
        assert rows["United States"].allocations.gap_eur is None
        assert rows["United States"].allocations.gap_percent is None
        # Our donor Kiel does not track: its pledges are all aggregates, so no figure either.
        assert not rows["NATO allies"].in_kiel
        assert rows["NATO allies"].commitments.kiel_eur is None
        assert rows["NATO allies"].commitments.gap_eur is None
        assert len(rows) == 45

    def test_sorted_by_kiel_allocations_in_the_period(self, seeded):
        kiel_load(directory=DATA_DIRECTORY)
        rows = kiel_comparison().rows
        assert [row.name for row in rows[:3]] == ["EU institutions", "Germany", "United Kingdom"]
        # Donors without Kiel allocations in the period last, by name.
        without = [row.name for row in rows if row.allocations.kiel_eur is None]
        assert without == sorted(without, key=str.casefold)
        assert [row.name for row in rows[-len(without) :]] == without
        assert "NATO allies" in without

    def test_constant_queries(self, seeded, no_cache, django_assert_num_queries):
        kiel_load(directory=DATA_DIRECTORY)
        with django_assert_num_queries(6):
            kiel_comparison()

    def test_nothing_loaded(self, seeded, no_cache, django_assert_num_queries):
        with django_assert_num_queries(1):
            comparison = kiel_comparison()
        assert not comparison.loaded
        assert comparison.rows == ()


def test_pledges_all_after_kiels_coverage_compare_nothing(db):
    donor = DonorFactory(name="Ruritania", slug="ruritania")
    release = KielRelease.objects.create(number=28, period="02/2026", label="Release 28")
    kiel_item(release, donor, 2, date(2025, 3, 1), KielActivity.Measure.ALLOCATION, MILLION)
    PledgeFactory(donor=donor, stage=Pledge.Stage.ALLOCATED, announced_on=date(2026, 5, 1))
    comparison = kiel_comparison()
    assert comparison.period.empty
    (row,) = comparison.rows
    assert (row.allocations.ours_eur, row.allocations.kiel_eur) == (None, None)


@pytest.mark.usefixtures("seeds_for_the_class")
class TestSorting:
    def names(self, client, sort: str) -> list[str]:
        response = client.get("/reference/", {"sort": sort})
        assert response.status_code == 200
        return [row.name for row in response.context_data["rows"]]

    def test_by_donor_ours_kiel_and_gap(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        by_donor = self.names(client, "donor")
        assert by_donor == sorted(by_donor, key=str.casefold)
        assert self.names(client, "ours-committed")[0] == "United Kingdom"
        assert self.names(client, "kiel")[:2] == ["EU institutions", "Germany"]
        assert self.names(client, "kiel-commitments")[0] == "Germany"
        # The United Kingdom is the one donor with a gap in commitments; the rest follow.
        assert self.names(client, "gap-commitments")[0] == "United Kingdom"

    def test_links_are_plain_get_links(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        html = client.get("/reference/", {"sort": "donor"}).content.decode()
        for key in ("donor", "ours", "kiel", "gap", "ours-committed", "kiel-commitments"):
            assert f'href="?sort={key}"' in html
        assert 'aria-sort="ascending"><a class="sort" href="?sort=donor">' in html

    @pytest.mark.parametrize(
        "sort", ["", "<script>alert(1)</script>", "kiel;DROP TABLE", "-kiel", "x" * 5000, "ÿ\x00"]
    )
    def test_hostile_values_fall_back_to_the_default(self, seeded, client, sort):
        kiel_load(directory=DATA_DIRECTORY)
        default = self.names(client, "kiel")
        response = client.get("/reference/", {"sort": sort})
        assert response.status_code == 200
        assert response.context_data["sort"] == "kiel"
        assert [row.name for row in response.context_data["rows"]] == default
        assert "<script>alert" not in response.content.decode()


@pytest.mark.usefixtures("seeds_for_the_class")
class TestReferencePage:
    def test_shows_ours_beside_kiels_with_the_credit(
        self, seeded, client, no_cache, django_assert_num_queries
    ):
        kiel_load(directory=DATA_DIRECTORY)
        with django_assert_num_queries(10):
            response = client.get("/reference/")
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            "Source: Kiel Institute for the World Economy, <a "
            'href="https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"'
        ) in " ".join(html.split())
        assert "Release 28 (data to Feb 2026) / Release 29 (data to Apr 2026)" in html
        # The measures and the period, stated.
        assert "January 2025 to June 2025" in html
        assert "(Jan 2022 to Feb 2026)" in html
        assert "pledges at the stages allocated or delivered" in html
        start = html.index("United Kingdom", html.index('<table class="reference">'))
        uk = html[start : html.index("</tr>", start)]
        assert (
            '<a href="/pledges/?donor=united-kingdom" title="6,718,547,978.07 EUR">6,719</a>' in uk
        )
        assert "4 pledges" in uk
        assert ">5,031<" in uk
        assert ">96<" in uk
        assert "6,623" in uk
        assert "6921%" in uk
        assert "Run <code>manage.py load_kiel</code>" not in html

    def test_no_figure_instead_of_minus_100_percent(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        html = client.get("/reference/").content.decode()
        start = html.index(">United States<", html.index('<table class="reference">'))
        us = html[start : html.index("</tr>", start)]
        assert us.count("no figure here") == 2
        assert ">483<" in us
        assert "%" not in us
        assert "-100" not in html

    def test_chart_pairs_ours_with_kiels_for_the_largest_donors(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        response = client.get("/reference/")
        chart = response.context_data["chart"]
        assert [pair.label for pair in chart.pairs[:2]] == ["EU institutions", "Germany"]
        assert len(chart.pairs) == 12
        ours, kiel = chart.pairs[0].values
        assert (ours.series, ours.missing, ours.width, ours.value_label) == (
            "ours",
            True,
            0,
            "no figure here",
        )
        assert (kiel.series, kiel.missing, kiel.value_label) == ("kiel", False, "€14bn")
        html = response.content.decode()
        assert 'id="kiel-allocations-chart"' in html
        assert "<summary>Data table</summary>" in html

    def test_yearly_series_and_weapons(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        response = client.get("/reference/")
        years = response.context_data["yearly"].years
        assert [year.year for year in years] == [2022, 2023, 2024, 2025, 2026]
        assert years[-1].months == 4
        html = response.content.decode()
        assert "Kiel’s figures per year, all donors (Release 29)" in html
        assert "Heavy weapons per donor (Kiel, Release 29)" in html
        assert "M1A1 Abrams (49)" in html

    def test_weapons_are_never_added_up_across_types(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        weapons = kiel_weapons(Donor.objects.get(slug=UK))
        (uk,) = weapons.donors
        assert [(weapon.category, weapon.count) for weapon in uk.weapons] == [
            ("Howitzers", 166),
            ("Air Defense", 19),
            ("Tanks", 14),
            ("MLRS", 6),
        ]
        html = client.get(f"/donors/{UK}/").content.decode()
        panel = html[html.index('class="panel kiel-donor"') :]
        panel = panel[: panel.index("</section>")]
        assert ">166<" in panel and ">14<" in panel
        assert str(166 + 19 + 14 + 6) not in panel

    def test_empty_state_without_kiel_data(self, seeded, client):
        response = client.get("/reference/")
        assert response.status_code == 200
        assert "Run <code>manage.py load_kiel</code>" in response.content.decode()
        assert b"<table" not in response.content

    def test_in_german(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        html = client.get("/reference/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert "keine Zahl hier" in html
        assert "Januar 2025 bis Juni 2025" in html


@pytest.mark.usefixtures("seeds_for_the_class")
class TestDonorPanel:
    def test_shows_the_donors_kiel_figures_and_links_the_comparison(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        html = client.get(f"/donors/{UK}/").content.decode()
        assert "In the Kiel Institute’s tracker" in html
        panel = html[html.index('class="panel kiel-donor"') :]
        panel = panel[: panel.index("</section>")]
        assert '<span data-figure="kiel-allocations">5,031 m€</span>' in panel
        assert '<span data-figure="ours-committed">6,719 m€</span>' in panel
        assert "Gap: 6,623 m€ (6921%)" in panel
        assert "no figure here" in panel  # nothing of ours allocated or delivered
        assert 'href="/reference/"' in panel
        assert "Release 28 (data to Feb 2026) / Release 29 (data to Apr 2026)" in panel
        assert "Challenger 2 (14)" in panel

    def test_in_german(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        html = client.get(f"/donors/{UK}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert "Im Tracker des Kiel Instituts" in html
        assert '<span data-figure="kiel-allocations">5.031 Mio. €</span>' in html

    def test_a_donor_kiel_does_not_list(self, seeded, client):
        kiel_load(directory=DATA_DIRECTORY)
        html = client.get("/donors/nato-allies/").content.decode()
        assert "Kiel’s tracker does not list NATO allies." in html
        assert "Heavy weapons" not in html

    def test_nothing_without_kiel_data(self, seeded, client):
        html = client.get(f"/donors/{UK}/").content.decode()
        assert "kiel-donor" not in html


class TestAfterAWrite:
    @pytest.fixture(autouse=True)
    def database_cache(self, settings):
        settings.CACHES = {"default": settings.CACHES["database"]}

    def test_the_page_and_the_panel_show_a_new_pledge(self, transactional_db, client):
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        kiel_load(directory=DATA_DIRECTORY)
        germany = Donor.objects.get(slug="germany")

        def germany_on_the_page():
            response = client.get("/reference/")
            return response.context_data["comparison"].row_of(germany).allocations.ours_eur

        assert germany_on_the_page() is None
        assert germany_on_the_page() is None  # from the cache
        client.get("/donors/germany/")
        our_pledge(germany, Pledge.Stage.DELIVERED, 12 * MILLION, date(2025, 3, 1))
        assert germany_on_the_page() == 12 * MILLION
        html = client.get("/donors/germany/").content.decode()
        assert '<span data-figure="ours-allocated">12 m€</span>' in html


class TestLoadKielCommand:
    def test_prints_what_it_loaded(self, capsys):
        call_command("load_kiel")
        out = capsys.readouterr().out
        assert f"{ACTIVITIES_FILE}: 5,565 rows, Ukraine Support Tracker, Release 28" in out
        assert f"{WEAPONS_FILE}: 61 rows, Ukraine Support Tracker, Release 29" in out
        assert row_counts() == (2, 5565, 1079, 61)

    def test_bad_input_is_a_command_error(self, kiel_copy):
        line_replace(kiel_copy / ACTIVITIES_FILE, 100, ",5000000.0,", ",lots,")
        with pytest.raises(CommandError, match=rf"{ACTIVITIES_FILE}, line 100: verdi_eur"):
            call_command("load_kiel", path=kiel_copy)
        assert row_counts() == (0, 0, 0, 0)
