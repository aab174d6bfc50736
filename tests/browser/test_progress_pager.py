"""The progress page's pager in a browser: reachable and usable with the keyboard alone, large
enough to tap on a phone, never wider than the phone, and axe-core clean (issue 18)."""

import pytest

from tests.browser.helpers import axe_violations, login
from tests.factories import SchoolFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def progress_url(live_server, world, monkeypatch):
    """Three pages of 3 "Pagerschool"s (plus 2 other schools), paged by 3."""
    from selfscan.rounds import views

    monkeypatch.setattr(views, "PROGRESS_PAGE_SIZE", 3)
    version = make_norm_version(key="pager", themes=1, statements_per_theme=2)
    schools = [SchoolFactory(name=f"Pagerschool {i}", bestuur=world.bestuur_a) for i in range(8)]
    schools += [SchoolFactory(name=f"Andere school {i}") for i in range(2)]
    round_ = make_round(version=version, schools=schools)
    return f"{live_server.url}/meetrondes/{round_.pk}/voortgang/"


def _rows(page):
    """The school names (without the "Niemand kan inloggen" badge under them)."""
    return [
        text.split("\n")[0] for text in page.locator("tbody tr td:first-child").all_inner_texts()
    ]


def test_keyboard_pages_forward_and_jumps_keeping_the_search(
    page, live_server, world, progress_url
):
    login(page, live_server.url, world.user("staff").email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{progress_url}?q=pagerschool")
    assert _rows(page) == ["Pagerschool 0", "Pagerschool 1", "Pagerschool 2"]
    pager = page.get_by_role("navigation", name="Paginering")
    assert "Pagina 1 van 3 (scholen 1–3 van 8)" in pager.inner_text()
    # Tab from the search field reaches "Volgende" (keyboard order follows the page).
    page.locator("#id_q").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Volgende":
            break
    else:
        pytest.fail("Tab never reached the Volgende link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "pagina=2" in page.url and "q=pagerschool" in page.url
    assert _rows(page) == ["Pagerschool 3", "Pagerschool 4", "Pagerschool 5"]
    # "Naar pagina": type a number and press Enter; the search goes along.
    page.get_by_label("Naar pagina").fill("3")
    with page.expect_navigation():
        page.get_by_label("Naar pagina").press("Enter")
    assert "q=pagerschool" in page.url
    assert _rows(page) == ["Pagerschool 6", "Pagerschool 7"]
    assert page.get_by_role("link", name="Volgende").count() == 0
    assert axe_violations(page) == []


def test_pager_on_a_phone_wraps_with_large_targets_and_passes_axe(
    page, live_server, world, progress_url
):
    login(page, live_server.url, world.user("staff").email)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{progress_url}?pagina=2")
    pager = page.get_by_role("navigation", name="Paginering")
    for name in ("Eerste", "Vorige", "Volgende", "Laatste"):
        box = pager.get_by_role("link", name=name).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, name
    for control in (pager.get_by_label("Naar pagina"), pager.get_by_role("button", name="Ga")):
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44
    nav_box = pager.bounding_box()
    assert nav_box is not None and nav_box["x"] + nav_box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
