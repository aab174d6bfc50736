"""Boards: a labelled, stepped heatmap; "nog niet ingediend"; trends per theme through the
lineage; the per-school trend as a table with a row per school."""

import html
import json
import re

import pytest
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.results import charts
from tests.factories import UserFactory
from tests.results.test_change import two_versions  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _figure(markup: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-figure="([^"]*)"', markup).group(1)))


def test_colour_steps_follow_the_threshold_with_the_integer_rule():
    assert charts.colour_step(17, 20, 85) == 0  # exactly 85%
    assert charts.colour_step(16, 20, 85) == 1  # 80%
    assert charts.colour_step(15, 20, 85) == 2  # 75%: not the colour of 80%
    assert charts.colour_step(14, 20, 85) == 3  # 70%
    assert charts.colour_step(0, 0, 85) is None
    assert charts.colour_step(16, 20, 80) == 0  # the steps move with the threshold
    assert charts.step_labels(85) == ["≥ 85%", "80–85%", "75–80%", "< 75%"]


def test_count_axis_steps_are_whole_and_few():
    assert charts.count_step(0) == 1 and charts.count_step(8) == 1
    assert charts.count_step(9) == 2 and charts.count_step(31) == 5
    assert charts.count_step(70) == 10 and charts.count_step(7000) == 1000
    figure = _figure(
        charts.distribution([0] * 19 + [31], threshold=85, div_id="d", title="Verdeling")
    )
    assert figure["layout"]["yaxis"]["dtick"] == 5
    assert figure["layout"]["yaxis"]["tickformat"] == "d"


def test_heatmap_labels_every_row_and_says_not_submitted():
    schools = [f"School {n}" for n in range(15)]
    markup = charts.heatmap(
        schools,
        ["T01"],
        [[0.8]] * 14 + [[None]],
        threshold=85,
        div_id="heatmap",
        title="Aandeel",
        tallies=[[(16, 20)]] * 14 + [[None]],
        not_submitted=[False] * 14 + [True],
    )
    figure = _figure(markup)
    assert figure["layout"]["yaxis"]["dtick"] == 1
    assert figure["data"][0]["z"][0] == [1]
    assert figure["data"][0]["text"][-1] == [""]
    assert figure["data"][0]["y"][-1] == "School 14 (nog niet ingediend)"
    assert figure["data"][0]["y"][0] == "School 0"
    scale = figure["data"][0]["colorscale"]
    assert len({colour for _stop, colour in scale}) == len(charts.STEP_COLOURS)


def test_board_page_table_first_with_not_submitted_and_steps(client, ten_schools):
    b2 = ten_schools.besturen["B2"]
    client.force_login(UserFactory(role=Role.BOARD, besturen=[b2]))
    page = client.get(reverse("results:board_dashboard", args=[ten_schools.round.pk, b2.pk]))
    text = page.content.decode()
    row = re.search(r"School S10</a></th>(.*?)</tr>", text, re.S).group(1)
    assert "nog niet ingediend" in row and "n.v.t." not in row
    assert "step-0" in text and "step-3" in text
    assert text.index('id="heat-caption"') < text.index('id="heatmap"')
    # The per-school trend: one row per school, one column per round.
    trend = re.search(r'id="school-trend-caption".*?</table>', text, re.S).group(0)
    assert trend.count("<tr>") == 1 + 5  # header and B2's five schools
    assert "Er is nog geen eerdere meting" in text


def test_board_sees_each_theme_since_earlier_rounds_on_comparable_statements(
    client,
    two_versions,  # noqa: F811
):
    d = two_versions
    bestuur = d["school"].bestuur
    client.force_login(UserFactory(role=Role.BOARD, besturen=[bestuur]))
    text = client.get(
        reverse("results:board_dashboard", args=[d["second"].pk, bestuur.pk])
    ).content.decode()
    assert text.count('id="trend-thema"') == 1
    section = re.search(r'id="trend-thema".*?</section>', text, re.S).group(0)
    assert "alleen vergelijkbare stellingen" in section
    assert "v1 → v2" in section
    assert "+50,0 procentpunt" in section  # T01.01 and T01.04: 1 of 2 then, 2 of 2 now
    assert "1 nieuw" in section and "1 niet vergelijkbaar" in section
