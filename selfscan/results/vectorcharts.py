"""Charts drawn on the server as SVG, for PDFs (WeasyPrint runs no JavaScript) and print views.

Small, general functions: data and already translated labels in, SVG text out. Nothing here
calls gettext or the ORM, so any app (results, surveys) can use them. Drawn with matplotlib's
object API (`Figure` + the SVG canvas, never pyplot), see docs/decisions/0190:

- `percent_bars`: horizontal bars of percentages (0–100) with the threshold as a dashed line;
- `grouped_percent_bars`: per category one bar per series (school, wijk, bestuur, city);
- `count_bars`: counts with a whole-number axis (no 0.5 steps, at most ~8 ticks);
- `data_uri`: the SVG as a `data:image/svg+xml;base64,...` URI for `<img src>`;
- `as_img`: a ready `<img>` element with that URI and an alt text (what templates should use).

The returned SVG has no XML declaration or DOCTYPE, starts with `<svg`, carries `role="img"`,
an `aria-label` and a `<title>` (escaped), and draws its text as paths (the DejaVu Sans that
matplotlib ships): it looks the same in every viewer and adds no font to a PDF; each text is
also written as an XML comment (what tests read). Output is
deterministic: same input, same bytes (fixed id salt, no date). The ids in the SVG start with
`id_prefix`, so several charts can be inlined in one HTML page without clashing ids; or embed them
with `data_uri`, which isolates each chart. Values shown on the bars use `decimal_sep`
(a comma in Dutch). `None` means "no value" and is written as `na_label` (e.g. "n.v.t.").
"""

import base64
import io
import re
import textwrap
import threading
from collections.abc import Sequence
from html import escape
from typing import Any

import matplotlib
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator

BAR = "#00566e"
THRESHOLD = "#a4161a"
TEXT = "#1f2328"
GRID = "#d0d7de"
# Okabe-Ito based, distinguishable for colour-blind readers; hatches add a second signal.
SERIES = ("#00566e", "#e69f00", "#56b4e9", "#4a5360", "#009e73", "#cc79a7")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")

WIDTH_INCHES = 6.3  # A4 text width with 2 cm margins
FONT_SIZE = 8.0
CHAR_WIDTH_EM = 0.62  # DejaVu Sans: a generous average width of a character, in em
LABEL_CHARS = 34  # category labels wrap after this many characters
_RC: dict[Any, Any] = {
    "svg.hashsalt": "selfscan",  # ids from content, not random: deterministic output
    # Text as paths: no font in the PDF besides the page's own DejaVu Sans subsets, so text
    # extraction of the page (tests/journeys/pdftext.py) is not confused by a chart's subset.
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.edgecolor": GRID,
    "hatch.linewidth": 0.6,
}
# rcParams are process-wide in matplotlib; each drawing sets its own for its duration only,
# and one drawing at a time keeps threads from seeing each other's settings.
_LOCK = threading.Lock()
_LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
_ID = re.compile(r'\bid="([^"]+)"')
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)


def _text(label: str) -> str:
    """A label as literal text: matplotlib would read `$...$` as mathtext."""
    return label.replace("$", r"\$")


def _number(value: float, decimals: int, decimal_sep: str) -> str:
    return f"{value:.{decimals}f}".replace(".", decimal_sep)


def _finish(figure: Figure, *, title: str, id_prefix: str) -> SafeString:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(
        buffer, metadata={"Date": None, "Creator": None, "Format": None, "Type": None}
    )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE: inline-safe
    # matplotlib's `*{stroke-linejoin...}` stylesheet would style the whole page when inlined
    # (and a strict Content-Security-Policy blocks inline <style>): drop it.
    svg = _STYLE.sub("", svg)
    ids = set(_ID.findall(svg))
    if id_prefix:
        for old in sorted(ids, key=len, reverse=True):
            new = f"{id_prefix}-{old}"
            svg = (
                svg.replace(f'id="{old}"', f'id="{new}"')
                .replace(f"#{old})", f"#{new})")
                .replace(f'href="#{old}"', f'href="#{new}"')
            )
    label = escape(title, quote=True)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" focusable="false" ',
        1,
    )
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{label}</title>", svg, count=1)
    return mark_safe(svg)  # built from escaped text and matplotlib's own markup


def _label(text: str, width: int = LABEL_CHARS) -> str:
    """A category label wrapped onto at most two lines (then shortened with "…")."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …")]
    return _text("\n".join(lines))


def _new_figure(
    height: float, *, labels: Sequence[str] = (), left: float = 0.0, bottom: float = 0.45
) -> Figure:
    """A figure with fixed margins (in inches): the left one fits the longest label line.

    Margins are estimated from the label length rather than measured (constrained layout measures
    every text several times and costs a third of the drawing time)."""
    longest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    left = max(left, 0.12 + longest * FONT_SIZE * CHAR_WIDTH_EM / 72)
    left = min(left, WIDTH_INCHES * 0.45)
    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.subplots_adjust(
        left=left / WIDTH_INCHES,
        right=1 - 0.55 / WIDTH_INCHES,
        bottom=bottom / height,
        top=1 - 0.22 / height,
    )
    return figure


def _percent_axis(axes: Axes, axis_label: str) -> None:
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    axes.set_xticklabels([f"{v}%" for v in (0, 20, 40, 60, 80, 100)])
    axes.set_xlabel(_text(axis_label))
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _threshold_line(axes: Axes, threshold: int | None, threshold_label: str) -> None:
    if threshold is None:
        return
    axes.axvline(threshold, color=THRESHOLD, linestyle="--", linewidth=1.2)
    axes.annotate(
        _text(threshold_label),
        xy=(threshold, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        color=THRESHOLD,
        fontsize=FONT_SIZE - 0.5,
    )


def percent_bars(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    axis_label: str,
    threshold: int | None = None,
    threshold_label: str = "",
    na_label: str = "n.v.t.",
    decimal_sep: str = ",",
    decimals: int = 0,
    highlight: Sequence[bool] = (),
    value_labels: Sequence[str] = (),
    id_prefix: str = "",
) -> SafeString:
    """Horizontal bars, one per (label, percent 0–100 or None), top to bottom in the given order.

    `value_labels[i]`, when given, is written at bar i instead of the formatted value (so a page
    can show exactly the figure of its tables, rounded its own way).

    The threshold (an integer percent) is a dashed vertical line labelled `threshold_label`.
    `highlight[i]` draws bar i in the threshold colour's counterpart (e.g. "below the norm") with a
    hatch, so colour is never the only signal.
    """
    with _LOCK, matplotlib.rc_context(_RC):
        labels = [_label(label) for label, _ in items]
        figure = _new_figure(0.67 + 0.28 * max(len(items), 1), labels=labels)
        axes = figure.add_subplot()
        positions = list(range(len(items)))
        values = [0.0 if v is None else float(v) for _, v in items]
        colours = ["#b35900" if i < len(highlight) and highlight[i] else BAR for i in positions]
        hatches = ["//" if i < len(highlight) and highlight[i] else "" for i in positions]
        bars = axes.barh(positions, values, color=colours, height=0.62, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        for position, (_, value) in zip(positions, items, strict=True):
            text = na_label if value is None else f"{_number(value, decimals, decimal_sep)}%"
            if position < len(value_labels):
                text = value_labels[position]
            axes.annotate(
                _text(text),
                xy=(0 if value is None else value, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                bbox=_LABEL_BOX,
            )
        axes.set_yticks(positions)
        axes.set_yticklabels(labels)
        axes.set_ylim(max(len(items), 1) - 0.5, -0.5)  # first item on top
        _percent_axis(axes, axis_label)
        axes.set_xlim(0, 108)  # room for "100%" after a full bar
        _threshold_line(axes, threshold, threshold_label)
        return _finish(figure, title=title, id_prefix=id_prefix)


def grouped_percent_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    axis_label: str,
    threshold: int | None = None,
    threshold_label: str = "",
    na_label: str = "n.v.t.",
    decimal_sep: str = ",",
    decimals: int = 0,
    id_prefix: str = "",
) -> SafeString:
    """Horizontal grouped bars: for each category one bar per series (name, percents 0–100 or
    None, one per category), with a legend; series get colour and hatch."""
    count = max(len(series), 1)
    band = 0.8 / count
    with _LOCK, matplotlib.rc_context(_RC):
        rows = max(len(categories), 1)
        labels = [_label(c) for c in categories]
        legend_rows = -(-count // 4)
        bottom = 0.5 + 0.2 * legend_rows
        figure = _new_figure(
            bottom + 0.22 + rows * (0.1 + 0.19 * count), labels=labels, bottom=bottom
        )
        axes = figure.add_subplot()
        for index, (name, values) in enumerate(series):
            offsets = [c - 0.4 + band * (index + 0.5) for c in range(len(categories))]
            numbers = [0.0 if v is None else float(v) for v in values]
            axes.barh(
                offsets,
                numbers,
                height=band * 0.92,
                color=SERIES[index % len(SERIES)],
                hatch=HATCHES[index % len(HATCHES)],
                edgecolor="white",
                label=_text(name),
            )
            for offset, value in zip(offsets, values, strict=True):
                text = na_label if value is None else f"{_number(value, decimals, decimal_sep)}%"
                axes.annotate(
                    _text(text),
                    xy=(0 if value is None else value, offset),
                    xytext=(2, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left",
                    fontsize=FONT_SIZE - 1,
                    bbox=_LABEL_BOX,
                )
        axes.set_yticks(list(range(len(categories))))
        axes.set_yticklabels(labels)
        axes.set_ylim(max(len(categories), 1) - 0.5, -0.5)
        _percent_axis(axes, axis_label)
        axes.set_xlim(0, 108)
        _threshold_line(axes, threshold, threshold_label)
        figure.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=min(count, 4),
            frameon=False,
            handlelength=1.6,
        )
        return _finish(figure, title=title, id_prefix=id_prefix)


def count_bars(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    axis_label: str,
    horizontal: bool = True,
    id_prefix: str = "",
) -> SafeString:
    """Bars of counts (respondents, schools) with a whole-number axis and the count at each bar.

    Horizontal by default (long labels stay readable); vertical bars rotate no labels but suit
    short ones such as grades or bins.
    """
    with _LOCK, matplotlib.rc_context(_RC):
        n = max(len(items), 1)
        width = LABEL_CHARS if horizontal else 14
        labels = [_label(label, width) for label, _ in items]
        if horizontal:
            figure = _new_figure(0.67 + 0.28 * n, labels=labels)
        else:
            lines = max((label.count("\n") + 1 for label in labels), default=1)
            bottom = 0.35 + 0.13 * lines
            figure = _new_figure(1.9 + bottom, left=0.6, bottom=bottom)
        axes = figure.add_subplot()
        positions = list(range(len(items)))
        counts = [int(c) for _, c in items]
        top = max([*counts, 1])
        locator = MaxNLocator(nbins=6, integer=True, min_n_ticks=1)
        if horizontal:
            axes.barh(positions, counts, color=BAR, height=0.62)
            axes.set_yticks(positions)
            axes.set_yticklabels(labels)
            axes.set_ylim(max(len(items), 1) - 0.5, -0.5)
            axes.set_xlim(0, top * 1.12)
            axes.xaxis.set_major_locator(locator)
            axes.set_xlabel(_text(axis_label))
            axes.grid(axis="x", color=GRID, linewidth=0.5)
            for position, count in zip(positions, counts, strict=True):
                axes.annotate(
                    str(count), xy=(count, position), xytext=(3, 0),
                    textcoords="offset points", va="center", ha="left",
                )  # fmt: skip
        else:
            axes.bar(positions, counts, color=BAR, width=0.62)
            axes.set_xticks(positions)
            axes.set_xticklabels(labels)
            axes.set_ylim(0, top * 1.15)
            axes.yaxis.set_major_locator(locator)
            axes.set_ylabel(_text(axis_label))
            axes.grid(axis="y", color=GRID, linewidth=0.5)
            for position, count in zip(positions, counts, strict=True):
                axes.annotate(
                    str(count), xy=(position, count), xytext=(0, 2),
                    textcoords="offset points", va="bottom", ha="center",
                )  # fmt: skip
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return _finish(figure, title=title, id_prefix=id_prefix)


def data_uri(svg: str) -> str:
    """The SVG as a data URI for `<img src>` (WeasyPrint keeps it vector)."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def as_img(svg: str, *, alt: str, css_class: str = "vector-chart") -> SafeString:
    """`<img>` with the chart as a data URI: the way to put a chart in a WeasyPrint template
    (WeasyPrint's HTML pass warns on every style attribute of inline SVG) and in a page under our
    Content-Security-Policy (`img-src data:` is allowed). `alt` says what the chart shows; the
    figures themselves belong in a table beside it."""
    return format_html('<img class="{}" src="{}" alt="{}">', css_class, data_uri(svg), alt)
