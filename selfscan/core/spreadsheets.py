"""Formula-safe cells for CSV and XLSX exports.

A cell that starts with =, +, -, @, a tab or a carriage return can be executed as a formula by
spreadsheet programs (CSV injection). Such text is prefixed with an apostrophe, the convention
spreadsheet programs show as plain text. Numbers stay numbers.
"""

from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return `value` unchanged unless it is text a spreadsheet could run as a formula."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
