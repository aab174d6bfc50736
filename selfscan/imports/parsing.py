"""Reading a results spreadsheet into plain entries: no database, no Django models.

Two layouts are understood:
- wide: one row per school; a key column (vestigingscode), one column per statement code, and
  optional comment columns named `<code> toelichting` or `<code>_opmerking`;
- long: one row per school × statement, with columns for the vestigingscode, the statement code,
  the answer and optionally a comment.

Files are CSV (`;`, `,` or tab, sniffed; UTF-8 with or without BOM, UTF-16 with BOM, or
Windows-1252, detected) or XLSX (first worksheet). The parser only finds the cells; whether a
school, code or answer is valid is decided in `selfscan.imports.services` against a round.
Every entry keeps its spreadsheet row and column so that problems can name them.

Files are read as a stream of rows, and reading stops with a ParseError past MAX_DATA_ROWS rows
with data or MAX_CELLS cells in them: no round's results are that large, and the limits bound the
time and memory of a dry run whatever the file holds (docs/decisions/0061-import-jobs.md).
"""

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from selfscan.core.spreadsheets import Limits, SheetError, csv_rows, needs_guard, xlsx_rows

WIDE = "wide"
LONG = "long"
LAYOUTS = (WIDE, LONG)

KEY_HEADERS = {
    "vestigingscode",
    "vestiging",
    "vestigingsnummer",
    "brin_vestiging",
    "brinvestiging",
    "brin vestiging",
    "schoolcode",
    "school",
    "code school",
    "location code",
}
# English names too, so that an export made with the English interface reads back.
CODE_HEADERS = {
    "stelling",
    "stellingcode",
    "code stelling",
    "stelling code",
    "item",
    "itemcode",
    "statement",
    "statement code",
}
ANSWER_HEADERS = {"antwoord", "antwoordcode", "antwoord code", "score", "waarde", "answer"}
COMMENT_HEADERS = {"toelichting", "opmerking", "opmerkingen", "comment"}
NVT_EXPLANATION_HEADERS = {"uitleg nvt", "uitleg n.v.t.", "toelichting nvt", "toelichting n.v.t."}
# Columns that describe the row for people and are ignored (school name, theme, texts ...).
INFO_HEADERS = {
    "naam",
    "schoolnaam",
    "vestigingsnaam",
    "sector",
    "soort",
    "wijk",
    "stadsdeel",
    "bestuur",
    "bevoegd gezag",
    "bevoegd gezag nummer",
    "thema",
    "themacode",
    "stellingtekst",
    "tekst",
    "antwoordlabel",
    "label",
    "ronde",
    "normversie",
    "status",
}
# The day a school submitted its scan in the earlier round (optional; one cell per school).
# Without it an imported complete scan counts as submitted on the round's closing date.
SUBMITTED_HEADERS = {
    "ingediend op",
    "datum ingediend",
    "datum indienen",
    "submitted on",
}
COMMENT_SUFFIXES = ("toelichting", "opmerking", "opmerkingen")
NVT_SUFFIXES = ("uitleg nvt", "uitleg n.v.t.")
_SUFFIX_RE = re.compile(
    r"^(?P<code>.+?)[\s_\-]*[\(\[]?(?P<suffix>"
    + "|".join(re.escape(s) for s in (*NVT_SUFFIXES, *COMMENT_SUFFIXES))
    + r")[\)\]]?$"
)

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"

# A round of 7,000 schools × 70 statements is 490,000 rows in the long layout (a real partnership
# has about 100 schools): more rows with data cannot be one round's results.
MAX_DATA_ROWS = 500_000
# Cells in the rows read (the long export has 9 columns, a wide file about 215): bounds the work
# for files with very many columns, also empty ones.
MAX_CELLS = 5_000_000
PROGRESS_EVERY = 10_000  # rows between two calls of a progress callback

# Called with (rows read, estimated rows in the file).
RowProgress = Callable[[int, int], None]


# The file cannot be read at all (not a spreadsheet, no header, no key column, too large).
ParseError = SheetError


def _limits() -> Limits:
    """This import's limits (read when a file is opened, so that tests can lower them)."""
    return Limits(
        max_rows=MAX_DATA_ROWS,
        max_cells=MAX_CELLS,
        rows_message=_(
            "Het bestand heeft meer dan %(max)s rijen met gegevens; zoveel kunnen de "
            "resultaten van één ronde niet zijn. Controleer of u het goede bestand hebt "
            "gekozen."
        ),
        cells_message=_(
            "Het bestand heeft meer dan %(max)s cellen; zoveel kunnen de resultaten van één "
            "ronde niet zijn. Verwijder lege kolommen en kolommen die niet bij de import horen."
        ),
    )


@dataclass(frozen=True, slots=True)
class Location:
    """A cell: 1-based spreadsheet row, 0-based column index, and the column's header."""

    row: int
    column: int | None = None
    header: str = ""

    @property
    def column_letter(self) -> str:
        return column_letter(self.column) if self.column is not None else ""

    def __str__(self) -> str:
        if self.column is None:
            return _("rij %(row)s") % {"row": self.row}
        if self.header:
            return _("rij %(row)s, kolom %(column)s (%(header)s)") % {
                "row": self.row,
                "column": self.column_letter,
                "header": self.header,
            }
        return _("rij %(row)s, kolom %(column)s") % {"row": self.row, "column": self.column_letter}


@dataclass(slots=True)
class Entry:
    """One cell's answer (and comment) for one school and one statement."""

    row: int
    school: str
    school_column: int
    code: str
    code_column: int  # long layout: the code column; wide layout: the statement's column
    answer: str
    answer_column: int
    comment: str = ""
    nvt_explanation: str = ""


@dataclass
class SchoolRow:
    """Where a school first appears (wide layout: its row)."""

    school: str
    row: int
    column: int


@dataclass
class ParsedSheet:
    """What the parser found: the layout, the entries, and file-level facts for the dry run."""

    layout: str
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    key_header: str = ""
    entries: list[Entry] = field(default_factory=list)
    # Wide layout: statement code per column; long layout: empty.
    code_columns: dict[int, str] = field(default_factory=dict)
    school_rows: list[SchoolRow] = field(default_factory=list)
    header_row: int = 1
    ignored_columns: list[Location] = field(default_factory=list)
    # A header that repeats an earlier one: (where, column index of the first).
    duplicate_columns: list[tuple[Location, int]] = field(default_factory=list)
    missing_keys: list[Location] = field(default_factory=list)
    data_rows: int = 0
    # Every non-empty cell of the submission-date column: (school, where, text).
    submitted_cells: list[tuple[str, Location, str]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def normalise_header(value: Any) -> str:
    return " ".join(cell_text(value).replace("\u00a0", " ").split()).lower()


def cell_text(value: Any) -> str:
    """A cell as stripped text; whole numbers from spreadsheets lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def date_cell_text(value: Any) -> str:
    """A date cell as text: spreadsheet dates (and date-times) as JJJJ-MM-DD."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_text(value)


def unescape_formula_guard(text: str) -> str:
    """Undo `safe_cell`: exports prefix formula-like text with an apostrophe."""
    if len(text) > 1 and text[0] == "'" and needs_guard(text[1:]):
        return text[1:]
    return text


def normalise_school_key(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A numeric vestigingscode in a spreadsheet lost its leading zeros.
        return str(int(value)).zfill(6)
    return cell_text(value).upper().replace(" ", "")


# --- reading the raw rows -------------------------------------------------------------------


@dataclass
class RowSource:
    """A file opened for reading: its format, encoding and delimiter, and its rows as a stream."""

    file_format: str
    encoding: str
    delimiter: str
    rows: Iterator[list[Any]]
    estimated_rows: int  # for progress only


def read_rows(content: bytes) -> tuple[str, str, str, list[list[Any]]]:
    """The file's format, encoding, delimiter and rows of cell values."""
    source = open_rows(content)
    return source.file_format, source.encoding, source.delimiter, list(source.rows)


def open_rows(content: bytes) -> RowSource:
    """Open `content` as CSV or XLSX; the rows are read while they are iterated (a ParseError
    may come from the iteration too)."""
    if not content.strip():
        raise ParseError(_("Het bestand is leeg."))
    if content.startswith(XLS_MAGIC):
        raise ParseError(
            _(
                "Dit is een oud Excel-bestand (.xls). Sla het op als Excel-werkmap (.xlsx) of "
                "als CSV en probeer het opnieuw."
            )
        )
    if content.startswith(XLSX_MAGIC):
        return _open_xlsx(content)
    encoding, text = decode_text(content)
    if "\x00" in text:
        # A binary file; PostgreSQL cannot store a NUL character in a comment anyway.
        raise ParseError(
            _("Het bestand bevat nul-tekens. Sla het op als CSV (UTF-8) of als Excel-werkmap.")
        )
    delimiter = sniff_delimiter(text)
    rows = csv_rows(text, delimiter, _limits())
    return RowSource("csv", encoding, delimiter, rows, text.count("\n") + 1)


def _open_xlsx(content: bytes) -> RowSource:
    sheet = xlsx_rows(content, _limits())
    return RowSource("xlsx", "", "", sheet.rows, sheet.declared_rows)


def decode_text(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", content[3:].decode("utf-8", errors="strict")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", content.decode("utf-16")
    try:
        return "utf-8", content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "cp1252", content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ParseError(
            _(
                "De tekenset van het bestand is niet te herkennen; sla het op als CSV in UTF-8 "
                "of als Excel-werkmap."
            )
        ) from exc


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: `;`, `,` or a tab, whichever occurs most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: _count_outside_quotes(first, delimiter) for delimiter in ";,\t"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


# --- layouts --------------------------------------------------------------------------------


def detect_layout(headers: list[str]) -> str:
    """Long when the header names a statement-code column and an answer column, else wide."""
    names = set(headers)
    return LONG if names & CODE_HEADERS and names & ANSWER_HEADERS else WIDE


def parse(
    content: bytes, layout: str | None = None, *, progress: RowProgress | None = None
) -> ParsedSheet:
    """Read `content` (CSV or XLSX bytes) in the given or detected layout.

    Raises ParseError when the file as a whole cannot be read, or has more than MAX_DATA_ROWS rows
    with data or MAX_CELLS cells in them; problems in single cells are left to the validation
    against a round. `progress` is called now and then with (rows read, estimated rows).
    """
    source = open_rows(content)
    rows = source.rows
    header_index, first = next(
        ((index, row) for index, row in enumerate(rows) if any(cell_text(c) for c in row)),
        (-1, []),
    )
    if header_index < 0:
        raise ParseError(_("Het bestand is leeg."))
    raw_headers = [cell_text(c) for c in first]
    headers = [normalise_header(c) for c in raw_headers]
    if layout is None:
        layout = detect_layout(headers)
    if layout not in LAYOUTS:
        raise ParseError(_("Onbekende indeling: %(layout)s.") % {"layout": layout})
    sheet = ParsedSheet(
        layout=layout,
        file_format=source.file_format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        headers=raw_headers,
        header_row=header_index + 1,
    )
    key_column = _find(headers, KEY_HEADERS)
    if key_column is None:
        raise ParseError(
            _(
                "Geen kolom met de vestigingscode gevonden in rij %(row)s. Noem de eerste kolom "
                "'vestigingscode'."
            )
            % {"row": header_index + 1}
        )
    sheet.key_header = raw_headers[key_column]
    data = _data_rows(sheet, rows, header_index + 2, source.estimated_rows, progress)
    if layout == WIDE:
        _parse_wide(sheet, headers, raw_headers, key_column, data)
    else:
        _parse_long(sheet, headers, raw_headers, key_column, data)
    return sheet


def _data_rows(
    sheet: ParsedSheet,
    rows: Iterable[list[Any]],
    first_row: int,
    estimated: int,
    progress: RowProgress | None,
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of every row below the header with anything in it, counted in
    `sheet.data_rows`; the reader stops the file at MAX_DATA_ROWS rows or MAX_CELLS cells."""
    for offset, row in enumerate(rows):
        if progress is not None and offset % PROGRESS_EVERY == 0:
            progress(offset, estimated)
        if not any(cell_text(c) for c in row):
            continue
        sheet.data_rows += 1
        yield first_row + offset, row


def _find(headers: list[str], names: set[str]) -> int | None:
    return next((i for i, header in enumerate(headers) if header in names), None)


def _cell(row: list[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    return row[index]


ANSWER, COMMENT, NVT_EXPLANATION = 0, 1, 2


def _parse_wide(
    sheet: ParsedSheet,
    headers: list[str],
    raw_headers: list[str],
    key_column: int,
    data: Iterable[tuple[int, list[Any]]],
) -> None:
    header_row = sheet.header_row
    answer_columns: dict[str, int] = {}
    comment_columns: dict[str, int] = {}
    nvt_columns: dict[str, int] = {}
    submitted_column = _find(headers, SUBMITTED_HEADERS)
    for index, header in enumerate(headers):
        raw = raw_headers[index]
        if index in (key_column, submitted_column):
            continue
        if (
            not header
            or header in INFO_HEADERS
            or header in COMMENT_HEADERS
            or (header in SUBMITTED_HEADERS)
        ):
            if raw:
                sheet.ignored_columns.append(Location(header_row, index, raw))
            continue
        match = _SUFFIX_RE.match(header)
        if match:
            code = match.group("code").strip().upper()
            target = nvt_columns if match.group("suffix") in NVT_SUFFIXES else comment_columns
        else:
            code = raw.strip().upper()
            target = answer_columns
        if code in target:
            sheet.duplicate_columns.append((Location(header_row, index, raw), target[code]))
            continue
        target[code] = index
    sheet.code_columns = {index: code for code, index in answer_columns.items()}
    by_code = dict(answer_columns)
    extra = (set(comment_columns) | set(nvt_columns)) - set(by_code)
    for code in sorted(extra):
        # A comment column without its answer column: validation names it as an unknown code.
        index = comment_columns[code] if code in comment_columns else nvt_columns[code]
        sheet.code_columns[index] = code
        by_code[code] = index
    # What each column holds, so that a row costs as much as the cells it has (not the columns
    # of the header); entries come out in the order of `by_code`.
    order = {code: position for position, code in enumerate(by_code)}
    roles: list[tuple[str, int] | None] = [None] * len(headers)
    for code, index in answer_columns.items():
        roles[index] = (code, ANSWER)
    for code, index in comment_columns.items():
        roles[index] = (code, COMMENT)
    for code, index in nvt_columns.items():
        roles[index] = (code, NVT_EXPLANATION)

    for row_number, row in data:
        school = normalise_school_key(_cell(row, key_column))
        if not school:
            sheet.missing_keys.append(Location(row_number, key_column, raw_headers[key_column]))
            continue
        sheet.school_rows.append(SchoolRow(school, row_number, key_column))
        _submitted_cell(sheet, school, row_number, row, submitted_column, raw_headers)
        found: dict[str, list[str]] = {}
        for value, role in zip(row, roles, strict=False):
            if role is None or value is None:
                continue
            text = cell_text(value)
            if not text:
                continue
            code, kind = role
            cells = found.get(code)
            if cells is None:
                cells = found[code] = ["", "", ""]
            cells[kind] = text if kind == ANSWER else unescape_formula_guard(text)
        for code in sorted(found, key=order.__getitem__):
            answer, comment, nvt_explanation = found[code]
            index = by_code[code]
            sheet.entries.append(
                Entry(
                    row=row_number,
                    school=school,
                    school_column=key_column,
                    code=code,
                    code_column=index,
                    answer=answer,
                    answer_column=index,
                    comment=comment,
                    nvt_explanation=nvt_explanation,
                )
            )


def _parse_long(
    sheet: ParsedSheet,
    headers: list[str],
    raw_headers: list[str],
    key_column: int,
    data: Iterable[tuple[int, list[Any]]],
) -> None:
    header_row = sheet.header_row
    code_column = _find(headers, CODE_HEADERS)
    answer_column = _find(headers, ANSWER_HEADERS)
    if code_column is None or answer_column is None:
        raise ParseError(
            _(
                "De lange indeling heeft een kolom 'stelling' (de stellingcode) en een kolom "
                "'antwoord' nodig in rij %(row)s."
            )
            % {"row": header_row}
        )
    comment_column = _find(headers, COMMENT_HEADERS)
    nvt_column = _find(headers, NVT_EXPLANATION_HEADERS)
    submitted_column = _find(headers, SUBMITTED_HEADERS)
    used = {key_column, code_column, answer_column, comment_column, nvt_column, submitted_column}
    for index, raw in enumerate(raw_headers):
        if index not in used and raw:
            sheet.ignored_columns.append(Location(header_row, index, raw))
    seen_schools: set[str] = set()
    for row_number, row in data:
        school = normalise_school_key(_cell(row, key_column))
        if not school:
            sheet.missing_keys.append(Location(row_number, key_column, raw_headers[key_column]))
            continue
        if school not in seen_schools:
            seen_schools.add(school)
            sheet.school_rows.append(SchoolRow(school, row_number, key_column))
        _submitted_cell(sheet, school, row_number, row, submitted_column, raw_headers)
        code = cell_text(_cell(row, code_column)).upper()
        answer = cell_text(_cell(row, answer_column))
        comment = unescape_formula_guard(cell_text(_cell(row, comment_column)))
        nvt_explanation = unescape_formula_guard(cell_text(_cell(row, nvt_column)))
        if not code:
            sheet.missing_keys.append(Location(row_number, code_column, raw_headers[code_column]))
            continue
        sheet.entries.append(
            Entry(
                row=row_number,
                school=school,
                school_column=key_column,
                code=code,
                code_column=code_column,
                answer=answer,
                answer_column=answer_column,
                comment=comment,
                nvt_explanation=nvt_explanation,
            )
        )


def _submitted_cell(
    sheet: ParsedSheet,
    school: str,
    row_number: int,
    row: list[Any],
    column: int | None,
    raw_headers: list[str],
) -> None:
    if column is None:
        return
    text = date_cell_text(_cell(row, column))
    if text:
        where = Location(row_number, column, raw_headers[column])
        sheet.submitted_cells.append((school, where, text))


# --- answers --------------------------------------------------------------------------------

NVT_WORDS = {"nvt", "n.v.t.", "n.v.t", "n v t", "niet van toepassing"}


def answer_key(text: str) -> str:
    """How answers are compared: case and surrounding or doubled spaces ignored."""
    return " ".join(text.split()).casefold()


def answer_lookup(scale: list[tuple[str, str]], nvt_code: str, nvt_label: str) -> dict[str, str]:
    """Map every accepted spelling (codes, labels, n.v.t. words) to the stored value."""
    lookup: dict[str, str] = {}
    for code, label in scale:
        lookup[answer_key(label)] = code
    for code, _label in scale:
        lookup[answer_key(code)] = code
    for word in (*NVT_WORDS, nvt_code, nvt_label):
        lookup[answer_key(word)] = nvt_code
    return lookup
