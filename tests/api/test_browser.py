"""The token page and the documentation page in chromium: make a token, see it once, use it,
revoke it; axe-clean in Dutch and English; nothing loaded from elsewhere."""

import json
import urllib.request

import pytest

from selfscan.accounts.models import Role
from tests.browser.helpers import axe_violations, external_requests, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_use_and_revoke_a_token(live_server, page, world):
    board = world.user("board")
    login(page, live_server.url, board.email)
    page.click("text=API-sleutels")
    assert page.url.endswith("/account/api-sleutels/")
    assert axe_violations(page) == []

    page.fill("#id_name", "Power BI")
    page.select_option("#id_days", "30")
    page.click("button:has-text('Sleutel maken')")
    token = page.input_value("#new-token")
    assert token.startswith("zs_")
    assert axe_violations(page) == []

    request = urllib.request.Request(
        f"{live_server.url}/api/v1/rounds/", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert "results" in json.load(response)

    page.goto(page.url)
    assert token not in page.content()  # shown once
    assert "nog niet" not in page.content()  # last used is filled in
    page.click("button:has-text('Intrekken')")
    assert "ingetrokken" in page.content()
    assert external_requests(page, live_server.url) == []


def test_docs_page_in_english_is_accessible(live_server, page):
    UserFactory(email="staff@example.org", role=Role.STAFF)
    login(page, live_server.url, "staff@example.org")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/api/v1/docs/")
    assert "API documentation (v1)" in page.content()
    assert "/api/v1/rounds/{round_id}/results/" in page.content()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/account/api-sleutels/")
    assert "Make a new token" in page.content()
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []
