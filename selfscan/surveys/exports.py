"""Exports of a survey: raw responses and the summary as CSV and XLSX (every cell through
`safe_cell`, so no cell can run as a formula) and the summary as PDF (WeasyPrint). The CSV
comes from the one CSV writer (`selfscan.core.spreadsheets.write_csv`), in the variant of the
interface language (decision 0270)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from selfscan.core.spreadsheets import write_csv
from selfscan.core.xlsx import Number, add_sheet

from . import breakdown
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


@dataclass(frozen=True)
class Fixed:
    """A number shown with a fixed number of decimals, as on the page (mean "3,00",
    percentage "85,1"): the CSV writes that text, the XLSX a number with that format."""

    value: float | None
    decimals: int


SUMMARY_HEADER = (
    "onderdeel",
    "vraag",
    "soort rij",
    "antwoord of maat",
    "aantal",
    "percentage",
    "waarde",
)


def summary_header() -> Row:
    names = {
        "onderdeel": _("onderdeel"),
        "vraag": _("vraag"),
        "soort rij": _("soort rij"),
        "antwoord of maat": _("antwoord of maat"),
        "aantal": _("aantal"),
        "percentage": _("percentage"),
        "waarde": _("waarde"),
    }
    return [names[n] for n in SUMMARY_HEADER]


def _pct(value: float) -> Fixed:
    return Fixed(value, 1)


def question_rows(q: s.QuestionSummary) -> Iterator[Row]:
    """The rows of one question (without section and question text): row type, answer or
    measure, count, percentage of respondents, value."""
    for c in q.counts:
        yield [_("antwoord"), label(c.label), c.count, _pct(c.percent), ""]
    if q.stats is not None:
        st = q.stats
        yield [_("statistiek"), _("gemiddelde"), "", "", Fixed(st.mean, 2)]
        yield [_("statistiek"), _("mediaan"), "", "", st.median]
        yield [_("statistiek"), _("modus"), "", "", "; ".join(s.nl_number(m) for m in st.modes)]
        yield [_("statistiek"), _("minimum"), "", "", st.minimum]
        yield [_("statistiek"), _("maximum"), "", "", st.maximum]
        yield [_("statistiek"), _("beantwoord"), q.answered, "", ""]
        for c in st.bins:
            yield [_("klasse"), c.label, c.count, _pct(c.percent), ""]
        for c in st.values:
            yield [_("waarde"), s.nl_number(c.value), c.count, _pct(c.percent), ""]
        yield [_("antwoord"), label(s.BLANK_LABEL), q.blanks, _pct(q.blank_percent), ""]
    if q.spec.kind in s.TEXT:
        yield [
            _("antwoord"),
            _("beantwoord"),
            q.answered,
            _pct(s.percent(q.answered, q.respondents)),
            "",
        ]
        yield [_("antwoord"), label(s.BLANK_LABEL), q.blanks, _pct(q.blank_percent), ""]
        for c in q.categories:
            yield [_("categorie"), c.label, c.count, "", ""]
        yield [_("categorie"), _("unieke opmerkingen"), q.unique_remarks, "", ""]


def summary_table(summary: s.SurveySummary) -> Iterator[Row]:
    """The summary as rows; the layout (docs/decisions/0201-survey-summary-export-layout.md):

    - `onderdeel`: the section title (empty for a question outside a section);
    - `vraag`: the question text;
    - `soort rij`: antwoord (an answer option, "blanco" or "beantwoord"), statistiek,
      klasse (a bin), waarde (one value of a grade or number) or categorie (a code);
    - `antwoord of maat`: the option, statistic, bin, value or category;
    - `aantal`: the number of respondents (never a mean);
    - `percentage`: of all respondents, one decimal as on the page;
    - `waarde`: a statistic's value (the mean with two decimals, as on the page).

    The first data row holds the number of responses.
    """
    yield summary_header()
    yield ["", "", _("reacties"), _("aantal reacties"), summary.respondents, "", ""]
    for q in summary.questions:
        for row in question_rows(q):
            yield [q.spec.section, q.spec.text, *row]


def group_name(name: str) -> str:
    return _("overig") if name == breakdown.OTHER_LABEL else label(name)


def merged_note(bd: breakdown.Breakdown) -> str:
    """What the small-group rule did, in words (page and exports)."""
    if not bd.merged:
        return ""
    return _(
        "Groepen met minder dan %(n)d reacties worden nooit apart getoond: %(groups)s "
        "zijn samengevoegd tot 'overig'."
    ) % {"n": bd.minimum, "groups": ", ".join(group_name(g) for g in bd.merged)}


def comparison(bd: breakdown.Breakdown) -> list[dict[str, Any]]:
    """Per other question, its rows side by side: (row type, label) and one cell per group,
    each cell (count, percentage, value) as in `question_rows` (None where a group has no
    such row, e.g. a number nobody in that group gave)."""
    out: list[dict[str, Any]] = []
    for index in range(bd.question_count):
        per_group = [g.summary.questions[index] for g in bd.groups]
        keys: list[tuple[str, str]] = []
        cells: dict[tuple[str, str], list[Any]] = {}
        for g_index, q in enumerate(per_group):
            for row_type, name, count, share, value in question_rows(q):
                key = (str(row_type), str(name))
                if key not in cells:
                    keys.append(key)
                    cells[key] = [None] * len(per_group)
                cells[key][g_index] = (count, share, value)
        keys = _ordered(keys)
        out.append(
            {
                "spec": per_group[0].spec if per_group else None,
                "rows": [
                    {
                        "type": k[0],
                        "is_answer": k[0] == str(_("antwoord")),
                        "label": k[1],
                        "cells": cells[k],
                    }
                    for k in keys
                ],
            }
        )
    return out


def _ordered(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rows of several groups in one order: by row type as first seen, values of a number by
    size (each group may have given other values), the rest as first seen."""
    type_rank: dict[str, int] = {}
    for row_type, _name in keys:
        type_rank.setdefault(row_type, len(type_rank))
    value_type = str(_("waarde"))

    def sort_key(item: tuple[int, tuple[str, str]]) -> tuple[int, float, int]:
        index, (row_type, name) = item
        if row_type == value_type:
            try:
                return (type_rank[row_type], float(name.replace(".", "").replace(",", ".")), index)
            except ValueError:
                pass
        return (type_rank[row_type], 0.0, index)

    return [key for _index, key in sorted(enumerate(keys), key=sort_key)]


def breakdown_table(bd: breakdown.Breakdown) -> Iterator[Row]:
    """A breakdown as rows: `groep` before the summary's columns (decision 0201), first the
    number of responses per group and what the small-group rule merged, then every other
    question's rows per group."""
    yield [_("groep"), *summary_header()]
    yield [
        "",
        "",
        bd.by.text,
        _("uitsplitsing"),
        _("kleinste groep"),
        bd.minimum,
        "",
        "",
    ]
    for g in bd.groups:
        yield [
            group_name(g.label),
            "",
            "",
            _("reacties"),
            _("aantal reacties"),
            g.respondents,
            "",
            "",
        ]
    if bd.merged:
        yield [
            group_name(breakdown.OTHER_LABEL),
            "",
            "",
            _("opmerking"),
            merged_note(bd),
            "",
            "",
            "",
        ]
    for index in range(bd.question_count):
        for g in bd.groups:
            q = g.summary.questions[index]
            for row in question_rows(q):
                yield [group_name(g.label), q.spec.section, q.spec.text, *row]


def _csv_number(value: Any) -> Any:
    """A number as on the page, as a Decimal the CSV writer gives the file's decimal mark: a
    `Fixed` with its decimals ("3,50" / "3.50"), any other float with at most two ("4,5")."""
    if isinstance(value, Fixed):
        if value.value is None:
            return None
        return Decimal(str(value.value)).quantize(
            Decimal(1).scaleb(-value.decimals), rounding=ROUND_HALF_UP
        )
    if isinstance(value, float):
        rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return rounded.normalize() if rounded else Decimal(0)
    return value


def to_csv(rows: Iterator[Row]) -> bytes:
    """UTF-8 with a byte-order mark in the active language's variant: `;` and decimal commas in
    Dutch, `,` and decimal points in English; the first row is the header."""
    iterator = iter(rows)
    header = next(iterator, [])
    return write_csv(header, ([_csv_number(v) for v in row] for row in iterator))


def _xlsx_value(value: Any) -> Any:
    """A `Fixed` number becomes a number with as many decimals as on the page."""
    if isinstance(value, Fixed) and value.value is not None:
        return Number(value.value, "0." + "0" * value.decimals if value.decimals else "0")
    if isinstance(value, Fixed):
        return None
    return value


def to_xlsx(rows: Iterator[Row], title: str) -> bytes:
    """The first row is the header: frozen, with a filter and widths (selfscan.core.xlsx)."""
    workbook = Workbook(write_only=True)
    iterator = iter(rows)
    header = [str(v) for v in next(iterator, [])]
    add_sheet(workbook, title, header, ([_xlsx_value(v) for v in row] for row in iterator))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("surveys/summary_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())
