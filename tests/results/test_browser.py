"""Results and export pages in a real browser: accessible (axe-core), local, charts drawn."""

import pytest

from selfscan.accounts.models import Role
from tests.browser.helpers import axe_violations, external_requests, login
from tests.factories import UserFactory
from tests.results.factories import add_reflection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, live_server, path):
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []


def test_school_pages_are_accessible(page, live_server, ten_schools):
    scan = ten_schools.scans["S1"]
    add_reflection(scan, "T01", "Goed op weg.", "Borgen in het jaarplan.")
    user = UserFactory(role=Role.SCHOOL, schools=[ten_schools.schools["S1"]])
    login(page, live_server.url, user.email)
    r, s = ten_schools.round.pk, scan.school_id
    _check(page, live_server, f"/resultaten/{r}/school/{s}/")
    theme = ten_schools.version.themes.get(code="T01")
    _check(page, live_server, f"/resultaten/{r}/school/{s}/thema/{theme.pk}/")
    # plotly drew the (not suppressed) city distribution from our own static file
    assert page.locator("#verdeling-city .main-svg").count() >= 1
    _check(page, live_server, "/resultaten/")


def test_board_and_city_dashboards_are_accessible(page, live_server, ten_schools):
    board = UserFactory(role=Role.BOARD, besturen=[ten_schools.besturen["B1"]])
    login(page, live_server.url, board.email)
    r = ten_schools.round.pk
    _check(page, live_server, f"/resultaten/{r}/bestuur/{ten_schools.besturen['B1'].pk}/")
    assert page.locator("#heatmap .main-svg").count() >= 1
    page.select_option("#id_sorteer", "aandeel")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "sorteer=aandeel" in page.url
    assert axe_violations(page) == []
    page.context.clear_cookies()
    staff = UserFactory(role=Role.STAFF)
    login(page, live_server.url, staff.email)
    _check(page, live_server, f"/resultaten/{r}/stad/")
    _check(page, live_server, "/exports/")


def test_school_report_print_view_is_accessible_and_draws_its_charts(
    page, live_server, ten_schools
):
    scan = ten_schools.scans["S1"]
    user = UserFactory(role=Role.SCHOOL, schools=[ten_schools.schools["S1"]])
    login(page, live_server.url, user.email)
    r, s = ten_schools.round.pk, scan.school_id
    page.goto(f"{live_server.url}/resultaten/{r}/school/{s}/")
    page.click("text=Schoolrapport als afdrukversie")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/resultaten/{r}/school/{s}/rapport/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []
    charts = page.locator("img.vector-chart")
    assert charts.count() == 4  # the overview and one per theme
    # every chart (an SVG data URI) was decoded under the Content-Security-Policy
    widths = charts.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 0 for w in widths), widths
