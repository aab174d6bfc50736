"""The partnership's annual report of a published round: one PDF and one XLSX.

Everything comes from the stored aggregates the city dashboard reads (`selectors.city_dashboard`
for this round, the same rows of the rounds before it), so the figures equal the dashboard's.
The report is handed on, so groups below the round's minimum size (wijk, stadsdeel, bestuur)
are left out as on every page a reader might not see in full (docs/decisions/0041).
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from selfscan.core.xlsx import add_sheet
from selfscan.results import selectors, thresholds
from selfscan.results.aggregation import CITY_KEY
from selfscan.results.charts import bin_labels
from selfscan.results.models import AggregateRow
from selfscan.results.services import ensure_results
from selfscan.results.templatetags.results_tags import pct, pct_points
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan

SECTORS = ["PO", "VO", "SV"]
# A group table of the PDF with more lines than this (the besturen at national scale) is
# summarised there; the XLSX always lists every group (docs/decisions/0231).
PDF_GROUP_LIMIT = 60
PDF_EXTREMES = 10


@dataclass
class History:
    """One group (a sector or the city) in every round of the chain, oldest first."""

    key: str
    label: str
    rows: list[AggregateRow | None]

    @property
    def now(self) -> AggregateRow | None:
        return self.rows[-1]

    @property
    def before(self) -> AggregateRow | None:
        return self.rows[-2] if len(self.rows) > 1 else None


@dataclass
class GroupLine:
    row: AggregateRow
    suppressed: bool


def protected(rows: Sequence[AggregateRow], min_size: int) -> list[GroupLine]:
    """A group with results from fewer than `min_size` schools is not shown (one school's
    outcome could be read off it)."""
    return [GroupLine(r, bool(r.scored) and r.scored < min_size) for r in rows]


@dataclass
class GroupSummary:
    """A long group table as the PDF shows it: how the groups spread over the share of their
    schools that meet the norm, and the few with the lowest and the highest share."""

    total: int
    suppressed: int
    bands: list[tuple[str, int]]  # (5-point band of the share meeting, groups in it)
    lowest: list[GroupLine]
    highest: list[GroupLine]


@dataclass
class GroupSection:
    title: str
    first: str  # the column head: Wijk, Stadsdeel, Bestuur
    sheet: str  # the XLSX sheet that lists every group
    noun: str  # the groups, plural, in a sentence: wijken, stadsdelen, besturen
    lines: list[GroupLine]
    summary: GroupSummary | None = None

    @property
    def sentence(self) -> str:
        if self.summary is None:
            return ""
        return _(
            "Deze meting telt %(n)s %(noun)s; een tabel met elk daarvan zou dit document "
            "onleesbaar lang maken. Hieronder staan daarom hoe de %(noun)s verdeeld zijn over "
            "het aandeel scholen dat voldoet, en de %(k)s met het laagste en met het hoogste "
            "aandeel. De volledige tabel, met alle %(n)s %(noun)s en al hun cijfers, staat in het "
            "Excel-bestand van deze jaarrapportage (blad %(sheet)s)."
        ) % {"n": self.summary.total, "noun": self.noun, "k": PDF_EXTREMES, "sheet": self.sheet}

    @property
    def extremes(self) -> list[tuple[str, list[GroupLine]]]:
        """The captions and lines of the lowest and the highest groups (summary only)."""
        if self.summary is None:
            return []
        return [
            (
                _("De %(k)s %(noun)s met het laagste aandeel scholen dat voldoet")
                % {"k": len(self.summary.lowest), "noun": self.noun},
                self.summary.lowest,
            ),
            (
                _("De %(k)s %(noun)s met het hoogste aandeel scholen dat voldoet")
                % {"k": len(self.summary.highest), "noun": self.noun},
                self.summary.highest,
            ),
        ]


def summarise(lines: Sequence[GroupLine], extremes: int = PDF_EXTREMES) -> GroupSummary:
    """The distribution and the extremes of the groups with figures (suppressed groups and
    groups without a scored school are counted, not placed)."""
    placed = [line for line in lines if not line.suppressed and line.row.scored]
    bins = [0] * len(bin_labels())
    for line in placed:
        # The rule of the schools' histogram (aggregation): integer, so 85% starts its band.
        bins[min(len(bins) - 1, len(bins) * line.row.meeting // line.row.scored)] += 1
    ordered = sorted(placed, key=lambda line: (line.row.meeting / line.row.scored, line.row.label))
    return GroupSummary(
        total=len(lines),
        suppressed=sum(1 for line in lines if line.suppressed),
        bands=list(zip(bin_labels(), bins, strict=True)),
        lowest=ordered[:extremes],
        highest=ordered[::-1][:extremes],
    )


def pdf_sections(report: dict[str, Any], limit: int | None = None) -> list[GroupSection]:
    """The PDF's group tables: in full up to `limit` (`PDF_GROUP_LIMIT`) lines, else
    summarised."""
    limit = PDF_GROUP_LIMIT if limit is None else limit
    sections = [
        GroupSection(_("Per wijk (PO)"), _("Wijk"), _("Wijken"), _("wijken"), report["wijk_lines"]),
        GroupSection(
            _("Per stadsdeel (PO)"),
            _("Stadsdeel"),
            _("Stadsdelen"),
            _("stadsdelen"),
            report["stadsdeel_lines"],
        ),
        GroupSection(
            _("Per bestuur"), _("Bestuur"), _("Besturen"), _("besturen"), report["bestuur_lines"]
        ),
    ]
    for section in sections:
        if len(section.lines) > limit:
            section.summary = summarise(section.lines)
    return sections


def to_pdf(report: dict[str, Any], request: Any = None, base_url: str | None = None) -> bytes:
    """The annual report as a PDF (WeasyPrint), charts and group tables included."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    context = dict(report)
    context.update(pdf_charts(report))
    context["groups"] = pdf_sections(report)
    html = render_to_string("results/annual_report_pdf.html", context, request=request)
    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def _diff(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def summary_lines(
    round_name: str, earlier_name: str | None, sectors: Sequence[History], threshold: int
) -> list[str]:
    """A short text of the main figures and changes, generated from the sector histories."""
    lines = []
    for history in sectors:
        now, then = history.now, history.before
        if now is None or not now.scored:
            continue
        text = _(
            "%(sector)s: %(meeting)s van de %(scored)s scholen met resultaten voldoet aan de norm "
            "(%(share)s, drempel %(t)s%%); %(answers)s van de antwoorden is voldoende of hoger."
        ) % {
            "sector": history.label,
            "meeting": now.meeting,
            "scored": now.scored,
            "share": pct(now.share_meeting),
            "t": threshold,
            "answers": pct(now.pooled_share),
        }
        if then is not None and then.scored and earlier_name:
            text += " " + _(
                "Ten opzichte van %(earlier)s: scholen die voldoen %(d1)s, antwoorden voldoende "
                "of hoger %(d2)s."
            ) % {
                "earlier": earlier_name,
                "d1": pct_points(_diff(now.share_meeting, then.share_meeting)),
                "d2": pct_points(_diff(now.pooled_share, then.pooled_share)),
            }
        lines.append(text)
    if not earlier_name:
        lines.append(
            _("%(name)s is de eerste meting: er is nog geen ontwikkeling te tonen.")
            % {"name": round_name}
        )
    return lines


def theme_lines(themes: Sequence[tuple[Any, str, AggregateRow | None]]) -> list[str]:
    """The strongest and the weakest theme of the city by answers voldoende or higher."""
    scored = [(label, t, r) for t, label, r in themes if r is not None and r.answered]
    if len(scored) < 2:
        return []
    scored.sort(key=lambda item: (item[2].pooled_share or 0.0, item[0]))
    low, high = scored[0], scored[-1]
    return [
        _(
            "Het hoogst scoort %(high)s (%(hs)s voldoende of hoger), het laagst %(low)s "
            "(%(ls)s): een onderwerp voor het gesprek met de besturen."
        )
        % {
            "high": f"{high[0]} {high[1].title}",
            "hs": pct(high[2].pooled_share),
            "low": f"{low[0]} {low[1].title}",
            "ls": pct(low[2].pooled_share),
        }
    ]


def annual_report(round_: Round) -> dict[str, Any]:
    """Everything the PDF and the XLSX show."""
    context = selectors.city_dashboard(round_)
    chain = selectors.round_chain(round_)
    for earlier in chain[:-1]:
        ensure_results(earlier)
    stored = {
        (r.round_id, r.level, r.key): r
        for r in AggregateRow.objects.filter(
            round__in=chain, level__in=["sector", "city"], theme__isnull=True
        )
    }
    present = {key for (_r, level, key) in stored if level == "sector"}
    histories = [
        History(key, key, [stored.get((r.pk, "sector", key)) for r in chain])
        for key in SECTORS
        if key in present
    ]
    city = History(CITY_KEY, _("Stad"), [stored.get((r.pk, "city", CITY_KEY)) for r in chain])
    # The report shows the sector curves only: no theme curves, so only the norm rows are read.
    explorer = thresholds.explore(round_, Scan.objects.filter(round=round_), [], [])
    earlier_name = chain[-2].name if len(chain) > 1 else None
    size = round_.min_group_size
    context.update(
        chain=chain,
        histories=histories,
        city_history=city,
        wijk_lines=protected(context["wijken"], size),
        stadsdeel_lines=protected(context["stadsdelen"], size),
        bestuur_lines=protected(context["besturen"], size),
        min_group_size=size,
        sensitivity=explorer.sectors,
        sensitivity_rows=[
            (t, [c.share_at(t) for c in explorer.sectors], t == round_.threshold_percent)
            for t in thresholds.THRESHOLDS
        ],
        summary=summary_lines(
            round_.name, earlier_name, [*histories, city], round_.threshold_percent
        )
        + theme_lines(context["themes"]),
        bins=bin_labels(),
        distribution_rows=[
            (label, [row.histogram[i] for row in context["sectors"]])
            for i, label in enumerate(bin_labels())
        ],
    )
    return context


# --- charts for the PDF (server-side SVG, selfscan.results.vectorcharts) --------------------


def pdf_charts(report: dict[str, Any]) -> dict[str, Any]:
    """The PDF's charts: schools meeting the norm per sector and theme, and per sector the
    distribution of the schools (whole-number count axis). Each sits beside its table."""
    from django.utils.formats import get_format

    from selfscan.results import vectorcharts

    threshold = report["threshold"]
    sep = str(get_format("DECIMAL_SEPARATOR"))

    def percent(value: float | None) -> float | None:
        return None if value is None else value * 100

    sector_items = [
        (h.label, percent(h.now.share_meeting if h.now else None)) for h in report["histories"]
    ]
    sectors = vectorcharts.percent_bars(
        sector_items,
        title=_("Aandeel scholen dat voldoet, per sector"),
        axis_label=_("Aandeel scholen dat voldoet"),
        threshold=None,
        na_label=_("n.v.t."),
        decimal_sep=sep,
        value_labels=[pct(None if v is None else v / 100) for _l, v in sector_items],
        id_prefix="sectoren",
    )
    theme_items = [
        (label, percent(row.pooled_share if row else None)) for _t, label, row in report["themes"]
    ]
    themes = vectorcharts.percent_bars(
        theme_items,
        title=_("Antwoorden voldoende of hoger per thema (hele stad)"),
        axis_label=_("Antwoorden voldoende of hoger"),
        threshold=threshold,
        threshold_label=_("drempel %(n)s%%") % {"n": threshold},
        na_label=_("n.v.t."),
        decimal_sep=sep,
        value_labels=[pct(None if v is None else v / 100) for _l, v in theme_items],
        id_prefix="themas",
    )
    # Twenty bins: the lower bound alone keeps the tick labels readable.
    starts = [label.split("–")[0] for label in report["bins"]]
    distributions = [
        vectorcharts.as_img(
            vectorcharts.count_bars(
                list(zip(starts, row.histogram, strict=False)),
                title=_("Verdeling van de scholen, %(sector)s") % {"sector": row.label},
                axis_label=_("Aantal scholen"),
                horizontal=False,
                id_prefix=f"verdeling-{row.key}",
            ),
            alt=_("Grafiek: verdeling van de scholen, %(sector)s; de cijfers staan in de tabel")
            % {"sector": row.label},
        )
        for row in report["sectors"]
    ]
    return {
        "sector_chart": vectorcharts.as_img(
            sectors,
            alt=_("Grafiek: aandeel scholen dat voldoet per sector; de cijfers staan in de tabel"),
        ),
        "theme_chart": vectorcharts.as_img(
            themes,
            alt=_("Grafiek: antwoorden voldoende of hoger per thema; de cijfers staan in de tabel"),
        ),
        "distribution_charts": [
            (row.label, chart) for row, chart in zip(report["sectors"], distributions, strict=True)
        ],
    }


# --- XLSX ------------------------------------------------------------------------------------


def _indicators(row: AggregateRow | None) -> list[Any]:
    if row is None:
        return [None] * 7
    return [
        row.invited,
        row.submitted,
        row.response_rate,
        row.meeting,
        row.share_meeting,
        row.pooled_share,
        row.mean_share,
    ]


INDICATOR_PERCENT = {3, 5, 6, 7}  # after one leading label column


def indicator_header(first: str) -> list[str]:
    return [
        first,
        _("Uitgenodigd"),
        _("Ingediend"),
        _("Respons"),
        _("Scholen die voldoen"),
        _("Aandeel scholen dat voldoet"),
        _("Antwoorden voldoende of hoger"),
        _("Gemiddelde van de scholen"),
    ]


def to_xlsx(report: dict[str, Any]) -> bytes:
    workbook = Workbook(write_only=True)
    add_sheet(
        workbook,
        _("Samenvatting"),
        [_("Belangrijkste cijfers")],
        [[line] for line in report["summary"]],
    )
    header = [_("Meting"), *indicator_header(_("Sector"))]
    rows = []
    for history in [*report["histories"], report["city_history"]]:
        for round_, row in zip(report["chain"], history.rows, strict=True):
            if row is not None:
                rows.append([round_.name, history.label, *_indicators(row)])
    add_sheet(
        workbook,
        _("Sectoren per meting"),
        header,
        rows,
        percent_columns={i + 1 for i in INDICATOR_PERCENT},
    )
    theme_header = [
        _("Thema"),
        _("Titel"),
        _("Scholen met antwoorden"),
        _("Scholen die voldoen"),
        _("Aandeel scholen dat voldoet"),
        _("Antwoorden voldoende of hoger"),
        _("Gemiddelde van de scholen"),
    ]
    add_sheet(
        workbook,
        _("Thema's"),
        theme_header,
        [
            [
                label,
                theme.title,
                row.scored if row else 0,
                row.meeting if row else 0,
                row.share_meeting if row else None,
                row.pooled_share if row else None,
                row.mean_share if row else None,
            ]
            for theme, label, row in report["themes"]
        ],
        percent_columns={4, 5, 6},
    )
    for title, first, lines in (
        (_("Wijken"), _("Wijk"), report["wijk_lines"]),
        (_("Stadsdelen"), _("Stadsdeel"), report["stadsdeel_lines"]),
        (_("Besturen"), _("Bestuur"), report["bestuur_lines"]),
    ):
        add_sheet(
            workbook,
            title,
            [*indicator_header(first), _("Opmerking")],
            [
                [line.row.label, *_indicators(line.row), ""]
                if not line.suppressed
                else [line.row.label, *[None] * 7, _("niet getoond: te weinig scholen")]
                for line in lines
            ],
            percent_columns=INDICATOR_PERCENT,
        )
    add_sheet(
        workbook,
        _("Verdeling"),
        [_("Aandeel voldoende of hoger"), *[row.label for row in report["sectors"]]],
        [[label, *counts] for label, counts in report["distribution_rows"]],
    )
    add_sheet(
        workbook,
        _("Drempels"),
        [_("Drempel (%)"), *[c.label for c in report["sensitivity"]]],
        [[t, *shares] for t, shares, _is_round in report["sensitivity_rows"]],
        percent_columns=set(range(1, len(report["sensitivity"]) + 1)),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
