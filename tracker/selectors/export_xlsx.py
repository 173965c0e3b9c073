"""XLSX download: the CSV export's rows and columns (tracker/selectors/export.py) as a workbook
whose cells have types: numbers are numbers, dates dates, yes/no booleans, and text is text.

Text is written as a string cell whatever it starts with, so no spreadsheet runs it as a
formula: "=1+1" in the notes reads "=1+1", unchanged, and a cell that starts like a formula
carries Excel's own "quote prefix" (what typing a leading ``'`` does), so that editing it in
Excel keeps it text too. No mark is added to the text itself, unlike the CSV's.

The workbook is built in openpyxl's write-only mode, rows streamed from the database into a
temporary file; openpyxl still keeps each distinct text in memory (the shared strings), so the
view refuses more than ``settings.PLEDGE_XLSX_MAX_ROWS`` rows and points at the CSV.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, date, datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from articles.models import Sentence
from articles.text_fragments import text_fragment_url
from tracker.formulas import NEUTRALISED_STARTS
from tracker.selectors.export import (
    COLUMNS,
    DECIMAL_PLACES,
    PROVISIONAL_MARK,
    READ,
    Exported,
    export_values,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Control characters that XML 1.0, and so XLSX, cannot hold (tab and line breaks it can).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_FORMAT = "yyyy-mm-dd"
#: The CSV's ``2026-10-30 (provisional)``, kept a date: the mark is only its display.
PROVISIONAL_FORMAT = f'{DATE_FORMAT}"{PROVISIONAL_MARK}"'
TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _text(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=NOT_IN_XML.sub("\ufffd", value))
    # openpyxl reads a string starting with "=" as a formula: say it is a string.
    cell.data_type = "s"
    if value.startswith(NEUTRALISED_STARTS):
        cell.quotePrefix = True
    return cell


def _formatted(sheet: Any, value: object, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _cell(sheet: Any, name: str, kind: str, value: object, provisional: bool):
    """One cell of the column ``name``, of the export's ``kind``, holding ``value``."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _text(sheet, value)
    if kind == "fx_date" and isinstance(value, date):
        return _formatted(sheet, value, PROVISIONAL_FORMAT if provisional else DATE_FORMAT)
    if isinstance(value, datetime):
        # Excel has no time zones: the time in UTC, as the CSV writes it.
        naive = value.astimezone(UTC).replace(microsecond=0, tzinfo=None)
        return _formatted(sheet, naive, TIMESTAMP_FORMAT)
    if isinstance(value, date):
        return _formatted(sheet, value, DATE_FORMAT)
    if name in DECIMAL_PLACES:
        return _formatted(sheet, value, "0." + "0" * DECIMAL_PLACES[name])
    return value


def export_xlsx(queryset: Exported, *, reader_url: str) -> IO[bytes]:
    """The workbook of ``queryset``, one sheet of the CSV export's columns, in a temporary
    file at its start. ``reader_url`` is the site's absolute root, for the sentence links."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pledges")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    names = [name for name, _, _ in READ]
    kinds = [kind for _, _, kind in READ]
    slug_at, position_at = names.index("article_slug"), names.index("sentence_position")
    provisional_at = names.index("fx_provisional")
    url_at, text_at = names.index("article_url"), names.index("sentence_text")
    link_at = COLUMNS.index("sentence_link")
    rows = export_values(queryset).values_list(*(f"c_{name}" for name in names))
    for row in rows.iterator(chunk_size=2000):
        provisional = bool(row[provisional_at])
        cells = [
            _cell(sheet, name, kind, value, provisional)
            for name, kind, value in zip(names, kinds, row, strict=True)
        ]
        link = f"{reader_url}/articles/{row[slug_at]}/#{Sentence.anchor_of(row[position_at])}"
        cells.insert(link_at, _text(sheet, link))
        source_link = text_fragment_url(row[url_at], row[text_at])
        cells.append(_text(sheet, source_link) if source_link else None)
        sheet.append(cells)

    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    workbook.save(out)
    out.seek(0)
    return out
