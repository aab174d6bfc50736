"""The progress page's contact people and the reminder confirmation, in a browser: axe-core
clean on desktop and phone, and a reminder sent without JavaScript."""

import os
from pathlib import Path

import pytest
from django.core import mail

from selfscan.accounts.models import Role
from selfscan.accounts.services import invite_user
from tests.browser.helpers import axe_violations, login
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SELFSCAN_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def progress_url(live_server, world):
    """De Eerste: two who can log in and one invited; De Tweede: nobody; De Derde: one."""
    UserFactory(
        email="ib@example.org", role=Role.SCHOOL, schools=[world.school_a1], first_name="Ineke"
    )
    invite_user(email="nieuw@example.org", role=Role.SCHOOL, schools=[world.school_a1], actor=None)
    world.school_a2.contact_email = "info@detweede.example.org"
    world.school_a2.save()
    extra = SchoolFactory(
        name="Kindcentrum Zonder Account", bestuur=world.bestuur_b, contact_email=""
    )
    round_ = make_round(
        version=make_norm_version(key="browser", themes=1, statements_per_theme=2),
        schools=[world.school_a1, world.school_a2, world.school_b1, extra],
    )
    mail.outbox.clear()
    return f"{live_server.url}/meetrondes/{round_.pk}/voortgang/"


def test_progress_page_with_contacts_passes_axe_on_desktop_and_phone(
    page, live_server, world, progress_url
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server.url, world.user("staff").email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(progress_url)
    assert (
        "2 scholen hebben niemand die kan inloggen" in page.locator("#login-summary").inner_text()
    )
    assert page.locator("td.no-login").count() == 2
    assert page.get_by_role("link", name="Herinnering sturen De Tweede").count() == 0
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "progress-contacts-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(progress_url)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "progress-contacts-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(progress_url.replace("voortgang/", "herinneren/"))
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "reminder-confirmation.png"), full_page=True)


def test_reminder_is_confirmed_then_sent_without_javascript(
    browser, live_server, world, progress_url
):
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server.url, world.user("staff").email)
        page.goto(progress_url)
        page.get_by_role("link", name="Herinnering sturen…").click()
        summary = page.locator("#reminder-summary").inner_text()
        assert "2 scholen, 3 personen krijgen een herinnering." in summary
        assert "2 scholen hebben niemand die kan inloggen en krijgen niets." in summary
        page.get_by_role("button", name="Herinnering sturen aan 3 personen").click()
        page.wait_for_load_state()
        assert "De herinneringen worden verstuurd." in page.content()
    finally:
        context.close()
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "andereschool@example.org",
        "ib@example.org",
        "school@example.org",
    ]
