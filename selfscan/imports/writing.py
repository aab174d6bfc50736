"""Writing result files: the example files of the staff page and the long-layout export that
`import_round` reads back. Plain functions: rows in, bytes out; every cell formula-safe."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from selfscan.core.spreadsheets import safe_row
from selfscan.core.xlsx import add_sheet

LONG_HEADER = ["vestigingscode", "stelling", "antwoord", "toelichting"]
KEY_HEADER = "vestigingscode"


def to_csv(rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> bytes:
    """CSV in UTF-8 with a BOM (so that Excel shows accents), `;`-separated by default."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(safe_row(list(row)))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[Sequence[Any]], *, title: str = "Resultaten") -> bytes:
    """The first row is the header: frozen, with a filter and widths (selfscan.core.xlsx)."""
    workbook = Workbook(write_only=True)
    iterator = iter(rows)
    header = [str(v) for v in next(iterator, [])]
    add_sheet(workbook, title, header, iterator)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_rows(answers: Iterable[tuple[str, str, str, str]]) -> list[list[str]]:
    """The statement-level export: one row per school × statement with answer code and comment."""
    return [LONG_HEADER, *[list(row) for row in answers]]
