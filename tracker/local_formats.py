"""Figures and dates formatted the way an analyst reads them, in the active language."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import get_language

from tracker.models import Pledge

DATE_FORMATS: dict[str, str] = {
    Pledge.Precision.DAY: "DATE_FORMAT",
    Pledge.Precision.MONTH: "YEAR_MONTH_FORMAT",
    Pledge.Precision.YEAR: "Y",
}


#: The steps figures are rounded to, by number of decimals.
QUANTA = {0: Decimal(1), 2: Decimal("0.01")}


class LocalFormats:
    """Figures and dates formatted as Django formats them in one language, fast.

    A page of the table formats a few hundred figures and dates; Django's formatter looks the
    language and its separators up for each one. Here they are looked up once per language
    (``local_formats``) and Python's own formatting does the rest; tests/test_tracker_formats.py
    holds the two equal. The template filters (tracker/templatetags/pledges.py) use the active
    language's; the table's rows (tracker/selectors/table_rows.py) look it up once per page.
    """

    def __init__(self, language: str | None) -> None:
        self.language = language
        #: decimal and thousand separators; None where digits are not grouped in threes
        #: (Python's own grouping then does not apply, and Django's formatter does the work)
        self.separators: tuple[str, str] | None = None
        if formats.get_format("NUMBER_GROUPING", language) == 3:
            self.separators = (
                formats.get_format("DECIMAL_SEPARATOR", language),
                formats.get_format("THOUSAND_SEPARATOR", language),
            )
        #: Python's "," and "." turned into the language's separators (None: they are its own)
        self._separate: dict[int, str] | None = None
        if self.separators is not None and self.separators != (".", ","):
            decimal_separator, thousand_separator = self.separators
            self._separate = str.maketrans({",": thousand_separator, ".": decimal_separator})
        self._dates: dict[tuple[date, str], str] = {}

    def number(self, value: Decimal | int, places: int, *, grouped: bool = True) -> str:
        """``formats.number_format(value, places, use_l10n=True, force_grouping=grouped)``
        for a value already rounded to ``places``."""
        if self.separators is None:
            with translation.override(self.language):
                return formats.number_format(value, places, use_l10n=True, force_grouping=grouped)
        if not value:  # Django prints no "-0.00"
            value = value.copy_abs() if isinstance(value, Decimal) else 0
        group = "," if grouped or settings.USE_THOUSAND_SEPARATOR else ""
        text = f"{value:{group}.{places}f}" if isinstance(value, Decimal) else f"{value:{group}}"
        return text if self._separate is None else text.translate(self._separate)

    def amount(self, value: Decimal | None, places: int | None = None) -> str:
        """6600000000 -> "6,600,000,000"; cents only when there are any, or ``places``
        decimals."""
        if value is None:
            return ""
        if not isinstance(value, Decimal):
            value = Decimal(value)
        if places is None:
            places = 0 if value == value.to_integral_value() else 2
        # Django's number formatting cuts extra decimals off; round them instead.
        quantum = QUANTA.get(places) or Decimal(1).scaleb(-places)
        return self.number(value.quantize(quantum, rounding=ROUND_HALF_UP), places)

    def count(self, value: int | None) -> str:
        return "" if value is None else self.number(int(value), 0)

    def normalize(self, value: Decimal | None) -> str:
        """0.842100 -> "0.8421" ("0,8421" in German): a rate as the ECB publishes it."""
        if value is None:
            return ""
        exponent = value.normalize().as_tuple().exponent  # a letter for NaN and infinity
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        return self.number(value, places, grouped=False)

    def date(self, day: date, precision: str = Pledge.Precision.DAY) -> str:
        """``day`` at ``precision``: "16 Jan 2025", "Jan 2025", "2025".

        Remembered per day and precision (a few thousand days cover the data): Django's date
        formatting costs more than everything else a table row needs.
        """
        key = (day, precision)
        label = self._dates.get(key)
        if label is None:
            if len(self._dates) >= DATES_REMEMBERED:
                self._dates.clear()
            with translation.override(self.language):
                label = formats.date_format(day, DATE_FORMATS.get(precision, "DATE_FORMAT"))
            self._dates[key] = label
        return label


#: Dates each language remembers before it starts afresh.
DATES_REMEMBERED = 8192


@lru_cache(maxsize=32)
def local_formats(language: str | None = None) -> LocalFormats:
    """The formats of ``language``, made once per process."""
    return LocalFormats(language)


def active_formats() -> LocalFormats:
    return local_formats(get_language())
