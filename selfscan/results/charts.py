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

BIN_WIDTH = 100 // HIST_BINS
COLOURS = {"bar": "#00566e", "threshold": "#a4161a", "school": "#8a4b00", "city": "#4a5360"}


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
        xaxis={"title": _("Aandeel antwoorden voldoende of hoger (%)"), "range": [0, 100]},
        yaxis={"title": _("Aantal scholen"), "rangemode": "tozero", "dtick": 1},
        showlegend=False,
    )
    return _html(figure, div_id)


def heatmap(
    schools: Sequence[str],
    themes: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    threshold: int,
    div_id: str,
    title: str,
) -> str:
    """Schools × themes, the share in each cell as text too (colour is never the only signal)."""
    text = [
        [
            _("n.v.t.") if v is None else f"{v * 100:.0f}{' ✓' if v * 100 >= threshold else ''}"
            for v in row
        ]
        for row in values
    ]
    figure = go.Figure(
        go.Heatmap(
            z=[[None if v is None else v * 100 for v in row] for row in values],
            x=list(themes),
            y=list(schools),
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=100,
            colorscale=[[0, "#f4d6c8"], [threshold / 100, "#fbeec1"], [1, "#bfe3c9"]],
            colorbar={"title": "%"},
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(title=title, height=max(260, 60 + 32 * len(schools)))
    # Plotly draws the first row at the bottom; the table beside it reads top down.
    figure.update_yaxes(autorange="reversed")
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
        title=title, yaxis={"title": "%", "range": [0, 100]}, legend={"orientation": "h"}
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
    and the chosen one as vertical lines."""
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
    if chosen != threshold:
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
