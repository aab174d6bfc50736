"""CSV exports write fractions with the Dutch decimal comma, as the ';' separator promises."""

import csv
import io

from selfscan.core.spreadsheets import csv_value
from selfscan.exports.services import write_csv


def test_fractions_get_a_decimal_comma_and_no_float_noise():
    assert [csv_value(v) for v in (0.75, 0.9167, 1.0, 0.0, 0.0001)] == [
        "0,75",
        "0,9167",
        "1",
        "0",
        "0,0001",
    ]


def test_whole_numbers_text_and_missing_values_stay_as_they_are():
    assert [csv_value(v) for v in (9, "De Tweede", "", None)] == [9, "De Tweede", "", ""]


def test_csv_file_reads_back_with_semicolons_and_decimal_commas():
    content = write_csv(
        [("school", "naam"), ("aandeel", "fractie")], iter([["De Tweede", 0.75], ["X", None]])
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["school", "aandeel"], ["De Tweede", "0,75"], ["X", ""]]
