"""Journey 4: a board compares its schools on its board dashboard, with the mouse.

The board sees each of its own schools by name and no other board's school, and the figures in
the table are those its schools submitted. The dashboard also works 375 px wide (a phone).
"""

import pytest
from django.urls import reverse

from tests.browser.helpers import axe_violations, external_requests
from tests.journeys.steps import login, nav, screenshot, table_rows
from tests.journeys.world import FORMULA_NAME, answer_and_submit, values_by_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAT_CAPTION = "Aandeel antwoorden voldoende of hoger per school en thema"


@pytest.fixture
def submitted_year(year):
    world = year.world
    school_team, other_team = year.user("school"), year.user("other_school")
    answer_and_submit(
        year.scan(world.school_a1), values_by_theme({"T01": 4, "T02": 4, "T03": 4}), school_team
    )
    # De Tweede: T01 4 of 4, T02 2 of 4, T03 3 of 4 voldoende: 9 of 12 over the whole norm.
    answer_and_submit(
        year.scan(world.school_a2), values_by_theme({"T01": 4, "T02": 2, "T03": 3}), school_team
    )
    answer_and_submit(
        year.scan(world.school_b1), values_by_theme({"T01": 1, "T02": 1, "T03": 1}), other_team
    )
    answer_and_submit(
        year.scan(year.formula_school),
        values_by_theme({"T01": 4, "T02": 4, "T03": 4}),
        year.formula_team,
    )
    return year


def heatmap_rows(page):
    """The school names on the drawn heatmap, top to bottom, as the person reads them."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#heatmap .ytick text'))
            .map(t => [t.getBoundingClientRect().top, t.textContent])
            .sort((a, b) => a[0] - b[0]).map(p => p[1])"""
    )


def open_board_dashboard(page, base_url):
    nav(page, "Dashboard")
    page.get_by_role("link", name="Dashboard Stichting Alfa").click()
    page.wait_for_load_state("networkidle")


def test_board_compares_only_its_own_schools(page, live_server, submitted_year):
    year = submitted_year
    base = live_server.url
    login(page, base, year.user("board").email)
    open_board_dashboard(page, base)

    assert page.locator("h1").inner_text() == "Dashboard Stichting Alfa"
    rows = table_rows(page, HEAT_CAPTION)
    assert [row[0] for row in rows] == ["De Eerste", "De Tweede"]
    assert rows[1] == ["De Tweede", "75,0%", "100% ✓", "50%", "75%"]
    assert rows[0] == ["De Eerste", "100,0% ✓", "100% ✓", "100% ✓", "100% ✓"]
    header = page.locator("table", has=page.locator("caption", has_text=HEAT_CAPTION))
    assert header.locator("thead th").all_inner_texts()[:2] == ["School", "Hele norm"]
    # the heatmap is drawn (plotly, from our own static files) beside the table
    assert page.locator("#heatmap .main-svg").count() >= 1
    assert heatmap_rows(page) == ["De Eerste", "De Tweede"]  # in the table's order
    main = page.locator("main").inner_text()
    for outsider in ("De Derde", FORMULA_NAME, "Stichting Beta"):
        assert outsider not in main
    assert axe_violations(page) == []
    assert external_requests(page, base) == []
    screenshot(page, "j4-1-board-dashboard")

    # Sorting by share puts the school that needs attention first.
    page.get_by_label("Sorteren op").select_option("aandeel")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_load_state("networkidle")
    assert [row[0] for row in table_rows(page, HEAT_CAPTION)] == ["De Tweede", "De Eerste"]
    assert heatmap_rows(page) == ["De Tweede", "De Eerste"]

    # A school name leads to its themakaarten, with the same figure.
    page.get_by_role("link", name="De Tweede", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Themakaarten De Tweede"
    assert "75,0%" in page.locator("dl.summary").inner_text()

    # Another board's dashboard does not exist for this board.
    other = reverse(
        "results:board_dashboard",
        kwargs={"round_id": year.round.pk, "bestuur_id": year.world.bestuur_b.pk},
    )
    response = page.goto(base + other)
    assert response.status == 404
    assert "Stichting Beta" not in page.locator("body").inner_text()


def test_board_dashboard_reads_on_a_phone(phone_page, live_server, submitted_year):
    page = phone_page
    base = live_server.url
    login(page, base, submitted_year.user("board").email)
    page.get_by_role("button", name="Menu").click()
    open_board_dashboard(page, base)
    assert page.locator("h1").inner_text() == "Dashboard Stichting Alfa"
    rows = table_rows(page, HEAT_CAPTION)
    assert rows[1][:2] == ["De Tweede", "75,0%"]
    # Wide tables scroll inside their own box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("cell", name="75,0%").first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "j4-2-board-dashboard-phone")
