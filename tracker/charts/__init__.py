"""Server-rendered SVG charts: plain data in, coordinates and labels out.

The selectors compute figures and hand them over as plain Python data; nothing here touches the
database. Templates in ``templates/tracker/charts/`` draw what these functions return, so every
coordinate, tick and label is decided (and tested) in Python.

``numbers`` words money and picks ticks, ``shapes`` holds what templates draw, ``bars``,
``pairs``, ``timeline`` and ``in_kind`` lay out the kinds of chart.
"""

from __future__ import annotations

from tracker.charts.bars import TOP_DONORS, chart_donor_bars
from tracker.charts.in_kind import chart_in_kind, item_key
from tracker.charts.numbers import money_compact, nice_ticks
from tracker.charts.pairs import chart_paired_bars
from tracker.charts.shapes import CATEGORY_COLOURS, FONT, WIDTH
from tracker.charts.timeline import MAX_BARS, chart_timeline

__all__ = [
    "CATEGORY_COLOURS",
    "FONT",
    "MAX_BARS",
    "TOP_DONORS",
    "WIDTH",
    "chart_donor_bars",
    "chart_in_kind",
    "chart_paired_bars",
    "chart_timeline",
    "item_key",
    "money_compact",
    "nice_ticks",
]
