"""Formula-safe cells for CSV and XLSX exports.

A cell that starts with =, +, -, @, a tab or a carriage return can be executed as a formula by
spreadsheet programs (CSV injection). Such text is prefixed with an apostrophe, the convention
spreadsheet programs show as plain text. Numbers stay numbers.

Leading spaces and line breaks are looked through (" =HYPERLINK(...)": importers that trim
spaces would otherwise run it), and the full-width forms of the signs count too (some
spreadsheet programs treat "＝" as "=" on input).
"""

from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
LOOKED_THROUGH = " \n\u00a0\u3000"


def needs_guard(text: str) -> bool:
    """True when `text` could be run as a formula by a spreadsheet program."""
    return text.startswith(DANGEROUS_PREFIXES) or text.lstrip(LOOKED_THROUGH).startswith(
        DANGEROUS_PREFIXES
    )


def safe_cell(value: Any) -> Any:
    """Return `value` unchanged unless it is text a spreadsheet could run as a formula."""
    if isinstance(value, str) and needs_guard(value):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
