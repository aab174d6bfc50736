"""Formula-safe cells for CSV and XLSX exports, and the one bounded reader of spreadsheets.

A cell that starts with =, +, -, @, a tab or a carriage return can be executed as a formula by
spreadsheet programs (CSV injection). Such text is prefixed with an apostrophe, the convention
spreadsheet programs show as plain text. Numbers stay numbers.

Leading whitespace of any kind and invisible format characters (Unicode category Cf: zero-width
space and joiners, soft hyphen, byte order mark, direction marks) are looked through
(" =HYPERLINK(...)", "\u200b=1+1": importers that trim or drop them would otherwise run it), and
the full-width forms of the signs count too (some spreadsheet programs treat "＝" as "=" on
input). See docs/decisions/0070-formula-guard-scope.md.

Every CSV file the platform writes for spreadsheet users (results, progress list, survey
exports) goes through `write_csv`: UTF-8 with a byte-order mark, in the CSV variant of the
interface language (`csv_dialect`, docs/decisions/0235 and 0270), every text cell guarded.
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _looked_through(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def needs_guard(text: str) -> bool:
    """True when `text` could be run as a formula by a spreadsheet program."""
    for char in text:
        if char in "\t\r":  # dangerous in itself, also after spaces
            return True
        if not _looked_through(char):
            return char in DANGEROUS_PREFIXES
    return False


def safe_cell(value: Any) -> Any:
    """Return `value` unchanged unless it is text a spreadsheet could run as a formula."""
    if isinstance(value, str) and needs_guard(value):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


# --- writing CSV -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvDialect:
    """Separator and decimal mark of a CSV file, chosen by the interface language
    (docs/decisions/0235): Dutch spreadsheet programs want `;` and a decimal comma, English ones
    `,` and a decimal point."""

    delimiter: str
    decimal: str


DUTCH_CSV = CsvDialect(";", ",")
ENGLISH_CSV = CsvDialect(",", ".")


def csv_dialect(language: str | None = None) -> CsvDialect:
    """The CSV variant of `language` (default: the active language): Dutch unless English."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return ENGLISH_CSV if language.split("-")[0] == "en" else DUTCH_CSV


def csv_value(value: Any, decimal: str = ",") -> Any:
    """A cell as spreadsheet programs read it: a fraction with the decimal mark of the file
    ("0,75" in the Dutch file, never "0.75", which Dutch Excel takes for text or a date; "0.75"
    in the English one), without float noise; a Decimal with its own decimals ("3,50"); None as
    an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f").replace(".", decimal)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", decimal)
    return value


def csv_cell(value: Any, decimal: str = ",") -> Any:
    """`csv_value`, formula-guarded: a number (int, float, Decimal) is written as digits, a sign
    and the decimal mark, which no spreadsheet runs as a formula, so it stays a number ("-0,5",
    not "'-0,5"); anything else is written as its text and passes `safe_cell`."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return csv_value(value, decimal)
    if value is None:
        return ""
    return safe_cell(str(value))


def write_csv(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    dialect: CsvDialect | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """UTF-8 with BOM and `\r\n` line ends; by default in the active language's variant: `;`
    and decimal commas in Dutch (opens correctly in Dutch Excel), `,` and decimal points in
    English. Every cell, the header too, passes `csv_cell`; `progress` hears every 5,000 rows."""
    dialect = dialect or csv_dialect()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([csv_cell(v, dialect.decimal) for v in header])
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(v, dialect.decimal) for v in row])
        if progress and n % 5000 == 0:
            progress(n)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- reading ---------------------------------------------------------------------------------
#
# Every spreadsheet the platform reads (the register import, the results import) goes through
# `xlsx_rows` or `csv_rows`: rows come as a stream, and reading stops with a SheetError once the
# rows with data or the cells pass the caller's limits. A workbook whose declared size (its
# <dimension>) is already past them is refused before a row is read; the declaration is not
# trusted otherwise (it can be absent, or lie), so the stream counts what it really reads, and
# rows are padded only to their own last cell, never to the declared width
# (docs/decisions/0161-one-spreadsheet-reader.md).


# Generous room per allowed cell for the unpacked workbook (XML markup, styles, long texts).
UNPACKED_BYTES_PER_CELL = 200


class SheetError(Exception):
    """The file cannot be read, or is larger than the limits; the message says why in Dutch."""


class SheetTooLarge(SheetError):
    """The file holds (or declares) more rows or cells than the limits."""


@dataclass(frozen=True)
class Limits:
    """How much one file may hold: rows with data below the header row, and cells in all rows
    read (empty cells before a row's last cell count too: they cost the same to read).

    `rows_message` and `cells_message` may replace the general messages; they get `%(max)s`.
    """

    max_rows: int
    max_cells: int
    rows_message: str | None = None
    cells_message: str | None = None

    def too_many_rows(self) -> SheetTooLarge:
        message = self.rows_message or _(
            "Het bestand heeft meer dan %(max)s rijen met gegevens; zoveel kan deze import niet "
            "verwerken. Controleer of u het goede bestand hebt gekozen."
        )
        return SheetTooLarge(message % {"max": number_format(self.max_rows, force_grouping=True)})

    def too_many_cells(self) -> SheetTooLarge:
        message = self.cells_message or _(
            "Het bestand heeft meer dan %(max)s cellen; zoveel kan deze import niet verwerken. "
            "Verwijder lege rijen en kolommen en kolommen die niet bij de import horen."
        )
        return SheetTooLarge(message % {"max": number_format(self.max_cells, force_grouping=True)})


def limited_rows(rows: Iterable[Sequence[Any]], limits: Limits) -> Iterator[list[Any]]:
    """Pass `rows` on as lists, counting rows with data (after the first: the header) and all
    cells; raise a SheetError as soon as either passes `limits`."""
    cells = 0
    data_rows = -1  # the first row with data is the header
    for row in rows:
        cells += len(row)
        if cells > limits.max_cells:
            raise limits.too_many_cells()
        if any(value is not None and value != "" for value in row):
            data_rows += 1
            if data_rows > limits.max_rows:
                raise limits.too_many_rows()
        yield list(row)


def csv_rows(text: str, delimiter: str, limits: Limits) -> Iterator[list[str]]:
    """The rows of CSV text within `limits`; an unreadable CSV raises a SheetError."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from limited_rows(reader, limits)
    except csv.Error as exc:
        raise SheetError(_("Het CSV-bestand is niet te lezen: %(error)s") % {"error": exc}) from exc


@dataclass
class XlsxRows:
    """The first worksheet of a workbook, opened: its rows (a stream) and its declared rows."""

    rows: Iterator[list[Any]]
    declared_rows: int  # for progress only: 0 when the sheet does not say


def xlsx_rows(content: bytes, limits: Limits) -> XlsxRows:
    """Open the first worksheet of XLSX `content` for streaming within `limits`.

    Raises SheetError when the workbook cannot be opened or declares a size past the limits;
    iterating the rows may raise SheetError too (a broken part, or the limits reached).
    """
    from openpyxl import load_workbook

    # openpyxl reads some parts whole (the shared strings), so a highly compressed part is
    # refused by the sizes the zip declares (what Python's zipfile will unpack at most).
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SheetError(
            _("Het Excel-bestand is niet te lezen (%(error)s).") % {"error": exc.__class__.__name__}
        ) from exc
    if unpacked > limits.max_cells * UNPACKED_BYTES_PER_CELL:
        raise SheetTooLarge(
            _(
                "Het Excel-bestand is uitgepakt %(mb)s MB groot; dat is meer dan deze import kan "
                "verwerken. Kopieer alleen de gegevens naar een nieuwe werkmap, of sla het "
                "bestand op als CSV."
            )
            % {"mb": number_format(unpacked // 1_000_000, force_grouping=True)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken zip or workbook
        raise SheetError(
            _("Het Excel-bestand is niet te lezen (%(error)s).") % {"error": exc.__class__.__name__}
        ) from exc
    if not workbook.worksheets:
        workbook.close()
        raise SheetError(_("Het Excel-bestand heeft geen werkblad."))
    sheet = workbook.worksheets[0]
    declared_rows = declared_columns = 0
    if all(isinstance(n, int) for n in (sheet.min_row, sheet.max_row)):
        declared_rows = sheet.max_row - sheet.min_row + 1
    if all(isinstance(n, int) for n in (sheet.min_column, sheet.max_column)):
        declared_columns = sheet.max_column - sheet.min_column + 1
    if declared_rows * declared_columns > limits.max_cells or declared_rows - 1 > limits.max_rows:
        workbook.close()
        raise SheetTooLarge(
            _(
                "Het werkblad is volgens het bestand zelf %(rows)s rijen bij %(columns)s kolommen "
                "groot; dat is meer dan deze import kan verwerken (hoogstens %(max)s cellen). "
                "Verwijder lege rijen en kolommen, of kopieer alleen de gegevens naar een nieuwe "
                "werkmap."
            )
            % {
                "rows": number_format(declared_rows, force_grouping=True),
                "columns": number_format(declared_columns, force_grouping=True),
                "max": number_format(limits.max_cells, force_grouping=True),
            }
        )
    # Rows are padded to their own last cell only, not to a declared width that may lie.
    sheet.reset_dimensions()

    def rows() -> Iterator[list[Any]]:
        try:
            yield from limited_rows(sheet.iter_rows(values_only=True), limits)
        except SheetError:
            raise
        except Exception as exc:  # a broken part of the workbook shows only while reading
            raise SheetError(
                _("Het Excel-bestand is niet te lezen (%(error)s).")
                % {"error": exc.__class__.__name__}
            ) from exc
        finally:
            workbook.close()

    return XlsxRows(rows(), declared_rows)
