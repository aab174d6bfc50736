"""The 400 page of the control-character guard: readable, axe-core clean, with a way back."""

import pytest

from tests.browser.helpers import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bad_request_page_passes_axe(page, live_server, world):
    login(page, live_server.url, world.user("staff").email)
    response = page.goto(f"{live_server.url}/account/gebruikers/?q=%00")
    assert response is not None and response.status == 400
    assert page.locator("h1").inner_text() == "Ongeldig verzoek"
    assert page.get_by_role("link", name="Terug naar de startpagina").count() == 1
    page.screenshot(path="var/bad-request-page.png", full_page=True)
    assert axe_violations(page) == []
