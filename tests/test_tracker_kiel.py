from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from tracker.models import KielActivity, KielMonthly, KielRelease, KielWeapon
from tracker.selectors.kiel import kiel_comparison
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
        assert (row.donor, row.name, row.ours) == (None, "Atlantis", None)
        assert round(row.kiel_allocations_eur) == 23_417_160
        response = client.get("/reference/")
        assert "Atlantis" in response.content.decode()
        assert "not one of our donors" in response.content.decode()


class TestKielComparison:
    def test_one_row_per_donor_ours_beside_kiels(self, seeded):
        kiel_load(directory=DATA_DIRECTORY)
        rows = {row.name: row for row in kiel_comparison().rows}
        uk = rows["United Kingdom"]
        assert uk.ours.amount_eur == Decimal("6718547978.07")
        assert uk.ours.valued == 2
        assert round(uk.kiel_allocations_eur / MILLION) == 20_009
        assert round(uk.kiel_commitments_eur / MILLION) == 32_344
        assert uk.gap_eur == uk.ours.amount_eur - uk.kiel_allocations_eur
        assert round(uk.gap_share, 3) == Decimal("-0.664")
        # Kiel's donor we have no pledge for, and our donor Kiel does not track.
        assert rows["United States"].ours is None
        assert round(rows["United States"].gap_eur / MILLION) == -115_381
        assert rows["NATO allies"].kiel_allocations_eur is None
        assert rows["NATO allies"].gap_eur is None
        assert len(rows) == 45

    def test_sorted_by_kiel_allocations(self, seeded):
        kiel_load(directory=DATA_DIRECTORY)
        rows = kiel_comparison().rows
        assert [row.name for row in rows[:4]] == [
            "United States",
            "EU institutions",
            "Germany",
            "United Kingdom",
        ]
        assert rows[-1].name == "NATO allies"

    def test_constant_queries(self, seeded, no_cache, django_assert_num_queries):
        kiel_load(directory=DATA_DIRECTORY)
        with django_assert_num_queries(4):
            kiel_comparison()

    def test_nothing_loaded(self, seeded, no_cache, django_assert_num_queries):
        with django_assert_num_queries(1):
            comparison = kiel_comparison()
        assert not comparison.loaded
        assert comparison.rows == ()


class TestReferencePage:
    def test_shows_ours_beside_kiels_with_the_credit(
        self, seeded, client, no_cache, django_assert_num_queries
    ):
        kiel_load(directory=DATA_DIRECTORY)
        with django_assert_num_queries(4):
            response = client.get("/reference/")
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            "Source: Kiel Institute for the World Economy, <a "
            'href="https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"'
        ) in " ".join(html.split())
        assert "Release 28 (data to Feb 2026) / Release 29 (data to Apr 2026)" in html
        start = html.index("United Kingdom", html.index("<tbody>"))
        uk = html[start : html.index("</tr>", start)]
        assert (
            '<a href="/pledges/?donor=united-kingdom" title="6,718,547,978.07 EUR">6,719</a>' in uk
        )
        assert "4 pledges" in uk
        assert ">20,009<" in uk
        assert ">32,344<" in uk
        assert "-13,291" in uk
        assert "-66%" in uk
        assert ">115,381<" in html
        assert "Run <code>manage.py load_kiel</code>" not in html

    def test_empty_state_without_kiel_data(self, seeded, client):
        response = client.get("/reference/")
        assert response.status_code == 200
        assert "Run <code>manage.py load_kiel</code>" in response.content.decode()
        assert b"<table" not in response.content


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
