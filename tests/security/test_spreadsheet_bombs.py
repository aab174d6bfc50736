"""Spreadsheet "cell bombs": a small XLSX that declares or holds millions of (empty) cells is
refused with a clear Dutch message by the one bounded reader (selfscan.core.spreadsheets), on the
register import page and in the results import, and nothing is kept or written. The files are
generated here and are small on disk; a reader without limits would spend minutes and
gigabytes on them."""

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from selfscan.audit.models import AuditEvent
from selfscan.core.spreadsheets import Limits, SheetTooLarge, csv_rows, xlsx_rows
from selfscan.imports import parsing
from selfscan.organisations.models import Bestuur, School

SHEET = "xl/worksheets/sheet1.xml"
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>vestigingscode</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>naam</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>bevoegd gezag nummer</t></is></c></row>'
)


def crafted_xlsx(dimension: str | None, rows: str) -> bytes:
    """A real workbook whose first worksheet is replaced by our own XML."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension_xml}<sheetData>{HEADER}{rows}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = sheet.encode() if item.filename == SHEET else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def declared_bomb() -> bytes:
    """Declares A1:XFD1048576 (17 billion cells) and has one cell at the far corner."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return crafted_xlsx("A1:XFD1048576", far)


def undeclared_bomb(dimension: str | None = None, rows: int = 1000) -> bytes:
    """No (or a lying) declaration; 1,000 rows with an empty cell in the last column, XFD:
    16 million cells for a reader that pads rows to their last cell."""
    body = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t></t></is></c></row>'
        for n in range(2, rows + 2)
    )
    return crafted_xlsx(dimension, body)


BOMBS = {
    "declared": declared_bomb,
    "undeclared": undeclared_bomb,
    "lying-dimension": lambda: undeclared_bomb("A1:C2"),
}


def test_the_bombs_are_small_on_disk():
    assert all(len(make()) < 50_000 for make in BOMBS.values())


def test_the_reader_refuses_a_declared_size_before_reading_a_row():
    with pytest.raises(SheetTooLarge, match=r"1\.048\.576 rijen bij 16\.384 kolommen"):
        xlsx_rows(declared_bomb(), Limits(max_rows=10, max_cells=1000))


@pytest.mark.parametrize("dimension", [None, "A1:C2"], ids=["none", "lying"])
def test_the_reader_counts_the_cells_it_really_reads(dimension: str | None):
    source = xlsx_rows(undeclared_bomb(dimension), Limits(max_rows=10_000, max_cells=100_000))
    with pytest.raises(SheetTooLarge, match=r"meer dan 100\.000 cellen"):
        for _row in source.rows:
            pass


def test_the_reader_counts_rows_with_data_below_the_header():
    limits = Limits(max_rows=2, max_cells=1000)
    assert len(list(csv_rows("a;b\n1;2\n\n3;4\n", ";", limits))) == 4
    with pytest.raises(SheetTooLarge, match="meer dan 2 rijen met gegevens"):
        list(csv_rows("a;b\n1;2\n3;4\n5;6\n", ";", limits))


def test_rows_are_padded_to_their_own_last_cell_only():
    content = crafted_xlsx(
        "A1:XFD3", '<row r="3"><c r="B3" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    rows = list(xlsx_rows(content, Limits(max_rows=10, max_cells=100_000)).rows)
    assert rows == [["vestigingscode", "naam", "bevoegd gezag nummer"], [], [None, "x"]]


@pytest.mark.django_db
@pytest.mark.parametrize("bomb", list(BOMBS), ids=list(BOMBS))
def test_the_register_import_refuses_a_cell_bomb(client: Any, world: Any, bomb: str):
    client.force_login(world.user("staff"))
    before = School.objects.count(), Bestuur.objects.count(), AuditEvent.objects.count()
    upload = SimpleUploadedFile("register.xlsx", BOMBS[bomb]())
    response = client.post(reverse("organisations:import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "zoveel kan deze import niet verwerken" in html or (
        "meer dan deze import kan verwerken" in html
    )
    assert "Wijzigingen doorvoeren" not in html
    assert (School.objects.count(), Bestuur.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("bomb", list(BOMBS), ids=list(BOMBS))
def test_the_results_import_refuses_a_cell_bomb(bomb: str):
    with pytest.raises(parsing.ParseError) as refused:
        parsing.parse(BOMBS[bomb]())
    assert "meer dan" in str(refused.value) and "cellen" in str(refused.value)


def test_the_reader_refuses_a_highly_compressed_part_before_opening_it():
    # openpyxl reads some parts whole (shared strings): a zip bomb there would fill the memory.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(crafted_xlsx(None, ""))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == SHEET:
                data += b" " * 2_500_000  # XML allows trailing white space
            target.writestr(item.filename, data)
    content = out.getvalue()
    assert len(content) < 50_000
    with pytest.raises(SheetTooLarge, match="uitgepakt 2 MB groot"):
        xlsx_rows(content, Limits(max_rows=10, max_cells=1000))
