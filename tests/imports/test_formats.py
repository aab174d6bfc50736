"""Wide and long layouts, CSV (`;`/`,`, UTF-8 with or without BOM, Windows-1252) and XLSX, codes
and labels: every variant stores exactly the same answers."""

import pytest

from selfscan.imports import parsing, services
from tests.imports.conftest import expected, long_rows, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes, make_round, xlsx_bytes

pytestmark = pytest.mark.django_db


def as_numbers(rows):
    """Spreadsheets hold codes as numbers: 3, not "3"."""
    return [
        [int(c) if isinstance(c, str) and c.isdigit() and len(c) == 1 else c for c in row]
        for row in rows
    ]


def odd_spelling(rows):
    """Labels in odd case and spacing, and every n.v.t. spelling."""
    spellings = ["nvt", "N.V.T.", "NVT", " Niet van toepassing ", "n.v.t"]
    out = [rows[0]]
    for r, row in enumerate(rows[1:]):
        new = []
        for c, cell in enumerate(row):
            if cell == "n.v.t.":
                cell = spellings[(r + c) % len(spellings)]
            elif cell in {"Goed", "Voldoende"}:
                cell = f"  {cell.upper()} " if c % 2 else cell.lower()
            new.append(cell)
        out.append(new)
    return out


VARIANTS = {
    "wide-csv-semicolon-utf8bom-codes": lambda s, a: csv_bytes(wide_rows(s, a)),
    "wide-csv-comma-utf8-labels": lambda s, a: csv_bytes(
        wide_rows(s, a, labels=True), delimiter=",", encoding="utf-8"
    ),
    "wide-csv-semicolon-cp1252-labels": lambda s, a: csv_bytes(
        odd_spelling(wide_rows(s, a, labels=True)), encoding="cp1252"
    ),
    "wide-xlsx-numbers": lambda s, a: xlsx_bytes(as_numbers(wide_rows(s, a))),
    "wide-xlsx-labels": lambda s, a: xlsx_bytes(odd_spelling(wide_rows(s, a, labels=True))),
    "long-csv-comma-cp1252-codes": lambda s, a: csv_bytes(
        long_rows(s, a), delimiter=",", encoding="cp1252"
    ),
    "long-csv-semicolon-utf8-labels": lambda s, a: csv_bytes(
        odd_spelling(long_rows(s, a, labels=True)), encoding="utf-8"
    ),
    "long-xlsx-numbers": lambda s, a: xlsx_bytes(as_numbers(long_rows(s, a))),
    "long-xlsx-labels": lambda s, a: xlsx_bytes(long_rows(s, a, labels=True)),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_stores_the_same_answers(setup, variant):
    answers = sample_answers(setup)
    round = make_round(schools=setup.schools, po=setup.version, name=variant)
    content = VARIANTS[variant](setup, answers)
    report = services.apply_import(round=round, content=content, file_name=variant, by=None)
    assert report.layout == variant.split("-")[0]
    assert report.file_format == variant.split("-")[1]
    assert stored(round) == expected(answers)
    assert report.complete_count == len(setup.schools) - 1


def test_detection_of_encoding_and_delimiter(setup):
    rows = wide_rows(setup, sample_answers(setup))
    for encoding, delimiter in [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";")]:
        fmt, found_encoding, found_delimiter, parsed = parsing.read_rows(
            csv_bytes(rows, delimiter=delimiter, encoding=encoding)
        )
        assert (fmt, found_encoding, found_delimiter) == ("csv", encoding, delimiter)
        assert parsed[1][-1].startswith("Geëvalueerd, één keer")


def test_layout_can_be_chosen(setup):
    rows = long_rows(setup, sample_answers(setup))
    content = csv_bytes(rows)
    assert parsing.parse(content).layout == parsing.LONG
    # Forced wide, the long file's columns are not statement codes.
    report = services.check_import(
        round=setup.round, content=content, file_name="x.csv", layout=parsing.WIDE
    )
    assert services.UNKNOWN_STATEMENT in report.problem_kinds


def test_comment_columns_by_suffix_and_formula_guard(setup):
    code = setup.codes[0]
    school = setup.schools[0].vestigingscode
    for header in (f"{code} toelichting", f"{code}_opmerking", f"{code} (Toelichting)"):
        sheet = parsing.parse(
            csv_bytes([["Vestigingscode", code, header], [school, "3", "'=1+1 klopt"]])
        )
        assert [(e.code, e.answer, e.comment) for e in sheet.entries] == [(code, "3", "=1+1 klopt")]


def test_column_letters():
    assert [parsing.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_utf16_tab_separated_text_from_excel(setup):
    answers = sample_answers(setup)
    content = csv_bytes(wide_rows(setup, answers), delimiter="\t", encoding="utf-16")
    round = make_round(schools=setup.schools, po=setup.version, name="utf16")
    report = services.apply_import(round=round, content=content, file_name="u.txt", by=None)
    assert (report.encoding, report.delimiter) == ("utf-16", "\t")
    assert stored(round) == expected(answers)
