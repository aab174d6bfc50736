"""Fail when `makemessages` finds strings that the committed English catalogue lacks.

Usage: check_messages.py COMMITTED.po EXTRACTED.po. Compares message ids, not formatting.
"""

import sys

import polib


def ids(path: str) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(path) if not e.obsolete}


committed, extracted = ids(sys.argv[1]), ids(sys.argv[2])
new, gone = sorted(extracted - committed, key=str), sorted(committed - extracted, key=str)
for _, msgid in new:
    print(f"not in the catalogue: {msgid!r}")
for _, msgid in gone:
    print(f"no longer used: {msgid!r}")
if new or gone:
    print("locale/en/LC_MESSAGES/django.po is out of date: run 'make messages', translate, commit")
    sys.exit(1)
