"""Plotly figures for the summary, built in Python; the page renders them with the local
plotly.js (static/js/survey-summary.js) and every chart has a table with the same numbers."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from plotly.utils import PlotlyJSONEncoder

from selfscan.results import vectorcharts

from . import summary as s
from .exports import label as fixed_label

BAR_COLOUR = "#00566e"
BLANK_COLOUR = "#8a96a3"


def count_step(counts: list[int], ticks: int = 6) -> int:
    """A whole-number distance between ticks (1, 2, 5, 10, 20, 50, ...) giving at most about
    `ticks` ticks up to the largest count."""
    top = max(counts, default=0)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if top <= step * ticks:
                return step
        magnitude *= 10


def _bars(labels: list[str], counts: list[int], *, blank_last: bool, large: bool = False) -> str:
    colours = [BAR_COLOUR] * len(labels)
    if blank_last and colours:
        colours[-1] = BLANK_COLOUR
    figure = go.Figure(
        go.Bar(
            x=counts,
            y=labels,
            orientation="h",
            marker_color=colours,
            text=[str(c) for c in counts],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    figure.update_layout(
        height=max(160, (70 if large else 46) * len(labels) + 60),
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        # Counts are whole numbers: never a tick at 0.5 or 1.5.
        xaxis={"rangemode": "tozero", "tickformat": "d", "tick0": 0, "dtick": count_step(counts)},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": "DejaVu Sans, sans-serif", "size": 26 if large else 14, "color": "#1b1f24"},
    )
    data = figure.to_plotly_json()
    data["layout"].pop("template", None)  # plotly.js's default look; keeps the page small
    return json.dumps(data, cls=PlotlyJSONEncoder)


def figure_json(question: s.QuestionSummary, *, large: bool = False) -> str | None:
    """The chart of one question as plotly JSON, or None when a chart adds nothing; `large`
    for the presenter's screen (bigger type and bars)."""
    if question.counts:
        return _bars(
            [fixed_label(c.label) for c in question.counts],
            [c.count for c in question.counts],
            blank_last=True,
            large=large,
        )
    if question.stats is not None:
        rows = list(question.stats.bins or question.stats.values)
        if not rows:
            return None
        labels = [s.nl_number(c.value) if c.value is not None else c.label for c in rows]
        labels.append(fixed_label(s.BLANK_LABEL))
        counts = [c.count for c in rows] + [question.blanks]
        return _bars(labels, counts, blank_last=True, large=large)
    if question.categories:
        return _bars(
            [c.label for c in question.categories],
            [c.count for c in question.categories],
            blank_last=False,
            large=large,
        )
    return None


def _chart_rows(question: s.QuestionSummary) -> list[tuple[str, int]]:
    """The (label, count) pairs the charts show: answers with blank last, bins or values of a
    number with blank last, or coded categories."""
    if question.counts:
        return [(c.label, c.count) for c in question.counts]
    if question.stats is not None:
        rows = list(question.stats.bins or question.stats.values)
        if not rows:
            return []
        pairs = [(s.nl_number(c.value) if c.value is not None else c.label, c.count) for c in rows]
        return [*pairs, (s.BLANK_LABEL, question.blanks)]
    return [(c.label, c.count) for c in question.categories]


def pdf_chart(question: s.QuestionSummary, *, number: int, label: Any = str) -> SafeString | None:
    """The chart of one question for the summary PDF: a server-drawn SVG (the same vector-chart
    route as the school reports, selfscan/results/vectorcharts.py) with a whole-number axis,
    as an `<img>`; the figures stay in the table beside it. `label` translates fixed labels."""
    rows = _chart_rows(question)
    if not rows:
        return None
    svg = vectorcharts.count_bars(
        [(str(label(name)), count) for name, count in rows],
        title=question.spec.text,
        axis_label=_("aantal reacties"),
        id_prefix=f"q{number}-",
    )
    return vectorcharts.as_img(
        svg, alt=_("Staafdiagram; de cijfers staan in de tabel ernaast."), css_class="pdf-chart"
    )
