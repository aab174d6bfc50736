"""Plotly figures built in Python; pages load plotly.js from our own static files.

Every chart returned here is shown beside (or above) a table with the same figures. A chart is
an empty element carrying the figure as JSON; static/js/results.js draws it, so the pages need no
inline script under the Content-Security-Policy (docs/decisions/0004).
"""

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.translation import gettext as _

from selfscan.results.aggregation import HIST_BINS
from selfscan.results.scoring import meets_threshold

BIN_WIDTH = 100 // HIST_BINS
COLOURS = {"bar": "#00566e", "threshold": "#a4161a", "school": "#8a4b00", "city": "#4a5360"}


def count_step(largest: int, most_ticks: int = 8) -> int:
    """A whole tick step for a count axis up to `largest`: 1, 2, 5, 10, 20, 50, ... so that
    there are at most `most_ticks` steps (never 0.5 schools, never 31 crammed labels)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if largest <= factor * step * most_ticks:
                return factor * step
        step *= 10


def bin_labels() -> list[str]:
    return [f"{i * BIN_WIDTH}–{(i + 1) * BIN_WIDTH}%" for i in range(HIST_BINS)]


def _html(figure: go.Figure, div_id: str) -> str:
    figure.update_layout(
        margin={"l": 50, "r": 20, "t": 40, "b": 50},
        height=figure.layout.height or 320,  # a heatmap grows with its schools
        font={"family": "system-ui, sans-serif", "size": 13},
        plot_bgcolor="#ffffff",
    )
    return format_html(
        '<div id="{}" class="plotly-chart" data-figure="{}"></div>', div_id, figure.to_json()
    )


def distribution(
    histogram: Sequence[int],
    *,
    threshold: int,
    div_id: str,
    title: str,
    marker: float | None = None,
    marker_label: str = "",
) -> str:
    """School shares in bins of 5 percentage points, the threshold as a line, and optionally
    one school's own position."""
    centres = [i * BIN_WIDTH + BIN_WIDTH / 2 for i in range(HIST_BINS)]
    figure = go.Figure(
        go.Bar(
            x=centres,
            y=list(histogram),
            width=BIN_WIDTH * 0.9,
            marker_color=COLOURS["bar"],
            name=_("Aantal scholen"),
            hovertemplate="%{x}%: %{y}<extra></extra>",
        )
    )
    figure.add_vline(
        x=threshold,
        line_dash="dash",
        line_color=COLOURS["threshold"],
        annotation_text=_("drempel %(n)s%%") % {"n": threshold},
    )
    if marker is not None:
        figure.add_vline(
            x=marker * 100,
            line_color=COLOURS["school"],
            line_width=3,
            annotation_text=marker_label,
            annotation_position="top left",
        )
    figure.update_layout(
        title=title,
        xaxis={
            "title": _("Aandeel antwoorden voldoende of hoger (%)"),
            "range": [0, 100],
            "dtick": 10,
            "ticksuffix": "%",
        },
        yaxis={
            "title": _("Aantal scholen"),
            "rangemode": "tozero",
            "tickformat": "d",
            "dtick": count_step(max(histogram, default=0)),
        },
        showlegend=False,
    )
    return _html(figure, div_id)


STEP_COLOURS = ["#bfe3c9", "#fbeec1", "#f7d3b0", "#f0b8a6"]  # meets, −5, −10, further below
STEP_WIDTH = 5


def colour_step(sufficient: int, answered: int, threshold: int) -> int | None:
    """The band of a share: 0 on or above the threshold, 1 up to 5 points below, 2 up to 10
    below, 3 further below; None when nothing was answered. Integer rule as in scoring."""
    if not answered:
        return None
    for step in range(len(STEP_COLOURS) - 1):
        if meets_threshold(sufficient, answered, threshold - STEP_WIDTH * step):
            return step
    return len(STEP_COLOURS) - 1


def step_labels(threshold: int) -> list[str]:
    last = threshold - STEP_WIDTH * (len(STEP_COLOURS) - 2)
    labels = [f"≥ {threshold}%"]
    for step in range(1, len(STEP_COLOURS) - 1):
        labels.append(f"{threshold - STEP_WIDTH * step}–{threshold - STEP_WIDTH * (step - 1)}%")
    labels.append(f"< {last}%")
    return labels


def heatmap(
    schools: Sequence[str],
    themes: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    threshold: int,
    div_id: str,
    title: str,
    tallies: Sequence[Sequence[tuple[int, int] | None]] | None = None,
    not_submitted: Sequence[bool] | None = None,
) -> str:
    """Schools × themes, the share in each cell as text too (colour is never the only signal).

    Colours come in steps that follow the threshold (`colour_step`): on or above it, up to 5
    and up to 10 points below, and further below. Every school's row is labelled; a school that
    has not submitted is labelled "nog niet ingediend" (its cells stay empty), never n.v.t."""
    waiting = list(not_submitted or [False] * len(schools))
    steps: list[list[int | None]] = []
    for i, row in enumerate(values):
        if tallies is not None:
            steps.append([None if t is None else colour_step(*t, threshold) for t in tallies[i]])
        else:
            steps.append(
                [
                    None if v is None else colour_step(round(v * 10000), 10000, threshold)
                    for v in row
                ]
            )
    text = [
        [
            ""
            if waiting[i]
            else _("n.v.t.")
            if v is None
            else f"{v * 100:.0f}{' ✓' if step == 0 else ''}"
            for v, step in zip(row, steps[i], strict=True)
        ]
        for i, row in enumerate(values)
    ]
    n = len(STEP_COLOURS)
    # A stepped scale: each band one flat colour (the stops repeat at the band edges).
    scale = []
    for i, colour in enumerate(STEP_COLOURS):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    figure = go.Figure(
        go.Heatmap(
            z=steps,
            x=list(themes),
            # A school that has not submitted says so in its label (its cells stay empty).
            y=[
                _("%(name)s (nog niet ingediend)") % {"name": name} if waiting[i] else name
                for i, name in enumerate(schools)
            ],
            text=text,
            texttemplate="%{text}",
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=scale,
            colorbar={
                "title": _("Aandeel"),
                "tickvals": list(range(n)),
                "ticktext": step_labels(threshold),
            },
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    figure.update_layout(title=title, height=max(260, 60 + 32 * len(schools)))
    # Plotly draws the first row at the bottom; the table beside it reads top down. dtick 1:
    # every school's name, never every second one.
    figure.update_yaxes(autorange="reversed", dtick=1, automargin=True)
    figure.update_xaxes(dtick=1, automargin=True, side="top")
    return _html(figure, div_id)


def trend(
    rounds: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    threshold: int,
    div_id: str,
    title: str,
) -> str:
    """Lines over rounds (share of answers voldoende or higher), the threshold as a line."""
    figure = go.Figure()
    for name, values in series.items():
        figure.add_trace(
            go.Scatter(
                x=list(rounds),
                y=[None if v is None else v * 100 for v in values],
                mode="lines+markers",
                name=name,
            )
        )
    figure.add_hline(y=threshold, line_dash="dash", line_color=COLOURS["threshold"])
    figure.update_layout(
        title=title,
        yaxis={"title": "%", "range": [0, 100], "dtick": 10, "ticksuffix": "%"},
        xaxis={"automargin": True},
        legend={"orientation": "h"},
    )
    return _html(figure, div_id)


def threshold_curves(
    thresholds: Sequence[int],
    series: Mapping[str, Sequence[float | None]],
    *,
    threshold: int,
    chosen: int,
    div_id: str,
    title: str,
) -> str:
    """Per group the share of schools that would meet each threshold; the round's threshold
    (shape 0) and the chosen one (shape 1) as vertical lines."""
    figure = go.Figure()
    for name, values in series.items():
        figure.add_trace(
            go.Scatter(
                x=list(thresholds),
                y=[None if v is None else v * 100 for v in values],
                mode="lines",
                line_shape="hv",
                name=name,
                hovertemplate="%{x}%: %{y:.1f}%<extra>" + name + "</extra>",
            )
        )
    figure.add_vline(
        x=threshold,
        line_dash="dash",
        line_color=COLOURS["threshold"],
        annotation_text=_("drempel van de meting %(n)s%%") % {"n": threshold},
        annotation_position="bottom left",
    )
    # Always drawn (also on the round's threshold): the slider moves this second line.
    figure.add_vline(
        x=chosen,
        line_color=COLOURS["school"],
        annotation_text=_("gekozen %(n)s%%") % {"n": chosen},
        annotation_position="top left",
    )
    figure.update_layout(
        title=title,
        xaxis={"title": _("Drempel (%)"), "dtick": 5, "range": [min(thresholds), max(thresholds)]},
        yaxis={"title": _("Scholen die voldoen (%)"), "range": [0, 100], "dtick": 10},
        legend={"orientation": "h", "y": -0.25},
        height=380,
    )
    return _html(figure, div_id)
