"""Server-rendered SVG charts: plain data in, coordinates and labels out.

The selectors compute figures and hand them over as plain Python data; nothing here touches the
database. Templates in ``templates/tracker/charts/`` draw what these functions return, so every
coordinate, tick and label is decided (and tested) in Python.

``numbers`` words money and picks ticks, ``shapes`` holds what templates draw, ``bars``, ``pairs``
and ``timeline`` lay out the kinds of chart.
"""

from __future__ import annotations

from tracker.charts.bars import chart_donor_bars, chart_in_kind
from tracker.charts.numbers import money_compact, nice_ticks
from tracker.charts.pairs import chart_paired_bars
from tracker.charts.shapes import CATEGORY_COLOURS, FONT, WIDTH
from tracker.charts.timeline import MAX_BARS, chart_timeline

__all__ = [
    "CATEGORY_COLOURS",
    "FONT",
    "MAX_BARS",
    "WIDTH",
    "chart_donor_bars",
    "chart_in_kind",
    "chart_paired_bars",
    "chart_timeline",
    "money_compact",
    "nice_ticks",
]
