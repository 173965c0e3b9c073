"""Chart geometry for server-rendered SVG: plain data in, coordinates and labels out.

The views compute figures with the totals services and hand them over as plain Python data;
nothing here touches the database. Templates in ``templates/tracker/charts/`` draw what these
functions return, so every coordinate, tick and label is decided (and tested) in Python.

Text in the charts is sized by CSS in steps of the chart's own width (container queries in
``static/css/app.css``), so it stays legible on screen from a phone to a desktop. The SVG scales
with its ``viewBox``; the smaller the chart, the larger the text in chart units. The layout here
makes room for the largest step (``FONT``), so labels never collide at any width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, formats, numberformat
from django.utils.translation import get_language, gettext, ngettext, pgettext

Number = Decimal | int | float

#: Width of every chart's viewBox, in chart units.
WIDTH = 600
#: The largest font size app.css gives chart text (narrowest charts), in chart units.
FONT = 22.0
#: Ticks, axis titles and notes are .9em (app.css).
SMALL_FONT = 20.0

#: Okabe-Ito hues, darkened where needed for 3:1 contrast on white; told apart by every common
#: kind of colour blindness.
CATEGORY_COLOURS = {
    "military": "#0072b2",
    "financial": "#c77c02",
    "humanitarian": "#009e73",
}
OTHER_COLOURS = ("#cc79a7", "#d55e00", "#56b4e9", "#7a8594")
OTHER_SLUG = "other"
MONTH_COLOUR = "#6fa6d6"
#: the months' axis labels: the bar colour is too light for text
MONTH_TEXT_COLOUR = "#1f63a3"
CUMULATIVE_COLOUR = "#c0470a"
IN_KIND_COLOUR = "#0072b2"


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


def _language(language: str | None) -> str:
    """The style to use: the base of ``language`` or of the active language, else English."""
    code = (language or get_language() or "en").lower().replace("_", "-").split("-")[0]
    return code if code in _MONEY_STYLES else "en"


def _decimal(value: Number) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary expansion into the labels.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _format_number(value: Decimal, decimals: int, language: str) -> str:
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True),
        decimal_pos=decimals,
        grouping=formats.get_format("NUMBER_GROUPING", lang=language, use_l10n=True),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", lang=language, use_l10n=True),
        force_grouping=True,
        use_l10n=True,
    )


def _round(scaled: Decimal, *, whole_euros: bool, exact: bool) -> tuple[Decimal, int]:
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


def _money(value: Number, language: str, *, exact: bool = False) -> str:
    style = _MONEY_STYLES[language]
    value = _decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    index = max(i for i, (size, _) in enumerate(style.units) if value >= size or i == 0)
    while True:
        size, word = style.units[index]
        rounded, decimals = _round(value / size, whole_euros=size == 1, exact=exact)
        # 999.96m rounds to 1,000m: say €1bn instead.
        if index + 1 < len(style.units) and rounded * size >= style.units[index + 1][0]:
            index += 1
            continue
        number = _format_number(rounded, decimals, language)
        return style.pattern.format(sign=sign, number=number, unit=word)


def money_compact(value: Number | None, *, language: str | None = None) -> str:
    """An amount in euros the way a reader takes it in at a glance.

    English "€6.4bn", "€293m", "€12k", "€950"; German "6,4 Mrd. €", "293 Mio. €", "12.000 €".
    One decimal below ten units, none above; ``language`` defaults to the active language, and
    languages without a style of their own get the English one. ``None`` gives "".
    """
    if value is None:
        return ""
    return _money(value, _language(language))


def _whole(value: Number) -> str:
    """A count, or whole euros in data tables, in the active locale: "6,718,547,978"."""
    # Rounded here: number_format cuts decimals off instead of rounding them.
    rounded = _decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, 0, use_l10n=True, force_grouping=True)


# --- Axes ---------------------------------------------------------------------------------

_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


def _nice_step(maximum: Decimal, max_intervals: int, *, integer: bool) -> Decimal:
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
    maximum = _decimal(maximum)
    if maximum <= 0:
        raise ValueError("An axis needs a positive maximum.")
    step = _nice_step(maximum, max_intervals, integer=integer)
    return [_tidy(step * i) for i in range(math.ceil(maximum / step) + 1)]


def _tidy(value: Decimal) -> Decimal:
    """2E+9 -> 2000000000, 5.0E+6 -> 5000000, 2.50 -> 2.5: ticks that print as they read."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _text_width(text: str, font_size: float) -> float:
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


def _fit(text: str, width: float, font_size: float) -> str:
    if _text_width(text, font_size) <= width:
        return text
    while text and _text_width(text + "…", font_size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _r(value: float) -> float:
    return round(value, 1)


# --- Shapes the templates draw -------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    value: Decimal
    label: str
    #: x on a horizontal axis, y on a vertical one
    pos: float
    #: text-anchor of the label
    anchor: str = "middle"


@dataclass(frozen=True)
class LegendItem:
    slug: str
    label: str
    colour: str


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """The figures behind a chart, formatted for its data table."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[TableRow, ...]
    foot: TableRow | None = None


@dataclass(frozen=True)
class Segment:
    slug: str
    label: str
    value: Decimal
    x: float
    width: float
    colour: str
    tooltip: str


@dataclass(frozen=True)
class Bar:
    slug: str
    #: the full label; ``name`` is the label as drawn, shortened with "…" if it would not fit
    label: str
    name: str
    #: drawn after the name, muted: "3 pledges"
    note: str
    total: Decimal
    value_label: str
    y: float
    height: float
    name_y: float
    value_x: float
    value_y: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, largest first, with the value axis on top."""

    id: str
    width: int
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    axis_title: str
    axis_title_y: float
    tick_y: float
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    total: Decimal
    summary: str
    description: str
    table: Table


@dataclass(frozen=True)
class PeriodBar:
    """One bar of a timeline: a month, a quarter, a year or a run of years."""

    #: the first day of the period
    start: date
    #: the period as a reader names it ("March 2025", "Q1 2025", "2025", "2020–2024")
    name: str
    #: the period as data: "2025-03", "2025-Q1", "2025", "2020-2024"
    key: str
    amount: Decimal
    cumulative: Decimal
    #: the column of the period, for its tooltip
    slot_x: float
    slot_width: float
    x: float
    width: float
    y: float
    height: float
    #: centre of the column, where the cumulative line passes
    cx: float
    line_y: float
    #: axis labels; empty when this period is not labelled
    label: str
    year: str
    tooltip: str


@dataclass(frozen=True)
class TimelineChart:
    """Amounts per period as bars on the left axis, their running total as a line on the
    right. The periods are months, or longer when months would make too many bars."""

    id: str
    title: str
    width: int
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    left_label_x: float
    right_label_x: float
    axis_title_y: float
    left_title: str
    right_title: str
    left_ticks: tuple[Tick, ...]
    right_ticks: tuple[Tick, ...]
    label_y: float
    year_y: float
    #: how many months each bar adds up: 1, 3, 12 or a multiple of 12
    bar_months: int
    bars: tuple[PeriodBar, ...]
    line_points: str
    #: whether the line marks each period with a dot (not when they are crowded)
    dots: bool
    bar_colour: str
    bar_text_colour: str
    line_colour: str
    legend: tuple[LegendItem, ...]
    total: Decimal
    summary: str
    description: str
    table: Table

    @property
    def plot_height(self) -> float:
        return _r(self.plot_bottom - self.plot_top)


# --- Horizontal bars ----------------------------------------------------------------------

_AXIS_TITLE_Y = SMALL_FONT
_TICK_Y = _AXIS_TITLE_Y + 6 + SMALL_FONT
_BARS_TOP = _TICK_Y + 8
_NAME_GAP = 9
_BAR_HEIGHT = 18
_ROW_GAP = 14
_ROW = FONT + _NAME_GAP + _BAR_HEIGHT + _ROW_GAP
_VALUE_GAP = 6


@dataclass(frozen=True)
class _Row:
    slug: str
    label: str
    note: str
    total: Decimal
    value_label: str
    #: (slug, label, value, colour) of each segment, in drawing order
    parts: tuple[tuple[str, str, Decimal, str], ...]


def _horizontal_axis(
    maximum: Decimal, right_reserve: float, label: Callable[[Decimal], str], *, integer: bool
) -> tuple[float, list[Tick]]:
    """The plot's right edge and ticks whose labels do not run into each other."""
    for max_intervals in (5, 4, 3):
        values = nice_ticks(maximum, max_intervals=max_intervals, integer=integer)
        labels = [label(value) for value in values]
        widths = [_text_width(text, SMALL_FONT) for text in labels]
        # The last label is centred on the plot's right edge and may reach into the reserve.
        plot_right = WIDTH - max(right_reserve, widths[-1] / 2 + 2)
        spacing = plot_right / (len(values) - 1)
        if spacing >= max(widths) + 10 or max_intervals == 3:
            break
    top = values[-1]
    ticks = [
        Tick(
            value=value,
            label=text,
            pos=_r(plot_right * float(value / top)),
            anchor="start" if i == 0 else "middle",
        )
        for i, (value, text) in enumerate(zip(values, labels, strict=True))
    ]
    return plot_right, ticks


def _bar_chart(
    rows: list[_Row],
    *,
    chart_id: str,
    axis_title: str,
    tick_label: Callable[[Decimal], str],
    integer: bool,
    legend: tuple[LegendItem, ...],
    summary: str,
    description: str,
    table: Table,
    tooltip: Callable[[_Row, str, Decimal], str],
) -> BarChart:
    # Bold, and some system fonts (DejaVu Sans) have digits wider than the estimate.
    reserve = max(_text_width(row.value_label, FONT) * 1.1 for row in rows) + _VALUE_GAP + 2
    maximum = max(row.total for row in rows)
    plot_right, ticks = _horizontal_axis(maximum, reserve, tick_label, integer=integer)
    scale = plot_right / float(ticks[-1].value)
    bars = []
    for i, row in enumerate(rows):
        top = _BARS_TOP + i * _ROW + FONT + _NAME_GAP
        segments, running = [], Decimal(0)
        for slug, label, value, colour in row.parts:
            # Edges from running sums, so segments abut exactly and the bar ends at its total.
            x0 = _r(float(running) * scale)
            running += value
            x1 = _r(float(running) * scale)
            segments.append(
                Segment(slug, label, value, x0, _r(x1 - x0), colour, tooltip(row, label, value))
            )
        # The note follows the name in the same line: shorten the name, never the note.
        note_width = _text_width(f" · {row.note}", SMALL_FONT) if row.note else 0
        bars.append(
            Bar(
                slug=row.slug,
                label=row.label,
                name=_fit(row.label, WIDTH - note_width, FONT),
                note=row.note,
                total=row.total,
                value_label=row.value_label,
                y=_r(top),
                height=_BAR_HEIGHT,
                name_y=_r(top - _NAME_GAP),
                value_x=_r(float(row.total) * scale + _VALUE_GAP),
                value_y=_r(top + _BAR_HEIGHT / 2),
                segments=tuple(segments),
            )
        )
    plot_bottom = _r(_BARS_TOP + len(rows) * _ROW - _ROW_GAP / 2)
    return BarChart(
        id=chart_id,
        width=WIDTH,
        height=_r(plot_bottom + 2),
        plot_left=0,
        plot_right=_r(plot_right),
        plot_top=_BARS_TOP,
        plot_bottom=plot_bottom,
        axis_title=axis_title,
        axis_title_y=_AXIS_TITLE_Y,
        tick_y=_TICK_Y,
        ticks=tuple(ticks),
        bars=tuple(bars),
        legend=legend,
        total=sum((row.total for row in rows), Decimal(0)),
        summary=summary,
        description=description,
        table=table,
    )


def _listing(rows: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{label} {value}" for label, value in rows)


def chart_donor_bars(
    rows: Iterable[Mapping],
    *,
    categories: Sequence[tuple[str, str]],
    colours: Mapping[str, str] | None = None,
    chart_id: str = "donor-chart",
) -> BarChart | None:
    """Totals by donor, one bar per donor stacked by category, largest first.

    ``rows``: ``{"slug": str, "label": str, "values": {category slug: Decimal}}``, values in
    euros. ``categories``: the (slug, label) of the segments in drawing order. Amounts under a
    slug not in ``categories`` are drawn as one "Other" segment, not dropped. Donors whose total
    is zero have no bar. ``None`` when no donor has a total above zero.
    """
    colours = {**CATEGORY_COLOURS, **(colours or {})}
    known = [slug for slug, _ in categories]
    spare = iter(OTHER_COLOURS)
    palette = {slug: colours.get(slug) or next(spare, OTHER_COLOURS[-1]) for slug in known}
    other_label = pgettext("category", "Other")
    palette[OTHER_SLUG] = colours.get(OTHER_SLUG) or next(spare, OTHER_COLOURS[-1])
    labels = {**dict(categories), OTHER_SLUG: other_label}

    prepared = []
    for row in rows:
        values = {slug: _decimal(value) for slug, value in row["values"].items() if value}
        parts = [
            (slug, labels[slug], values[slug], palette[slug]) for slug in known if slug in values
        ]
        other = sum((value for slug, value in values.items() if slug not in known), Decimal(0))
        if other:
            parts.append((OTHER_SLUG, other_label, other, palette[OTHER_SLUG]))
        total = sum((value for _, _, value, _ in parts), Decimal(0))
        if total > 0:
            label = str(row["label"])
            prepared.append(
                _Row(str(row["slug"]), label, "", total, money_compact(total), tuple(parts))
            )
    if not prepared:
        return None
    prepared.sort(key=lambda row: (-row.total, row.label.casefold()))

    used = {slug for row in prepared for slug, *_ in row.parts}
    legend = tuple(
        LegendItem(slug, labels[slug], palette[slug])
        for slug in [*known, OTHER_SLUG]
        if slug in used
    )
    columns = [item.slug for item in legend]
    total = sum((row.total for row in prepared), Decimal(0))

    def cells(values: Mapping[str, Decimal], row_total: Decimal) -> tuple[str, ...]:
        return (*(_whole(values.get(slug, Decimal(0))) for slug in columns), _whole(row_total))

    column_totals = {
        slug: sum((v for row in prepared for s, _, v, _ in row.parts if s == slug), Decimal(0))
        for slug in columns
    }
    table = Table(
        caption=gettext("Amounts in euros"),
        head=(gettext("Donor"), *(item.label for item in legend), gettext("Total")),
        rows=tuple(
            TableRow(row.label, cells({s: v for s, _, v, _ in row.parts}, row.total))
            for row in prepared
        ),
        foot=TableRow(gettext("Total"), cells(column_totals, total)),
    )
    count = len(prepared)
    summary = ngettext(
        "%(count)s donor · total %(total)s",
        "%(count)s donors · total %(total)s",
        count,
    ) % {"count": _whole(count), "total": money_compact(total)}
    description = (
        gettext("Horizontal bars, largest first, split by category.")
        + " "
        + summary
        + ". "
        + gettext("Largest: %(list)s.")
        % {"list": _listing((row.label, row.value_label) for row in prepared[:3])}
    )

    def tooltip(row: _Row, label: str, value: Decimal) -> str:
        return gettext("%(donor)s, %(category)s: %(amount)s") % {
            "donor": row.label,
            "category": label,
            "amount": money_compact(value),
        }

    return _bar_chart(
        prepared,
        chart_id=chart_id,
        axis_title=gettext("Pledged, in euros"),
        tick_label=lambda value: _money(value, _language(None), exact=True),
        integer=False,
        legend=legend,
        summary=summary,
        description=description,
        table=table,
        tooltip=tooltip,
    )


def chart_in_kind(rows: Iterable[Mapping], *, chart_id: str = "in-kind-chart") -> BarChart | None:
    """In-kind items by category: one bar per category, the summed quantity, largest first.

    ``rows``: ``{"slug": str, "label": str, "quantity": int, "pledges": int}``. Categories with
    pledges but no quantity are listed with an empty bar. ``None`` when no quantity is above
    zero.
    """
    prepared = []
    for row in rows:
        quantity = _decimal(row.get("quantity") or 0)
        pledges = int(row.get("pledges") or 0)
        if quantity <= 0 and pledges <= 0:
            continue
        note = ngettext("%(count)s pledge", "%(count)s pledges", pledges) % {
            "count": _whole(pledges)
        }
        slug, label = str(row["slug"]), str(row["label"])
        parts = ((slug, label, quantity, IN_KIND_COLOUR),)
        prepared.append((pledges, _Row(slug, label, note, quantity, _whole(quantity), parts)))
    if not prepared or not any(row.total > 0 for _, row in prepared):
        return None
    prepared.sort(key=lambda item: (-item[1].total, -item[0], item[1].label.casefold()))
    total_items = sum((row.total for _, row in prepared), Decimal(0))
    total_pledges = sum(pledges for pledges, _ in prepared)
    table = Table(
        caption=gettext("Items summed over pledges; a drone and a tank count one each."),
        head=(gettext("Category"), gettext("Items"), gettext("Pledges")),
        rows=tuple(
            TableRow(row.label, (_whole(row.total), _whole(pledges))) for pledges, row in prepared
        ),
        foot=TableRow(gettext("Total"), (_whole(total_items), _whole(total_pledges))),
    )
    summary = ngettext(
        "%(items)s items in %(count)s pledge",
        "%(items)s items in %(count)s pledges",
        total_pledges,
    ) % {"items": _whole(total_items), "count": _whole(total_pledges)}
    description = (
        gettext("Horizontal bars of in-kind items per category, largest first.")
        + " "
        + summary
        + ". "
        + gettext("Largest: %(list)s.")
        % {"list": _listing((row.label, row.value_label) for _, row in prepared[:3])}
    )

    def tooltip(row: _Row, label: str, value: Decimal) -> str:
        return gettext("%(category)s: %(items)s items, %(pledges)s") % {
            "category": label,
            "items": _whole(value),
            "pledges": row.note,
        }

    return _bar_chart(
        [row for _, row in prepared],
        chart_id=chart_id,
        axis_title=gettext("Items pledged"),
        tick_label=_whole,
        integer=True,
        legend=(),
        summary=summary,
        description=description,
        table=table,
        tooltip=tooltip,
    )


# --- Timeline -----------------------------------------------------------------------------

_TL_TITLE_Y = SMALL_FONT
# Tick labels are centred on their gridlines: the top one needs half a line below the titles.
_TL_PLOT_TOP = _TL_TITLE_Y + 6 + SMALL_FONT
_TL_PLOT_BOTTOM = _TL_PLOT_TOP + 250
_TL_TICK_GAP = 6
_TL_LABEL_Y = _TL_PLOT_BOTTOM + 6
_TL_YEAR_Y = _TL_LABEL_Y + SMALL_FONT * 1.15
_TL_HEIGHT = _TL_YEAR_Y + SMALL_FONT + 3
#: At most this many bars, however far apart the dates lie: six years of months. One mistyped
#: year (0202 for 2022) once drew a bar for each of the 21,840 months in between.
MAX_BARS = 72
#: What a bar may add up, in months: the shortest that keeps to MAX_BARS is used. The longest
#: covers any date Python knows (years 1 to 9999) in 50 bars.
_BAR_MONTHS = (1, 3, 12, 24, 60, 120, 240, 600, 1200, 2400)
#: label every k-th month, aligned on the calendar (quarters, half-years, years ...); only the
#: multiples of a bar's length apply
_LABEL_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000)


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _month_of(index: int) -> date:
    # A run of years aligned on the calendar may start before year 1, which no date has.
    index = max(index, _month_index(date.min))
    return date(index // 12, index % 12 + 1, 1)


def _bar_months(first: int, last: int) -> int:
    """The shortest bar length that draws the months ``first`` to ``last`` in MAX_BARS."""
    return next((n for n in _BAR_MONTHS if last // n - first // n + 1 <= MAX_BARS), _BAR_MONTHS[-1])


def _quarter(start: date) -> int:
    return (start.month - 1) // 3 + 1


def _last_year(start: date, months: int) -> int:
    """The last year of the run of years that starts at ``start`` (or at year 1, for one
    aligned to start before it)."""
    return (_month_index(start) // months + 1) * months // 12 - 1


def _period_name(start: date, months: int) -> str:
    if months == 1:
        return dateformat.format(start, "F Y")
    if months == 3:
        return gettext("Q%(quarter)s %(year)s") % {
            "quarter": _quarter(start),
            "year": start.year,
        }
    if months == 12:
        return str(start.year)
    return f"{start.year}–{_last_year(start, months)}"


def _period_key(start: date, months: int) -> str:
    if months == 1:
        return f"{start:%Y-%m}"
    if months == 3:
        return f"{start.year}-Q{_quarter(start)}"
    if months == 12:
        return str(start.year)
    return f"{start.year}-{_last_year(start, months)}"


def _short_label(start: date, months: int) -> str:
    """What the axis writes under a bar labelled within its year: "Mar", "Q1"."""
    return dateformat.format(start, "M") if months == 1 else f"Q{_quarter(start)}"


@dataclass(frozen=True)
class _Wording:
    title: str
    axis_title: str
    legend: str
    head: str
    description: str


def _wording(months: int) -> _Wording:
    """The chart's words for bars of ``months`` months. The description is formatted with
    first, last, total, peak_period (peak_month for months), peak and years."""
    if months == 1:
        return _Wording(
            gettext("Pledged per month"),
            gettext("Per month"),
            gettext("Pledged in the month (left axis)"),
            gettext("Month"),
            gettext(
                "Bars of the euros pledged in each month from %(first)s to %(last)s, and a "
                "line of the running total, which reaches %(total)s. Highest month: "
                "%(peak_month)s with %(peak)s."
            ),
        )
    if months == 3:
        return _Wording(
            gettext("Pledged per quarter"),
            gettext("Per quarter"),
            gettext("Pledged in the quarter (left axis)"),
            gettext("Quarter"),
            gettext(
                "Bars of the euros pledged in each quarter from %(first)s to %(last)s, and a "
                "line of the running total, which reaches %(total)s. Highest quarter: "
                "%(peak_period)s with %(peak)s."
            ),
        )
    if months == 12:
        return _Wording(
            gettext("Pledged per year"),
            gettext("Per year"),
            gettext("Pledged in the year (left axis)"),
            gettext("Year"),
            gettext(
                "Bars of the euros pledged in each year from %(first)s to %(last)s, and a "
                "line of the running total, which reaches %(total)s. Highest year: "
                "%(peak_period)s with %(peak)s."
            ),
        )
    years = {"years": months // 12}
    return _Wording(
        gettext("Pledged per %(years)s years") % years,
        gettext("Per %(years)s years") % years,
        gettext("Pledged in the %(years)s years (left axis)") % years,
        gettext("Years"),
        gettext(
            "Bars of the euros pledged in each run of %(years)s years from %(first)s to "
            "%(last)s, and a line of the running total, which reaches %(total)s. Highest: "
            "%(peak_period)s with %(peak)s."
        ),
    )


def _paired_axes(left_max: Decimal, right_max: Decimal) -> tuple[list[Decimal], list[Decimal]]:
    """Ticks for two axes that share gridlines, with as little empty room above each series as
    the nice steps allow."""
    best = None
    for intervals in (5, 4, 3):
        steps = [_nice_step(m, intervals, integer=False) for m in (left_max, right_max)]
        fill = min(left_max / (steps[0] * intervals), right_max / (steps[1] * intervals))
        if best is None or fill > best[0]:
            best = (fill, intervals, steps)
    _, intervals, steps = best
    return tuple([_tidy(step * i) for i in range(intervals + 1)] for step in steps)


def chart_timeline(
    months: Iterable[tuple[date, Number | None]], *, chart_id: str = "timeline-chart"
) -> TimelineChart | None:
    """Pledged euros per period as bars, and their running total as a line.

    ``months``: (any day of the month, amount in euros) in any order; several entries for one
    month are added up and periods missing between the first and the last are drawn as zero.
    The bars are months when at most ``MAX_BARS`` of them span the dates, else quarters,
    years or runs of years (``_BAR_MONTHS``), aligned on the calendar: however far apart the
    dates lie, the chart never has more than ``MAX_BARS`` bars. ``None`` when nothing is
    above zero.
    """
    sums: dict[int, Decimal] = {}
    for month, amount in months:
        value = _decimal(amount or 0)
        if value < 0:
            raise ValueError(f"Negative amount for {month:%Y-%m}: {value}")
        sums[_month_index(month)] = sums.get(_month_index(month), Decimal(0)) + value
    if not sums or not any(sums.values()):
        return None

    bar_months = _bar_months(min(sums), max(sums))
    per_bar: dict[int, Decimal] = {}
    for index, amount in sums.items():
        bar = index // bar_months
        per_bar[bar] = per_bar.get(bar, Decimal(0)) + amount
    series = []
    running = Decimal(0)
    for bar in range(min(per_bar), max(per_bar) + 1):
        amount = per_bar.get(bar, Decimal(0))
        running += amount
        series.append((_month_of(bar * bar_months), amount, running))
    total = running
    peak_start, peak, _ = max(series, key=lambda item: item[1])
    wording = _wording(bar_months)
    left_values, right_values = _paired_axes(peak, total)
    language = _language(None)
    left_top, right_top = float(left_values[-1]), float(right_values[-1])
    plot_h = _TL_PLOT_BOTTOM - _TL_PLOT_TOP

    def y_of(value: Decimal, top: float) -> float:
        return _r(_TL_PLOT_BOTTOM - plot_h * float(value) / top)

    left_ticks = tuple(
        Tick(v, _money(v, language, exact=True), y_of(v, left_top), "end") for v in left_values
    )
    right_ticks = tuple(
        Tick(v, _money(v, language, exact=True), y_of(v, right_top), "start") for v in right_values
    )
    # Each axis keeps a gutter as wide as its longest label, so no label covers a bar.
    plot_left = _r(max(_text_width(t.label, SMALL_FONT) for t in left_ticks) + _TL_TICK_GAP + 2)
    plot_right = _r(
        WIDTH - max(_text_width(t.label, SMALL_FONT) for t in right_ticks) - _TL_TICK_GAP - 2
    )
    slot = (plot_right - plot_left) / len(series)
    year_width = _text_width("2000", SMALL_FONT)
    short_width = year_width
    if bar_months < 12:
        short_width = max(
            _text_width(_short_label(start, bar_months), SMALL_FONT) for start, *_ in series
        )
    # Label every k-th month, k a whole number of bars: within the year ("Mar", "Q1") while
    # k is under a year, else the year alone.
    steps = [k for k in _LABEL_STEPS if k % bar_months == 0]

    def fits(k: int) -> bool:
        return k // bar_months * slot >= (short_width if k < 12 else year_width) + 16

    step = next((k for k in steps if fits(k)), steps[-1])

    bars, points, last_year = [], [], None
    for i, (start, amount, cumulative) in enumerate(series):
        slot_x = plot_left + i * slot
        # A few bars would make slabs: keep them no wider than a finger.
        width = min(slot * (0.72 if slot > 6 else 0.9), 44)
        y = y_of(amount, left_top)
        label = year = ""
        if _month_index(start) % step == 0:
            if step >= 12:
                label = str(start.year)
            else:
                label = _short_label(start, bar_months)
                if start.year != last_year:
                    year = str(start.year)
            last_year = start.year
        cx = _r(slot_x + slot / 2)
        line_y = y_of(cumulative, right_top)
        points.append(f"{cx},{line_y}")
        name = _period_name(start, bar_months)
        bars.append(
            PeriodBar(
                start=start,
                name=name,
                key=_period_key(start, bar_months),
                amount=amount,
                cumulative=cumulative,
                slot_x=_r(slot_x),
                slot_width=_r(slot),
                x=_r(slot_x + (slot - width) / 2),
                width=_r(width),
                y=y,
                height=_r(_TL_PLOT_BOTTOM - y),
                cx=cx,
                line_y=line_y,
                label=label,
                year=year,
                tooltip=gettext("%(month)s: %(amount)s pledged, %(cumulative)s in total")
                % {
                    "month": name,
                    "amount": money_compact(amount),
                    "cumulative": money_compact(cumulative),
                },
            )
        )

    if bar_months == 1:
        first_label = dateformat.format(series[0][0], "M Y")
        last_label = dateformat.format(series[-1][0], "M Y")
    elif bar_months == 3:
        first_label, last_label = bars[0].name, bars[-1].name
    else:  # years: from the first year to the last
        first_label = str(bars[0].start.year)
        last_label = str(_last_year(bars[-1].start, bar_months))
    summary = gettext("%(first)s – %(last)s · total %(total)s") % {
        "first": first_label,
        "last": last_label,
        "total": money_compact(total),
    }
    peak_name = _period_name(peak_start, bar_months)
    description = wording.description % {
        "first": first_label,
        "last": last_label,
        "total": money_compact(total),
        "peak_month": peak_name,
        "peak_period": peak_name,
        "peak": money_compact(peak),
        "years": bar_months // 12,
    }
    table = Table(
        caption=gettext("Amounts in euros"),
        head=(wording.head, gettext("Pledged"), gettext("Running total")),
        rows=tuple(
            TableRow(bar.name, (_whole(bar.amount), _whole(bar.cumulative))) for bar in bars
        ),
        foot=TableRow(gettext("Total"), (_whole(total), "")),
    )
    return TimelineChart(
        id=chart_id,
        title=wording.title,
        width=WIDTH,
        height=_r(_TL_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=_TL_PLOT_TOP,
        plot_bottom=_TL_PLOT_BOTTOM,
        left_label_x=_r(plot_left - _TL_TICK_GAP),
        right_label_x=_r(plot_right + _TL_TICK_GAP),
        axis_title_y=_TL_TITLE_Y,
        left_title=wording.axis_title,
        right_title=gettext("Running total"),
        left_ticks=left_ticks,
        right_ticks=right_ticks,
        label_y=_TL_LABEL_Y,
        year_y=_r(_TL_YEAR_Y),
        bar_months=bar_months,
        bars=tuple(bars),
        line_points=" ".join(points),
        dots=slot >= 12,
        bar_colour=MONTH_COLOUR,
        bar_text_colour=MONTH_TEXT_COLOUR,
        line_colour=CUMULATIVE_COLOUR,
        legend=(
            LegendItem("period", wording.legend, MONTH_COLOUR),
            LegendItem("cumulative", gettext("Running total (right axis)"), CUMULATIVE_COLOUR),
        ),
        total=total,
        summary=summary,
        description=description,
        table=table,
    )
