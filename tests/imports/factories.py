"""Rounds with Scan rows for invited schools, created through the ORM as opening a round would,
and small writers for result files in both layouts."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from selfscan.norms.models import NormVersion
from selfscan.organisations.models import School
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan


def make_round(
    *,
    schools: Iterable[School],
    po: NormVersion | None = None,
    vo: NormVersion | None = None,
    sv: NormVersion | None = None,
    status: str = Round.Status.CLOSED,
    name: str = "0-meting 2024-2025",
) -> Round:
    """A round with one Scan per invited school holding the register snapshot."""
    round = Round.objects.create(
        name=name,
        status=status,
        version_po=po,
        version_vo=vo if vo is not None else po,
        version_sv=sv if sv is not None else po,
        opens_on=datetime.date(2024, 10, 1),
        closes_on=datetime.date(2024, 12, 1),
    )
    for school in schools:
        version = round.version_for(school.sector)
        assert version is not None
        Scan.objects.create(
            round=round,
            school=school,
            norm_version=version,
            sector=school.sector,
            subtype=school.subtype,
            wijk=school.wijk,
            stadsdeel=school.stadsdeel,
            bestuur=school.bestuur,
        )
    return round


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ";", encoding: str = "utf-8-sig"
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
