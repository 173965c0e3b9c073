"""Numbers on charts: money in words ("1.2 bn EUR"), whole counts, and axis ticks at round steps."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, numberformat
from django.utils.translation import get_language

Number = Decimal | int | float

# --- Numbers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MoneyStyle:
    #: ascending (size, word); size 1 has no word
    units: tuple[tuple[int, str], ...]
    pattern: str


# German writes out thousands in full ("12.000 €"); "Tsd." reads as bookkeeping, not prose.
_MONEY_STYLES = {
    "en": _MoneyStyle(
        units=((1, ""), (10**3, "k"), (10**6, "m"), (10**9, "bn"), (10**12, "tn")),
        pattern="{sign}€{number}{unit}",
    ),
    "de": _MoneyStyle(
        units=((1, ""), (10**6, " Mio."), (10**9, " Mrd."), (10**12, " Bio.")),
        pattern="{sign}{number}{unit} €",
    ),
}


def chart_language(language: str | None) -> str:
    """The style to use: the base of ``language`` or of the active language, else English."""
    code = (language or get_language() or "en").lower().replace("_", "-").split("-")[0]
    return code if code in _MONEY_STYLES else "en"


def as_decimal(value: Number) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary expansion into the labels.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value: Decimal, decimals: int, language: str) -> str:
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True),
        decimal_pos=decimals,
        grouping=formats.get_format("NUMBER_GROUPING", lang=language, use_l10n=True),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", lang=language, use_l10n=True),
        force_grouping=True,
        use_l10n=True,
    )


def round_scaled(scaled: Decimal, *, whole_euros: bool, exact: bool) -> tuple[Decimal, int]:
    if exact:
        # Axis ticks are round numbers: show exactly as many decimals as they have.
        decimals = next(
            (d for d in range(3) if scaled == scaled.quantize(Decimal(1).scaleb(-d))), 2
        )
    else:
        decimals = 0 if whole_euros or scaled >= 10 else 1
    rounded = scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if decimals and rounded == rounded.to_integral_value():
        rounded, decimals = rounded.quantize(Decimal(1)), 0
    return rounded, decimals


def money_label(value: Number, language: str, *, exact: bool = False) -> str:
    style = _MONEY_STYLES[language]
    value = as_decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    index = max(i for i, (size, _) in enumerate(style.units) if value >= size or i == 0)
    while True:
        size, word = style.units[index]
        rounded, decimals = round_scaled(value / size, whole_euros=size == 1, exact=exact)
        # 999.96m rounds to 1,000m: say €1bn instead.
        if index + 1 < len(style.units) and rounded * size >= style.units[index + 1][0]:
            index += 1
            continue
        number = format_number(rounded, decimals, language)
        return style.pattern.format(sign=sign, number=number, unit=word)


def money_compact(value: Number | None, *, language: str | None = None) -> str:
    """An amount in euros the way a reader takes it in at a glance.

    English "€6.4bn", "€293m", "€12k", "€950"; German "6,4 Mrd. €", "293 Mio. €", "12.000 €".
    One decimal below ten units, none above; ``language`` defaults to the active language, and
    languages without a style of their own get the English one. ``None`` gives "".
    """
    if value is None:
        return ""
    return money_label(value, chart_language(language))


def whole_number(value: Number) -> str:
    """A count, or whole euros in data tables, in the active locale: "6,718,547,978"."""
    # Rounded here: number_format cuts decimals off instead of rounding them.
    rounded = as_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, 0, use_l10n=True, force_grouping=True)


# --- Axes ---------------------------------------------------------------------------------

_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


def nice_step(maximum: Decimal, max_intervals: int, *, integer: bool) -> Decimal:
    # Starting a decade below the maximum's leading digit, every smaller step would need more
    # than ten intervals, so the first step that fits is the smallest nice one that does.
    exponent = maximum.adjusted() - 1
    while True:
        for mantissa in _MANTISSAS:
            step = mantissa.scaleb(exponent)
            if integer and (step < 1 or step != step.to_integral_value()):
                continue
            if math.ceil(maximum / step) <= max_intervals:
                return step
        exponent += 1


def nice_ticks(maximum: Number, *, max_intervals: int = 5, integer: bool = False) -> list[Decimal]:
    """Axis ticks from 0 in round steps (1, 2, 2.5 or 5 x 10^n) up to the first one at or above
    ``maximum``: 6.7e9 gives 0, 2e9, 4e9, 6e9, 8e9. Four to six ticks with the default
    ``max_intervals``; ``integer`` keeps steps whole (counts of things)."""
    maximum = as_decimal(maximum)
    if maximum <= 0:
        raise ValueError("An axis needs a positive maximum.")
    step = nice_step(maximum, max_intervals, integer=integer)
    return [tidy(step * i) for i in range(math.ceil(maximum / step) + 1)]


def tidy(value: Decimal) -> Decimal:
    """2E+9 -> 2000000000, 5.0E+6 -> 5000000, 2.50 -> 2.5: ticks that print as they read."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of how wide ``text`` renders in a sans-serif system font."""
    em = 0.0
    for char in text:
        if char in " .,:;'|!ilIjft()":
            em += 0.32
        elif char.isdigit():
            em += 0.64
        elif char.isupper() or char in "€mwMW—":
            em += 0.72
        else:
            em += 0.56
    return em * font_size


def fit_text(text: str, width: float, font_size: float) -> str:
    if text_width(text, font_size) <= width:
        return text
    while text and text_width(text + "…", font_size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def rounded(value: float) -> float:
    return round(value, 1)
