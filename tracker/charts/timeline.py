"""The timeline: EUR per period as bars, with the running total as a line."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import dateformat
from django.utils.translation import gettext

from tracker.charts.numbers import (
    Number,
    as_decimal,
    chart_language,
    money_compact,
    money_label,
    nice_step,
    rounded,
    text_width,
    tidy,
    whole_number,
)
from tracker.charts.shapes import (
    CUMULATIVE_COLOUR,
    MONTH_COLOUR,
    MONTH_TEXT_COLOUR,
    LegendItem,
    PeriodBar,
    PeriodLabel,
    Table,
    TableRow,
    Tick,
    TimelineChart,
)

# --- Timeline -----------------------------------------------------------------------------

# The timeline's SVG has no viewBox across: it is as wide as its container, and its text is
# sized in pixels (app.css: .timeline-svg, 13.5 px; ticks .9 of it).
_TL_TICK_FONT = 12.15
_TL_TITLE_Y = 12
# Tick labels are centred on their gridlines: the top one needs half a line below the titles.
_TL_PLOT_TOP = 34
_TL_PLOT_BOTTOM = _TL_PLOT_TOP + 220
_TL_TICK_GAP = 6
_TL_LABEL_Y = _TL_PLOT_BOTTOM + 6
_TL_YEAR_Y = _TL_LABEL_Y + 15
_TL_HEIGHT = _TL_YEAR_Y + 16
#: The gutters for the axes' labels, in pixels: CSS classes gl-N and gr-N in these steps.
_GUTTER_STEP, _GUTTER_MIN, _GUTTER_MAX = 10, 30, 120
#: The container widths the period labels are chosen for (app.css shows one set by container
#: query: under 560 px, to 900 px, wider), with the narrowest plot each leaves between the
#: gutters, in pixels.
WIDTHS = (("narrow", 200), ("medium", 400), ("wide", 740))
#: A bar takes this share of its column, and at most this share of the plot: a single month
#: is a bar, not a slab.
_BAR_SHARE, _BAR_MAX = 0.72, 6.0
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
            gettext("EUR per month"),
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
            gettext("EUR per quarter"),
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
            gettext("EUR per year"),
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
        gettext("EUR per %(years)s years") % years,
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
    candidates = []
    for intervals in (5, 4, 3):
        left = nice_step(left_max, intervals, integer=False)
        right = nice_step(right_max, intervals, integer=False)
        fill = min(left_max / (left * intervals), right_max / (right * intervals))
        candidates.append((fill, intervals, left, right))
    # The first of the fullest: fewer intervals only when they fill the chart better.
    _, intervals, left, right = max(candidates, key=lambda candidate: candidate[0])
    ticks = range(intervals + 1)
    return [tidy(left * i) for i in ticks], [tidy(right * i) for i in ticks]


def _timeline_bars(
    months: Iterable[tuple[date, Number | None]],
) -> tuple[int, list[tuple[date, Decimal, Decimal]]] | None:
    """The months a bar spans, and per bar its first day, its amount and the running total
    (see ``chart_timeline``); None when nothing is above zero."""
    sums: dict[int, Decimal] = {}
    for month, amount in months:
        value = as_decimal(amount or 0)
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
    return bar_months, series


def _span_labels(bars: list[PeriodBar], bar_months: int) -> tuple[str, str]:
    """The first and the last period the chart shows, as its summary names them."""
    if bar_months == 1:
        return dateformat.format(bars[0].start, "M Y"), dateformat.format(bars[-1].start, "M Y")
    if bar_months == 3:
        return bars[0].name, bars[-1].name
    # years: from the first year to the last
    return str(bars[0].start.year), str(_last_year(bars[-1].start, bar_months))


def _gutter(ticks: Iterable[Tick]) -> int:
    """The pixels the axis's longest label needs beside the plot, in steps of CSS classes."""
    need = max(text_width(t.label, _TL_TICK_FONT) for t in ticks) + _TL_TICK_GAP + 2
    steps = math.ceil(need / _GUTTER_STEP) * _GUTTER_STEP
    return min(max(steps, _GUTTER_MIN), _GUTTER_MAX)


def _period_labels(
    series: list[tuple[date, Decimal, Decimal]], bar_months: int
) -> list[PeriodLabel]:
    """The labels under the bars for each of ``WIDTHS``: every k-th period, k the smallest
    step whose labels do not touch at that width; within the year ("Mar", "Q1") with the year
    under the first of each year while k is under a year, else the year alone. A label that
    several widths share is one element."""
    count = len(series)
    slot = 100 / count
    year_width = text_width("2000", _TL_TICK_FONT)
    short_width = year_width
    if bar_months < 12:
        short_width = max(
            text_width(_short_label(start, bar_months), _TL_TICK_FONT) for start, *_ in series
        )
    steps = [k for k in _LABEL_STEPS if k % bar_months == 0]
    shown: dict[tuple[float, float, str], list[str]] = {}
    for width_name, plot_px in WIDTHS:

        def fits(k: int, plot_px: float = plot_px) -> bool:
            label = short_width if k < 12 else year_width
            return k // bar_months * plot_px / count >= label + 12

        step = next((k for k in steps if fits(k)), steps[-1])
        last_year = None
        for i, (start, _, _) in enumerate(series):
            if _month_index(start) % step:
                continue
            x = rounded(slot * (i + 0.5))
            if step >= 12:
                shown.setdefault((x, _TL_LABEL_Y, str(start.year)), []).append(width_name)
                continue
            text = _short_label(start, bar_months)
            shown.setdefault((x, _TL_LABEL_Y, text), []).append(width_name)
            if start.year != last_year:
                shown.setdefault((x, _TL_YEAR_Y, str(start.year)), []).append(width_name)
            last_year = start.year
    return [
        PeriodLabel(text, x, y, " ".join(f"at-{name}" for name in widths))
        for (x, y, text), widths in shown.items()
    ]


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
    bars_of = _timeline_bars(months)
    if bars_of is None:
        return None
    bar_months, series = bars_of
    total = series[-1][2]
    peak_start, peak, _ = max(series, key=lambda item: item[1])
    wording = _wording(bar_months)
    left_values, right_values = _paired_axes(peak, total)
    language = chart_language(None)
    left_top, right_top = float(left_values[-1]), float(right_values[-1])
    plot_h = _TL_PLOT_BOTTOM - _TL_PLOT_TOP

    def y_of(value: Decimal, top: float) -> float:
        return rounded(_TL_PLOT_BOTTOM - plot_h * float(value) / top)

    left_ticks = tuple(
        Tick(v, money_label(v, language, exact=True), y_of(v, left_top), "end") for v in left_values
    )
    right_ticks = tuple(
        Tick(v, money_label(v, language, exact=True), y_of(v, right_top), "start")
        for v in right_values
    )
    slot = 100 / len(series)
    width = min(slot * _BAR_SHARE, _BAR_MAX)
    bars, points = [], []
    for i, (start, amount, cumulative) in enumerate(series):
        y = y_of(amount, left_top)
        line_y = y_of(cumulative, right_top)
        points.append(f"{i + 0.5},{rounded(line_y - _TL_PLOT_TOP)}")
        name = _period_name(start, bar_months)
        bars.append(
            PeriodBar(
                start=start,
                name=name,
                key=_period_key(start, bar_months),
                amount=amount,
                cumulative=cumulative,
                slot_x=round(i * slot, 3),
                slot_width=round(slot, 3),
                x=round(i * slot + (slot - width) / 2, 3),
                width=round(width, 3),
                y=y,
                height=rounded(_TL_PLOT_BOTTOM - y),
                cx=round((i + 0.5) * slot, 3),
                line_y=line_y,
                tooltip=gettext("%(month)s: %(amount)s pledged, %(cumulative)s in total")
                % {
                    "month": name,
                    "amount": money_compact(amount),
                    "cumulative": money_compact(cumulative),
                },
            )
        )

    first_label, last_label = _span_labels(bars, bar_months)
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
            TableRow(bar.name, (whole_number(bar.amount), whole_number(bar.cumulative)))
            for bar in bars
        ),
        foot=TableRow(gettext("Total"), (whole_number(total), "")),
    )
    return TimelineChart(
        id=chart_id,
        title=wording.title,
        height=rounded(_TL_HEIGHT),
        left_gutter=_gutter(left_ticks),
        right_gutter=_gutter(right_ticks),
        plot_top=_TL_PLOT_TOP,
        plot_bottom=_TL_PLOT_BOTTOM,
        axis_title_y=_TL_TITLE_Y,
        left_title=wording.axis_title,
        right_title=gettext("EUR, running total"),
        left_ticks=left_ticks,
        right_ticks=right_ticks,
        bar_months=bar_months,
        bars=tuple(bars),
        labels=tuple(_period_labels(series, bar_months)),
        line_points=" ".join(points),
        # Dots only where columns are wide enough to tell them apart on a phone.
        dots=len(series) <= 24,
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
