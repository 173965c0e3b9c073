"""Keeping the ECB rates fresh: read the ECB's history file, store what is new, convert again.

``manage.py update_rates`` runs it (daily, after the ECB publishes at about 16:00 CET). The
file is the ECB's ``eurofxref-hist.zip`` or the CSV inside it: a header ``Date,USD,JPY,...``,
then one line per business day, newest first, ``N/A`` where a currency has no rate, each line
ending in a comma. A file that cannot be read as that is refused whole, with its problem named,
before anything is written. What the known history (tracker/fx.py) lacks or states
differently is stored, and in the same transaction every pledge whose EUR value can change is
converted again: the provisional ones, the ones without a EUR value, and those in a currency
that gained rates, from the first new day on. Their shares of the roll-up move as a save would
move them, so the other pledges are neither read nor written.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import cast

from django.db import router, transaction
from django.db.models import Q, QuerySet

from tracker.cache import data_changed
from tracker.fx import EcbHistory, pledge_convert_to_eur
from tracker.models import ExchangeRate, Pledge
from tracker.services.rollup import PLEDGE_FIELDS, pledge_share, rollup_add

ECB_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
#: The ECB's CSV is about 2 MB and grows by 60 kB a year; anything far larger is not it.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The precision the table keeps (units per euro; the ECB gives at most five decimals).
RATE_PLACES = Decimal("0.000001")
RATE_LIMIT = Decimal(10**12)
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MISSING = {"", "N/A"}
#: What the EUR value of a pledge consists of.
CONVERSION_FIELDS = ("amount_eur", "fx_rate", "fx_date", "fx_provisional")

Rates = dict[str, dict[date, Decimal]]


class RatesFileError(Exception):
    """A rates file, or the download of one, that cannot be used; the message says why."""


@dataclass(frozen=True)
class RatesUpdate:
    #: rates stored: days the known history lacked, or stated differently
    added: int
    #: the last day of the known history after the update
    history_end: date
    #: pledges whose EUR value, rate, rate date or provisional mark changed
    recomputed: int
    #: pledges, all of them, still at a provisional rate / with an amount and no EUR value
    provisional: int
    without_rate: int


def ecb_file_fetch(url: str = ECB_URL, *, timeout: float = 30) -> bytes:
    """The ECB's history file, downloaded (never during a request: only update_rates calls)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https
            data = response.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:  # URLError, HTTPError and timeouts are OSErrors
        reason = getattr(error, "reason", None) or error
        raise RatesFileError(f"Could not download {url}: {reason}.") from error
    if len(data) > MAX_FILE_BYTES:
        raise RatesFileError(f"{url} sent more than {MAX_FILE_BYTES:,} bytes: not the ECB file.")
    return data


def ecb_file_read(data: bytes, *, name: str) -> Rates:
    """The rates of an ECB history file, the zip or its CSV: currency -> day -> rate.

    Raises ``RatesFileError`` naming ``name`` and the first problem found.
    """
    if zipfile.is_zipfile(io.BytesIO(data)):
        data = _zip_csv(data, name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RatesFileError(f"{name}: neither a zip file nor a CSV file (text).") from None
    return ecb_csv_parse(text, name=name)


def _zip_csv(data: bytes, *, name: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if info.filename.endswith(".csv")]
            if len(members) != 1:
                raise RatesFileError(
                    f"{name}: the zip file holds {len(members)} CSV files; the ECB's holds one "
                    "(eurofxref-hist.csv)."
                )
            if members[0].file_size > MAX_FILE_BYTES:
                raise RatesFileError(f"{name}: {members[0].filename} is too large to be the ECB's.")
            return archive.read(members[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise RatesFileError(f"{name}: the zip file is damaged ({error}).") from error


def ecb_csv_parse(text: str, *, name: str) -> Rates:
    """The rates of the ECB's ``eurofxref-hist.csv`` (see the module's docstring)."""
    reader = csv.reader(io.StringIO(text))
    currencies = _currencies(next(reader, []), name=name)
    rates: Rates = {code: {} for code in currencies}
    days: set[date] = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cell = row[0].strip()
        day = _day(cell, f"{name}, line {line}")
        if day in days:
            raise RatesFileError(f"{name}, line {line}: {cell} appears twice.")
        days.add(day)
        values = [value.strip() for value in row[1:]]
        if len(values) < len(currencies) or any(values[len(currencies) :]):
            raise RatesFileError(
                f"{name}, line {line}: {len(values)} values for {len(currencies)} currencies."
            )
        for code, value in zip(currencies, values, strict=False):
            if value in MISSING:
                continue
            rates[code][day] = _rate(value, f"{name}, line {line}, {code}")
    if not days:
        raise RatesFileError(f"{name}: no line of rates after the header.")
    return {code: by_day for code, by_day in rates.items() if by_day}


def _currencies(header: list[str], *, name: str) -> list[str]:
    """The currency codes the header line names, in its order."""
    currencies = [cell.strip() for cell in header[1:]]
    if currencies and not currencies[-1]:
        currencies.pop()  # the ECB ends every line with a comma
    if not header or header[0].strip() != "Date" or not currencies:
        raise RatesFileError(
            f"{name}: not an ECB rates file: its first line should read Date,USD,JPY,... "
            f"and reads {','.join(header)[:80]!r}."
        )
    for code in currencies:
        if not CURRENCY_CODE.fullmatch(code):
            raise RatesFileError(f"{name}, line 1: {code!r} is not a currency code (USD, JPY).")
    if len(set(currencies)) != len(currencies):
        raise RatesFileError(f"{name}, line 1: a currency is named twice.")
    return currencies


def _day(cell: str, where: str) -> date:
    try:
        day = date.fromisoformat(cell) if ISO_DAY.fullmatch(cell) else None
    except ValueError:
        day = None
    if day is None:
        raise RatesFileError(f"{where}: {cell!r} is not a date (YYYY-MM-DD).")
    return day


def _rate(value: str, where: str) -> Decimal:
    try:
        rate = Decimal(value)
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 < rate < RATE_LIMIT:
        raise RatesFileError(f"{where}: {value!r} is not a rate (a positive number, or N/A).")
    if rate != rate.quantize(RATE_PLACES):
        raise RatesFileError(f"{where}: {value} has more than six decimals.")
    return rate


def rates_update(rates: Rates) -> RatesUpdate:
    """Store what ``rates`` add to the known history and convert again, in one transaction,
    every pledge whose EUR value that can change (see the module's docstring)."""
    using = router.db_for_write(ExchangeRate)
    with transaction.atomic(using=using):
        data_changed(using=using)
        known = EcbHistory.load()
        new = [
            ExchangeRate(currency=currency, day=day, rate=rate)
            for currency, by_day in rates.items()
            for day, rate in by_day.items()
            if known.published(currency, day) != rate
        ]
        ExchangeRate.objects.bulk_create(
            new,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=("currency", "day"),
            update_fields=("rate",),
        )
        first_new: dict[str, date] = {}
        for rate in new:
            first_new[rate.currency] = min(first_new.get(rate.currency, rate.day), rate.day)
        can_change = Q(fx_provisional=True) | Q(amount__isnull=False, amount_eur__isnull=True)
        for currency, day in first_new.items():
            can_change |= Q(currency=currency, announced_on__gte=day)
        history = EcbHistory.load()
        recomputed = pledges_reconvert(Pledge.objects.filter(can_change), history=history)
        return RatesUpdate(
            added=len(new),
            history_end=history.end,
            recomputed=recomputed,
            provisional=Pledge.objects.filter(fx_provisional=True).count(),
            without_rate=Pledge.objects.filter(
                amount__isnull=False, amount_eur__isnull=True
            ).count(),
        )


def pledges_reconvert(pledges: QuerySet[Pledge], *, history: EcbHistory) -> int:
    """Convert ``pledges`` again with ``history``, write those whose EUR value changed and move
    their shares of the roll-up; returns how many changed. Call inside a transaction."""
    rows = (
        pledges.order_by("pk")
        .select_for_update()
        .values("pk", "fx_rate", "fx_date", *PLEDGE_FIELDS)
    )
    shares = []
    for before in rows.iterator(chunk_size=2000):
        converted = SimpleNamespace(
            amount=before["amount"],
            currency=before["currency"],
            announced_on=before["announced_on"],
        )
        # Stands in for a pledge: the conversion reads and sets only these fields.
        pledge_convert_to_eur(cast(Pledge, converted), history=history)
        after = {name: getattr(converted, name) for name in CONVERSION_FIELDS}
        if all(before[name] == value for name, value in after.items()):
            continue
        Pledge.objects.using(pledges.db).filter(pk=before["pk"]).update(**after)
        shares += [pledge_share(before, sign=-1), pledge_share({**before, **after})]
    rollup_add(shares, pledges.db)
    return len(shares) // 2
