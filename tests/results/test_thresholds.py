"""The threshold explorer: the integer rule at every threshold, equal to the dashboard at the
round's threshold, a hand-computed fixture at 80% and 90%, and a fixed number of queries."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.results import selectors, thresholds
from selfscan.results.models import AggregateRow
from selfscan.results.scoring import Tally
from tests.factories import UserFactory
from tests.results.test_annual import demo_rounds  # noqa: F401 (fixture: the demo's rounds)
from tests.results.test_pages import _round_with

pytestmark = pytest.mark.django_db


def test_meeting_counts_use_the_integer_rule_at_every_threshold():
    # 17/20 is exactly 85%: meets 85, not 86; 16/19 = 84.2% meets 84, not 85; 0/0 is not scored.
    scored, counts = thresholds.meeting_counts([17, 16, 0, 7], [20, 19, 0, 7])
    assert scored == 3
    by = dict(zip(thresholds.THRESHOLDS, counts, strict=True))
    assert by[84] == 3 and by[85] == 2 and by[86] == 1 and by[100] == 1
    for t, n in by.items():
        expected = sum(bool(Tally(s, a).meets(t)) for s, a in [(17, 20), (16, 19), (0, 0), (7, 7)])
        assert n == expected


def test_parse_threshold_keeps_the_default_and_says_why():
    assert thresholds.parse_threshold("90", 85) == (90, "")
    assert thresholds.parse_threshold(None, 85) == (85, "")
    for bad in ("49", "101", "abc", "85.5"):
        value, message = thresholds.parse_threshold(bad, 85)
        assert value == 85 and "50" in message and "100" in message


def _staff():
    return UserFactory(role=Role.STAFF)


def test_hand_computed_fixture_at_80_85_and_90(ten_schools):
    # Whole-norm shares of the nine submitted schools (see test_fixture_indicators.py):
    # S1 85%, S2 84.2%, S3 100%, S4 100%, S5 55%, S6 95%, S7 90%, S8 35%, S9 90%.
    context = selectors.threshold_explorer(_staff(), ten_schools.round, 80)
    everyone = context["sectors"][-1]
    assert everyone.scored == 9
    assert everyone.count_at(80) == 7  # all but S5 and S8
    assert everyone.count_at(85) == 6  # S2 falls away
    assert everyone.count_at(90) == 5  # S1 falls away; S7 and S9 are exactly 90%
    assert everyone.count_at(91) == 3
    assert everyone.count_at(100) == 2
    # Theme T02 (7 statements): 5/7 = 71.4% (S1, S2), 7/7 (S3, S4, S7, S9), 4/7, 6/7 = 85.7%, 3/7.
    t02 = next(c for theme, _label, c in context["theme_curves"] if theme.code == "T02")
    assert t02.scored == 9
    assert t02.count_at(80) == 5 and t02.count_at(85) == 5 and t02.count_at(90) == 4
    assert t02.count_at(71) == 7 and t02.count_at(72) == 5


def test_at_the_round_threshold_it_equals_the_dashboard(ten_schools):
    round_ = ten_schools.round
    context = selectors.threshold_explorer(_staff(), round_, round_.threshold_percent)
    dashboard = selectors.city_dashboard(round_)
    by_key = {c.key: c for c in context["sectors"]}
    for row in dashboard["sectors"]:
        assert by_key[row.key].share_at(85) == row.share_meeting
        assert by_key[row.key].count_at(85) == row.meeting
    assert by_key[thresholds.ALL].share_at(85) == dashboard["city"].share_meeting
    city_themes = {theme.pk: row for theme, _label, row in dashboard["themes"]}
    for theme, _label, c in context["theme_curves"]:
        assert c.scored == city_themes[theme.pk].scored
        assert c.count_at(85) == city_themes[theme.pk].meeting


def test_board_sees_only_its_own_schools(ten_schools):
    b1 = ten_schools.besturen["B1"]
    user = UserFactory(role=Role.BOARD, besturen=[b1])
    context = selectors.threshold_explorer(user, ten_schools.round, 85, b1.pk)
    everyone = context["sectors"][-1]
    # B1: S1 85%, S2 84.2%, S4 100%, S7 90%, S9 90%.
    assert everyone.scored == 5
    assert everyone.count_at(85) == 4 and everyone.count_at(90) == 3 and everyone.count_at(84) == 5


def test_exploring_does_not_change_the_round(client, ten_schools):
    client.force_login(_staff())
    url = reverse("results:threshold_explorer", args=[ten_schools.round.pk])
    client.get(url)  # stores the round's aggregates
    before = list(AggregateRow.objects.values_list("pk", "meeting").order_by("pk"))
    html = client.get(url, {"drempel": "90"}).content.decode()
    assert "55,6%" in html  # 5 of 9 at 90%
    assert "(5 van 9)" in html
    ten_schools.round.refresh_from_db()
    assert ten_schools.round.threshold_percent == 85
    assert list(AggregateRow.objects.values_list("pk", "meeting").order_by("pk")) == before


def test_bad_threshold_gets_a_dutch_message(client, ten_schools):
    client.force_login(_staff())
    url = reverse("results:threshold_explorer", args=[ten_schools.round.pk])
    response = client.get(url, {"drempel": "120"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een drempel van 50 tot en met 100 procent" in html
    assert "(6 van 9)" in html  # shown at the round's own threshold


def test_english_page(client, ten_schools):
    client.force_login(_staff())
    url = reverse("results:threshold_explorer", args=[ten_schools.round.pk])
    html = client.get(url, {"drempel": "80"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Threshold explorer" in html and "77.8%" in html


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"drempel": "80"}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("board", [False, True])
def test_queries_do_not_grow_with_schools(client, django_assert_max_num_queries, board):
    small, large = _round_with(3), _round_with(12)
    for data in (small, large):
        if board:
            client.force_login(UserFactory(role=Role.BOARD, besturen=[data["bestuur"]]))
            url = reverse(
                "results:board_threshold_explorer", args=[data["round"].pk, data["bestuur"].pk]
            )
        else:
            client.force_login(_staff())
            url = reverse("results:threshold_explorer", args=[data["round"].pk])
        data["queries"] = _count(client, url)
        data["url"] = url
    assert small["queries"] == large["queries"]
    with django_assert_max_num_queries(20):
        client.get(large["url"])


def test_demo_zero_measurement_at_its_threshold_equals_the_dashboard_and_the_demo(demo_rounds):  # noqa: F811
    """On the demo's 0-meting (PO and VO, two norm versions in the chain): the explorer at the
    round's threshold equals the city dashboard and the demo's own count from the answers."""
    from selfscan.rounds import demo

    zero = demo_rounds
    t = zero.threshold_percent
    context = selectors.threshold_explorer(_staff(), zero, t)
    by_key = {c.key: c for c in context["sectors"]}
    dashboard = selectors.city_dashboard(zero)
    expected = demo.indicators(zero)  # computed from the answers, apart from the aggregation
    assert set(expected) == {"PO", "VO"}
    assert [c.key for c in context["sectors"]] == ["PO", "VO", thresholds.ALL]
    for row in dashboard["sectors"]:
        curve = by_key[row.key]
        assert (curve.count_at(t), curve.scored) == (row.meeting, row.scored)
        assert curve.share_at(t) * 100 == pytest.approx(expected[row.key]["meets_pct"])
    everyone = by_key[thresholds.ALL]
    assert everyone.count_at(t) == dashboard["city"].meeting
    assert everyone.scored == sum(by_key[s].scored for s in ("PO", "VO"))
    # lower thresholds never let fewer schools meet the norm
    assert all(a >= b for a, b in zip(everyone.meeting, everyone.meeting[1:], strict=False))


def _li_lines(page: str) -> list[str]:
    section = re.search(r'id="drempel-gekozen".*?</section>', page, re.S).group(0)
    return [html.unescape(li).strip() for li in re.findall(r"<li>(.*?)</li>", section, re.S)]


def _steps(page: str) -> dict:
    raw = re.search(r'<div id="drempel-data" hidden data-steps="(.*?)"></div>', page, re.S)
    return json.loads(html.unescape(raw.group(1)))


@pytest.mark.parametrize(("language", "share"), [("nl", "77,8%"), ("en", "77.8%")])
def test_slider_texts_equal_the_pages_rendered_for_each_threshold(
    client, ten_schools, language, share
):
    """What the slider's script shows for a threshold is what the form shows for it."""
    client.force_login(_staff())
    url = reverse("results:threshold_explorer", args=[ten_schools.round.pk])
    steps = _steps(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert sorted(int(t) for t in steps) == thresholds.THRESHOLDS
    assert share in steps["80"]["lines"][-1]
    for t in (50, 80, 85, 90, 100):
        page = client.get(url, {"drempel": t}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert _li_lines(page) == steps[str(t)]["lines"], t
        cells = re.findall(r'<td class="num chosen-column">(.*?)</td>', page)
        assert cells == steps[str(t)]["themes"], t
