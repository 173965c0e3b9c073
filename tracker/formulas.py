"""Text cells that a spreadsheet would run as a formula: neutralised in every file the site
writes (the public CSVs, the admin's export), and restored when the admin imports one.

OWASP's advice against CSV injection: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a leading ``'``. A cell that starts with ``'`` itself gets one more, so
that the mark can always be taken off again: the admin's export, imported back, changes
nothing, whatever the notes start with.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
#: What a neutralised cell may start with: a formula, or the quote that marks one.
NEUTRALISED_STARTS = (*FORMULA_STARTS, QUOTE)


def cell_neutralise(value: str) -> str:
    """``value`` with a leading quote if a spreadsheet would evaluate it (or if it starts with
    a quote, so that ``cell_restore`` can tell the two apart)."""
    return QUOTE + value if value.startswith(NEUTRALISED_STARTS) else value


def cell_restore(value: str) -> str:
    """The text ``cell_neutralise`` was given. A quote typed by hand before ordinary text
    ("'Patriot' systems") is no mark and stays."""
    if value.startswith(QUOTE) and value[1:].startswith(NEUTRALISED_STARTS):
        return value[1:]
    return value
