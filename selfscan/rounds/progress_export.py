"""The progress list with contact people as CSV or XLSX: one row per team member (a school
without any: one row without a person), so staff can follow up who cannot log in.

Every text cell passes `safe_cell` (names and addresses are typed by people). The CSV comes
from the one CSV writer (`selfscan.core.spreadsheets.write_csv`), in the variant of the
interface language (decision 0270): `;` in Dutch, `,` in English; UTF-8 with BOM, dates as
dd-mm-jjjj uu:mm; numbers are whole percentages, so no decimal mark is needed.
"""

import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from selfscan.core.spreadsheets import write_csv
from selfscan.core.xlsx import add_sheet

from .notifications import Access
from .selectors import ProgressRow


def columns() -> list[str]:
    return [
        _("vestigingscode"),
        _("school"),
        _("sector"),
        _("wijk"),
        _("bestuur"),
        _("status"),
        _("beantwoord (%)"),
        _("laatste activiteit"),
        _("iemand kan inloggen"),
        _("naam"),
        _("e-mailadres"),
        _("toegang"),
    ]


def _access_label(access: str) -> str:
    return {
        Access.CAN_LOG_IN: _("kan inloggen"),
        Access.INVITED: _("uitnodiging open"),
        Access.NONE: _("geen toegang"),
    }[access]


def rows(progress_rows: Iterable[ProgressRow]) -> Iterator[list[Any]]:
    """Plain values (datetimes local and naive); text not yet formula-guarded."""
    for row in progress_rows:
        scan = row.scan
        last = scan.last_activity_at
        school = [
            scan.school.vestigingscode,
            scan.school.name,
            scan.sector,
            scan.wijk.name if scan.wijk else "",
            scan.bestuur.name if scan.bestuur else "",
            scan.get_status_display(),
            row.percent,
            timezone.localtime(last).replace(tzinfo=None) if last else None,
            _("nee") if row.nobody_can_log_in else _("ja"),
        ]
        contacts = row.contacts or []
        if not contacts:
            yield [*school, "", "", ""]
        for contact in contacts:
            yield [*school, contact.name, contact.email, _access_label(contact.access)]


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    return value


def build(progress_rows: Iterable[ProgressRow], file_format: str) -> bytes:
    """The file in `file_format`; a CSV in the active language's variant."""
    if file_format == "csv":
        return write_csv(
            columns(), ([_csv_value(v) for v in values] for values in rows(progress_rows))
        )
    workbook = Workbook(write_only=True)
    add_sheet(workbook, _("Voortgang"), columns(), rows(progress_rows))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
