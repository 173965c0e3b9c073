"""Tables of money: a header row whose cell names the currency ("| Donor | Amount (USD) |
Status |", "Position | Betrag" after a sentence in francs, "in € million"), and the rows under
it, whose bare numbers are amounts in that currency ("| Germany | 18,350,000 | Received |").

Cells are set off by "|". A line without one ends the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.suggest.numbers import Figure

_CELL_SEPARATOR = "|"
_CURRENCY_WORDS = (
    ("USD", r"usd|us\$|us-dollar|dollars?"),
    ("EUR", r"eur|€|euro"),
    ("CHF", r"chf|fr\.|franken"),
    ("GBP", r"gbp|£|pounds?|pfund"),
    ("SEK", r"sek"),
    ("NOK", r"nok"),
    ("DKK", r"dkk"),
    ("CAD", r"cad|c\$"),
    ("AUD", r"aud|a\$"),
    ("JPY", r"jpy|yen"),
)
_SCALES = (
    (Decimal(1_000_000_000), r"billions?|mrd\.?|milliarden"),
    (Decimal(1_000_000), r"millions?|mio\.?|millionen|mn|m"),
    (Decimal(1_000), r"thousands?|tsd\.?|tausend|000s"),
)
# A cell that names an amount column: "Amount (USD)", "Betrag", "in € million", "Mio. Euro".
_AMOUNT_CELL_RE = re.compile(
    r"\b(?:amount|betrag|summe|value|wert|funding|contribution|beitrag|total)\b"
    r"|\((?:[^()]{1,20})\)|\bin\s+\S+",
    re.IGNORECASE,
)
# The number that fills a cell, alone between its separators.
_CELL_BEFORE_RE = re.compile(r"\|\s*$")
_CELL_AFTER_RE = re.compile(r"\s*(?:\||$)")
# The row of a sum, not of one giver.
_TOTAL_ROW_RE = re.compile(r"^\W*(?:total|gesamt|insgesamt|summe|sum)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Table:
    """The currency and scale of a table's amount column."""

    currency: str
    scale: Decimal = Decimal(1)


def is_table_line(text: str) -> bool:
    return _CELL_SEPARATOR in text


def header_read(text: str, *, currency_before: str = "") -> Table | None:
    """The table a header row opens: one whose cells name a currency ("Amount (USD)"), or an
    amount ("Betrag") in the currency of the text before it; None for any other line."""
    cells = [cell.strip() for cell in text.split(_CELL_SEPARATOR)]
    if any(re.search(r"\d{2}", cell) for cell in cells):
        return None  # a row of figures, or a line with a date
    for cell in cells:
        currency = _currency_named(cell)
        if currency or (currency_before and _AMOUNT_CELL_RE.search(cell)):
            return Table(currency or currency_before, _scale_named(cell))
    return None


def fills_a_cell(text: str, figure: Figure) -> bool:
    """Whether ``figure`` is all there is in its cell."""
    return bool(
        _CELL_BEFORE_RE.search(text, 0, figure.start) and _CELL_AFTER_RE.match(text, figure.end)
    )


def is_total_row(text: str) -> bool:
    return bool(_TOTAL_ROW_RE.match(text.strip().lstrip(_CELL_SEPARATOR)))


def _currency_named(cell: str) -> str:
    for currency, words in _CURRENCY_WORDS:
        if re.search(rf"(?<![\w$€£])(?:{words})(?![\w$])", cell, re.IGNORECASE):
            return currency
    return ""


def _scale_named(cell: str) -> Decimal:
    for scale, words in _SCALES:
        if re.search(rf"(?<!\w)(?:{words})(?!\w)", cell, re.IGNORECASE):
            return scale
    return Decimal(1)


@dataclass
class TableReader:
    """An article's lines read in order: the table open, and the givers of its rows so far."""

    table: Table | None = None
    givers: set[str] = field(default_factory=set)

    def line(self, text: str, *, currency_before: str) -> str:
        """What ``text`` is: "header", "row", "sum of rows" (a total of several givers' rows,
        no one's pledge) or "" outside a table."""
        if not is_table_line(text):
            self.table = None
            return ""
        header = header_read(text, currency_before=currency_before)
        if header is not None:
            self.table, self.givers = header, set()
            return "header"
        if self.table is None:
            return ""
        return "sum of rows" if is_total_row(text) and len(self.givers) > 1 else "row"

    def rows_read(self, givers: Iterable[str]) -> None:
        if self.table is not None:
            self.givers.update(givers)
