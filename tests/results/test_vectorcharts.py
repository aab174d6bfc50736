"""Server-side SVG charts for PDFs (selfscan/results/vectorcharts.py)."""

import base64
import html
import re

from selfscan.results import vectorcharts
from tests.journeys.pdftext import pdf_text

_COMMENT = re.compile(r"<!-- (.*?) -->", re.S)


def texts(svg: str) -> list[str]:
    """The texts of the chart in drawing order: matplotlib draws them as paths and writes each
    as an (escaped) comment."""
    return [html.unescape(t) for t in _COMMENT.findall(svg)]


def bars() -> str:
    return vectorcharts.percent_bars(
        [("Dyslexie", 83.3), ("Rekenen", 100.0), ("Meertaligheid", None)],
        title="Thema's <school>",
        axis_label="Aandeel voldoende of hoger",
        threshold=85,
        threshold_label="Norm 85%",
        na_label="n.v.t.",
        highlight=[True, False, False],
        id_prefix="t1",
    )


def test_percent_bars_is_inline_safe_svg_with_an_accessible_name():
    svg = bars()
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<style" not in svg  # would style the whole page when inlined
    assert 'role="img"' in svg
    assert 'aria-label="Thema&#x27;s &lt;school&gt;"' in svg
    assert "<title>Thema&#x27;s &lt;school&gt;</title>" in svg
    assert "<school>" not in svg


def test_percent_bars_draws_labels_values_threshold_and_nvt():
    drawn = texts(bars())
    assert drawn[:6] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    for text in ("Dyslexie", "Rekenen", "Meertaligheid", "83%", "100%", "n.v.t.", "Norm 85%"):
        assert text in drawn


def test_decimals_use_the_decimal_separator_given():
    dutch = vectorcharts.percent_bars([("A", 83.33)], title="t", axis_label="x", decimals=1)
    english = vectorcharts.percent_bars(
        [("A", 83.33)], title="t", axis_label="x", decimals=1, decimal_sep="."
    )
    assert "83,3%" in texts(dutch)
    assert "83.3%" in texts(english)


def test_output_is_deterministic():
    assert bars() == bars()
    grouped = [
        vectorcharts.grouped_percent_bars(
            ["Dyslexie"], [("School", [80.0]), ("Stad", [90.0])], title="g", axis_label="x"
        )
        for _ in range(2)
    ]
    assert grouped[0] == grouped[1]


def test_id_prefix_keeps_ids_of_two_inlined_charts_apart():
    first = bars()
    second = vectorcharts.percent_bars(
        [("Dyslexie", 83.3)], title="t", axis_label="x", threshold=85, id_prefix="t2"
    )
    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_second = set(re.findall(r'id="([^"]+)"', second))
    assert ids_first and ids_second
    assert all(i.startswith("t1-") for i in ids_first)
    assert all(i.startswith("t2-") for i in ids_second)
    # every reference points at an id of the same chart
    for ref in re.findall(r'href="#([^"]+)"', first) + re.findall(r"url\(#([^)]+)\)", first):
        assert ref in ids_first


def test_labels_are_literal_text_not_mathtext():
    svg = vectorcharts.percent_bars(
        [("Kosten $x$ en $y$", 50.0)], title="t", axis_label="a <b> -- c"
    )
    drawn = texts(svg)
    assert "Kosten $x$ en $y$" in drawn
    assert any(t.startswith("a <b>") for t in drawn)
    assert "<b>" not in svg  # escaped in the markup


def test_grouped_bars_show_every_series_value_and_a_legend():
    svg = vectorcharts.grouped_percent_bars(
        ["Dyslexie", "Rekenen"],
        [
            ("School", [80.0, 100.0]),
            ("Wijk", [90.5, None]),
            ("Bestuur", [70.0, 80.0]),
            ("Stad", [88.0, 92.0]),
        ],
        title="Vergelijking",
        axis_label="Aandeel",
        threshold=85,
        threshold_label="Norm 85%",
    )
    drawn = texts(svg)
    for text in ("School", "Wijk", "Bestuur", "Stad", "Dyslexie", "Rekenen", "Norm 85%"):
        assert text in drawn
    for value in ("80%", "100%", "90%", "n.v.t.", "70%", "88%", "92%"):
        assert value in drawn  # 90.5 rounds to "90%" with no decimals


def test_count_axis_has_whole_numbers_only():
    for horizontal in (True, False):
        svg = vectorcharts.count_bars(
            [("1", 1), ("2", 3), ("3", 2)],
            title="Cijfers",
            axis_label="Aantal",
            horizontal=horizontal,
        )
        drawn = texts(svg)
        ticks = drawn[: drawn.index("Aantal")]  # bar labels, then the count axis
        assert len(ticks) > 3  # the axis has tick labels besides the three bar labels
        assert all(re.fullmatch(r"\d+", t) for t in ticks), ticks


def test_count_axis_stays_readable_for_large_counts():
    svg = vectorcharts.count_bars([("ja", 31), ("nee", 0)], title="t", axis_label="Aantal")
    drawn = texts(svg)
    ticks = drawn[: drawn.index("Aantal")]
    assert 2 <= len(ticks) <= 8
    assert all(re.fullmatch(r"\d+", t) for t in ticks)
    assert "31" in drawn and "0" in drawn


def test_data_uri_and_img_round_trip_the_svg():
    svg = bars()
    uri = vectorcharts.data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
    img = vectorcharts.as_img(svg, alt='Scores "A" & <B>')
    assert img.startswith('<img class="vector-chart" src="data:image/svg+xml;base64,')
    assert 'alt="Scores &quot;A&quot; &amp; &lt;B&gt;"' in img


def test_an_empty_chart_still_renders():
    assert vectorcharts.percent_bars([], title="t", axis_label="x").startswith("<svg")
    assert vectorcharts.count_bars([], title="t", axis_label="x").startswith("<svg")


def test_weasyprint_draws_the_chart_as_vectors():
    import weasyprint

    html = f"<html><body>{vectorcharts.as_img(bars(), alt='x')}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" not in pdf  # drawn as vectors, not rasterised
    assert pdf_text(pdf).strip() == ""  # the chart's text is paths: no font subset of its own


def test_long_labels_wrap_onto_two_lines_at_most():
    label = "Uw school in de vorige meting, Zelfscan 2024-2025 (0-meting), vergelijkbare stellingen"
    svg = vectorcharts.percent_bars([(label, 80.0)], title="t", axis_label="x")
    drawn = " ".join(texts(svg))
    assert "Uw school in de vorige meting," in drawn
    assert "…" in drawn  # the rest shortened, not run off the chart
