"""Paired horizontal bars: per row, one figure of two sources side by side (ours and Kiel's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext

from tracker.charts.bars import horizontal_axis
from tracker.charts.numbers import (
    as_decimal,
    chart_language,
    fit_text,
    money_compact,
    money_label,
    rounded,
    text_width,
    whole_number,
)
from tracker.charts.shapes import (
    FONT,
    SMALL_FONT,
    WIDTH,
    BarPair,
    LegendItem,
    PairedBarChart,
    PairedValue,
    Table,
    TableRow,
)

_AXIS_TITLE_Y = SMALL_FONT
_TICK_Y = _AXIS_TITLE_Y + 6 + SMALL_FONT
_BARS_TOP = _TICK_Y + 8
_NAME_GAP = 8
_BAR_HEIGHT = 14
_BAR_GAP = 3
_ROW_GAP = 16
_ROW = FONT + _NAME_GAP + 2 * _BAR_HEIGHT + _BAR_GAP + _ROW_GAP
_VALUE_GAP = 6


def chart_paired_bars(
    rows: Iterable[Mapping],
    *,
    series: Sequence[tuple[str, str, str]],
    axis_title: str,
    missing_label: str,
    chart_id: str = "paired-chart",
) -> PairedBarChart | None:
    """Per row, one bar per series on a shared axis, in the rows' order.

    ``rows``: ``{"slug": str, "label": str, "values": {series slug: Decimal | None}}``, in
    euros; ``None`` is no figure, drawn as ``missing_label`` instead of a bar, never as zero.
    ``series``: (slug, label, colour) in drawing order. Negative values (Kiel's corrections
    can outweigh a donor's items) are drawn as no bar, their value still written. ``None``
    when no value is above zero.
    """
    prepared = [
        (
            str(row["slug"]),
            str(row["label"]),
            {
                slug: None if row["values"].get(slug) is None else as_decimal(row["values"][slug])
                for slug, _, _ in series
            },
        )
        for row in rows
    ]
    values = [value for _, _, figures in prepared for value in figures.values() if value]
    if not values or max(values) <= 0:
        return None
    labels = {
        (slug, key): money_compact(value) if value is not None else missing_label
        for slug, _, figures in prepared
        for key, value in figures.items()
    }
    reserve = max(text_width(label, SMALL_FONT) * 1.1 for label in labels.values()) + _VALUE_GAP
    plot_right, ticks = horizontal_axis(
        max(values),
        reserve,
        lambda value: money_label(value, chart_language(None), exact=True),
        integer=False,
    )
    scale = plot_right / float(ticks[-1].value)
    pairs = []
    for i, (slug, label, figures) in enumerate(prepared):
        top = _BARS_TOP + i * _ROW + FONT + _NAME_GAP
        bars = []
        for j, (key, series_label, colour) in enumerate(series):
            value = figures[key]
            width = rounded(max(float(value or 0), 0) * scale)
            y = rounded(top + j * (_BAR_HEIGHT + _BAR_GAP))
            value_label = labels[(slug, key)]
            bars.append(
                PairedValue(
                    series=key,
                    value=value,
                    value_label=value_label,
                    y=y,
                    width=width,
                    height=_BAR_HEIGHT,
                    colour=colour,
                    value_x=rounded(width + _VALUE_GAP),
                    value_y=rounded(y + _BAR_HEIGHT / 2),
                    tooltip=f"{label}, {series_label}: {value_label}",
                )
            )
        pairs.append(
            BarPair(
                slug=slug,
                label=label,
                name=fit_text(label, WIDTH, FONT),
                name_y=rounded(top - _NAME_GAP),
                values=tuple(bars),
            )
        )
    plot_bottom = rounded(_BARS_TOP + len(prepared) * _ROW - _ROW_GAP / 2)
    count = len(prepared)
    summary = gettext("%(count)s donors, largest Kiel figure first") % {
        "count": whole_number(count)
    }
    description = (
        gettext("Pairs of horizontal bars, one pair per donor: %(series)s.")
        % {"series": ", ".join(series_label for _, series_label, _ in series)}
        + " "
        + "; ".join(
            f"{pair.label}: "
            + ", ".join(f"{s_label} {labels[(pair.slug, key)]}" for key, s_label, _ in series)
            for pair in pairs
        )
        + "."
    )
    table = Table(
        caption=gettext("Amounts in euros"),
        head=(gettext("Donor"), *(series_label for _, series_label, _ in series)),
        rows=tuple(
            TableRow(
                label,
                tuple(_cell(figures[key], missing_label) for key, _, _ in series),
            )
            for _, label, figures in prepared
        ),
    )
    return PairedBarChart(
        id=chart_id,
        width=WIDTH,
        height=rounded(plot_bottom + 2),
        plot_left=0,
        plot_right=rounded(plot_right),
        plot_top=_BARS_TOP,
        plot_bottom=plot_bottom,
        axis_title=axis_title,
        axis_title_y=_AXIS_TITLE_Y,
        tick_y=_TICK_Y,
        ticks=tuple(ticks),
        pairs=tuple(pairs),
        legend=tuple(LegendItem(slug, label, colour) for slug, label, colour in series),
        summary=summary,
        description=description,
        table=table,
    )


def _cell(value: Decimal | None, missing_label: str) -> str:
    return missing_label if value is None else whole_number(value)
