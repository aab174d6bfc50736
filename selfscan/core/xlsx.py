"""XLSX sheets that Excel users can work with: one way for every export of the platform.

A sheet gets a frozen header row, an autofilter over its table, column widths from its content
(within bounds) and number formats: shares (fractions 0..1) as percentages with one decimal,
whole numbers as whole numbers. Every text cell passes the formula guard. Streams in write-only
mode, so a large export does not hold its cells in memory; widths are therefore judged from the
header and the first `SAMPLE_ROWS` rows. See docs/exports.md.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from selfscan.core.spreadsheets import safe_cell

PERCENT = "0.0%"
DATETIME = "dd-mm-yyyy hh:mm"
INTEGER = "0"
SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Number:
    """A number written with its own number format (e.g. a mean with two decimals)."""

    value: float | int
    number_format: str


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float | Number):
        return 8
    if isinstance(value, datetime):
        return 16
    return max((len(part) for part in str(value).split("\n")), default=0)


def add_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    percent_columns: Collection[int] = (),
    progress: Any = None,
) -> WriteOnlyWorksheet:
    """Append a sheet `title` to a write-only `workbook` with `header` and `rows`.

    `percent_columns` are 0-based indexes of columns holding shares (0..1). Rows are read in a
    stream; the first `SAMPLE_ROWS` are held back only to size the columns."""
    sheet = workbook.create_sheet(title[:31])
    iterator = iter(rows)
    sample: list[Sequence[Any]] = []
    for row in iterator:
        sample.append(row)
        if len(sample) >= SAMPLE_ROWS:
            break
    widths = [_width(h) + 2 for h in header]
    for row in sample:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _width(value) + 1)
    for i, width in enumerate(widths):
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    percent = set(percent_columns)
    count = 0

    def write(row: Sequence[Any]) -> None:
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, Number):
                cell = WriteOnlyCell(sheet, value=value.value)
                cell.number_format = value.number_format
            else:
                cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(value, Number):
                pass
            elif i in percent and isinstance(value, int | float):
                cell.number_format = PERCENT
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = INTEGER
            elif isinstance(value, datetime):
                cell.number_format = DATETIME
            cells.append(cell)
        sheet.append(cells)

    for row in sample:
        write(row)
        count += 1
    for row in iterator:
        write(row)
        count += 1
        if progress and count % 5000 == 0:
            progress(count)
    last = get_column_letter(max(1, len(header)))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    return sheet
