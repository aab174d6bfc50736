import pytest

from tests.browser.helpers import axe_violations, external_requests, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_dutch_local_and_accessible(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Zelfscan basisondersteuning"
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert page.requested_urls, "the page made no requests at all"
    assert external_requests(page, live_server.url) == []


def test_login_page_is_local_and_accessible(page, live_server):
    page.goto(live_server.url + "/account/inloggen/")
    assert page.locator("h1").inner_text() == "Inloggen"
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []


def test_login_with_keyboard_shows_role_navigation(page, live_server, world):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    login(page, live_server.url, world.user("staff").email)
    assert "Uitloggen" in page.locator("header").inner_text()
    assert axe_violations(page) == []


def test_wrong_password_shows_dutch_error(page, live_server, world):
    login(page, live_server.url, world.user("school").email, password="fout-wachtwoord")
    assert (
        "e-mailadres en wachtwoord horen niet bij elkaar"
        in page.locator(".error-summary").inner_text()
    )
