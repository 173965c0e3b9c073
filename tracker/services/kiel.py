"""The Kiel Institute's Ukraine Support Tracker as a reference beside our news-based totals.

``kiel_load`` reads the tracker's CSV files (tracker/data/kiel, see its README) into the Kiel*
tables: all files are checked before anything is written, and a load replaces the previous
one whole. ``kiel_comparison`` (tracker/selectors/kiel.py) puts, per donor, our total beside
Kiel's allocations and commitments.

Kiel's allocations are the sum of ``verdi_eur`` over the ``Allocation`` rows of Release 28; this
reproduces the published totals (United States 115.381, Germany 25.295, United Kingdom
20.009 EUR bn). Kiel's commitments are not the ``Commitment`` rows' ``verdi_eur``, which is 0 on
every one of them: the file keeps a package's value at activity level (``verdi_eur_activity``,
on the package's first row), and their sum over all rows is Kiel's published total commitment
(Norway 24.72 EUR bn in Release 28; the United States' 118.963 and the United Kingdom's 32.344
equal Release 29's ``commitments``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from tracker.cache import data_changed
from tracker.fx import CENT
from tracker.models import (
    Donor,
    KielActivity,
    KielMonthly,
    KielRelease,
    KielWeapon,
)

DATA_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "kiel"

ACTIVITIES_FILE = "bilateral_activities_r28.csv"
MONTHLY_FILE = "data_explorer_r29.csv"
WEAPONS_FILE = "weapons_r29.csv"
RELEASE_FILE = "release_info_r29.csv"

# The activities file carries no release row of its own; this is how Kiel labels Release 28.
ACTIVITIES_RELEASE = {
    "number": 28,
    "period": "02/2026",
    "released_on": None,
    "label": "Ukraine Support Tracker, Release 28 (02/2026)",
}

# Kiel's names whose slug is not ours; every other Kiel name is matched by its slug, so
# "United States" finds "united-states". A name that finds no donor is kept, unlinked.
KIEL_DONOR_SLUGS = {
    "EU (Commission and Council)": "eu-institutions",
}

# Kiel's words, spelled out: the choices' labels are translated and would not match them.
AID_TYPES = {
    "Military": KielActivity.AidType.MILITARY,
    "Financial": KielActivity.AidType.FINANCIAL,
    "Humanitarian": KielActivity.AidType.HUMANITARIAN,
}
MEASURES = {
    "Allocation": KielActivity.Measure.ALLOCATION,
    "Commitment": KielActivity.Measure.COMMITMENT,
}
MILLIONTH = Decimal("0.000001")
MILLION = Decimal(1_000_000)


class KielDataError(ValueError):
    """A Kiel file that cannot be loaded, with the file, the line and what is wrong."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file, self.line, self.problem = file, line, problem
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {problem}")


class _Line:
    """One CSV row, read column by column; every problem names the file and the line."""

    def __init__(self, file: str, number: int, row: dict[str, str]) -> None:
        self.file, self.number, self.row = file, number, row

    def error(self, problem: str) -> KielDataError:
        return KielDataError(self.file, self.number, problem)

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.row[column].strip()
        if required and not value:
            raise self.error(f"{column} is empty")
        return value

    def decimal(self, column: str, *, places: Decimal, limit: int) -> Decimal:
        raw = self.text(column)
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise self.error(f"{column} is not a number: {raw!r}")
        if abs(value) >= limit:
            raise self.error(f"{column} is out of range: {raw!r}")
        return value.quantize(places)

    def integer(self, column: str, *, low: int, high: int) -> int:
        raw = self.text(column)
        if not re.fullmatch(r"[0-9]+", raw) or not low <= int(raw) <= high:
            raise self.error(f"{column} is not a whole number from {low} to {high}: {raw!r}")
        return int(raw)

    def day(self, column: str) -> date | None:
        raw = self.text(column, required=False)
        if not raw:
            return None
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        raise self.error(f"{column} is not a date (YYYY-MM-DD): {raw!r}")

    def choice(self, column: str, choices: Mapping[str, str]) -> str:
        # Kiel's sheets carry stray spaces ("Humanitarian "); the value itself must match.
        raw = self.text(column)
        if raw not in choices:
            raise self.error(f"{column} is {raw!r}, expected one of {', '.join(choices)}")
        return choices[raw]


def _lines(path: Path, *, columns: tuple[str, ...]) -> Iterator[_Line]:
    name = path.name
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise KielDataError(name, None, f"file not found in {path.parent}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = [column.strip() for column in reader.fieldnames or ()]
            missing = [column for column in columns if column not in header]
            if missing:
                raise KielDataError(name, 1, f"missing column {', '.join(missing)}")
            reader.fieldnames = header
            for row in reader:
                # DictReader files surplus fields under None and fills missing ones with None.
                if None in row or None in row.values():
                    surplus = row.pop(None, [])
                    fields = sum(value is not None for value in row.values()) + len(surplus)
                    raise KielDataError(
                        name, reader.line_num, f"{fields} fields where the header has {len(header)}"
                    )
                yield _Line(name, reader.line_num, row)
        except UnicodeDecodeError:
            # The decoder reads ahead in blocks: the line is where reading stopped, not exact.
            raise KielDataError(
                name, None, f"not UTF-8 text (after line {reader.line_num})"
            ) from None
        except csv.Error as error:
            raise KielDataError(name, reader.line_num, f"not valid CSV ({error})") from None


def _activities_read(path: Path) -> list[dict[str, Any]]:
    columns = (
        "giver",
        "dato",
        "kategori",
        "maal",
        "verdi_eur",
        "verdi_eur_redistr",
        "verdi_eur_activity",
        "maaned_nr",
    )
    eur: dict[str, Any] = {"places": CENT, "limit": 10**18}
    return [
        {
            "line": line.number,
            "donor_name": line.text("giver"),
            "announced_on": line.day("dato"),
            "category": line.choice("kategori", AID_TYPES),
            "measure": line.choice("maal", MEASURES),
            "value_eur": line.decimal("verdi_eur", **eur),
            "value_eur_redistributed": line.decimal("verdi_eur_redistr", **eur),
            "value_eur_activity": line.decimal("verdi_eur_activity", **eur),
            "month_number": line.integer("maaned_nr", low=0, high=1200),
        }
        for line in _lines(path, columns=columns)
    ]


MONTHLY_MEASURES = (
    "total",
    "financial",
    "humanitarian",
    "military",
    "commitments",
    "to_be_allocated",
)


def _monthly_read(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, int], int] = {}
    for line in _lines(path, columns=("country", "iso", "year", "month", *MONTHLY_MEASURES)):
        row: dict[str, Any] = {
            "donor_name": line.text("country"),
            "iso3": line.text("iso", required=False),
            "year": line.integer("year", low=2000, high=2100),
            "month": line.integer("month", low=1, high=12),
        }
        if len(row["iso3"]) > 3:
            raise line.error(f"iso is not an ISO 3166 alpha-3 code: {row['iso3']!r}")
        for measure in MONTHLY_MEASURES:
            row[f"{measure}_eur_bn"] = line.decimal(measure, places=MILLIONTH, limit=10**8)
        key = (row["donor_name"], row["year"], row["month"])
        if key in seen:
            raise line.error(f"{key[0]} {key[1]}-{key[2]:02d} repeats line {seen[key]}")
        seen[key] = line.number
        rows.append(row)
    return rows


def _weapons_read(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    columns = ("donor", "category", "number_of_weapons", "monetary_value_eur", "weapons_list")
    for line in _lines(path, columns=columns):
        row: dict[str, Any] = {
            "donor_name": line.text("donor"),
            "category": line.text("category"),
            "count": line.integer("number_of_weapons", low=0, high=10**9),
            "value_eur": line.decimal("monetary_value_eur", places=CENT, limit=10**18),
            "items": line.text("weapons_list", required=False),
        }
        key = (row["donor_name"], row["category"])
        if key in seen:
            raise line.error(f"{key[0]}, {key[1]} repeats line {seen[key]}")
        seen[key] = line.number
        rows.append(row)
    return rows


def _release_read(path: Path) -> dict[str, Any]:
    lines = list(_lines(path, columns=("release", "period", "date", "label")))
    if len(lines) != 1:
        raise KielDataError(path.name, None, f"expected one release, found {len(lines)}")
    line = lines[0]
    release: dict[str, Any] = {
        "number": line.integer("release", low=1, high=999),
        "period": line.text("period"),
        "released_on": line.day("date"),
        "label": line.text("label"),
    }
    if not re.fullmatch(r"(0[1-9]|1[0-2])/[0-9]{4}", release["period"]):
        raise line.error(f"period is not MM/YYYY: {release['period']!r}")
    if release["number"] == ACTIVITIES_RELEASE["number"]:
        raise line.error(f"release {release['number']} is the release of {ACTIVITIES_FILE}")
    return release


def kiel_donor_map(*, names: Iterable[str]) -> dict[str, Donor | None]:
    """Our donor for each of Kiel's donor names, or None when we have no such donor."""
    slugs = {name: KIEL_DONOR_SLUGS.get(name, slugify(name)) for name in names}
    donors = Donor.objects.in_bulk(set(slugs.values()), field_name="slug")
    return {name: donors.get(slug) for name, slug in slugs.items()}


def kiel_load(*, directory: Path) -> dict[str, Any]:
    """Replace the Kiel tables with the files in ``directory``; all or nothing.

    Raises ``KielDataError`` (file, line, problem) before writing anything when a file is
    missing or malformed. Returns the releases, the rows read per file and Kiel's donor
    names that match none of ours.
    """
    directory = Path(directory)
    activities = _activities_read(directory / ACTIVITIES_FILE)
    monthly = _monthly_read(directory / MONTHLY_FILE)
    weapons = _weapons_read(directory / WEAPONS_FILE)
    release_info = _release_read(directory / RELEASE_FILE)

    names = {row["donor_name"] for rows in (activities, monthly, weapons) for row in rows}
    with transaction.atomic():
        donors = kiel_donor_map(names=names)
        data_changed()
        KielRelease.objects.all().delete()
        older = KielRelease.objects.create(**ACTIVITIES_RELEASE)
        newer = KielRelease.objects.create(**release_info)
        KielActivity.objects.bulk_create(
            KielActivity(release=older, donor=donors[row["donor_name"]], **row)
            for row in activities
        )
        KielMonthly.objects.bulk_create(
            KielMonthly(release=newer, donor=donors[row["donor_name"]], **row) for row in monthly
        )
        KielWeapon.objects.bulk_create(
            KielWeapon(release=newer, donor=donors[row["donor_name"]], **row) for row in weapons
        )
    return {
        "releases": [older.label, newer.label],
        "files": {
            ACTIVITIES_FILE: {"rows": len(activities), "release": older.label},
            MONTHLY_FILE: {"rows": len(monthly), "release": newer.label},
            WEAPONS_FILE: {"rows": len(weapons), "release": newer.label},
            RELEASE_FILE: {"rows": 1, "release": newer.label},
        },
        "unmapped_donors": sorted(name for name, donor in donors.items() if donor is None),
    }
