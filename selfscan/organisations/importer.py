"""Reading a register file (CSV or XLSX, DUO's open-data format or our own template) and
planning what an import would change. No writes here: `services.apply_register_import` writes.

DUO files carry DUO's facts (vestigingscode, name, bevoegd gezag, address). The partnership's
own attributes (sector, soort, wijk) come from optional extra columns (`SECTOR`, `SOORT`,
`WIJK`): staff may append them to a DUO file, and our own template has them. A column that is
absent keeps the register's current value; an empty cell in a present column clears it (except
sector, which is required). For a new school without a SECTOR column the sector is derived from
DUO's `ONDERWIJSSTRUCTUUR` when present.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from selfscan.core.spreadsheets import Limits, SheetError, SheetTooLarge, csv_rows, xlsx_rows

from .models import Bestuur, School, Sector, Wijk

MAX_BYTES = 5_000_000
# DUO's national files of school locations have at most about 7,000 rows of some 25 columns; a
# register file is read within these limits, whatever its size on disk (a small XLSX can declare
# or hold millions of empty cells). They also bound the dry run and the apply, which run in the
# request without a broker (decisions 0162 and 0163; with a broker the dry run is a job).
LIMITS = Limits(max_rows=20_000, max_cells=500_000)
CODE_RE = re.compile(r"^[0-9A-Z]{4}[0-9]{2}$")
BESTUUR_RE = re.compile(r"^[0-9]{5}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Normalised header -> our field. Headers are compared upper-case with runs of spaces,
# underscores and hyphens collapsed to one space.
HEADERS: dict[str, str] = {
    "VESTIGINGSCODE": "vestigingscode",
    "VESTIGINGSNUMMER": "vestigingscode",
    "INSTELLINGSCODE": "instellingscode",
    "BRIN": "instellingscode",
    "VESTIGINGSNAAM": "name",
    "NAAM": "name",
    "BEVOEGD GEZAG NUMMER": "bestuur",
    "BEVOEGD GEZAG": "bestuur",
    "BESTUURSNAAM": "bestuur_name",
    "POSTCODE": "postcode",
    "PLAATSNAAM": "plaats",
    "PLAATS": "plaats",
    "GEMEENTENAAM": "gemeente",
    "ONDERWIJSSTRUCTUUR": "structuur",
    "SECTOR": "sector",
    "SOORT": "subtype",
    "SUBTYPE": "subtype",
    "WIJK": "wijk",
    "AANTAL LEERLINGEN": "pupil_count",
    "LEERLINGEN": "pupil_count",
    "E MAILADRES": "contact_email",
    "EMAIL": "contact_email",
    "E MAIL": "contact_email",
    "CONTACT E MAIL": "contact_email",
}

# How an absent column is named in a message.
COLUMN_NAMES = {
    "vestigingscode": "VESTIGINGSCODE",
    "name": "VESTIGINGSNAAM",
    "bestuur": "BEVOEGD GEZAG NUMMER",
    "sector": "SECTOR",
    "wijk": "WIJK",
}

# Our own template: the columns, in order, of the downloadable file.
TEMPLATE_COLUMNS = [
    "vestigingscode",
    "naam",
    "bevoegd gezag nummer",
    "bestuursnaam",
    "sector",
    "soort",
    "wijk",
    "postcode",
    "plaats",
    "aantal leerlingen",
    "e-mailadres",
]
TEMPLATE_EXAMPLE = [
    "99XA00",
    "Basisschool De Voorbeeldboom",
    "99001",
    "Stichting Voorbeeld",
    "PO",
    "",
    "Stad 1",
    "1300 AA",
    "Almere",
    "250",
    "directie@voorbeeldboom.example",
]

# DUO's ONDERWIJSSTRUCTUUR -> (sector, soort), for new schools without a SECTOR column.
STRUCTUUR_SECTOR = {
    "BAS": (Sector.PO, ""),
    "SBAS": (Sector.SV, "SBO"),
    "SBO": (Sector.SV, "SBO"),
    "SO": (Sector.SV, "SO"),
    "VSO": (Sector.SV, "VSO"),
    "(V)SO": (Sector.SV, "SO/VSO"),
}
VO_STRUCTUREN = {"VMBO", "HAVO", "VWO", "PRO", "MAVO", "HAVO/VWO", "VMBO/HAVO", "VBO", "LWOO"}

COMPARED_FIELDS = [
    "name",
    "bestuur",
    "sector",
    "subtype",
    "wijk",
    "postcode",
    "plaats",
    "pupil_count",
    "contact_email",
]
FIELD_LABELS = {
    "name": "naam",
    "bestuur": "bestuur",
    "sector": "sector",
    "subtype": "soort",
    "wijk": "wijk",
    "postcode": "postcode",
    "plaats": "plaats",
    "pupil_count": "aantal leerlingen",
    "contact_email": "e-mailadres",
    "active_to": "actief tot en met",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"rij {self.row}" if self.row else "bestand"
        if self.column:
            where += f", kolom {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, raw cells)
    columns: dict[str, str] = field(default_factory=dict)  # our field -> header in the file
    encoding: str = ""
    delimiter: str = ""


@dataclass
class SchoolCreate:
    row: int
    values: dict[str, Any]


@dataclass
class SchoolChange:
    row: int
    school: School
    changes: dict[str, tuple[Any, Any]]


@dataclass
class Plan:
    """What an import would do. `errors` non-empty means: refuse the whole file."""

    filename: str
    creates: list[SchoolCreate] = field(default_factory=list)
    changes: list[SchoolChange] = field(default_factory=list)
    closes: list[School] = field(default_factory=list)
    # Active schools of the file's sectors that the file does not name: closed only when the
    # import is asked to (`close_missing`), but always counted so the dry run can say so.
    missing: list[School] = field(default_factory=list)
    close_missing: bool = False
    new_besturen: dict[str, str] = field(default_factory=dict)  # number -> name
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    rows: int = 0
    close_on: datetime.date | None = None
    format: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_noop(self) -> bool:
        return self.ok and not (self.creates or self.changes or self.closes or self.new_besturen)


# --- reading ---------------------------------------------------------------------------------


def normalise_header(header: Any) -> str:
    text = str(header or "").strip().upper().lstrip("\ufeff")
    return re.sub(r"[\s_\-]+", " ", text).strip()


def decode(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252 (DUO's encoding)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "utf-8"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace"), "windows-1252"


def sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") and ";" in first else ","


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(content: bytes, filename: str) -> tuple[Table | None, list[RowError]]:
    """Read CSV (`;` or `,`, UTF-8 or Windows-1252) or XLSX into header + rows."""
    if len(content) > MAX_BYTES:
        return None, [
            RowError(0, "", f"het bestand is te groot (meer dan {MAX_BYTES // 1_000_000} MB)")
        ]
    if not content.strip():
        return None, [RowError(0, "", "het bestand is leeg")]
    raw_rows: list[list[str]]
    encoding = delimiter = ""
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        try:
            raw_rows = _read_xlsx(content)
        except SheetTooLarge as exc:
            return None, [RowError(0, "", str(exc))]
        except SheetError:
            return None, [
                RowError(0, "", "dit is geen leesbaar Excel-bestand (.xlsx); sla het opnieuw op")
            ]
        encoding = "xlsx"
    else:
        if b"\x00" in content:
            # UTF-16 or a binary file; PostgreSQL cannot store a NUL character anyway.
            return None, [
                RowError(
                    0, "", "het bestand bevat nul-tekens; sla het op als CSV (UTF-8) of als .xlsx"
                )
            ]
        text, encoding = decode(content)
        delimiter = sniff_delimiter(text)
        try:
            # newline="": a lone CR (old Mac line ends, mixed files) ends a row, as in Excel.
            raw_rows = [[_cell(v) for v in row] for row in csv_rows(text, delimiter, LIMITS)]
        except SheetTooLarge as exc:
            return None, [RowError(0, "", str(exc))]
        except SheetError:
            return None, [
                RowError(0, "", "dit is geen leesbaar CSV-bestand; sla het opnieuw op als CSV")
            ]
    if not raw_rows:
        return None, [RowError(0, "", "het bestand is leeg")]
    headers = [_cell(h) for h in raw_rows[0]]
    table = Table(headers=headers, rows=[], encoding=encoding, delimiter=delimiter)
    for header in headers:
        key = HEADERS.get(normalise_header(header))
        if key and key not in table.columns:
            table.columns[key] = header
    for number, cells in enumerate(raw_rows[1:], start=2):
        if not any(cells):
            continue
        values = {header: (cells[i] if i < len(cells) else "") for i, header in enumerate(headers)}
        table.rows.append((number, values))
    errors = []
    for required in ("vestigingscode", "name", "bestuur"):
        if required not in table.columns:
            errors.append(
                RowError(1, COLUMN_NAMES[required], "deze kolom ontbreekt in de kopregel")
            )
    return table, errors


def _read_xlsx(content: bytes) -> list[list[str]]:
    return [[_cell(v) for v in row] for row in xlsx_rows(content, LIMITS).rows]


# --- planning --------------------------------------------------------------------------------


@dataclass
class Register:
    """The current register, loaded once (three queries) for planning."""

    schools: dict[str, School]
    besturen: dict[str, Bestuur]
    wijken: dict[str, Wijk]

    @classmethod
    def load(cls) -> Register:
        return cls(
            schools={s.vestigingscode: s for s in School.objects.select_related("wijk", "bestuur")},
            besturen={b.bevoegd_gezag_nummer: b for b in Bestuur.objects.all()},
            wijken={w.name.casefold(): w for w in Wijk.objects.all()},
        )


def plan_import(
    content: bytes,
    filename: str,
    *,
    gemeente: str = "Almere",
    close_missing: bool = False,
    today: datetime.date | None = None,
    register: Register | None = None,
) -> Plan:
    """Compare the file with the register: creates, changes (field old → new) and closes.

    Rows of another gemeente (GEMEENTENAAM) are skipped. Active schools of the sectors in the
    file that the file does not name are listed in `missing`; only with `close_missing` are they
    also in `closes` (closed: active to yesterday). A partial file must not close half the city
    by accident, so closing is asked for, never the default.
    """
    today = today or datetime.date.today()
    plan = Plan(
        filename=filename, close_on=today - datetime.timedelta(days=1), close_missing=close_missing
    )
    table, errors = read_table(content, filename)
    plan.errors.extend(errors)
    if table is None or errors:
        return plan
    plan.format = "DUO" if "VESTIGINGSNAAM" in {normalise_header(h) for h in table.headers} else ""
    register = register or Register.load()
    col = table.columns
    seen: dict[str, int] = {}
    sectors_in_file: set[str] = set()

    for number, cells in table.rows:

        def get(key: str, cells: dict[str, str] = cells) -> str | None:
            return cells.get(col[key], "").strip() if key in col else None

        def error(key: str, message: str, number: int = number) -> None:
            plan.errors.append(RowError(number, col.get(key, COLUMN_NAMES.get(key, key)), message))

        gemeente_value = get("gemeente")
        if gemeente and gemeente_value and gemeente_value.casefold() != gemeente.casefold():
            plan.skipped += 1
            continue
        plan.rows += 1
        row_ok = True

        code = (get("vestigingscode") or "").upper().replace(" ", "")
        brin = (get("instellingscode") or "").upper().replace(" ", "")
        if code.isdigit() and len(code) <= 2 and brin:
            code = brin + code.zfill(2)  # some DUO files split BRIN and vestigingsnummer
        if not code:
            error("vestigingscode", "vestigingscode ontbreekt")
            row_ok = False
        elif not CODE_RE.match(code):
            error(
                "vestigingscode",
                f"ongeldige vestigingscode {code!r}: verwacht 4 tekens BRIN en 2 cijfers, "
                "bijvoorbeeld 12AB00",
            )
            row_ok = False
        elif brin and not code.startswith(brin):
            error(
                "instellingscode", f"instellingscode {brin!r} past niet bij vestigingscode {code}"
            )
            row_ok = False
        elif code in seen:
            error("vestigingscode", f"vestigingscode {code} staat ook in rij {seen[code]}")
            row_ok = False
        else:
            seen[code] = number

        existing = register.schools.get(code) if row_ok else None
        values: dict[str, Any] = {}

        name = get("name")
        if not name:
            error("name", "naam ontbreekt")
            row_ok = False
        else:
            values["name"] = name[:200]

        number_value = (get("bestuur") or "").strip()
        if number_value.isdigit() and len(number_value) < 5:
            number_value = number_value.zfill(5)  # spreadsheets drop leading zeros
        bestuur_name = get("bestuur_name") or ""
        if not number_value:
            error("bestuur", "bevoegd gezag nummer ontbreekt")
            row_ok = False
        elif not BESTUUR_RE.match(number_value):
            error("bestuur", f"ongeldig bevoegd gezag nummer {number_value!r}: verwacht 5 cijfers")
            row_ok = False
        elif number_value in register.besturen:
            values["bestuur"] = register.besturen[number_value]
        elif bestuur_name:
            plan.new_besturen.setdefault(number_value, bestuur_name[:200])
            values["bestuur"] = number_value  # resolved when applied
        else:
            error(
                "bestuur",
                f"onbekend bestuur {number_value}: voeg het bestuur eerst toe aan het register, "
                "of vul de kolom bestuursnaam",
            )
            row_ok = False

        sector = get("sector")
        subtype = get("subtype")
        if sector is not None:
            sector = sector.upper()
            if sector not in Sector.values:
                error("sector", f"ongeldige sector {sector!r}: kies PO, VO of SV")
                row_ok = False
            else:
                values["sector"] = sector
        elif existing is None:
            structuur = (get("structuur") or "").upper()
            if structuur in STRUCTUUR_SECTOR:
                values["sector"], derived = STRUCTUUR_SECTOR[structuur]
                if subtype is None:
                    subtype = derived
            elif structuur in VO_STRUCTUREN:
                values["sector"] = Sector.VO
            else:
                error("sector", "sector ontbreekt voor een nieuwe school: voeg de kolom SECTOR toe")
                row_ok = False
        if subtype is not None:
            values["subtype"] = subtype[:20]

        sector_now = values.get("sector") or (existing.sector if existing else "")
        wijk_name = get("wijk")
        if wijk_name is not None:
            if not wijk_name:
                values["wijk"] = None
            elif wijk_name.casefold() not in register.wijken:
                error("wijk", f"onbekende wijk {wijk_name!r}")
                row_ok = False
            else:
                values["wijk"] = register.wijken[wijk_name.casefold()]
        wijk_after = values.get("wijk", existing.wijk if existing else None)
        if sector_now and sector_now != Sector.PO and wijk_after is not None:
            if wijk_name is not None:
                error("wijk", "alleen scholen in het primair onderwijs (PO) hebben een wijk")
                row_ok = False
            else:
                values["wijk"] = None  # leaving PO: the wijk no longer applies

        for key, limit in (("postcode", 7), ("plaats", 100)):
            value = get(key)
            if value is not None:
                values[key] = value[:limit]
        pupils = get("pupil_count")
        if pupils is not None:
            if pupils == "":
                values["pupil_count"] = None
            elif pupils.isdigit():
                values["pupil_count"] = int(pupils)
            else:
                error("pupil_count", f"aantal leerlingen {pupils!r} is geen geheel getal")
                row_ok = False
        email = get("contact_email")
        if email is not None:
            if email and not EMAIL_RE.match(email):
                error("contact_email", f"ongeldig e-mailadres {email!r}")
                row_ok = False
            else:
                values["contact_email"] = email.lower()

        if not row_ok:
            continue
        if sector_now:
            sectors_in_file.add(sector_now)
        if existing is None:
            values.setdefault("subtype", "")
            plan.creates.append(SchoolCreate(row=number, values={"vestigingscode": code, **values}))
            continue
        changes: dict[str, tuple[Any, Any]] = {}
        for key in COMPARED_FIELDS:
            if key not in values:
                continue
            old = getattr(existing, key)
            new = values[key]
            new_bestuur = key == "bestuur" and isinstance(new, str)
            if new_bestuur or (old != new and not (old in (None, "") and new in (None, ""))):
                changes[key] = (old, new)
        if existing.active_to is not None and existing.active_to < today:
            changes["active_to"] = (existing.active_to, None)  # back in the file: reopened
        if changes:
            plan.changes.append(SchoolChange(row=number, school=existing, changes=changes))
        else:
            plan.unchanged += 1

    if not plan.errors:
        for code, school in sorted(register.schools.items()):
            if code in seen or school.sector not in sectors_in_file:
                continue
            if school.active_to is None or school.active_to >= today:
                plan.missing.append(school)
        if close_missing:
            plan.closes = list(plan.missing)
    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan


def template_csv() -> bytes:
    """Our own import template: a header and one example row, UTF-8 with BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def describe(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return str(value)
