"""XLSX sheets for Excel users: frozen header, filter, widths, percentages, formula guard."""

import io
from datetime import datetime

from openpyxl import Workbook, load_workbook

from selfscan.core.xlsx import MAX_WIDTH, add_sheet


def _sheet(header, rows, **kwargs):
    workbook = Workbook(write_only=True)
    add_sheet(workbook, "Blad", header, rows, **kwargs)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))["Blad"]


def test_header_is_frozen_filtered_and_columns_sized():
    long_name = "Openbare basisschool De Lange Naam van de Wijk"
    sheet = _sheet(
        ["school", "aandeel", "aantal", "moment"],
        [[long_name, 0.85, 17, datetime(2025, 10, 1, 9, 30)], ["Kort", None, 3, None]],
        percent_columns={1},
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet.column_dimensions["A"].width >= len(long_name)
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width
    assert sheet["A1"].font.bold
    assert sheet["B2"].value == 0.85 and sheet["B2"].number_format == "0.0%"
    assert sheet["C2"].number_format == "0"
    assert sheet["D2"].number_format == "dd-mm-yyyy hh:mm"


def test_widths_are_bounded_and_text_is_formula_safe():
    sheet = _sheet(["x"], [["=HYPERLINK(1)" + "a" * 200]])
    assert sheet.column_dimensions["A"].width == MAX_WIDTH
    assert sheet["A2"].value.startswith("'=")


def test_empty_table_still_has_a_header_and_filter():
    sheet = _sheet(["a", "b"], [])
    assert [c.value for c in sheet[1]] == ["a", "b"]
    assert sheet.auto_filter.ref == "A1:B1"
