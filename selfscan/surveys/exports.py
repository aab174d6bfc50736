"""Exports of a survey: raw responses and the summary as CSV and XLSX (every cell through
`safe_cell`, so no cell can run as a formula) and the summary as PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from selfscan.core.spreadsheets import safe_cell
from selfscan.core.xlsx import add_sheet

from . import summary as s
from .models import Question

Row = list[Any]


def label(text: str) -> str:
    """The summary's fixed Dutch labels in the active language."""
    return {s.YES_LABEL: _("ja"), s.NO_LABEL: _("nee"), s.BLANK_LABEL: _("blanco")}.get(text, text)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, s.CodedAnswer):
        return value.text
    return value


def response_table(
    questions: list[Question], rows: list[dict[str, Any]], days: list[dt.date]
) -> Iterator[Row]:
    """Header plus one row per response: number, day (YYYY-MM-DD; no time is stored, decision
    0052), one column per question; for open questions a second column with the categories."""
    header: Row = [_("nr"), _("ingevuld op")]
    for q in questions:
        header.append(q.key)
        if q.kind in s.TEXT:
            header.append(f"{q.key} ({_('categorieën')})")
    yield header
    for number, (row, day) in enumerate(zip(rows, days, strict=True), start=1):
        out: Row = [number, day.isoformat()]
        for q in questions:
            value = row.get(q.key)
            out.append(_cell(value))
            if q.kind in s.TEXT:
                coded = value if isinstance(value, s.CodedAnswer) else None
                parts = list(coded.categories) if coded else []
                if coded and coded.unique_remark:
                    parts.append(_("unieke opmerking"))
                out.append("; ".join(parts))
        yield out


def summary_table(summary: s.SurveySummary) -> Iterator[Row]:
    """The summary as rows: question, measure, value, count, percentage (of respondents)."""
    yield [_("vraag"), _("onderdeel"), _("maat"), _("aantal"), _("percentage")]
    yield [_("reacties"), "", _("aantal reacties"), summary.respondents, ""]
    for q in summary.questions:
        text = q.spec.text
        for c in q.counts:
            yield [text, label(c.label), _("antwoord"), c.count, round(c.percent, 1)]
        if q.stats is not None:
            st = q.stats
            for name, value in (
                (_("gemiddelde"), st.mean),
                (_("mediaan"), st.median),
                (_("modus"), "; ".join(s.nl_number(m) for m in st.modes) or None),
                (_("minimum"), st.minimum),
                (_("maximum"), st.maximum),
            ):
                yield [
                    text,
                    name,
                    _("statistiek"),
                    round(value, 2) if isinstance(value, float) else value,
                    "",
                ]
            for c in st.bins:
                yield [text, c.label, _("klasse"), c.count, round(c.percent, 1)]
            yield [text, label(s.BLANK_LABEL), _("antwoord"), q.blanks, round(q.blank_percent, 1)]
        if q.spec.kind in s.TEXT:
            yield [text, _("beantwoord"), _("antwoord"), q.answered, ""]
            yield [text, label(s.BLANK_LABEL), _("antwoord"), q.blanks, round(q.blank_percent, 1)]
            for c in q.categories:
                yield [text, c.label, _("categorie"), c.count, ""]
            yield [text, _("unieke opmerkingen"), _("categorie"), q.unique_remarks, ""]


def to_csv(rows: Iterator[Row]) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark and decimal commas, as Dutch spreadsheet
    programs expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(s.nl_number(v) if isinstance(v, float) else v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterator[Row], title: str) -> bytes:
    """The first row is the header: frozen, with a filter and widths (selfscan.core.xlsx)."""
    workbook = Workbook(write_only=True)
    iterator = iter(rows)
    header = [str(v) for v in next(iterator, [])]
    add_sheet(workbook, title, header, iterator)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("surveys/summary_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())
