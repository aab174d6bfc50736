"""Formula-safe cells for CSV and XLSX exports.

A cell that starts with =, +, -, @, a tab or a carriage return can be executed as a formula by
spreadsheet programs (CSV injection). Such text is prefixed with an apostrophe, the convention
spreadsheet programs show as plain text. Numbers stay numbers.

Leading whitespace of any kind and invisible format characters (Unicode category Cf: zero-width
space and joiners, soft hyphen, byte order mark, direction marks) are looked through
(" =HYPERLINK(...)", "\u200b=1+1": importers that trim or drop them would otherwise run it), and
the full-width forms of the signs count too (some spreadsheet programs treat "＝" as "=" on
input). See docs/decisions/0070-formula-guard-scope.md.
"""

import unicodedata
from typing import Any

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
