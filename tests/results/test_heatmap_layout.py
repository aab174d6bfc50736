"""The board heatmap reads like the table beside it: first school on top, a row per school."""

import html
import json
import re

from selfscan.results import charts


def _figure(schools):
    markup = charts.heatmap(
        schools,
        ["T01", "T02"],
        [[1.0, 0.5] for _ in schools],
        threshold=85,
        div_id="heatmap",
        title="Aandeel",
    )
    return json.loads(html.unescape(re.search(r'data-figure="([^"]*)"', markup).group(1)))


def test_heatmap_draws_the_first_school_at_the_top():
    figure = _figure(["De Eerste", "De Tweede"])
    assert figure["data"][0]["y"] == ["De Eerste", "De Tweede"]
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"


def test_heatmap_grows_with_the_number_of_schools():
    assert _figure(["A", "B"])["layout"]["height"] == 260
    assert _figure([f"School {n}" for n in range(20)])["layout"]["height"] == 60 + 32 * 20


def test_heatmap_says_not_applicable_in_the_users_language():
    from django.utils import translation

    def cell_text():
        markup = charts.heatmap(
            ["De Eerste"], ["T01"], [[None]], threshold=85, div_id="heatmap", title="Aandeel"
        )
        data = re.search(r'data-figure="([^"]*)"', markup).group(1)
        return json.loads(html.unescape(data))["data"][0]["text"]

    assert cell_text() == [["n.v.t."]]
    with translation.override("en"):
        assert cell_text() == [["n/a"]]
