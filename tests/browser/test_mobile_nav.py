"""The staff navigation on a phone: folded behind an accessible "Menu" button (static/js/nav.js).

At 375 px the expanded staff navigation made a header of about 275 px, so the page content began
below the fold. Folded, the header keeps four short rows (name of the site, who is logged in,
log out and language, the Menu button): about 150 px. The bound of 160 px leaves more than
three quarters of a 740 px phone screen for the page and fails as soon as the list unfolds or
wraps into the header again.
"""

from typing import Any

import pytest

from tests.browser.helpers import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
MAX_HEADER_HEIGHT = 160


def nav_link(page: Any, name: str) -> Any:
    return page.locator("#nav-links").get_by_role("link", name=name, exact=True)


def header_height(page: Any) -> float:
    return float(page.locator(".site-header").bounding_box()["height"])


@pytest.fixture
def staff_phone(page: Any, live_server: Any, world: Any) -> Any:
    page.set_viewport_size(PHONE)
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + "/")
    return page


def test_folded_header_is_short_and_the_menu_button_opens_the_navigation(staff_phone):
    page = staff_phone
    button = page.get_by_role("button", name="Menu")
    links = page.locator("#nav-links a")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "nav-links"
    assert not links.first.is_visible()
    assert header_height(page) < MAX_HEADER_HEIGHT

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav_link(page, "Auditlog").is_visible()
    assert header_height(page) > MAX_HEADER_HEIGHT  # the open menu pushes the page down

    button.click()
    assert button.get_attribute("aria-expanded") == "false"
    assert not links.first.is_visible()


def test_keyboard_opens_with_enter_and_escape_closes_and_returns_focus(staff_phone):
    page = staff_phone
    button = page.get_by_role("button", name="Menu")
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Start"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#nav-links a").first.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('nav-toggle')")
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"


def test_no_accessibility_violations_closed_and_open(staff_phone):
    page = staff_phone
    assert axe_violations(page) == []
    page.get_by_role("button", name="Menu").click()
    assert axe_violations(page) == []


def test_wide_screen_shows_the_navigation_without_the_button(page, live_server, world):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + "/")
    assert not page.locator(".nav-toggle").is_visible()
    assert nav_link(page, "Auditlog").is_visible()
    assert nav_link(page, "Meetrondes").is_visible()


def test_without_javascript_the_navigation_stays_reachable(browser, live_server, world):
    context = browser.new_context(locale="nl-NL", java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        login(page, live_server.url, world.user("staff").email)
        page.goto(live_server.url + "/")
        assert not page.locator(".nav-toggle").is_visible()
        assert page.locator("#nav-links a").count() >= 10
        assert nav_link(page, "Auditlog").is_visible()
    finally:
        context.close()
