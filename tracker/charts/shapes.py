"""The shapes chart templates draw, and the charts' sizes and colours.

Bar charts scale with their ``viewBox``: their text is sized by CSS in steps of the chart's own
width (container queries in ``static/css/app.css``), so it stays legible on screen from a phone
to a desktop; the smaller the chart, the larger the text in chart units. Their layout makes room
for the largest step (``FONT``), so labels never collide at any width. The timeline instead
fills its container at any width with text in pixels (``TimelineChart``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.charts.numbers import rounded

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
    """Horizontal bars, largest first, with the value axis labelled on top and at the foot."""

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
    #: the same ticks' labels again, under the bars
    bottom_tick_y: float
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    total: Decimal
    summary: str
    description: str
    table: Table


@dataclass(frozen=True)
class PeriodBar:
    """One bar of a timeline: a month, a quarter, a year or a run of years.

    Across, in per cent of the plot's width (the chart fills its container at any width); up
    and down, in pixels.
    """

    #: the first day of the period
    start: date
    #: the period as a reader names it ("March 2025", "Q1 2025", "2025", "2020–2024")
    name: str
    #: the period as data: "2025-03", "2025-Q1", "2025", "2020-2024"
    key: str
    amount: Decimal
    cumulative: Decimal
    #: the column of the period, for its tooltip (per cent)
    slot_x: float
    slot_width: float
    #: the bar (per cent)
    x: float
    width: float
    #: pixels
    y: float
    height: float
    #: centre of the column, where the cumulative line passes (per cent)
    cx: float
    #: the running total's height (pixels)
    line_y: float
    tooltip: str


@dataclass(frozen=True)
class PeriodLabel:
    """A label under the bars, shown at the container widths ``widths`` names (``WIDTHS``):
    narrow charts label fewer periods than wide ones."""

    text: str
    #: per cent of the plot's width
    x: float
    #: pixels
    y: float
    #: "at-narrow at-medium at-wide", the CSS classes that show it
    widths: str


@dataclass(frozen=True)
class TimelineChart:
    """Amounts per period as bars on the left axis, their running total as a line on the
    right. The periods are months, or longer when months would make too many bars.

    The SVG is as wide as its container and ``height`` pixels high: across, bars are placed
    in per cent of the plot, so text keeps its size in pixels at any width. The axes' labels
    sit in gutters ``left_gutter`` and ``right_gutter`` pixels wide (CSS padding, classes
    ``gl-N`` and ``gr-N``), outside the plot.
    """

    id: str
    title: str
    height: float
    left_gutter: int
    right_gutter: int
    plot_top: float
    plot_bottom: float
    axis_title_y: float
    left_title: str
    right_title: str
    left_ticks: tuple[Tick, ...]
    right_ticks: tuple[Tick, ...]
    #: how many months each bar adds up: 1, 3, 12 or a multiple of 12
    bar_months: int
    bars: tuple[PeriodBar, ...]
    labels: tuple[PeriodLabel, ...]
    #: the running total, in the coordinates of the plot's own viewBox: one unit per bar
    #: across, pixels from the plot's top down
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
        return rounded(self.plot_bottom - self.plot_top)


@dataclass(frozen=True)
class PairedValue:
    """One of the two bars of a pair: a series' value, or none ("no figure here")."""

    series: str
    value: Decimal | None
    value_label: str
    y: float
    width: float
    height: float
    colour: str
    value_x: float
    value_y: float
    tooltip: str

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class BarPair:
    slug: str
    label: str
    name: str
    name_y: float
    values: tuple[PairedValue, ...]


@dataclass(frozen=True)
class PairedBarChart:
    """Two horizontal bars per row (two sources of one measure), on one value axis on top."""

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
    pairs: tuple[BarPair, ...]
    legend: tuple[LegendItem, ...]
    summary: str
    description: str
    table: Table
