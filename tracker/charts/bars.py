"""Horizontal bar charts: EUR per donor, stacked by category."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, ngettext, pgettext

from tracker.charts.numbers import (
    as_decimal,
    chart_language,
    fit_text,
    money_compact,
    money_label,
    nice_ticks,
    rounded,
    text_width,
    whole_number,
)
from tracker.charts.shapes import (
    CATEGORY_COLOURS,
    FONT,
    OTHER_COLOURS,
    OTHER_SLUG,
    SMALL_FONT,
    WIDTH,
    Bar,
    BarChart,
    LegendItem,
    Segment,
    Table,
    TableRow,
    Tick,
)

# --- Horizontal bars ----------------------------------------------------------------------

_AXIS_TITLE_Y = SMALL_FONT
_TICK_Y = _AXIS_TITLE_Y + 6 + SMALL_FONT
_BARS_TOP = _TICK_Y + 8
_NAME_GAP = 9
_BAR_HEIGHT = 18
_ROW_GAP = 14
_ROW = FONT + _NAME_GAP + _BAR_HEIGHT + _ROW_GAP
_VALUE_GAP = 6
#: The donor chart draws this many donors, and the rest as one bar: 44 donors drawn one by one
#: made a chart 3,100 px tall. Its data table lists every donor.
TOP_DONORS = 15
OTHERS_SLUG = "others"


@dataclass(frozen=True)
class _Row:
    slug: str
    label: str
    note: str
    total: Decimal
    value_label: str
    #: (slug, label, value, colour) of each segment, in drawing order
    parts: tuple[tuple[str, str, Decimal, str], ...]


def horizontal_axis(
    maximum: Decimal, right_reserve: float, label: Callable[[Decimal], str], *, integer: bool
) -> tuple[float, list[Tick]]:
    """The plot's right edge and ticks whose labels do not run into each other."""
    for max_intervals in (5, 4, 3):
        values = nice_ticks(maximum, max_intervals=max_intervals, integer=integer)
        labels = [label(value) for value in values]
        widths = [text_width(text, SMALL_FONT) for text in labels]
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
            pos=rounded(plot_right * float(value / top)),
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
    reserve = max(text_width(row.value_label, FONT) * 1.1 for row in rows) + _VALUE_GAP + 2
    maximum = max(row.total for row in rows)
    plot_right, ticks = horizontal_axis(maximum, reserve, tick_label, integer=integer)
    scale = plot_right / float(ticks[-1].value)
    bars = []
    for i, row in enumerate(rows):
        top = _BARS_TOP + i * _ROW + FONT + _NAME_GAP
        segments, running = [], Decimal(0)
        for slug, label, value, colour in row.parts:
            # Edges from running sums, so segments abut exactly and the bar ends at its total.
            x0 = rounded(float(running) * scale)
            running += value
            x1 = rounded(float(running) * scale)
            segments.append(
                Segment(
                    slug, label, value, x0, rounded(x1 - x0), colour, tooltip(row, label, value)
                )
            )
        # The note follows the name in the same line: shorten the name, never the note.
        note_width = text_width(f" · {row.note}", SMALL_FONT) if row.note else 0
        bars.append(
            Bar(
                slug=row.slug,
                label=row.label,
                name=fit_text(row.label, WIDTH - note_width, FONT),
                note=row.note,
                total=row.total,
                value_label=row.value_label,
                y=rounded(top),
                height=_BAR_HEIGHT,
                name_y=rounded(top - _NAME_GAP),
                value_x=rounded(float(row.total) * scale + _VALUE_GAP),
                value_y=rounded(top + _BAR_HEIGHT / 2),
                segments=tuple(segments),
            )
        )
    plot_bottom = rounded(_BARS_TOP + len(rows) * _ROW - _ROW_GAP / 2)
    # The axis is labelled under the bars as well, so a tall chart is readable at its foot.
    bottom_tick_y = rounded(plot_bottom + 6 + SMALL_FONT)
    return BarChart(
        id=chart_id,
        width=WIDTH,
        height=rounded(bottom_tick_y + SMALL_FONT / 3),
        plot_left=0,
        plot_right=rounded(plot_right),
        plot_top=_BARS_TOP,
        plot_bottom=plot_bottom,
        axis_title=axis_title,
        axis_title_y=_AXIS_TITLE_Y,
        tick_y=_TICK_Y,
        bottom_tick_y=bottom_tick_y,
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


def _top_and_others(rows: list[_Row], labels: Mapping[str, str]) -> list[_Row]:
    """The ``TOP_DONORS`` largest of ``rows`` (largest first), and one bar adding up the rest,
    by category; ``rows`` themselves when there is at most one more."""
    if len(rows) <= TOP_DONORS + 1:
        return rows
    rest = rows[TOP_DONORS:]
    sums: dict[str, tuple[Decimal, str]] = {}
    for row in rest:
        for slug, _, value, colour in row.parts:
            sums[slug] = (sums.get(slug, (Decimal(0), colour))[0] + value, colour)
    order = [*labels, *sums]
    parts = tuple(
        (slug, labels[slug], sums[slug][0], sums[slug][1])
        for slug in dict.fromkeys(order)
        if slug in sums
    )
    total = sum((value for _, _, value, _ in parts), Decimal(0))
    label = ngettext("Others (%(count)s donor)", "Others (%(count)s donors)", len(rest)) % {
        "count": whole_number(len(rest))
    }
    return [*rows[:TOP_DONORS], _Row(OTHERS_SLUG, label, "", total, money_compact(total), parts)]


def chart_donor_bars(
    rows: Iterable[Mapping],
    *,
    categories: Sequence[tuple[str, str]],
    colours: Mapping[str, str] | None = None,
    chart_id: str = "donor-chart",
) -> BarChart | None:
    """Totals by donor, one bar per donor stacked by category, largest first: the
    ``TOP_DONORS`` largest, then one bar of the others (slug ``others``). The data table lists
    every donor.

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
        values = {slug: as_decimal(value) for slug, value in row["values"].items() if value}
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
    drawn = _top_and_others(prepared, labels)

    used = {slug for row in prepared for slug, *_ in row.parts}
    legend = tuple(
        LegendItem(slug, labels[slug], palette[slug])
        for slug in [*known, OTHER_SLUG]
        if slug in used
    )
    columns = [item.slug for item in legend]
    total = sum((row.total for row in prepared), Decimal(0))

    def cells(values: Mapping[str, Decimal], row_total: Decimal) -> tuple[str, ...]:
        return (
            *(whole_number(values.get(slug, Decimal(0))) for slug in columns),
            whole_number(row_total),
        )

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
    ) % {"count": whole_number(count), "total": money_compact(total)}
    description = (
        gettext("Horizontal bars, largest first, split by category.")
        + " "
        + summary
        + ". "
        + (
            gettext("The %(top)s largest donors are drawn, the others as one bar.")
            % {"top": whole_number(TOP_DONORS)}
            + " "
            if len(drawn) < len(prepared)
            else ""
        )
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
        drawn,
        chart_id=chart_id,
        axis_title=gettext("Pledged, in euros"),
        tick_label=lambda value: money_label(value, chart_language(None), exact=True),
        integer=False,
        legend=legend,
        summary=summary,
        description=description,
        table=table,
        tooltip=tooltip,
    )
