"""The home page per role, in a browser: accessible (axe-core) at desktop and phone width."""

import pytest

from selfscan.scans.models import Scan
from tests.browser.helpers import axe_violations, login
from tests.factories import make_norm_version
from tests.scans.factories import make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_round(world):
    version = make_norm_version(key="anbhomeb", themes=2, statements_per_theme=2)
    return make_round(version=version, schools=[world.school_a1, world.school_a2, world.school_b1])


@pytest.mark.parametrize("role", ["school", "board", "staff"])
@pytest.mark.parametrize("width", [1280, 375])
def test_role_home_is_accessible(page, live_server, world, open_round, role, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server.url, world.user(role).email)
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    assert page.locator(".home-panel").count() >= 1
    assert axe_violations(page) == []
    # nothing wider than the screen: tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_school_continue_button_opens_the_wizard(page, live_server, world, open_round):
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    login(page, live_server.url, world.user("school").email)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Zelfscan beginnen De Eerste").click()
    page.wait_for_load_state()
    assert f"/zelfscan/{scan.pk}/invullen/" in page.url


@pytest.mark.parametrize("path", ["/meetrondes/", "/register/scholen/", "/zelfscan/"])
def test_wide_tables_scroll_inside_their_box_on_a_phone(page, live_server, world, open_round, path):
    """Tables wider than a phone (and their visually hidden link text) never widen the page."""
    page.set_viewport_size({"width": 320, "height": 700})
    user = world.user("school" if path == "/zelfscan/" else "staff")
    login(page, live_server.url, user.email)
    page.goto(live_server.url + path)
    assert page.locator("main table").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
