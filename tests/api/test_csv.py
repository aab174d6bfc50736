"""The CSV renderer: header of field names, whole table, BOM, and the formula guard."""

from selfscan.api.renderers import CSVRenderer


def test_csv_has_a_header_guards_formulas_and_leaves_empty_cells_empty():
    data = {
        "count": 2,
        "results": [
            {"name": '=HYPERLINK("http://x")', "share": 0.5, "note": None},
            {"name": "+31 6", "share": None, "note": "@SUM(A1)"},
        ],
    }
    text = CSVRenderer().render(data).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[0] == "name,share,note"
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",0.5,'
    assert lines[2] == "'+31 6,,'@SUM(A1)"


def test_an_error_renders_as_one_row():
    text = CSVRenderer().render({"detail": "Niet gevonden."}).decode("utf-8-sig")
    assert text.splitlines() == ["detail", "Niet gevonden."]
