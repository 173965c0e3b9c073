"""Statistics and tables for the benchmark: medians, percentiles, aligned and Markdown tables."""

from __future__ import annotations

import math
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default, "inclusive").

    With 15 samples the 95th percentile lies between the two slowest requests, so a single
    outlier moves it less than the nearest-rank method (which would report the maximum).
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= fraction <= 1:
        raise ValueError("fraction is between 0 and 1")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def p95(values: Sequence[float]) -> float:
    return percentile(values, 0.95)


def number_format(value: float | int | None, digits: int | None = None) -> str:
    """Milliseconds, ratios and counts as people read them: few digits, thousands apart."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    if digits is None:
        magnitude = abs(value)
        digits = 2 if magnitude < 10 else 1 if magnitude < 100 else 0
    return f"{value:,.{digits}f}"


def bytes_format(value: int | None) -> str:
    if value is None:
        return "–"
    for unit, size in (("MB", 1_000_000), ("kB", 1_000)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value} B"


def _is_numeric(cell: str) -> bool:
    # "–" is number_format's "no value": it sits in a figure column.
    return cell == "–" or (bool(cell) and cell[0].isdigit())


def table_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table for the terminal: text left-aligned, figures right-aligned."""
    widths = [len(title) for title in header]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if _is_numeric(cell) else cell.ljust(width)
            for cell, width in zip(cells, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def table_markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub Markdown table; figure columns are right-aligned."""
    numeric = [
        bool(rows) and all(_is_numeric(row[i]) for row in rows if row[i])
        for i in range(len(header))
    ]

    def escape(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = [
        "| " + " | ".join(escape(title) for title in header) + " |",
        "|" + "|".join("---:" if right else "---" for right in numeric) + "|",
    ]
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
